"""The per-case progress table (执行进度表): every node done, due or overdue, the stages, the period clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zhixing.cases.models import Case
from zhixing.flow.choices import EdgeTrigger, NodePhase, NodeStatus
from zhixing.flow.models import CaseFlow, ExecutionPeriod, NodeInstance, PeriodExclusion, StageEdge, StageVisit


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One row of the progress table."""

    id: int
    key: str
    code: str
    name: str
    phase: str
    phase_label: str
    anchor_on: date
    due_on: date
    warn_on: date
    rule: str
    state: str  # done / done_late / open / warning / overdue / paused / cancelled
    state_label: str
    completed_at: Any
    completed_by: str
    evidence: str
    legal_basis: str
    court_tightened: bool
    provisional: bool
    can_complete: bool
    evidence_kind: str
    evidence_documents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One stage visit of the case, oldest first."""

    id: int
    stage: str
    stage_code: str
    team: str
    holder: str
    entry_label: str
    exit_label: str
    starts_on: date
    due_on: date | None
    paused_on: date | None
    paused_days: int
    left_at: Any
    points: int
    is_current: bool


@dataclass(frozen=True, slots=True)
class Progress:
    """The whole progress table of one case."""

    case: Case
    in_flow: bool
    model_name: str
    model_version: int | None
    nodes: list[NodeRow]
    visits: list[VisitRow]
    period: ExecutionPeriod | None
    exclusions: list[PeriodExclusion]
    advance_edges: list[StageEdge]
    counts: dict[str, int]


_STATE_LABELS = {
    "done": "已完成",
    "done_late": "超期完成",
    "open": "进行中",
    "warning": "即将到期",
    "overdue": "已超期",
    "paused": "暂停计时",
    "cancelled": "已撤销",
}


def _state(node: NodeInstance, today: date) -> str:
    if node.status == NodeStatus.DONE:
        return "done_late" if node.completed_at and node.completed_at.date() > node.due_on else "done"
    if node.status == NodeStatus.CANCELLED:
        return "cancelled"
    if node.paused_on is not None:
        return "paused"
    if today > node.due_on:
        return "overdue"
    if today >= node.warn_on:
        return "warning"
    return "open"


def _rule_text(node: NodeInstance) -> str:
    unit = node.get_unit_display()
    if node.amount < 0:
        return f"届满前{-node.amount}{unit}"
    return (
        f"{node.amount}{unit}" + ("（紧急）" if node.urgent else "") + ("（本院期限）" if node.court_tightened else "")
    )


def case_progress(*, case: Case, today: date) -> Progress:
    """Return ``case``'s progress table (the caller has checked the reader's scope) in five queries."""
    nodes = list(
        NodeInstance.objects.filter(case=case)
        .select_related("node_type", "completed_by")
        .order_by("due_on", "node_type__sort_order", "id")
    )
    rows: list[NodeRow] = []
    counts = dict.fromkeys(_STATE_LABELS, 0)
    for node in nodes:
        state = _state(node, today)
        counts[state] += 1
        node_type = node.node_type
        rows.append(
            NodeRow(
                id=node.pk,
                key=node.key,
                code=node_type.code,
                name=node_type.name,
                phase=node_type.phase,
                phase_label=str(NodePhase(node_type.phase).label),
                anchor_on=node.anchor_on,
                due_on=node.due_on,
                warn_on=node.warn_on,
                rule=_rule_text(node),
                state=state,
                state_label=_STATE_LABELS[state],
                completed_at=node.completed_at,
                completed_by=getattr(node.completed_by, "name", "") or getattr(node.completed_by, "username", ""),
                evidence=node.evidence_note
                or node.evidence_ref
                or (f"文书#{node.evidence_document_id}" if node.evidence_document_id else ""),
                legal_basis=node_type.legal_basis,
                court_tightened=node.court_tightened,
                provisional=node.due_provisional,
                can_complete=node.status == NodeStatus.OPEN and node_type.evidence != "none",
                evidence_kind=node_type.evidence,
                evidence_documents=tuple(node_type.evidence_documents),
            )
        )
    flow = CaseFlow.objects.select_related("model").filter(case=case).first()
    visits = [
        VisitRow(
            id=v.pk,
            stage=v.stage.name,
            stage_code=v.stage.code,
            team=v.team.name if v.team else "",
            holder=(v.holder.name or v.holder.username) if v.holder else "",
            entry_label=v.get_entry_display(),
            exit_label=v.get_exit_display() if v.exit else "",
            starts_on=v.starts_on,
            due_on=v.due_on,
            paused_on=v.paused_on,
            paused_days=v.paused_days,
            left_at=v.left_at,
            points=v.points,
            is_current=v.left_at is None,
        )
        for v in StageVisit.objects.filter(case=case)
        .select_related("stage", "team", "holder")
        .order_by("entered_at", "id")
    ]
    current = next((v for v in visits if v.is_current), None)
    edges: list[StageEdge] = []
    if current is not None:
        edges = list(
            StageEdge.objects.filter(source__visits__pk=current.id, trigger=EdgeTrigger.ADVANCE)
            .select_related("target")
            .order_by("order", "id")
        )
    return Progress(
        case=case,
        in_flow=flow is not None,
        model_name=flow.model.name if flow else "",
        model_version=flow.model.version if flow else None,
        nodes=rows,
        visits=visits,
        period=ExecutionPeriod.objects.filter(case=case).first(),
        exclusions=list(PeriodExclusion.objects.filter(case=case).order_by("started_on", "id")),
        advance_edges=edges,
        counts=counts,
    )
