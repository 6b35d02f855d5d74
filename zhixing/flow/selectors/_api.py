"""
Reads the flow API needs beyond the pages'.

Keyset pages of open nodes and of the ledger, one node or alert in the reader's scope, the transfer
history of a case, the advance edges open to it, the current model with its pools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhixing.cases.models import Case
from zhixing.core.models import Alert
from zhixing.courts.access import CourtScope, scoped, scoped_get
from zhixing.courts.models import Team
from zhixing.flow.choices import NodeStatus
from zhixing.flow.models import (
    NodeInstance,
    OverdueLedgerEntry,
    PointsEntry,
    RoutingModel,
    Stage,
    StageEdge,
    StageVisit,
)
from zhixing.flow.rules.graph import routing_class
from zhixing.flow.selectors._board import ledger_entries
from zhixing.flow.selectors._progress import _STATE_LABELS, _rule_text, _state

MAX_PAGE_SIZE = 200


# --- keyset cursors on (day, id) -------------------------------------------------------------------------


def day_cursor_encode(*, day: date, row_id: int) -> str:
    """Return the opaque cursor of the page that follows the row (``day``, ``row_id``)."""
    return f"{day:%Y%m%d}-{row_id}"


def day_cursor_decode(*, cursor: str) -> tuple[date, int]:
    """
    Return the (day, id) a cursor names.

    :raises ValueError: when ``cursor`` is not one ``day_cursor_encode`` made
    """
    day, _, row_id = cursor.partition("-")
    if len(day) != 8 or not day.isdigit() or not row_id.isdigit() or len(row_id) > 18:
        raise ValueError("not a flow cursor")
    return date(int(day[:4]), int(day[4:6]), int(day[6:])), int(row_id)


def _after(query: QuerySet, *, field: str, after: str | None) -> QuerySet:
    if not after:
        return query
    day, row_id = day_cursor_decode(cursor=after)
    return query.filter(Q(**{f"{field}__gt": day}) | Q(**{field: day, "id__gt": row_id}))


# --- open nodes ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenNodeRow:
    """One open node of the court's list, with its case."""

    id: int
    key: str
    code: str
    name: str
    phase: str
    case_id: int
    case_number: str
    executor_id: int | None
    executor_name: str
    anchor_on: date
    warn_on: date
    due_on: date
    rule: str
    urgent: bool
    state: str  # open / warning / overdue / paused
    state_label: str
    can_complete: bool


@dataclass(frozen=True, slots=True)
class NodePage:
    """One page of open nodes, soonest due first; ``next_cursor`` is None on the last page."""

    rows: list[OpenNodeRow]
    next_cursor: str | None


def open_nodes_page(
    *,
    court_id: int,
    today: date,
    state: str = "",
    due_before: date | None = None,
    executor: Any = None,
    after: str | None = None,
    limit: int = 50,
) -> NodePage:
    """
    Return one page of court ``court_id``'s open nodes by (due day, id), in two queries.

    ``state`` "overdue" keeps the running nodes past their due day, "open" the others (in time, or
    paused with the execution period); ``due_before`` keeps those due before that day; ``executor``
    those of the cases a person holds. ``after`` is the previous page's ``next_cursor``.

    :raises ValueError: for a malformed ``after``
    """
    size = max(1, min(limit, MAX_PAGE_SIZE))
    query = NodeInstance.objects.filter(court_id=court_id, status=NodeStatus.OPEN)
    overdue = Q(due_on__lt=today, paused_on__isnull=True)
    if state == "overdue":
        query = query.filter(overdue)
    elif state == "open":
        query = query.exclude(overdue)
    if due_before is not None:
        query = query.filter(due_on__lt=due_before)
    if executor is not None:
        query = query.filter(case__executor=executor)
    query = _after(query, field="due_on", after=after)
    nodes = list(query.select_related("node_type", "case", "case__executor").order_by("due_on", "id")[: size + 1])
    more = len(nodes) > size
    nodes = nodes[:size]
    rows = []
    for node in nodes:
        node_state = _state(node, today)
        executor_person = node.case.executor
        rows.append(
            OpenNodeRow(
                id=node.pk,
                key=node.key,
                code=node.node_type.code,
                name=node.node_type.name,
                phase=node.node_type.phase,
                case_id=node.case_id,
                case_number=node.case.number,
                executor_id=node.case.executor_id,
                executor_name=(executor_person.name or executor_person.username) if executor_person else "",
                anchor_on=node.anchor_on,
                warn_on=node.warn_on,
                due_on=node.due_on,
                rule=_rule_text(node),
                urgent=node.urgent,
                state=node_state,
                state_label=_STATE_LABELS[node_state],
                can_complete=node.node_type.evidence != "none",
            )
        )
    last = nodes[-1] if more else None
    return NodePage(
        rows=rows, next_cursor=day_cursor_encode(day=last.due_on, row_id=last.pk) if last is not None else None
    )


