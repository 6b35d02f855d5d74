"""
The hash chain, as pure functions: what a record's content is, and how a link is computed.

A record's hash is ``SM3(prev_hash ‖ 0x1e ‖ content)`` where ``content`` joins the record's fields with
0x1f. Labels are stripped of control characters when written and ``data`` is canonical JSON (which
escapes them), so the join is unambiguous.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

GENESIS = "0" * 64
_FIELD = "\x1f"
_LINK = "\x1e"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

try:
    hashlib.new("sm3", b"")
except ValueError as error:  # pragma: no cover - depends on the OpenSSL build
    raise ImportError(
        "The audit chain needs SM3 (GB/T 32905), but this Python's OpenSSL does not provide it. "
        "Use an OpenSSL build with SM3 (OpenSSL 1.1.1+ with the default provider)."
    ) from error


def sm3_hex(payload: bytes) -> str:
    """Return the SM3 digest of ``payload`` in hex."""
    return hashlib.new("sm3", payload).hexdigest()


def clean_label(value: object, *, max_length: int) -> str:
    """Return ``value`` as a single-line label without control characters, cut to ``max_length``."""
    return _CONTROL.sub(" ", "" if value is None else str(value))[:max_length]


def at_text(at: datetime) -> str:
    """Return the canonical text of a moment: UTC, ISO 8601, microseconds always present."""
    if at.tzinfo is None:
        raise ValueError("audit moments must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_text(
    *,
    chain: int,
    seq: int,
    at: datetime,
    court_id: int | None,
    case_id: int | None,
    actor_id: int | None,
    actor_label: str,
    action: str,
    subject_type: str,
    subject_id: str,
    subject_label: str,
    data: str,
) -> str:
    """Return the text a record's hash covers (every field but the two hashes)."""
    return _FIELD.join(
        (
            str(chain),
            str(seq),
            at_text(at),
            "" if court_id is None else str(court_id),
            "" if case_id is None else str(case_id),
            "" if actor_id is None else str(actor_id),
            actor_label,
            action,
            subject_type,
            subject_id,
            subject_label,
            data,
        )
    )


def link_hash(*, prev_hash: str, content: str) -> str:
    """Return the hash of a record whose predecessor's hash is ``prev_hash``."""
    return sm3_hex(f"{prev_hash}{_LINK}{content}".encode())
