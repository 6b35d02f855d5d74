"""
Field protection for ID and phone numbers: SM4-GCM encryption and an HMAC-SM3 blind index.

Pure: the keys arrive in a :class:`Keyring` value (loaded by ``zhixing.core.field_keys``); nothing
here reads settings, files or the clock.

Basis: GB/T 32907-2016 (SM4 block cipher), GB/T 32905-2016 (SM3 hash), GB/T 39786-2021 §8.4 (the
confidentiality and integrity of important data in storage at level 3, with national algorithms),
《个人信息保护法》 第51条 (encryption of personal information). GCM is NIST SP 800-38D applied to SM4,
as GB/T 36624-2018 allows for block-cipher authenticated encryption.

The installed ``cryptography`` exposes SM4 as a block cipher (``algorithms.SM4``) that works with
``modes.GCM`` through the ``Cipher`` API when the linked OpenSSL supports it (there is no one-shot
``SM4GCM`` AEAD class), and SM3 as ``hashes.SM3`` for HMAC. :func:`ensure_sm_algorithms` tries both
once and fails loudly when they are missing rather than falling back to another algorithm.

The envelope is ``v1:<key_id>:<base64(nonce ‖ ciphertext ‖ tag)>`` with a random 12-byte nonce and
a 16-byte tag. The associated data authenticated by GCM is the envelope's version and key id plus
the caller's ``associated_data`` (e.g. ``"cases_party.id_number"``), so a ciphertext moved to
another column, or relabelled with another key id, fails to decrypt.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from zhixing.core.identity import normalize_identifier, normalize_phone

ENVELOPE_VERSION: Final = "v1"
SM4_KEY_BYTES: Final = 16
INDEX_KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
TAG_BYTES: Final = 16
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_AAD_PREFIX: Final = b"zhixing-field"


class FieldCryptoUnavailable(RuntimeError):
    """The installed cryptography/OpenSSL cannot do SM4-GCM or HMAC-SM3; nothing may be stored."""


class FieldKeysInvalid(ValueError):
    """The configured keyring is malformed (bad JSON, a missing active key, a key of the wrong size)."""


class DecryptionFailed(Exception):
    """An envelope did not decrypt: tampered ciphertext, nonce or tag, or the wrong associated data."""


class MalformedEnvelope(DecryptionFailed):
    """The stored value is not a ``v1:<key_id>:<base64>`` envelope."""


class UnknownFieldKey(DecryptionFailed):
    """The envelope names a key id the keyring does not hold."""


class IndexPurpose(StrEnum):
    """What a blind index is computed for; each purpose gives unrelated digests for the same input."""

    RESIDENT_ID = "resident_id"
    PHONE = "phone"
    CREDIT_CODE = "credit_code"


@dataclass(frozen=True, slots=True, kw_only=True)
class Keyring:
    """
    The field keys: SM4 keys by id (the active one encrypts, all decrypt) and the blind-index key.

    Keys never appear in ``repr``. Rotating the encryption key adds a new active key and keeps the old
    ones for decryption (:func:`keyring_rotate`); rotating the index key means recomputing every index.

    :raises FieldKeysInvalid: on a bad key id or key size, or an active id the keyring does not hold
    """

    active_key_id: str
    encryption_keys: Mapping[str, bytes] = field(repr=False)
    index_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        for key_id, key in self.encryption_keys.items():
            if not _KEY_ID.fullmatch(key_id):
                raise FieldKeysInvalid(f"字段密钥编号“{key_id}”无效：只能含字母、数字、_ 和 -，最长32位")
            if len(key) != SM4_KEY_BYTES:
                raise FieldKeysInvalid(f"字段密钥“{key_id}”长度应为{SM4_KEY_BYTES}字节，实际为{len(key)}字节")
        if self.active_key_id not in self.encryption_keys:
            raise FieldKeysInvalid(f"当前字段密钥“{self.active_key_id}”不在密钥环中")
        if len(self.index_key) != INDEX_KEY_BYTES:
            raise FieldKeysInvalid(f"盲索引密钥长度应为{INDEX_KEY_BYTES}字节，实际为{len(self.index_key)}字节")
        object.__setattr__(self, "encryption_keys", MappingProxyType(dict(self.encryption_keys)))


def keyring_generate(*, key_id: str = "k1") -> Keyring:
    """Return a new keyring with one random SM4 key ``key_id`` (active) and a random index key."""
    return Keyring(
        active_key_id=key_id,
        encryption_keys={key_id: os.urandom(SM4_KEY_BYTES)},
        index_key=os.urandom(INDEX_KEY_BYTES),
    )


def keyring_rotate(*, keyring: Keyring, new_key_id: str) -> Keyring:
    """
    Return ``keyring`` with a new random SM4 key ``new_key_id`` made active; old keys still decrypt.

    :raises FieldKeysInvalid: if ``new_key_id`` is already in use or malformed
    """
    if new_key_id in keyring.encryption_keys:
        raise FieldKeysInvalid(f"字段密钥编号“{new_key_id}”已存在")
    return Keyring(
        active_key_id=new_key_id,
        encryption_keys={**keyring.encryption_keys, new_key_id: os.urandom(SM4_KEY_BYTES)},
        index_key=keyring.index_key,
    )


def keyring_from_json(text: str) -> Keyring:
    """
    Return the keyring described by ``text``.

    The format (also of ``ZHIXING_FIELD_KEYS`` and ``var/keys/field_keys.json``), keys in standard base64::

        {"active": "k2", "keys": {"k1": "<16 bytes>", "k2": "<16 bytes>"}, "index_key": "<32 bytes>"}

    :raises FieldKeysInvalid: naming what is wrong
    """
    try:
        data = json.loads(text)
        active = data["active"]
        keys = {str(key_id): _b64decode(value) for key_id, value in data["keys"].items()}
        index_key = _b64decode(data["index_key"])
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError, binascii.Error) as error:
        raise FieldKeysInvalid(
            '字段密钥配置无效：应为 JSON {"active": 编号, "keys": {编号: base64}, "index_key": base64}'
        ) from error
    return Keyring(active_key_id=str(active), encryption_keys=keys, index_key=index_key)


def keyring_to_json(keyring: Keyring) -> str:
    """Return ``keyring`` in the format :func:`keyring_from_json` reads."""
    return json.dumps(
        {
            "active": keyring.active_key_id,
            "keys": {key_id: base64.b64encode(key).decode() for key_id, key in keyring.encryption_keys.items()},
            "index_key": base64.b64encode(keyring.index_key).decode(),
        },
        indent=2,
    )


def _b64decode(value: object) -> bytes:
    if not isinstance(value, str):
        raise TypeError("key must be a base64 string")
    return base64.b64decode(value, validate=True)


@functools.cache
def ensure_sm_algorithms() -> None:
    """
    Check once that SM4-GCM and HMAC-SM3 work with the installed cryptography and OpenSSL.

    :raises FieldCryptoUnavailable: when either is missing (an OpenSSL built without SM4/SM3, or a
        cryptography release without ``algorithms.SM4``/``hashes.SM3``)
    """
    try:
        encryptor = Cipher(algorithms.SM4(bytes(SM4_KEY_BYTES)), modes.GCM(bytes(NONCE_BYTES))).encryptor()
        encryptor.update(b"probe")
        encryptor.finalize()
        mac = hmac.HMAC(bytes(INDEX_KEY_BYTES), hashes.SM3())
        mac.update(b"probe")
        mac.finalize()
    except (UnsupportedAlgorithm, AttributeError, ValueError) as error:
        raise FieldCryptoUnavailable(
            "字段加密不可用：所安装的 cryptography/OpenSSL 不支持 SM4-GCM 或 HMAC-SM3"
            f"（{type(error).__name__}: {error}）。请安装支持国密算法的 OpenSSL 与 cryptography ≥ 43。"
        ) from error


@functools.lru_cache(maxsize=64)
def _associated_data(*, key_id: str, associated_data: str) -> bytes:
    return b"|".join((_AAD_PREFIX, ENVELOPE_VERSION.encode(), key_id.encode(), associated_data.encode()))


# Fast path: the key objects are set up once per key, not once per value. ``algorithms.SM4`` holds
# only the (validated) key; the HMAC state keyed with the index key is copied for each value, which
# skips re-deriving the padded inner and outer keys. The envelopes and digests are the same.
@functools.lru_cache(maxsize=16)
def _sm4(key: bytes) -> algorithms.SM4:
    return algorithms.SM4(key)


@functools.lru_cache(maxsize=4)
def _index_mac(key: bytes) -> hmac.HMAC:
    return hmac.HMAC(key, hashes.SM3())


def encrypt_field(*, keyring: Keyring, plaintext: str, associated_data: str) -> str:
    """
    Return ``plaintext`` encrypted with the keyring's active SM4 key in GCM mode, as a ``v1`` envelope.

    ``associated_data`` names where the value is stored (table and column); pass the same to decrypt.

    :raises FieldCryptoUnavailable: if SM4-GCM is not available
    """
    ensure_sm_algorithms()
    key_id = keyring.active_key_id
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(_sm4(keyring.encryption_keys[key_id]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_associated_data(key_id=key_id, associated_data=associated_data))
    ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
    payload = base64.b64encode(nonce + ciphertext + encryptor.tag).decode()
    return f"{ENVELOPE_VERSION}:{key_id}:{payload}"


def decrypt_field(*, keyring: Keyring, envelope: str, associated_data: str) -> str:
    """
    Return the plaintext of ``envelope``, checking its tag against ``associated_data``.

    :raises MalformedEnvelope: if ``envelope`` is not a ``v1`` envelope
    :raises UnknownFieldKey: if its key id is not in ``keyring``
    :raises DecryptionFailed: if the ciphertext, nonce, tag, key id or associated data were altered
    :raises FieldCryptoUnavailable: if SM4-GCM is not available
    """
    ensure_sm_algorithms()
    key_id, raw = _split_envelope(envelope)
    key = keyring.encryption_keys.get(key_id)
    if key is None:
        raise UnknownFieldKey(f"密钥环中没有字段密钥“{key_id}”")
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(_sm4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_associated_data(key_id=key_id, associated_data=associated_data))
    try:
        plaintext = decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as error:
        raise DecryptionFailed("字段密文校验失败：密文被改动，或与存放位置（关联数据）不符") from error
    return plaintext.decode()


def envelope_key_id(envelope: str) -> str:
    """
    Return the key id an envelope was encrypted under.

    :raises MalformedEnvelope: if ``envelope`` is not a ``v1`` envelope
    """
    return _split_envelope(envelope)[0]


def needs_reencryption(*, keyring: Keyring, envelope: str) -> bool:
    """
    Return whether ``envelope`` was encrypted under a key other than the active one (rotation pending).

    :raises MalformedEnvelope: if ``envelope`` is not a ``v1`` envelope
    """
    return envelope_key_id(envelope) != keyring.active_key_id


def reencrypt_field(*, keyring: Keyring, envelope: str, associated_data: str) -> str:
    """
    Return ``envelope`` decrypted and encrypted again under the active key (for key rotation).

    :raises DecryptionFailed: as :func:`decrypt_field`
    """
    plaintext = decrypt_field(keyring=keyring, envelope=envelope, associated_data=associated_data)
    return encrypt_field(keyring=keyring, plaintext=plaintext, associated_data=associated_data)


def _split_envelope(envelope: str) -> tuple[str, bytes]:
    parts = envelope.split(":")
    if len(parts) != 3 or parts[0] != ENVELOPE_VERSION or not _KEY_ID.fullmatch(parts[1]):
        raise MalformedEnvelope("字段密文格式无效：应为 v1:<密钥编号>:<base64>")
    try:
        raw = base64.b64decode(parts[2], validate=True)
    except binascii.Error as error:
        raise MalformedEnvelope("字段密文格式无效：base64 部分无法解码") from error
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise MalformedEnvelope("字段密文格式无效：长度不足")
    return parts[1], raw


def normalize_for_index(*, value: str, purpose: IndexPurpose) -> str:
    """
    Return ``value`` in the form its blind index is computed on, so that typing variants match.

    身份证号 and 统一社会信用代码: full-width to ASCII, no spaces or hyphens, upper case (``x`` → ``X``).
    Phone: digits only, and a mainland mobile number loses its ``+86``/``0086`` prefix.
    """
    if purpose in (IndexPurpose.RESIDENT_ID, IndexPurpose.CREDIT_CODE):
        return normalize_identifier(value)
    return normalize_phone(value)


def blind_index(*, keyring: Keyring, value: str, purpose: IndexPurpose) -> str:
    """
    Return the keyed blind index of ``value``: hex HMAC-SM3 of the purpose and the normalised value.

    Equal values (after :func:`normalize_for_index`) give equal indexes, so an exact lookup needs no
    decryption; without the index key the index reveals nothing, and the purpose separates the
    index of one field from another's.

    :raises ValueError: if the normalised value is empty (an empty index would match every blank)
    :raises FieldCryptoUnavailable: if HMAC-SM3 is not available
    """
    ensure_sm_algorithms()
    normalized = normalize_for_index(value=value, purpose=purpose)
    if not normalized:
        raise ValueError("cannot index an empty value")
    mac = _index_mac(keyring.index_key).copy()
    mac.update(purpose.value.encode() + b"\x00" + normalized.encode())
    return mac.finalize().hex()
