from __future__ import annotations

import base64
import json
import stat

import pytest
from cryptography.exceptions import UnsupportedAlgorithm
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core import crypto
from zhixing.core.crypto import (
    DecryptionFailed,
    FieldCryptoUnavailable,
    FieldKeysInvalid,
    IndexPurpose,
    Keyring,
    MalformedEnvelope,
    UnknownFieldKey,
    blind_index,
    decrypt_field,
    encrypt_field,
    ensure_sm_algorithms,
    envelope_key_id,
    keyring_from_json,
    keyring_generate,
    keyring_rotate,
    keyring_to_json,
    needs_reencryption,
    normalize_for_index,
    reencrypt_field,
)
from zhixing.core.field_keys import keyring_load

AD = "cases_party.id_number"
ID_NUMBER = "11010519491231002X"
KEYRING = Keyring(
    active_key_id="k1",
    encryption_keys={"k1": bytes(range(16)), "k2": bytes(range(16, 32))},
    index_key=bytes(range(32)),
)


def _tamper(envelope: str, *, byte: int) -> str:
    version, key_id, payload = envelope.split(":")
    raw = bytearray(base64.b64decode(payload))
    raw[byte] ^= 0x01
    return f"{version}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"


# --- Encryption --------------------------------------------------------------------------------


def test_sm4_gcm_and_sm3_are_available():
    ensure_sm_algorithms()


def test_round_trip():
    envelope = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)

    assert decrypt_field(keyring=KEYRING, envelope=envelope, associated_data=AD) == ID_NUMBER


def test_envelope_is_versioned_with_key_id_nonce_ciphertext_and_tag():
    envelope = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)
    version, key_id, payload = envelope.split(":")

    assert (version, key_id) == ("v1", "k1")
    assert len(base64.b64decode(payload)) == 12 + len(ID_NUMBER) + 16
    assert ID_NUMBER not in envelope


def test_each_encryption_uses_a_fresh_nonce():
    first = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)
    second = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)

    assert first != second
    assert base64.b64decode(first.split(":")[2])[:12] != base64.b64decode(second.split(":")[2])[:12]


@given(plaintext=st.text(max_size=200), associated_data=st.text(max_size=40))
def test_round_trip_of_any_text(plaintext, associated_data):
    envelope = encrypt_field(keyring=KEYRING, plaintext=plaintext, associated_data=associated_data)

    assert decrypt_field(keyring=KEYRING, envelope=envelope, associated_data=associated_data) == plaintext


@pytest.mark.parametrize(
    ("part", "byte"), [("nonce", 0), ("nonce", 11), ("ciphertext", 12), ("ciphertext", 29), ("tag", -1)]
)
def test_tampering_with_any_byte_fails(part, byte):
    envelope = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)

    with pytest.raises(DecryptionFailed, match="字段密文校验失败"):
        decrypt_field(keyring=KEYRING, envelope=_tamper(envelope, byte=byte), associated_data=AD)


def test_moving_a_ciphertext_to_another_column_fails():
    envelope = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)

    with pytest.raises(DecryptionFailed, match="字段密文校验失败"):
        decrypt_field(keyring=KEYRING, envelope=envelope, associated_data="cases_party.phone")


def test_relabelling_the_key_id_fails_even_with_the_right_key():
    # The key id is authenticated: relabel k1 → k2 while k2 holds the same key bytes.
    same_keys = Keyring(active_key_id="k1", encryption_keys={"k1": bytes(16), "k2": bytes(16)}, index_key=bytes(32))
    envelope = encrypt_field(keyring=same_keys, plaintext=ID_NUMBER, associated_data=AD)
    relabelled = envelope.replace("v1:k1:", "v1:k2:")

    with pytest.raises(DecryptionFailed, match="字段密文校验失败"):
        decrypt_field(keyring=same_keys, envelope=relabelled, associated_data=AD)


def test_unknown_key_id_fails_with_its_own_error():
    envelope = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD).replace("v1:k1:", "v1:k9:")

    with pytest.raises(UnknownFieldKey, match="密钥环中没有字段密钥“k9”"):
        decrypt_field(keyring=KEYRING, envelope=envelope, associated_data=AD)


