"""
Reads of the audit log: records of the readable courts, a case's timeline, the last verification.

The record list of the courts a person may read, one record, a case's timeline, and the outcome of the
last chain verification.

The audit app knows no domain app: a scope here is anything with ``readable_court_ids`` (the courts
app's ``CourtScope`` is one), and every read is narrowed to those courts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from django.db.models import Q, QuerySet
from django.http import Http404

from zhixing.audit.actions import action_label
from zhixing.audit.models import AuditRecord

#: Records per page of the list (the page is read with one query, by keyset).
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
VERIFIED_ACTION = "audit.chain.verified"


class ReadableScope(Protocol):
    """What the audit reads need to know of a person: the courts whose data they may read."""

    @property
    def readable_court_ids(self) -> frozenset[int]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One field of a record's before/after values, as text."""

    name: str
    before: str
    after: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordRow:
    """One audit record as the pages and the API show it."""

    id: int
    chain: int
    seq: int
    at: datetime
    court_id: int | None
    case_id: int | None
    actor_id: int | None
    actor_label: str
    action: str
    action_label: str
    subject_type: str
    subject_id: str
    subject_label: str
    changes: list[Change]
    details: list[tuple[str, str]]
    data: dict[str, Any]
    prev_hash: str
    hash: str

    @property
    def hash_short(self) -> str:
        """Return the first twelve hex digits of the hash, enough to tell records apart on screen."""
        return self.hash[:12]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordPage:
    """One page of records, newest first, and the cursor of the next page (None on the last one)."""

    rows: list[RecordRow]
    next_cursor: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class VerificationStatus:
    """The outcome of the last chain verification, from its own audit record."""

    at: datetime
    actor_label: str
    ok: bool
    chains: int
    records: int
    seconds: float
    breaks: list[dict[str, Any]] = field(default_factory=list)
    hidden_breaks: int = 0


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _row(values: dict[str, Any]) -> RecordRow:
    try:
        data = json.loads(values["data"]) if values["data"] else {}
    except ValueError:
        data = {"内容": values["data"]}
    if not isinstance(data, dict):
        data = {"内容": data}
    before = data.get("before") if isinstance(data.get("before"), dict) else {}
    after = data.get("after") if isinstance(data.get("after"), dict) else {}
    names = list(before) + [name for name in after if name not in before]
    changes = [Change(name=name, before=_text(before.get(name)), after=_text(after.get(name))) for name in names]
    details = [(key, _text(value)) for key, value in data.items() if key not in ("before", "after")]
    return RecordRow(
        **{key: values[key] for key in _FIELDS if key != "data"},
        action_label=action_label(values["action"]),
        changes=changes,
        details=details,
        data=data,
    )


_FIELDS = (
    "id", "chain", "seq", "at", "court_id", "case_id", "actor_id", "actor_label", "action",
    "subject_type", "subject_id", "subject_label", "data", "prev_hash", "hash",
)  # fmt: skip


def _readable(scope: ReadableScope) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(court_id__in=sorted(scope.readable_court_ids))


def cursor_encode(*, at: datetime, record_id: int) -> str:
    """Return the opaque keyset cursor that follows the record (``at``, ``record_id``)."""
    moment = at.astimezone(UTC)
    micros = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // _MICROSECOND
    return f"{micros}-{record_id}"


_MICROSECOND = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)


def cursor_decode(*, cursor: str) -> tuple[datetime, int]:
    """
    Return the (moment, record id) a keyset cursor names.

    :raises ValueError: when ``cursor`` is not one that ``cursor_encode`` made
    """
    micros, _, record_id = cursor.partition("-")
    if not micros.isdigit() or not record_id.isdigit() or len(micros) > 18 or len(record_id) > 18:
        raise ValueError("not an audit cursor")
    return datetime(1970, 1, 1, tzinfo=UTC) + int(micros) * _MICROSECOND, int(record_id)


def record_list(
    *,
    scope: ReadableScope,
    court_id: int | None = None,
    action: str | None = None,
    actor: str | None = None,
    case_id: int | None = None,
    from_at: datetime | None = None,
    to_at: datetime | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> RecordPage:
    """
    Return one page of the records ``scope`` may read, newest first, filtered (one query).

    ``actor`` is a person's id (digits) or part of their name; ``to_at`` is exclusive. ``cursor`` comes
    from the previous page's ``next_cursor``.

    :raises ValueError: for a malformed ``cursor``
    """
    records = _readable(scope)
    if court_id is not None:
        records = records.filter(court_id=court_id)
    if action:
        records = records.filter(action=action)
    if actor:
        by_actor = Q(actor_id=int(actor)) if actor.isdigit() else Q(actor_label__contains=actor)
        records = records.filter(by_actor)
    if case_id is not None:
        records = records.filter(case_id=case_id)
    if from_at is not None:
        records = records.filter(at__gte=from_at)
    if to_at is not None:
        records = records.filter(at__lt=to_at)
    if cursor:
        at, record_id = cursor_decode(cursor=cursor)
        records = records.filter(Q(at__lt=at) | Q(at=at, id__lt=record_id))
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    values = list(records.order_by("-at", "-id").values(*_FIELDS)[: limit + 1])
    rows = [_row(item) for item in values[:limit]]
    next_cursor = cursor_encode(at=rows[-1].at, record_id=rows[-1].id) if len(values) > limit else None
    return RecordPage(rows=rows, next_cursor=next_cursor)


def record_get(*, scope: ReadableScope, record_id: Any) -> RecordRow:
    """
    Return the record ``record_id`` if ``scope`` may read it.

    :raises Http404: when it does not exist or lies outside the readable courts (its existence is not revealed)
    """
    try:
        values = _readable(scope).values(*_FIELDS).get(pk=record_id)
    except (AuditRecord.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("未找到该对象，或您无权查看。") from error
    return _row(values)


def case_timeline(*, case_id: int, scope: ReadableScope) -> list[RecordRow]:
    """Return every record of case ``case_id`` that ``scope`` may read, oldest first (one query)."""
    return [_row(item) for item in _readable(scope).filter(case_id=case_id).order_by("at", "id").values(*_FIELDS)]


def verification_last(*, scope: ReadableScope | None = None) -> VerificationStatus | None:
    """
    Return the outcome of the last chain verification, or None if the chains were never verified.

    With ``scope``, only the breaks of chains of readable courts are listed; the others are counted in
    ``hidden_breaks``.
    """
    last = (
        AuditRecord.objects.filter(chain=0, action=VERIFIED_ACTION)
        .order_by("-seq")
        .values("at", "actor_label", "data")
        .first()
    )
    if last is None:
        return None
    data = json.loads(last["data"]) if last["data"] else {}
    breaks = list(data.get("breaks", []))
    visible = breaks if scope is None else [b for b in breaks if b.get("chain") in scope.readable_court_ids]
    return VerificationStatus(
        at=last["at"],
        actor_label=last["actor_label"],
        ok=bool(data.get("ok")),
        chains=int(data.get("chains", 0)),
        records=int(data.get("records", 0)),
        seconds=float(data.get("seconds", 0)),
        breaks=visible,
        hidden_breaks=len(breaks) - len(visible),
    )
