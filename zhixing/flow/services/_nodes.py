"""
Nodes of a case: created when their anchor events happen, completed with their evidence.

``node_anchor_record`` is the one door through which every app reports an event of a case to flow (an
``AnchorTrigger``): it creates the nodes that run from it (their dates computed now and kept), starts or
ends an excluded period (``_period``), puts a newly filed case into the routing model, or ends the flow
of a closed case. Recording the same event twice changes nothing (a node is keyed per case).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.cases.choices import CaseStatus
from zhixing.cases.models import Case
from zhixing.core.calendar import WorkCalendar
from zhixing.core.errors import Conflict, NotAllowed, ValidationFailed
from zhixing.core.services import alerts_resolve_subject
from zhixing.courts.access import court_scope_for
from zhixing.courts.choices import Role
from zhixing.courts.selectors import work_calendar
from zhixing.documents.catalogue import TEMPLATES
from zhixing.documents.models import GeneratedDocument
from zhixing.flow.choices import AnchorTrigger, Evidence, NodeStatus
from zhixing.flow.models import CaseFlow, CourtNodeSetting, ExecutionPeriod, NodeInstance, NodeType
from zhixing.flow.rules.deadlines import NodeDates, node_dates
from zhixing.flow.services import _period, _routing

_FINISHED = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
#: The anchors that start or end an excluded period, and which.
EXCLUSION_EVENTS = {
    AnchorTrigger.SUSPENSION_STARTED: ("suspension", True),
    AnchorTrigger.SUSPENSION_ENDED: ("suspension", False),
    AnchorTrigger.POSTPONEMENT_STARTED: ("postponement", True),
    AnchorTrigger.POSTPONEMENT_ENDED: ("postponement", False),
    AnchorTrigger.APPRAISAL_STARTED: ("appraisal", True),
    AnchorTrigger.APPRAISAL_ENDED: ("appraisal", False),
    AnchorTrigger.AUCTION_STARTED: ("auction", True),
    AnchorTrigger.AUCTION_ENDED: ("auction", False),
    AnchorTrigger.ANNOUNCEMENT_STARTED: ("announcement", True),
    AnchorTrigger.ANNOUNCEMENT_ENDED: ("announcement", False),
    AnchorTrigger.JURISDICTION_STARTED: ("jurisdiction", True),
    AnchorTrigger.JURISDICTION_ENDED: ("jurisdiction", False),
    AnchorTrigger.COORDINATION_STARTED: ("coordination", True),
    AnchorTrigger.COORDINATION_ENDED: ("coordination", False),
}
#: Nodes whose dates follow the execution period (paused and moved with it).
PERIOD_NODES = ("execution_period", "review_submission")
#: The anchors a node may occur many times for (one node per reference: a clue, a seizure, a receipt …).
_REPEATED = {
    AnchorTrigger.CLUE_RECEIVED,
    AnchorTrigger.PROPERTY_SEIZED,
    AnchorTrigger.FUNDS_RECEIVED,
    AnchorTrigger.CREDIT_LISTING_REQUESTED,
    AnchorTrigger.CONTROL_EXPIRING,
}


@dataclass(frozen=True, slots=True)
class AnchorOutcome:
    """What recording one event did."""

    trigger: str
    nodes_created: tuple[str, ...] = ()
    entered_flow: bool = False
    period_changed: bool = False


def _current_types(anchor: str | None = None, codes: Sequence[str] | None = None) -> list[NodeType]:
    query = NodeType.objects.filter(is_current=True)
    if anchor is not None:
        query = query.filter(anchor=anchor)
    if codes is not None:
        query = query.filter(code__in=codes)
    return list(query.order_by("sort_order", "code"))


def node_rule(*, node_type: NodeType, court_id: int, urgent: bool = False) -> tuple[int, int, bool]:
    """Return (amount, warn_days, tightened) of ``node_type`` in court ``court_id`` (its setting, else the law's)."""
    setting = CourtNodeSetting.objects.filter(court_id=court_id, code=node_type.code).first()
    amount = node_type.urgent_amount if urgent and node_type.urgent_amount is not None else node_type.amount
    warn_days = node_type.warn_days
    tightened = False
    if setting is not None:
        if setting.amount is not None and not urgent:
            tightened = setting.amount != amount
            amount = setting.amount
        if setting.warn_days is not None:
            warn_days = setting.warn_days
    return amount, warn_days, tightened


def _node(
    *,
    case: Case,
    node_type: NodeType,
    anchor_on: date,
    at: datetime,
    calendar: WorkCalendar,
    ref: str = "",
    urgent: bool = False,
    amount: int | None = None,
    paused_on: date | None = None,
    due_on: date | None = None,
) -> NodeInstance | None:
    """Create one node of ``case`` (None when the same node already exists: recording twice is harmless)."""
    key = f"{node_type.code}:{ref}" if ref else node_type.code
    if NodeInstance.objects.filter(case=case, key=key).exists():
        return None
    rule_amount, warn_days, tightened = node_rule(node_type=node_type, court_id=case.court_id, urgent=urgent)
    if amount is not None:
        rule_amount = amount
    dates = node_dates(
        anchor_on=anchor_on, amount=rule_amount, unit=node_type.unit, warn_days=warn_days, calendar=calendar
    )
    if due_on is not None:  # a date flow keeps itself (the execution period, with its exclusions)
        dates = NodeDates(
            due_on=due_on, warn_on=max(anchor_on, due_on - timedelta(days=warn_days)), provisional=dates.provisional
        )
    flow = CaseFlow.objects.filter(case=case).only("model_id", "current_visit_id").first()
    return NodeInstance.objects.create(
        case=case,
        court_id=case.court_id,
        node_type=node_type,
        key=key,
        model_id=flow.model_id if flow else None,
        visit_id=flow.current_visit_id if flow else None,
        anchor_on=anchor_on,
        amount=rule_amount,
        unit=node_type.unit,
        urgent=urgent,
        court_tightened=tightened,
        due_on=dates.due_on,
        warn_on=dates.warn_on,
        due_provisional=dates.provisional,
        paused_on=paused_on,
        created_at=at,
    )


def _on_filed(*, case: Case, at: datetime, actor: Any, calendar: WorkCalendar) -> list[str]:
    period = _period.period_start(case=case, at=at, calendar=calendar)
    _routing.flow_enter(case=case, actor=actor, at=at)
    created: list[str] = []
    for node_type in _current_types(anchor=AnchorTrigger.CASE_FILED):
        is_period = node_type.code == "execution_period"
        node = _node(
            case=case,
            node_type=node_type,
            anchor_on=case.filed_on,
            at=at,
            calendar=calendar,
            amount=period.months if is_period else None,
            due_on=period.ends_on if is_period else None,
            paused_on=period.paused_since if node_type.code in PERIOD_NODES else None,
        )
        if node is not None:
            created.append(node.key)
    for node_type in _current_types(anchor=AnchorTrigger.PERIOD_END):
        node = _node(
            case=case,
            node_type=node_type,
            anchor_on=period.ends_on,
            at=at,
            calendar=calendar,
            paused_on=period.paused_since,
        )
        if node is not None:
            created.append(node.key)
    # the filing node is done by the filing itself
    NodeInstance.objects.filter(case=case, key="filing", status=NodeStatus.OPEN).update(
        status=NodeStatus.DONE,
        completed_at=at,
        completed_by=actor if getattr(actor, "pk", None) else None,
        evidence_kind=Evidence.NONE,
        evidence_note="立案登记",
    )
    return created


def node_anchor_record(
    *,
    case_id: int,
    trigger: str,
    at: datetime,
    on: date | None = None,
    ref: str = "",
    urgent: bool = False,
    actor: Any = None,
) -> AnchorOutcome:
    """
    Record that ``trigger`` happened to case ``case_id`` on ``on`` (default: the day of ``at``).

    ``ref`` names the occurrence for an event that can happen many times (a clue's id, a seizure's id);
    ``urgent`` takes a node's urgent period (a clue to check in 3 days instead of 7). Runs in the caller's
    transaction when there is one, and is audited there.

    :raises ValueError: for ``period_end`` (flow derives it) or an unknown trigger
    :raises Conflict: for an event on a closed case (other than its closing)
    """
    trigger = AnchorTrigger(trigger)
    if trigger == AnchorTrigger.PERIOD_END:
        raise ValueError("period_end is derived by flow from the execution period, not reported")
    day = on or localdate(at)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status in _FINISHED and trigger != AnchorTrigger.CASE_CLOSED:
            raise Conflict(f"案件{case.number}已结案或已撤回，不能再登记“{trigger.label}”。")
        calendar = work_calendar()
        created: list[str] = []
        entered = changed = False
        if trigger == AnchorTrigger.CASE_FILED:
            created = _on_filed(case=case, at=at, actor=actor, calendar=calendar)
            entered = CaseFlow.objects.filter(case=case).exists()
        elif trigger == AnchorTrigger.CASE_CLOSED:
            _close(case=case, at=at, actor=actor)
        elif trigger in EXCLUSION_EVENTS:
            kind, starts = EXCLUSION_EVENTS[trigger]
            changed = _period.exclusion_record(
                case=case, kind=kind, starts=starts, on=day, ref=ref, at=at, calendar=calendar
            )
        else:
            repeated = trigger in _REPEATED
            if repeated and not ref:
                raise ValidationFailed(f"登记“{trigger.label}”须注明是哪一项（编号）。", fields={"ref": "请注明编号"})
            for node_type in _current_types(anchor=trigger):
                node = _node(
                    case=case,
                    node_type=node_type,
                    anchor_on=day,
                    at=at,
                    calendar=calendar,
                    ref=ref if repeated else "",
                    urgent=urgent,
                )
                if node is not None:
                    created.append(node.key)
        record(
            action="flow.anchor.recorded",
            at=at,
            actor=actor,
            court_id=case.court_id,
            case_id=case.pk,
            subject_type="cases.case",
            subject_id=str(case.pk),
            subject_label=case.number,
            data={
                "trigger": trigger.value,
                "on": day,
                "ref": ref,
                "urgent": urgent,
                "nodes": created,
                "period_changed": changed,
            },
        )
    return AnchorOutcome(
        trigger=trigger.value, nodes_created=tuple(created), entered_flow=entered, period_changed=changed
    )


def _close(*, case: Case, at: datetime, actor: Any) -> None:
    """End the flow of a closed case: its visit left, the period node done, the other open nodes cancelled."""
    _routing.flow_close(case=case, at=at)
    NodeInstance.objects.filter(case=case, key="execution_period", status=NodeStatus.OPEN).update(
        status=NodeStatus.DONE,
        completed_at=at,
        completed_by=actor if getattr(actor, "pk", None) else None,
        evidence_kind=Evidence.NONE,
        evidence_note="结案",
    )
    open_ids = list(NodeInstance.objects.filter(case=case, status=NodeStatus.OPEN).values_list("pk", flat=True))
    NodeInstance.objects.filter(pk__in=open_ids).update(status=NodeStatus.CANCELLED, cancelled_reason="案件已结案")
    ExecutionPeriod.objects.filter(case=case, closed_at__isnull=True).update(closed_at=at)
    alerts_resolve_subject(case_id=case.pk, reason="案件已结案", at=at)


# --- completing a node ---------------------------------------------------------------------------------


def _role_labels(codes: Sequence[str]) -> str:
    return "、".join(str(Role(code).label) for code in codes if code in Role.values)


def node_complete(
    *,
    node_id: int,
    actor: Any,
    at: datetime,
    document_id: int | None = None,
    measure_ref: str = "",
    note: str = "",
) -> NodeInstance:
    """
    Complete node ``node_id`` with its evidence: a document of the case, a measure, or a work note.

    :raises Conflict: when the node is not open or the case is closed
    :raises NotAllowed: when ``actor`` holds none of the roles that complete it, in the case's court
    :raises ValidationFailed: when the evidence is missing or is not of this case
    """
    today = localdate(at)
    note, measure_ref = note.strip(), measure_ref.strip()
    with transaction.atomic():
        node = NodeInstance.objects.select_for_update(of=("self",)).select_related("node_type", "case").get(pk=node_id)
        node_type, case = node.node_type, node.case
        if case.status in _FINISHED:
            raise Conflict(f"案件{case.number}已结案或已撤回，不能再办理节点。")
        if node.status != NodeStatus.OPEN:
            raise Conflict(f"“{node_type.name}”已{NodeStatus(node.status).label}，不能重复办理。")
        if node_type.evidence == Evidence.NONE:
            raise NotAllowed(f"“{node_type.name}”由系统在相应事项办理时自动完成，不能手工完成。")
        scope = court_scope_for(user=actor, today=today)
        if (
            scope.court is None
            or scope.court.pk != node.court_id
            or not (set(scope.roles) & set(node_type.completed_by))
        ):
            raise NotAllowed(f"“{node_type.name}”应由{_role_labels(node_type.completed_by)}完成。")
        evidence_kind, document = _evidence(
            node=node, node_type=node_type, document_id=document_id, measure_ref=measure_ref, note=note
        )
        node.status, node.completed_at, node.completed_by = NodeStatus.DONE, at, actor
        node.evidence_kind, node.evidence_document, node.evidence_ref, node.evidence_note = (
            evidence_kind,
            document,
            measure_ref,
            note,
        )
        node.save(
            update_fields=[
                "status",
                "completed_at",
                "completed_by",
                "evidence_kind",
                "evidence_document",
                "evidence_ref",
                "evidence_note",
            ]
        )
        record(
            action="flow.node.completed",
            at=at,
            actor=actor,
            court_id=node.court_id,
            case_id=case.pk,
            subject=node,
            subject_label=f"{case.number} {node_type.name}",
            data={
                "node": node_type.code,
                "key": node.key,
                "due_on": node.due_on,
                "late": today > node.due_on,
                "evidence": evidence_kind,
                "document_id": document.pk if document else None,
                "measure": measure_ref,
                "note": note,
            },
        )
        alerts_resolve_subject(subject_type="flow.node", subject_id=str(node.pk), reason="节点已完成", at=at)
    return node


def _evidence(
    *, node: NodeInstance, node_type: NodeType, document_id: int | None, measure_ref: str, note: str
) -> tuple[str, GeneratedDocument | None]:
    wanted = node_type.evidence
    if document_id is not None and wanted in (Evidence.DOCUMENT, Evidence.ANY):
        document = GeneratedDocument.objects.filter(pk=document_id, case_id=node.case_id).first()
        if document is None:
            raise ValidationFailed("所选文书不是本案的文书。", fields={"document_id": "不是本案的文书"})
        needed = list(node_type.evidence_documents)
        if needed:
            have = set(
                GeneratedDocument.objects.filter(case_id=node.case_id, template_code__in=needed).values_list(
                    "template_code", flat=True
                )
            )
            if document.template_code not in needed:
                raise ValidationFailed("所选文书不是该节点要求的文书。", fields={"document_id": "文书种类不符"})
            missing = [code for code in needed if code not in have]
            if missing:
                names = "、".join(TEMPLATES[code].title if code in TEMPLATES else code for code in missing)
                raise ValidationFailed(f"还缺少：{names}。", fields={"document_id": f"还缺少{names}"})
        return Evidence.DOCUMENT, document
    if wanted == Evidence.DOCUMENT:
        raise ValidationFailed("该节点须以文书为凭据，请先生成并选择文书。", fields={"document_id": "请选择文书"})
    if measure_ref and wanted in (Evidence.MEASURE, Evidence.ANY):
        return Evidence.MEASURE, None
    if wanted == Evidence.MEASURE:
        raise ValidationFailed("该节点须以执行措施为凭据。", fields={"measure_ref": "请选择执行措施"})
    if len(note) >= 10 and wanted in (Evidence.NOTE, Evidence.ANY):
        return Evidence.NOTE, None
    raise ValidationFailed(
        "请填写工作记录（不少于10个字），说明办理情况。", fields={"note": "请填写工作记录（不少于10个字）"}
    )


def node_evidence_document(*, case_id: int, document: GeneratedDocument, actor: Any, at: datetime) -> list[str]:
    """
    Complete the open nodes of ``case_id`` that ``document`` (just generated) is the evidence for.

    A node asking for several documents (执行通知书 and 报告财产令) completes when the last of them exists.
    Called by the cases app when it generates a document; returns the keys completed.
    """
    done: list[str] = []
    nodes = NodeInstance.objects.filter(
        case_id=case_id, status=NodeStatus.OPEN, node_type__evidence__in=[Evidence.DOCUMENT, Evidence.ANY]
    )
    for node in nodes.select_related("node_type"):
        needed = list(node.node_type.evidence_documents)
        if document.template_code not in needed:
            continue
        have = set(
            GeneratedDocument.objects.filter(case_id=case_id, template_code__in=needed).values_list(
                "template_code", flat=True
            )
        )
        if any(code not in have for code in needed):
            continue
        NodeInstance.objects.filter(pk=node.pk, status=NodeStatus.OPEN).update(
            status=NodeStatus.DONE,
            completed_at=at,
            completed_by=actor if getattr(actor, "pk", None) else None,
            evidence_kind=Evidence.DOCUMENT,
            evidence_document=document,
        )
        record(
            action="flow.node.completed",
            at=at,
            actor=actor,
            court_id=node.court_id,
            case_id=case_id,
            subject=node,
            data={
                "node": node.node_type.code,
                "key": node.key,
                "due_on": node.due_on,
                "late": localdate(at) > node.due_on,
                "evidence": "document",
                "document_id": document.pk,
                "automatic": True,
            },
        )
        alerts_resolve_subject(subject_type="flow.node", subject_id=str(node.pk), reason="节点已完成", at=at)
        done.append(node.key)
    return done
