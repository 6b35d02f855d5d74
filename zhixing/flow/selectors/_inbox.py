"""
Reads of one case's progress panel and of one person's work: alerts, today's nodes, approvals.

- ``case_progress_panel``: the progress table (``case_progress``) with what its actions offer — the
  advance edges open to the case's class, the case's documents, the holding team's people, the
  approvals asked for the case.
- ``alert_inbox_page``: a person's alerts with their kind labels and case numbers, and the unread count.
- ``today_work``: the open nodes of the cases a person holds, due within a few days or overdue, grouped.
- ``approvals_page``: the approvals waiting for a person's roles in their court, and those they asked for.

The caller has checked the reader's scope (the case was fetched with ``scoped_get``; the person's own
alerts and approvals are theirs by construction).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch

from zhixing.cases.models import Case
from zhixing.core.alerts import alert_kind_label
from zhixing.core.approvals import approval_kind_label
from zhixing.core.choices import AlertSeverity, ApprovalStatus
from zhixing.core.models import Approval, ApprovalDecision
from zhixing.core.selectors import alert_inbox, alert_unread_count, approvals_pending_for
from zhixing.courts.access import CourtScope, role_holders
from zhixing.courts.choices import Role
from zhixing.courts.models import User
from zhixing.documents.models import GeneratedDocument
from zhixing.flow.choices import EdgeTrigger, NodePhase, StageHolder
from zhixing.flow.models import NodeInstance, StageEdge, StageVisit
from zhixing.flow.selectors._api import advance_edges_available
from zhixing.flow.selectors._board import my_open_nodes
from zhixing.flow.selectors._progress import NodeRow, Progress, _rule_text, case_progress

#: The colour (``badge`` class) of each node state of the progress table.
NODE_TONES = {
    "done": "ok",
    "done_late": "warn",
    "open": "",
    "warning": "warn",
    "overdue": "bad",
    "paused": "",
    "cancelled": "",
}
#: The colour of each alert severity.
SEVERITY_TONES = {
    AlertSeverity.INFO: "",
    AlertSeverity.WARNING: "warn",
    AlertSeverity.OVERDUE: "bad",
    AlertSeverity.CRITICAL: "bad",
}
#: The colour of each approval status.
APPROVAL_TONES = {
    ApprovalStatus.PENDING: "warn",
    ApprovalStatus.APPROVED: "ok",
    ApprovalStatus.REJECTED: "bad",
    ApprovalStatus.WITHDRAWN: "",
}


# --- the progress panel ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PanelNode:
    """One node of the progress table, with its colour and its evidence in words."""

    row: NodeRow
    tone: str
    evidence: str

    @property
    def takes_document(self) -> bool:
        """Return whether completing the node may name a document of the case."""
        return self.row.evidence_kind in ("document", "any")

    @property
    def takes_measure(self) -> bool:
        """Return whether completing the node may name a measure."""
        return self.row.evidence_kind in ("measure", "any")

    @property
    def takes_note(self) -> bool:
        """Return whether completing the node may rest on a work note."""
        return self.row.evidence_kind in ("note", "any")


@dataclass(frozen=True, slots=True)
class ApprovalLine:
    """One approval as the pages list it: its kind, the step it waits for, its colour and its decisions."""

    approval: Approval
    kind_label: str
    step_label: str
    tone: str
    case_number: str
    decisions: list[ApprovalDecision]


@dataclass(frozen=True, slots=True)
class CurrentStage:
    """What the actions on a case's current stage offer: where it may go, and who of the holding team may hold it."""

    advance_edges: list[StageEdge]
    team_id: int | None
    team_name: str
    team_members: list[Any]
    holder_id: int | None


@dataclass(frozen=True, slots=True)
class ProgressPanel:
    """The progress table of one case and what its actions offer."""

    progress: Progress
    nodes: list[PanelNode]
    current: CurrentStage
    documents: list[tuple[int, str]]
    approvals: list[ApprovalLine]

    @property
    def case(self) -> Case:
        """Return the case."""
        return self.progress.case

    @property
    def has_pending_extension(self) -> bool:
        """Return whether an extension of the execution period waits for approval."""
        return any(
            line.approval.kind == "flow.period_extension" and line.approval.status == ApprovalStatus.PENDING
            for line in self.approvals
        )


def _document_label(document: GeneratedDocument) -> str:
    when = document.generated_at.date().isoformat() if document.generated_at else ""
    addressee = f"（{document.addressee}）" if document.addressee else ""
    return f"{document.title}{addressee} {when}".strip()


def _step_label(approval: Approval) -> str:
    role = str(Role(approval.current_role).label) if approval.current_role in Role.values else approval.current_role
    return f"{approval.current_court.name}{role}"


