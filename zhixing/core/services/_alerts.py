"""
Alerts (提醒): raising them one by one, from drafts or from a SELECT; reading and resolving them.

Alerts are notices, not case state: raising and reading them are not audited; resolving one by a
person is. ``dedupe_key`` is unique and every insert skips an existing key, so a sweep run twice
raises each alert once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction

from zhixing.audit.services import record
from zhixing.core.alerts import alert_kind_get
from zhixing.core.choices import AlertSeverity
from zhixing.core.errors import NotAllowed, ValidationFailed
from zhixing.core.models import Alert

#: The columns a SELECT given to :func:`alerts_insert_select` lists, in this order.
ALERT_COLUMNS: tuple[str, ...] = (
    "court_id", "case_id", "kind", "severity", "recipient_id", "recipient_role", "title", "body",
    "subject_type", "subject_id", "due_on", "created_at", "dedupe_key",
)  # fmt: skip
_BATCH = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertDraft:
    """One alert for :func:`alert_raise_many`; the fields mean what the arguments of :func:`alert_raise` do."""

    court_id: int
    kind: str
    title: str
    dedupe_key: str
    case_id: int | None = None
    recipient: Any = None
    recipient_id: int | None = None  # instead of ``recipient``, when the caller has only the id
    recipient_role: str = ""
    body: str = ""
    subject_type: str = ""
    subject_id: str = ""
    due_on: date | None = None
    severity: AlertSeverity | str | None = None


def alert_row(draft: AlertDraft, *, at: datetime) -> Alert:
    """
    Return the unsaved alert ``draft`` describes, raised at ``at``, with the kind's severity by default.

    :raises ValueError: for an unregistered kind, no recipient and no role, or a missing title or key
    """
    kind = alert_kind_get(draft.kind)
    if kind is None:
        raise ValueError(f"unregistered alert kind {draft.kind!r}: register it with zhixing.core.alerts")
    recipient_id = getattr(draft.recipient, "pk", None) or draft.recipient_id
    if recipient_id is None and not draft.recipient_role:
        raise ValueError("an alert needs a recipient or a recipient role")
    if not draft.dedupe_key or len(draft.dedupe_key) > Alert._meta.get_field("dedupe_key").max_length:
        raise ValueError(f"alert dedupe key {draft.dedupe_key!r} must be 1 to 160 characters")
    title = draft.title.strip()
    if not title:
        raise ValueError("an alert needs a title")
    return Alert(
        court_id=draft.court_id,
        case_id=draft.case_id,
        kind=kind.code,
        severity=AlertSeverity(draft.severity or kind.severity),
        recipient_id=recipient_id,
        recipient_role=draft.recipient_role,
        title=title if len(title) <= 200 else title[:199] + "…",
        body=draft.body,
        subject_type=draft.subject_type,
        subject_id=str(draft.subject_id),
        due_on=draft.due_on,
        created_at=at,
        dedupe_key=draft.dedupe_key,
    )


def alerts_insert(rows: list[Alert]) -> list[Alert]:
    """
    Insert ``rows`` with ``ON CONFLICT (dedupe_key) DO NOTHING``; return the rows inserted, with their ids.

    One statement per batch on both PostgreSQL and SQLite (3.35+), so a sweep run twice, or two sweeps at
    once, insert each alert once without an error to recover from.
    """
    by_key: dict[str, Alert] = {}
    for row in rows:
        by_key.setdefault(row.dedupe_key, row)
    unique = list(by_key.values())
    fields = [field for field in Alert._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table, pk, key = quote(Alert._meta.db_table), quote(Alert._meta.pk.column), quote("dedupe_key")
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    inserted: set[str] = set()
    for start in range(0, len(unique), _BATCH):
        batch = unique[start : start + _BATCH]
        params = [field.get_db_prep_save(getattr(row, field.attname), connection) for row in batch for field in fields]
        values = ", ".join([row_sql] * len(batch))
        # Table and column names come from the model; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT ({key}) DO NOTHING RETURNING {pk}, {key}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        for row_id, dedupe_key in returned:
            row = by_key[dedupe_key]
            row.pk = row_id
            row._state.adding = False
            row._state.db = connection.alias
            inserted.add(dedupe_key)
    return [row for row in unique if row.dedupe_key in inserted]  # in the order given


@transaction.atomic
def alert_raise(
    *,
    court_id: int,
    kind: str,
    title: str,
    at: datetime,
    dedupe_key: str,
    case_id: int | None = None,
    recipient: Any = None,
    recipient_role: str = "",
    body: str = "",
    subject_type: str = "",
    subject_id: str = "",
    due_on: date | None = None,
    severity: AlertSeverity | str | None = None,
) -> Alert | None:
    """
    Raise an alert to ``recipient``, or to every holder of ``recipient_role`` in the court; not audited.

    ``severity`` defaults to the kind's. Raising a ``dedupe_key`` that exists already adds nothing.

    :return: the new alert, or None when an alert with ``dedupe_key`` exists already
    :raises ValueError: for an unregistered kind, no recipient and no role, or a missing title or key
    """
    draft = AlertDraft(
        court_id=court_id, kind=kind, title=title, dedupe_key=dedupe_key, case_id=case_id, recipient=recipient,
        recipient_role=recipient_role, body=body, subject_type=subject_type, subject_id=subject_id,
        due_on=due_on, severity=severity,
    )  # fmt: skip
    inserted = alerts_insert([alert_row(draft, at=at)])
    return inserted[0] if inserted else None


@transaction.atomic
def alert_raise_many(*, alerts: Sequence[AlertDraft], at: datetime) -> list[Alert]:
    """
    Raise ``alerts`` set-based (a periodic sweep); those whose ``dedupe_key`` exists already are skipped.

    :return: the alerts inserted, with their ids
    :raises ValueError: as :func:`alert_raise`, before anything is inserted
    """
    rows = [alert_row(draft, at=at) for draft in alerts]
    return alerts_insert(rows)


def _db_param(value: Any) -> Any:
    # A datetime or date as the database stores it (SQLite keeps UTC text), so raw SQL compares alike.
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


@transaction.atomic
def alerts_insert_select(*, select_sql: str, params: Sequence[Any]) -> int:
    """
    Raise the alerts a SELECT yields, in one statement, skipping every ``dedupe_key`` that exists; not audited.

    For set-based sweeps: ``select_sql`` lists :data:`ALERT_COLUMNS` in order, with ``%s`` placeholders
    for ``params`` (datetimes and dates are adapted as the database stores them). The caller keeps to
    the rules :func:`alert_raise` checks: a registered kind, a valid severity, a recipient or a role
    (the table's check constraint refuses a row with neither).

    :return: how many alerts were inserted
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in ALERT_COLUMNS)
    if connection.vendor == "sqlite":
        # SQLite would read ``ON CONFLICT`` after a join as the join's ``ON``: select from a sub-select.
        select_sql = f"SELECT * FROM ({select_sql}) AS raised WHERE true"  # noqa: S608 — the caller's SQL
    # PostgreSQL types a bare NULL or literal by the column it is inserted into, only at the top level.
    sql = (
        f"INSERT INTO {quote(Alert._meta.db_table)} ({columns}) {select_sql} "
        f"ON CONFLICT ({quote('dedupe_key')}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_db_param(value) for value in params])
        return max(cursor.rowcount, 0)


@transaction.atomic
def alert_mark_read(
    *,
    alert_id: int,
    user: Any,
    at: datetime,
    user_roles: frozenset[str] = frozenset(),
    user_court_id: int | None = None,
) -> Alert:
    """
    Mark an alert read by ``user``; the first reading is kept. Not audited.

    A personal alert may be marked by its recipient; an alert to a role by a holder of that role
    (``user_roles``) in the alert's court (``user_court_id``).

    :raises NotAllowed: when the alert is not addressed to ``user``
    :raises Alert.DoesNotExist: for an unknown alert
    """
    alert = Alert.objects.get(pk=alert_id)
    if alert.recipient_id is not None:
        addressed = alert.recipient_id == user.pk
    else:
        addressed = alert.court_id == user_court_id and alert.recipient_role in user_roles
    if not addressed:
        raise NotAllowed("这条提醒不是发给您的。")
    if Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=at):
        alert.read_at = at
    else:
        alert.refresh_from_db(fields=["read_at"])
    return alert


