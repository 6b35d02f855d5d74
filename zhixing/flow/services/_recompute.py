"""
Recomputing provisional dates when a year's holidays become known (the calendar's recomputer hook).

A node, stage visit or execution period whose dates ran into a year the calendar did not yet cover
was computed on weekends alone and marked provisional. When an administrator confirms that year,
the calendar service calls ``provisional_dates_recompute`` in its transaction: every open row still
provisional and touching the year is computed again from its own snapshot (anchor, period, unit), and
the change is audited per case. Rows whose dates were final are never moved.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from zhixing.audit.services import Entry, record_bulk
from zhixing.core.calendar import WorkCalendar
from zhixing.flow.choices import NodeStatus
from zhixing.flow.models import ExecutionPeriod, NodeInstance, StageVisit
from zhixing.flow.rules.deadlines import due_date, period_end


def provisional_dates_recompute(*, year: int, calendar: WorkCalendar, actor: Any, at: datetime) -> int:
    """Recompute the open provisional dates that reach into ``year``; return how many rows changed."""
    start, end = date(year, 1, 1), date(year + 1, 1, 31)
    changes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    court_of: dict[int, int] = {}
    nodes = NodeInstance.objects.filter(
        status=NodeStatus.OPEN, due_provisional=True, due_on__gte=start, anchor_on__lt=end
    ).exclude(key__in=("execution_period", "review_submission"))
    for node in nodes:
        due = due_date(anchor_on=node.anchor_on, amount=node.amount, unit=node.unit, calendar=calendar)
        lead = (node.due_on - node.warn_on).days
        if due.day != node.due_on or due.provisional != node.due_provisional:
            changes[node.case_id].append({"node": node.key, "from": node.due_on, "to": due.day})
            court_of[node.case_id] = node.court_id
            node.due_on, node.warn_on, node.due_provisional = due.day, due.day - timedelta(days=lead), due.provisional
            node.save(update_fields=["due_on", "warn_on", "due_provisional"])
    visits = StageVisit.objects.filter(
        left_at__isnull=True, due_provisional=True, due_on__gte=start, starts_on__lt=end, limit_amount__isnull=False
    )
    for visit in visits:
        due = due_date(anchor_on=visit.starts_on, amount=visit.limit_amount, unit=visit.limit_unit, calendar=calendar)
        shifted = due.day + timedelta(days=visit.paused_days)
        if shifted != visit.due_on:
            lead = (visit.due_on - visit.warn_on).days if visit.warn_on else 0
            changes[visit.case_id].append({"stage": visit.stage_id, "from": visit.due_on, "to": shifted})
            court_of[visit.case_id] = visit.court_id
            visit.due_on, visit.warn_on = shifted, shifted - timedelta(days=lead)
        visit.due_provisional = due.provisional
        visit.save(update_fields=["due_on", "warn_on", "due_provisional"])
    periods = ExecutionPeriod.objects.filter(closed_at__isnull=True, ends_provisional=True, ends_on__gte=start)
    for period in periods:
        new = period_end(
            starts_on=period.starts_on,
            months=period.months + period.extension_months,
            excluded_days=period.excluded_days,
            calendar=calendar,
        )
        if new.ends_on != period.ends_on:
            changes[period.case_id].append({"period_end": True, "from": period.ends_on, "to": new.ends_on})
            court_of[period.case_id] = period.court_id
            NodeInstance.objects.filter(case_id=period.case_id, key="execution_period", status=NodeStatus.OPEN).update(
                due_on=new.ends_on, due_provisional=new.provisional
            )
        period.ends_on, period.ends_provisional = new.ends_on, new.provisional
        period.save(update_fields=["ends_on", "ends_provisional"])
    record_bulk(
        entries=[
            Entry(
                action="flow.dates.recomputed",
                at=at,
                actor=actor,
                court_id=court_of[case_id],
                case_id=case_id,
                subject_type="cases.case",
                subject_id=str(case_id),
                data={"year": year, "changes": items},
            )
            for case_id, items in sorted(changes.items())
        ]
    )
    return sum(len(items) for items in changes.values())
