"""
``record``: the only writer of the audit log.

Called by every service inside its own transaction, so that the act and its record commit or roll
back together. The chain's head row is locked for the rest of the transaction, which serialises the
writers of one court and keeps ``seq`` gapless.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from zhixing.audit.actions import ACTIONS
from zhixing.audit.chain import GENESIS, clean_label, content_text, link_hash
from zhixing.audit.models import AuditChainHead, AuditRecord
from zhixing.audit.verify import VerificationReport, chain_verify


class AuditOutsideTransaction(RuntimeError):
    """``record`` was called outside a transaction: the act and its record could commit apart."""


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def canonical_json(payload: Mapping[str, Any]) -> str:
    """Return ``payload`` as canonical JSON (sorted keys, no spaces, UTF-8 text, control characters escaped)."""
    if not payload:
        return ""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default)


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One act to record; ``record_many`` takes a list of these."""

    action: str
    at: datetime
    actor: Any = None
    court_id: int | None = None
    case_id: int | None = None
    subject: models.Model | None = None
    subject_type: str = ""
    subject_id: str = ""
    subject_label: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


def _row(entry: Entry) -> AuditRecord:
    return AuditRecord(**_row_fields(entry))


def _lock_heads(chains: Iterable[int]) -> dict[int, AuditChainHead]:
    wanted = sorted(set(chains))
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(chain=chain, seq=0, hash=GENESIS) for chain in wanted], ignore_conflicts=True
    )
    # Lock in chain order, so that two writers touching the same chains cannot deadlock.
    heads = AuditChainHead.objects.select_for_update().filter(chain__in=wanted).order_by("chain")
    return {head.chain: head for head in heads}


def _link(row: AuditRecord, head: AuditChainHead) -> None:
    row.seq = head.seq + 1
    row.prev_hash = head.hash
    row.hash = link_hash(
        prev_hash=head.hash,
        content=content_text(
            chain=row.chain,
            seq=row.seq,
            at=row.at,
            court_id=row.court_id,
            case_id=row.case_id,
            actor_id=row.actor_id,
            actor_label=row.actor_label,
            action=row.action,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            subject_label=row.subject_label,
            data=row.data,
        ),
    )
    head.seq, head.hash = row.seq, row.hash


def record_many(*, entries: list[Entry]) -> list[AuditRecord]:
    """
    Append ``entries`` to their courts' chains in one statement per table, in the caller's transaction.

    :raises AuditOutsideTransaction: when called outside ``transaction.atomic``
    :raises ValueError: for an action code not declared in ``zhixing.audit.actions``
    """
    if not entries:
        return []
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit records are written inside the service's transaction")
    rows = [_row(entry) for entry in entries]
    heads = _lock_heads(row.chain for row in rows)
    for row in rows:
        _link(row, heads[row.chain])
    AuditRecord.objects.bulk_create(rows)
    AuditChainHead.objects.bulk_update(heads.values(), ["seq", "hash"])
    return rows


_COPY_COLUMNS = (
    "chain", "seq", "at", "court_id", "case_id", "actor_id", "actor_label", "action",
    "subject_type", "subject_id", "subject_label", "data", "prev_hash", "hash",
)  # fmt: skip


def _copy_values(entry: Entry) -> list[Any]:
    """Return the row of ``entry`` as :func:`_row` builds it, as values in ``_COPY_COLUMNS`` order (no hashes yet)."""
    row = _row_fields(entry)
    return [row.get(column) for column in _COPY_COLUMNS]


def _row_fields(entry: Entry) -> dict[str, Any]:
    if entry.action not in ACTIONS:
        raise ValueError(f"undeclared audit action {entry.action!r}: declare it in zhixing/audit/actions.py")
    subject = entry.subject
    subject_type = entry.subject_type or (subject._meta.label_lower if subject is not None else "")
    subject_id = entry.subject_id or (str(subject.pk) if subject is not None else "")
    subject_label = entry.subject_label or (str(subject) if subject is not None else "")
    court_id = entry.court_id
    if court_id is None and subject is not None:
        court_id = getattr(subject, "court_id", None)
    payload: dict[str, Any] = dict(entry.data)
    if entry.before is not None:
        payload["before"] = dict(entry.before)
    if entry.after is not None:
        payload["after"] = dict(entry.after)
    actor = entry.actor
    return {
        "chain": court_id or 0,
        "at": entry.at,
        "court_id": court_id,
        "case_id": entry.case_id,
        "actor_id": getattr(actor, "pk", None),
        "actor_label": clean_label(actor if actor is not None else "系统", max_length=64),
        "action": entry.action,
        "subject_type": clean_label(subject_type, max_length=64),
        "subject_id": clean_label(subject_id, max_length=64),
        "subject_label": clean_label(subject_label, max_length=200),
        "data": canonical_json(payload),
    }