@pytest.mark.parametrize(
    "envelope",
    [
        "11010519491231002X",
        "v2:k1:AAAA",
        "v1:k1",
        "v1:k:1:AAAA",
        "v1:k1:not base64!",
        "v1:k1:" + base64.b64encode(bytes(27)).decode(),
    ],
)
def test_malformed_envelope_fails(envelope):
    with pytest.raises(MalformedEnvelope):
        decrypt_field(keyring=KEYRING, envelope=envelope, associated_data=AD)


def test_unicode_plaintext_round_trips():
    envelope = encrypt_field(keyring=KEYRING, plaintext="河南省温县 张三", associated_data=AD)

    assert decrypt_field(keyring=KEYRING, envelope=envelope, associated_data=AD) == "河南省温县 张三"


# --- Rotation ----------------------------------------------------------------------------------


def test_data_under_an_old_key_still_decrypts_after_rotation():
    keyring = keyring_generate(key_id="2025")
    old = encrypt_field(keyring=keyring, plaintext=ID_NUMBER, associated_data=AD)

    rotated = keyring_rotate(keyring=keyring, new_key_id="2026")
    new = encrypt_field(keyring=rotated, plaintext=ID_NUMBER, associated_data=AD)

    assert decrypt_field(keyring=rotated, envelope=old, associated_data=AD) == ID_NUMBER
    assert (envelope_key_id(old), envelope_key_id(new)) == ("2025", "2026")
    assert needs_reencryption(keyring=rotated, envelope=old) is True
    assert needs_reencryption(keyring=rotated, envelope=new) is False


def test_reencryption_moves_a_value_to_the_active_key():
    rotated = keyring_rotate(keyring=KEYRING, new_key_id="k3")
    old = encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)

    moved = reencrypt_field(keyring=rotated, envelope=old, associated_data=AD)

    assert envelope_key_id(moved) == "k3"
    assert decrypt_field(keyring=rotated, envelope=moved, associated_data=AD) == ID_NUMBER


def test_rotation_keeps_the_index_key_and_refuses_a_used_id():
    rotated = keyring_rotate(keyring=KEYRING, new_key_id="k3")

    assert rotated.index_key == KEYRING.index_key
    assert set(rotated.encryption_keys) == {"k1", "k2", "k3"}
    with pytest.raises(FieldKeysInvalid, match="字段密钥编号“k2”已存在"):
        keyring_rotate(keyring=KEYRING, new_key_id="k2")


# --- Blind index -------------------------------------------------------------------------------


def test_blind_index_is_stable_hex_sm3():
    first = blind_index(keyring=KEYRING, value=ID_NUMBER, purpose=IndexPurpose.RESIDENT_ID)

    assert first == blind_index(keyring=KEYRING, value=ID_NUMBER, purpose=IndexPurpose.RESIDENT_ID)
    assert len(first) == 64
    assert int(first, 16) >= 0


@pytest.mark.parametrize(
    "typed", ["11010519491231002x", " 110105 19491231 002X", "１１０１０５１９４９１２３１００２Ｘ"]
)
def test_blind_index_matches_typing_variants_of_an_id(typed):
    assert blind_index(keyring=KEYRING, value=typed, purpose=IndexPurpose.RESIDENT_ID) == blind_index(
        keyring=KEYRING, value=ID_NUMBER, purpose=IndexPurpose.RESIDENT_ID
    )


@pytest.mark.parametrize("typed", ["+86 138 1234 5678", "0086-13812345678", "138-1234-5678", "１３８１２３４５６７８"])
def test_blind_index_matches_typing_variants_of_a_phone(typed):
    assert normalize_for_index(value=typed, purpose=IndexPurpose.PHONE) == "13812345678"
    assert blind_index(keyring=KEYRING, value=typed, purpose=IndexPurpose.PHONE) == blind_index(
        keyring=KEYRING, value="13812345678", purpose=IndexPurpose.PHONE
    )


def test_blind_index_differs_across_purposes():
    value = "13812345678"

    indexes = {purpose: blind_index(keyring=KEYRING, value=value, purpose=purpose) for purpose in IndexPurpose}

    assert len(set(indexes.values())) == len(IndexPurpose)


def test_blind_index_differs_across_keys():
    other = Keyring(active_key_id="k1", encryption_keys=KEYRING.encryption_keys, index_key=bytes(range(1, 33)))

    assert blind_index(keyring=KEYRING, value=ID_NUMBER, purpose=IndexPurpose.RESIDENT_ID) != blind_index(
        keyring=other, value=ID_NUMBER, purpose=IndexPurpose.RESIDENT_ID
    )