def node_get(*, scope: CourtScope, node_id: int) -> NodeInstance:
    """
    Return node ``node_id`` with its type and case, if ``scope`` may read it.

    :raises Http404: when it does not exist or lies outside the readable courts
    """
    return scoped_get(NodeInstance.objects.select_related("node_type", "case"), scope=scope, pk=node_id)


def nodes_by_keys(*, case: Case, keys: Sequence[str]) -> list[NodeInstance]:
    """Return the nodes of ``case`` with ``keys``, in the order of ``keys``."""
    found = {n.key: n for n in NodeInstance.objects.filter(case=case, key__in=list(keys)).select_related("node_type")}
    return [found[key] for key in keys if key in found]


# --- moving a case ---------------------------------------------------------------------------------------


def advance_edges_available(*, case: Case, edges: Iterable[StageEdge]) -> list[StageEdge]:
    """Return the advance edges of ``edges`` open to ``case``'s class (an unclassified case goes as complex)."""
    triage = routing_class(case.triage_class)
    return [edge for edge in edges if edge.triage_class in ("", triage)]


@dataclass(frozen=True, slots=True)
class PointsMove:
    """One entry of the points ledger on a stage visit (前减后加)."""

    points: int
    reason: str
    team_name: str
    user_name: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TransferRow:
    """One stage visit of a case: who held it when, how it began and ended, and the points it moved."""

    id: int
    stage_code: str
    stage_name: str
    team_id: int | None
    team_name: str
    holder_id: int | None
    holder_name: str
    entry: str
    entry_label: str
    edge_label: str
    sideways_index: int
    entered_at: datetime
    starts_on: date
    limit_amount: int | None
    limit_unit: str
    warn_on: date | None
    due_on: date | None
    paused_on: date | None
    paused_days: int
    warned_at: datetime | None
    timed_out_at: datetime | None
    left_at: datetime | None
    exit: str
    exit_label: str
    points: int
    points_moved: list[PointsMove]
    is_current: bool


def _person(user: Any) -> str:
    return (user.name or user.username) if user is not None else ""


