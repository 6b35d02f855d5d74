"""
Where the field keys come from: ``ZHIXING_FIELD_KEYS`` (a JSON keyring) or a file generated on first use.

The keys are kept apart from ``SECRET_KEY``: a leaked secret key must not expose ID numbers, and
rotating the secret key must not make them unreadable. The file (``ZHIXING_FIELD_KEYS_FILE``,
default ``var/keys/field_keys.json``) is created with mode 0600 in a 0700 directory, as
``config.env.secret_from_file`` does for the secret key. Losing it loses every encrypted field:
production sets ``ZHIXING_FIELD_KEYS`` from its secret store, or backs the file up with the database.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from django.conf import settings

from zhixing.core.crypto import Keyring, keyring_from_json, keyring_generate, keyring_to_json


def keyring_load(*, keys_json: str, keys_file: Path) -> Keyring:
    """
    Return the keyring from ``keys_json`` when given, else from ``keys_file``, generating that file if missing.

    Two processes starting at once create the file only once (``O_EXCL``); the loser reads it.

    :raises FieldKeysInvalid: if the configured keyring is malformed
    """
    if keys_json.strip():
        return keyring_from_json(keys_json)
    if keys_file.exists():
        return keyring_from_json(keys_file.read_text())
    keys_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    keyring = keyring_generate()
    try:
        descriptor = os.open(keys_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return keyring_from_json(keys_file.read_text())
    with os.fdopen(descriptor, "w") as handle:
        handle.write(keyring_to_json(keyring) + "\n")
    return keyring


@functools.cache
def field_keyring() -> Keyring:
    """Return the process's keyring, read once from ``ZHIXING_FIELD_KEYS`` or ``ZHIXING_FIELD_KEYS_FILE``."""
    return keyring_load(keys_json=settings.ZHIXING_FIELD_KEYS, keys_file=Path(settings.ZHIXING_FIELD_KEYS_FILE))
