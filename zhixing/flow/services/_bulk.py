"""
The bulk counterpart of filing's flow work, for an imported docket: clocks, flow entry and nodes at once.

``flow_file_bulk`` does for many newly imported cases of one court what ``node_anchor_record`` does for
one filed case (the application received, the case filed): start each execution-period clock, put the
case into the routing model, create its nodes with their dates — in a few statements, not one per case —
and write one audit record per case naming what was created.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from zhixing.audit.services import Entry, record_bulk
from zhixing.cases.choices import BasisKind, CaseStatus
from zhixing.cases.models import Case
from zhixing.courts.selectors import work_calendar
from zhixing.flow.choices import AnchorTrigger, Evidence, NodeStatus
from zhixing.flow.models import CourtNodeSetting, ExecutionPeriod, NodeInstance, NodeType
from zhixing.flow.rules.deadlines import NodeDates, node_dates, period_end
from zhixing.flow.services import _period, _routing

_ANCHORS = (AnchorTrigger.APPLICATION_RECEIVED, AnchorTrigger.CASE_FILED, AnchorTrigger.PERIOD_END)


def flow_file_bulk(*, cases: Sequence[Case], actor: Any, at: datetime) -> int:
    """Start the flow of ``cases`` (one court, just imported, in the caller's transaction); return nodes created."""
    if not cases:
        return 0
    calendar = work_calendar()
    court_id = cases[0].court_id
    types = list(NodeType.objects.filter(is_current=True, anchor__in=_ANCHORS).order_by("sort_order", "code"))
    settings = {s.code: s for s in CourtNodeSetting.objects.filter(court_id=court_id)}
    ends: dict[tuple[date, int], Any] = {}
    periods: list[ExecutionPeriod] = []
    for case in cases:
        months = 6 if case.basis_kind == BasisKind.LITIGATION else 3
        for key in ((case.filed_on, months), (case.application_received_on, _period.LEDGER_MONTHS)):
            if key not in ends:
                ends[key] = period_end(starts_on=key[0], months=key[1], excluded_days=0, calendar=calendar)
        end = ends[(case.filed_on, months)]
        periods.append(
            ExecutionPeriod(
                case=case,
                court_id=court_id,
                starts_on=case.filed_on,
                months=months,
                ends_on=end.ends_on,
                ends_provisional=end.provisional,
                ledger_starts_on=case.application_received_on,
                ledger_due_on=ends[(case.application_received_on, _period.LEDGER_MONTHS)].ends_on,
            )
        )
    ExecutionPeriod.objects.bulk_create(periods, batch_size=2000)
    visits = _routing.flow_enter_bulk(cases=cases, at=at)
    cached: dict[tuple, NodeDates] = {}
    nodes: list[NodeInstance] = []
    created: dict[int, list[str]] = {case.pk: [] for case in cases}
    actor_id = getattr(actor, "pk", None)
    for case, period in zip(cases, periods, strict=True):
        visit = visits.get(case.pk)
        for node_type in types:
            setting = settings.get(node_type.code)
            amount = setting.amount if setting is not None and setting.amount is not None else node_type.amount
            warn_days = (
                setting.warn_days if setting is not None and setting.warn_days is not None else node_type.warn_days
            )
            anchor_on = {
                AnchorTrigger.APPLICATION_RECEIVED: case.application_received_on,
                AnchorTrigger.CASE_FILED: case.filed_on,
                AnchorTrigger.PERIOD_END: period.ends_on,
            }[node_type.anchor]
            if node_type.code == "execution_period":
                amount = period.months
                dates = NodeDates(
                    due_on=period.ends_on,
                    warn_on=period.ends_on - timedelta(days=warn_days),
                    provisional=period.ends_provisional,
                )
            else:
                key = (anchor_on, amount, node_type.unit, warn_days)
                dates = cached.get(key) or cached.setdefault(
                    key,
                    node_dates(
                        anchor_on=anchor_on, amount=amount, unit=node_type.unit, warn_days=warn_days, calendar=calendar
                    ),
                )
            done = node_type.code == "filing"
            nodes.append(
                NodeInstance(
                    case=case,
                    court_id=court_id,
                    node_type=node_type,
                    key=node_type.code,
                    model_id=visit.stage.model_id if visit else None,
                    visit=visit,
                    anchor_on=anchor_on,
                    amount=amount,
                    unit=node_type.unit,
                    court_tightened=amount != node_type.amount and node_type.code != "execution_period",
                    due_on=dates.due_on,
                    warn_on=dates.warn_on,
                    due_provisional=dates.provisional,
                    status=NodeStatus.DONE if done else NodeStatus.OPEN,
                    created_at=at,
                    completed_at=at if done else None,
                    completed_by_id=actor_id if done else None,
                    evidence_kind=Evidence.NONE if done else "",
                    evidence_note="立案登记（批量导入）" if done else "",
                )
            )
            created[case.pk].append(node_type.code)
    NodeInstance.objects.bulk_create(nodes, batch_size=2000)
    record_bulk(
        entries=[
            Entry(
                action="flow.anchor.recorded",
                at=at,
                actor=actor,
                court_id=court_id,
                case_id=case.pk,
                subject_type="cases.case",
                subject_id=str(case.pk),
                subject_label=case.number,
                data={
                    "trigger": "case_filed",
                    "on": case.filed_on,
                    "nodes": created[case.pk],
                    "period_ends_on": period.ends_on,
                    "stage": visits[case.pk].stage.code if case.pk in visits else None,
                    "team_id": visits[case.pk].team_id if case.pk in visits else None,
                },
            )
            for case, period in zip(cases, periods, strict=True)
        ]
    )
    deferred = [case for case in cases if case.status == CaseStatus.DEFERRED]
    for case in deferred:
        _period.exclusion_record(
            case=case, kind="postponement", starts=True, on=case.filed_on, ref="暂缓立案", at=at, calendar=calendar
        )
    return len(nodes)