@transaction.atomic
def alert_resolve(*, alert_id: int, reason: str, at: datetime, actor: Any = None) -> Alert:
    """
    Resolve an alert (the matter it reported is dealt with); audited when a person (``actor``) resolves it.

    Resolving a resolved alert changes and records nothing. Who may resolve is the caller's guard.

    :raises ValidationFailed: for a blank reason
    :raises Alert.DoesNotExist: for an unknown alert
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写消除提醒的原因。", fields={"reason": "必填"})
    alert = Alert.objects.select_for_update().get(pk=alert_id)
    if alert.resolved_at is not None:
        return alert
    alert.resolved_at = at
    alert.resolved_reason = reason[:200]
    alert.save(update_fields=["resolved_at", "resolved_reason"])
    if actor is not None:
        record(
            action="core.alert.resolved",
            at=at,
            actor=actor,
            court_id=alert.court_id,
            case_id=alert.case_id,
            subject=alert,
            data={"kind": alert.kind, "reason": alert.resolved_reason},
        )
    return alert


@transaction.atomic
def alert_resolve_many(*, dedupe_keys: Iterable[str], reason: str, at: datetime) -> int:
    """
    Resolve the open alerts with these keys, set-based (the system noticed the matter is dealt with); not audited.

    :return: how many alerts were resolved
    """
    keys = sorted(set(dedupe_keys))
    resolved = 0
    for start in range(0, len(keys), _BATCH):
        resolved += Alert.objects.filter(dedupe_key__in=keys[start : start + _BATCH], resolved_at__isnull=True).update(
            resolved_at=at, resolved_reason=reason[:200]
        )
    return resolved


@transaction.atomic
def alerts_resolve_subject(
    *,
    reason: str,
    at: datetime,
    case_id: int | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    kind: str | None = None,
) -> int:
    """
    Resolve the open alerts of a case, of a subject, or of a kind within them, set-based; not audited.

    For the system noticing that the matter is dealt with (a node done, a case closed).

    :return: how many alerts were resolved
    :raises ValueError: when neither a case nor a subject is given
    """
    if case_id is None and subject_type is None:
        raise ValueError("resolve the alerts of a case or of a subject, not of everything")
    alerts = Alert.objects.filter(resolved_at__isnull=True)
    if case_id is not None:
        alerts = alerts.filter(case_id=case_id)
    if subject_type is not None:
        alerts = alerts.filter(subject_type=subject_type)
    if subject_id is not None:
        alerts = alerts.filter(subject_id=str(subject_id))
    if kind is not None:
        alerts = alerts.filter(kind=kind)
    return alerts.update(resolved_at=at, resolved_reason=reason[:200])