def case_transfers(*, case: Case, visit_ids: Sequence[int] | None = None) -> list[TransferRow]:
    """Return ``case``'s stage visits (or the given ones), oldest first, with their points entries, in two queries."""
    visits = StageVisit.objects.filter(case=case).select_related("stage", "team", "holder", "via_edge")
    entries = PointsEntry.objects.filter(case=case).select_related("team", "user")
    if visit_ids is not None:
        visits = visits.filter(pk__in=list(visit_ids))
        entries = entries.filter(visit_id__in=list(visit_ids))
    moved: dict[int, list[PointsMove]] = defaultdict(list)
    for entry in entries.order_by("at", "id"):
        moved[entry.visit_id].append(
            PointsMove(
                points=entry.points,
                reason=entry.reason,
                team_name=entry.team.name if entry.team else "",
                user_name=_person(entry.user),
                at=entry.at,
            )
        )
    return [
        TransferRow(
            id=v.pk,
            stage_code=v.stage.code,
            stage_name=v.stage.name,
            team_id=v.team_id,
            team_name=v.team.name if v.team else "",
            holder_id=v.holder_id,
            holder_name=_person(v.holder),
            entry=v.entry,
            entry_label=v.get_entry_display(),
            edge_label=v.via_edge.label if v.via_edge else "",
            sideways_index=v.sideways_index,
            entered_at=v.entered_at,
            starts_on=v.starts_on,
            limit_amount=v.limit_amount,
            limit_unit=v.limit_unit,
            warn_on=v.warn_on,
            due_on=v.due_on,
            paused_on=v.paused_on,
            paused_days=v.paused_days,
            warned_at=v.warned_at,
            timed_out_at=v.timed_out_at,
            left_at=v.left_at,
            exit=v.exit,
            exit_label=v.get_exit_display() if v.exit else "",
            points=v.points,
            points_moved=moved.get(v.pk, []),
            is_current=v.left_at is None,
        )
        for v in visits.order_by("entered_at", "id")
    ]


# --- the ledger ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LedgerPage:
    """One page of the 超6个月 ledger, oldest due first; ``next_cursor`` is None on the last page."""

    rows: list[OverdueLedgerEntry]
    next_cursor: str | None


def ledger_page(
    *, court_ids: frozenset[int] | set[int], status: str = "", after: str | None = None, limit: int = 50
) -> LedgerPage:
    """
    Return one page of the 超6个月 ledger of ``court_ids`` by (due day, id), in one query.

    :raises ValueError: for a malformed ``after``
    """
    size = max(1, min(limit, MAX_PAGE_SIZE))
    entries = list(_after(ledger_entries(court_ids=court_ids, status=status), field="due_on", after=after)[: size + 1])
    more = len(entries) > size
    entries = entries[:size]
    last = entries[-1] if more else None
    return LedgerPage(
        rows=entries, next_cursor=day_cursor_encode(day=last.due_on, row_id=last.pk) if last is not None else None
    )


# --- alerts ----------------------------------------------------------------------------------------------


def alert_addressed_get(*, user: Any, court_id: int, roles: Iterable[str], alert_id: int) -> Alert:
    """
    Return alert ``alert_id`` if it is addressed to ``user``, or to one of ``roles`` in ``court_id``.

    :raises Alert.DoesNotExist: otherwise (whether it exists is not revealed)
    """
    addressed = Q(recipient_id=user.pk)
    if roles:
        addressed |= Q(recipient__isnull=True, court_id=court_id, recipient_role__in=sorted(roles))
    return Alert.objects.filter(addressed).get(pk=alert_id)


def case_numbers(*, scope: CourtScope, case_ids: Iterable[int | None]) -> dict[int, str]:
    """Return the 案号 of the given cases ``scope`` may read, by id (one query)."""
    ids = sorted({case_id for case_id in case_ids if case_id is not None})
    if not ids:
        return {}
    return dict(scoped(Case.objects.filter(pk__in=ids), scope=scope).values_list("pk", "number"))


# --- the routing model -----------------------------------------------------------------------------------


_POOL = Prefetch("teams", queryset=Team.objects.order_by("id"))


def routing_model_detail(*, court_id: int) -> RoutingModel | None:
    """Return the court's current routing model with its stages (and their pools) and edges, in four queries."""
    return (
        RoutingModel.objects.filter(court_id=court_id, is_current=True)
        .prefetch_related(
            Prefetch("stages", queryset=Stage.objects.prefetch_related(_POOL).order_by("order", "id")),
            Prefetch("edges", queryset=StageEdge.objects.select_related("source", "target").order_by("order", "id")),
        )
        .first()
    )