def _approval_lines(approvals: Sequence[Approval], *, numbers: dict[int, str]) -> list[ApprovalLine]:
    return [
        ApprovalLine(
            approval=approval,
            kind_label=approval_kind_label(approval.kind),
            step_label=_step_label(approval),
            tone=APPROVAL_TONES.get(approval.status, ""),
            case_number=numbers.get(approval.case_id, "") if approval.case_id else "",
            decisions=list(approval.decisions.all()),
        )
        for approval in approvals
    ]


_DECISIONS = Prefetch(
    "decisions",
    queryset=ApprovalDecision.objects.select_related("decided_by", "court").order_by("step", "at", "id"),
)


def _team_members(*, court_id: int, team_id: int, leader_id: int | None, today: date) -> list[Any]:
    """Return the executors and leaders of the team today, its leader first (whom ``visit_assign`` accepts)."""
    people: dict[int, Any] = {}
    for role in (Role.EXECUTOR, Role.TEAM_LEADER):
        for person in role_holders(court_id=court_id, role=role, today=today, team_id=team_id):
            people.setdefault(person.pk, person)
    if leader_id is not None and leader_id not in people:
        leader = User.objects.filter(pk=leader_id, is_active=True).first()
        if leader is not None:
            people[leader.pk] = leader
    return sorted(people.values(), key=lambda p: (p.pk != leader_id, p.pk))


def case_document_choices(*, case: Case) -> list[tuple[int, str]]:
    """Return the documents generated for ``case``, newest first, as (id, label) choices (one query)."""
    return [
        (document.pk, _document_label(document))
        for document in GeneratedDocument.objects.filter(case_id=case.pk, court_id=case.court_id).order_by(
            "-generated_at", "-id"
        )
    ]


def case_current_stage(*, case: Case, today: date) -> CurrentStage:
    """
    Return the advance edges of ``case``'s current stage open to its class, and the holding team's people.

    The people are the team's executors and leader when a team holds the stage (a lift stage names one
    person, and nobody is assigned there).
    """
    visit = StageVisit.objects.filter(case=case, left_at__isnull=True).select_related("stage", "team").first()
    if visit is None:
        return CurrentStage(advance_edges=[], team_id=None, team_name="", team_members=[], holder_id=None)
    edges = (
        StageEdge.objects.filter(source_id=visit.stage_id, trigger=EdgeTrigger.ADVANCE)
        .select_related("target")
        .order_by("order", "id")
    )
    team_id, team_name, members = None, "", []
    if visit.team is not None and visit.stage.holder == StageHolder.TEAM:
        team_id, team_name = visit.team_id, visit.team.name
        members = _team_members(court_id=case.court_id, team_id=team_id, leader_id=visit.team.leader_id, today=today)
    return CurrentStage(
        advance_edges=advance_edges_available(case=case, edges=edges),
        team_id=team_id,
        team_name=team_name,
        team_members=members,
        holder_id=visit.holder_id,
    )


def case_progress_panel(*, case: Case, today: date) -> ProgressPanel:
    """Return ``case``'s progress table with what its actions offer (the caller has checked the scope)."""
    progress = case_progress(case=case, today=today)
    titles = {
        node_id: f"{title}（{addressee}）" if addressee else title
        for node_id, title, addressee in NodeInstance.objects.filter(
            case=case, evidence_document__isnull=False
        ).values_list("pk", "evidence_document__title", "evidence_document__addressee")
    }
    nodes = [
        PanelNode(row=row, tone=NODE_TONES.get(row.state, ""), evidence=titles.get(row.id) or row.evidence)
        for row in progress.nodes
    ]
    current = case_current_stage(case=case, today=today)
    approvals = list(
        Approval.objects.filter(case_id=case.pk, court_id=case.court_id)
        .select_related("current_court", "requested_by")
        .prefetch_related(_DECISIONS)
        .order_by("-requested_at", "-id")
    )
    return ProgressPanel(
        progress=progress,
        nodes=nodes,
        current=current,
        documents=case_document_choices(case=case),
        approvals=_approval_lines(approvals, numbers={case.pk: case.number}),
    )


# --- the alert inbox -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One alert of a person's inbox."""

    id: int
    kind: str
    kind_label: str
    severity_label: str
    tone: str
    title: str
    body: str
    case_id: int | None
    case_number: str
    due_on: date | None
    created_at: datetime
    is_read: bool
    resolved_at: datetime | None
    resolved_reason: str


@dataclass(frozen=True, slots=True)
class Inbox:
    """A person's alerts, newest first, and how many open ones nobody has read."""

    rows: list[InboxRow]
    unread: int
    include_resolved: bool


def _roles(scope: CourtScope) -> frozenset[str]:
    return frozenset(str(role) for role in scope.roles)