def test_blind_index_does_not_depend_on_the_encryption_keys():
    rotated = keyring_rotate(keyring=KEYRING, new_key_id="k3")

    assert blind_index(keyring=rotated, value=ID_NUMBER, purpose=IndexPurpose.RESIDENT_ID) == blind_index(
        keyring=KEYRING, value=ID_NUMBER, purpose=IndexPurpose.RESIDENT_ID
    )


@given(
    first=st.text(alphabet="0123456789X", min_size=1, max_size=18),
    second=st.text(alphabet="0123456789X", min_size=1, max_size=18),
)
def test_blind_index_is_equal_exactly_when_normalised_values_are(first, second):
    same = blind_index(keyring=KEYRING, value=first, purpose=IndexPurpose.RESIDENT_ID) == blind_index(
        keyring=KEYRING, value=second, purpose=IndexPurpose.RESIDENT_ID
    )

    assert same == (first == second)


def test_blind_index_of_an_empty_value_is_refused():
    with pytest.raises(ValueError, match="cannot index an empty value"):
        blind_index(keyring=KEYRING, value=" - ", purpose=IndexPurpose.PHONE)


# --- Keyring -----------------------------------------------------------------------------------


def test_keyring_json_round_trip():
    assert keyring_from_json(keyring_to_json(KEYRING)) == KEYRING


def test_keyring_json_format():
    data = json.loads(keyring_to_json(KEYRING))

    assert data == {
        "active": "k1",
        "keys": {
            "k1": base64.b64encode(bytes(range(16))).decode(),
            "k2": base64.b64encode(bytes(range(16, 32))).decode(),
        },
        "index_key": base64.b64encode(bytes(range(32))).decode(),
    }


def test_repr_shows_no_key_material():
    assert repr(KEYRING) == "Keyring(active_key_id='k1')"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "字段密钥配置无效"),
        ('{"active": "k1", "keys": {}}', "字段密钥配置无效"),
        ('{"active": "k1", "keys": {"k1": "!!"}, "index_key": ""}', "字段密钥配置无效"),
        (
            '{"active": "k2", "keys": {"k1": "' + "A" * 22 + '=="}, "index_key": "' + "A" * 43 + '="}',
            "当前字段密钥“k2”不在密钥环中",
        ),
        (
            '{"active": "k1", "keys": {"k1": "AAAA"}, "index_key": "' + "A" * 43 + '="}',
            "字段密钥“k1”长度应为16字节，实际为3字节",
        ),
        (
            '{"active": "k1", "keys": {"k1": "' + "A" * 22 + '=="}, "index_key": "AAAA"}',
            "盲索引密钥长度应为32字节，实际为3字节",
        ),
        (
            '{"active": "a:b", "keys": {"a:b": "' + "A" * 22 + '=="}, "index_key": "' + "A" * 43 + '="}',
            "字段密钥编号“a:b”无效",
        ),
    ],
)
def test_malformed_keyring_is_refused(text, message):
    with pytest.raises(FieldKeysInvalid, match=message):
        keyring_from_json(text)


def test_keys_from_the_environment_win(tmp_path):
    keys_file = tmp_path / "keys" / "field_keys.json"

    keyring = keyring_load(keys_json=keyring_to_json(KEYRING), keys_file=keys_file)

    assert keyring == KEYRING
    assert not keys_file.exists()


def test_keys_file_is_generated_once_with_mode_0600(tmp_path):
    keys_file = tmp_path / "keys" / "field_keys.json"

    first = keyring_load(keys_json="", keys_file=keys_file)
    second = keyring_load(keys_json="", keys_file=keys_file)

    assert first == second
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys_file.parent.stat().st_mode) == 0o700
    assert first.active_key_id == "k1"


def test_missing_sm_algorithms_fail_loudly(monkeypatch):
    def unsupported(key: bytes) -> None:
        raise UnsupportedAlgorithm("sm4 not supported")

    monkeypatch.setattr(crypto.algorithms, "SM4", unsupported)
    ensure_sm_algorithms.cache_clear()
    try:
        with pytest.raises(FieldCryptoUnavailable, match="不支持 SM4-GCM 或 HMAC-SM3"):
            encrypt_field(keyring=KEYRING, plaintext=ID_NUMBER, associated_data=AD)
    finally:
        ensure_sm_algorithms.cache_clear()