def record_bulk(*, entries: list[Entry]) -> int:
    """
    Append ``entries`` like :func:`record_many`, writing the rows with ``COPY`` on PostgreSQL; return how many.

    The fast path of bulk imports: the same rows, links and hashes as ``record_many`` (so ``chain_verify``
    checks them alike) and the same head locks, but the rows are plain tuples (no model instances), hashed
    in one pass per chain and streamed to ``COPY``. Other databases fall back to ``record_many``.

    :raises AuditOutsideTransaction: when called outside ``transaction.atomic``
    :raises ValueError: for an action code not declared in ``zhixing.audit.actions``
    """
    if connection.vendor != "postgresql":
        return len(record_many(entries=entries))
    if not entries:
        return 0
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit records are written inside the service's transaction")
    rows = [_copy_values(entry) for entry in entries]
    heads = _lock_heads(row[0] for row in rows)
    # The indexes of _COPY_COLUMNS: chain, seq, at, court_id, case_id, actor_id, actor_label, action,
    # subject_type, subject_id, subject_label, data, prev_hash, hash.
    for row in rows:
        head = heads[row[0]]
        seq, prev = head.seq + 1, head.hash
        row[1], row[12] = seq, prev
        row[13] = link_hash(
            prev_hash=prev,
            content=content_text(
                chain=row[0], seq=seq, at=row[2], court_id=row[3], case_id=row[4], actor_id=row[5],
                actor_label=row[6], action=row[7], subject_type=row[8], subject_id=row[9],
                subject_label=row[10], data=row[11],
            ),
        )  # fmt: skip
        head.seq, head.hash = seq, row[13]
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    connection.ensure_connection()
    sql = f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"  # constants only
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    AuditChainHead.objects.bulk_update(heads.values(), ["seq", "hash"])
    return len(rows)


def record(
    *,
    action: str,
    at: datetime,
    actor: Any = None,
    court_id: int | None = None,
    case_id: int | None = None,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str = "",
    subject_label: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """
    Append one act to its court's chain (chain 0 when no court), in the caller's transaction.

    ``court_id`` defaults to ``subject.court_id`` when the subject has one.

    :raises AuditOutsideTransaction: when called outside ``transaction.atomic``
    :raises ValueError: for an action code not declared in ``zhixing.audit.actions``
    """
    entry = Entry(
        action=action, at=at, actor=actor, court_id=court_id, case_id=case_id, subject=subject,
        subject_type=subject_type, subject_id=subject_id, subject_label=subject_label,
        before=before, after=after, data=data or {},
    )
    return record_many(entries=[entry])[0]


def chain_verify_record(*, at: datetime, actor_id: int | None = None, chain: int | None = None) -> VerificationReport:
    """
    Verify the chains (every one, or only ``chain``) and record the outcome as ``audit.chain.verified``.

    The verification reads outside any transaction (it must not hold the chains' heads while it walks
    them); the outcome is then appended to chain 0 in its own short transaction. ``actor_id`` is the
    person who asked for it (None for the daily job).
    """
    report = chain_verify(chain=chain)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    with transaction.atomic():
        record(
            action="audit.chain.verified",
            at=at,
            actor=actor,
            subject_type="audit.chain",
            subject_id="" if chain is None else str(chain),
            subject_label="全部审计链" if chain is None else f"审计链 {chain}",
            data={
                "ok": report.ok,
                "chains": report.chains,
                "records": report.records,
                "seconds": round(report.seconds, 3),
                "breaks": [{"chain": b.chain, "seq": b.seq, "problem": b.problem} for b in report.breaks],
            },
        )
    return report