def _case_numbers(case_ids: Iterable[int | None], *, court_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted({case_id for case_id in case_ids if case_id is not None})
    if not ids:
        return {}
    return dict(Case.objects.filter(pk__in=ids, court_id__in=sorted(court_ids)).values_list("pk", "number"))


def alert_inbox_page(*, scope: CourtScope, user: Any, include_resolved: bool = False) -> Inbox:
    """Return ``user``'s alerts in ``scope``'s court (to them, or to one of their roles), newest first."""
    if scope.court is None:
        return Inbox(rows=[], unread=0, include_resolved=include_resolved)
    court_id, roles = scope.court.pk, _roles(scope)
    alerts = alert_inbox(user=user, court_id=court_id, roles=roles, include_resolved=include_resolved)
    numbers = _case_numbers((a.case_id for a in alerts), court_ids=scope.readable_court_ids)
    rows = [
        InboxRow(
            id=alert.pk,
            kind=alert.kind,
            kind_label=alert_kind_label(alert.kind),
            severity_label=str(AlertSeverity(alert.severity).label),
            tone=SEVERITY_TONES.get(alert.severity, ""),
            title=alert.title,
            body=alert.body,
            case_id=alert.case_id if alert.case_id in numbers else None,
            case_number=numbers.get(alert.case_id, "") if alert.case_id else "",
            due_on=alert.due_on,
            created_at=alert.created_at,
            is_read=alert.read_at is not None,
            resolved_at=alert.resolved_at,
            resolved_reason=alert.resolved_reason,
        )
        for alert in alerts
    ]
    unread = alert_unread_count(user=user, court_id=court_id, roles=roles)
    return Inbox(rows=rows, unread=unread, include_resolved=include_resolved)


# --- today's work ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TodayNode:
    """One open node of today's work: its case, rule and how far its due day is."""

    id: int
    case_id: int
    case_number: str
    name: str
    phase_label: str
    rule: str
    anchor_on: date
    due_on: date
    days: int  # due_on − today: negative when overdue
    legal_basis: str

    @property
    def days_overdue(self) -> int:
        """Return how many days the node is past its due day."""
        return -self.days


@dataclass(frozen=True, slots=True)
class TodayWork:
    """A person's open nodes due within ``within_days`` or overdue, grouped: overdue, due today, the next days."""

    today: date
    within_days: int
    overdue: list[TodayNode] = field(default_factory=list)
    due_today: list[TodayNode] = field(default_factory=list)
    upcoming: list[TodayNode] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return how many nodes the page lists."""
        return len(self.overdue) + len(self.due_today) + len(self.upcoming)


def today_work(*, user: Any, court_id: int, today: date, within_days: int = 3) -> TodayWork:
    """Return ``user``'s open nodes in court ``court_id`` due by ``today`` + ``within_days`` or overdue, grouped."""
    work = TodayWork(today=today, within_days=within_days)
    for node in my_open_nodes(user=user, court_id=court_id, today=today, within_days=within_days):
        item = TodayNode(
            id=node.pk,
            case_id=node.case_id,
            case_number=node.case.number,
            name=node.node_type.name,
            phase_label=str(NodePhase(node.node_type.phase).label),
            rule=_rule_text(node),
            anchor_on=node.anchor_on,
            due_on=node.due_on,
            days=(node.due_on - today).days,
            legal_basis=node.node_type.legal_basis,
        )
        if item.days < 0:
            work.overdue.append(item)
        elif item.days == 0:
            work.due_today.append(item)
        else:
            work.upcoming.append(item)
    return work


# --- approvals -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApprovalsPage:
    """The approvals waiting for a person's roles in their court, and those the person asked for."""

    pending: list[ApprovalLine]
    requested: list[ApprovalLine]


def approvals_page(*, scope: CourtScope, user: Any, limit: int = 50) -> ApprovalsPage:
    """Return the approvals waiting for ``scope``'s roles in its court, and those ``user`` asked for."""
    pending: list[Approval] = []
    if scope.court is not None:
        pending = approvals_pending_for(court_id=scope.court.pk, roles=_roles(scope))
    pending_ids = [approval.pk for approval in pending]
    with_history = {
        approval.pk: approval
        for approval in Approval.objects.filter(pk__in=pending_ids)
        .select_related("court", "current_court", "requested_by")
        .prefetch_related(_DECISIONS)
    }
    pending = [with_history[pk] for pk in pending_ids if pk in with_history]
    requested = list(
        Approval.objects.filter(requested_by=user)
        .select_related("court", "current_court", "requested_by")
        .prefetch_related(_DECISIONS)
        .order_by("-requested_at", "-id")[:limit]
    )
    numbers = _case_numbers(
        (a.case_id for a in [*pending, *requested]),
        court_ids={a.court_id for a in [*pending, *requested]},
    )
    return ApprovalsPage(
        pending=_approval_lines(pending, numbers=numbers), requested=_approval_lines(requested, numbers=numbers)
    )
