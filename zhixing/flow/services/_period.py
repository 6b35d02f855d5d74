"""
The execution-period clock (审限规定 第5条、第9条) and the 超6个月 count (民诉法 第237条), kept from events.

- ``period_start``: at filing, 6 months (3 for a non-litigation basis) from the filing day; the 超6个月
  count runs 6 months from receiving the application.
- ``exclusion_record``: an excluded period starts or ends (from ``node_anchor_record``). The period's
  end moves by the days excluded (overlaps counted once); while a period-counting exclusion runs the
  clock is paused, and so are the current stage visit and the period's nodes, which move by the
  paused days when it ends. The 超6个月 count excludes its own list (公告, 鉴定评估, 管辖争议, 协调, 暂缓, 中止 —
  not auctions; 执行程序解释 第10条–第13条).
- ``period_extension_request``: the 3-month extension through the president's approval, applied for
  before the period ends; a further extension goes up to the high court (``core`` approvals).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.cases.choices import BasisKind, CaseStatus
from zhixing.cases.models import Case
from zhixing.core.calendar import WorkCalendar
from zhixing.core.errors import Conflict, NotAllowed, ValidationFailed
from zhixing.core.services import approval_request
from zhixing.courts.access import court_scope_for
from zhixing.courts.choices import CourtLevel, Role
from zhixing.courts.models import Court
from zhixing.courts.selectors import work_calendar
from zhixing.flow.choices import ExclusionKind, NodeStatus
from zhixing.flow.models import CourtNodeSetting, ExecutionPeriod, NodeInstance, PeriodExclusion, StageVisit
from zhixing.flow.rules.deadlines import days_within, due_date, node_dates, period_end, union_days

#: Excluded from the execution period (审限规定 第9条).
PERIOD_KINDS = frozenset(
    {ExclusionKind.SUSPENSION, ExclusionKind.POSTPONEMENT, ExclusionKind.APPRAISAL, ExclusionKind.AUCTION}
)
#: Excluded from the 超6个月 count (执行程序解释 第10条–第13条).
LEDGER_KINDS = frozenset(
    {
        ExclusionKind.SUSPENSION,
        ExclusionKind.POSTPONEMENT,
        ExclusionKind.APPRAISAL,
        ExclusionKind.ANNOUNCEMENT,
        ExclusionKind.JURISDICTION,
        ExclusionKind.COORDINATION,
    }
)
EXTENSION_MONTHS = 3
LEDGER_MONTHS = 6
#: The nodes whose dates follow the period (paused and moved with it).
_PERIOD_NODES = ("execution_period", "review_submission")


def period_start(*, case: Case, at: datetime, calendar: WorkCalendar) -> ExecutionPeriod:
    """Start ``case``'s clock at filing (idempotent: an existing clock is returned as it is)."""
    existing = ExecutionPeriod.objects.filter(case=case).first()
    if existing is not None:
        return existing
    months = 6 if case.basis_kind == BasisKind.LITIGATION else 3
    end = period_end(starts_on=case.filed_on, months=months, excluded_days=0, calendar=calendar)
    ledger = period_end(
        starts_on=case.application_received_on, months=LEDGER_MONTHS, excluded_days=0, calendar=calendar
    )
    return ExecutionPeriod.objects.create(
        case=case,
        court_id=case.court_id,
        starts_on=case.filed_on,
        months=months,
        ends_on=end.ends_on,
        ends_provisional=end.provisional,
        ledger_starts_on=case.application_received_on,
        ledger_due_on=ledger.ends_on,
    )


def _recompute(*, period: ExecutionPeriod, calendar: WorkCalendar) -> dict[str, Any]:
    """Recompute the period's end, pause and 超6个月 date from its exclusions; return what changed."""
    rows = list(
        PeriodExclusion.objects.filter(case_id=period.case_id).values_list(
            "started_on", "ended_on", "counts_for_period", "counts_for_ledger"
        )
    )
    watched = ("ends_on", "paused_since", "ledger_due_on", "ledger_paused_since")
    before = {key: getattr(period, key) for key in watched}
    counted = [(s, e) for s, e, p, _ in rows if p]
    ledgered = [(s, e) for s, e, _, g in rows if g]
    period.excluded_days = union_days(counted)
    period.paused_since = min((s for s, e in counted if e is None), default=None)
    end = period_end(
        starts_on=period.starts_on,
        months=period.months + period.extension_months,
        excluded_days=period.excluded_days,
        calendar=calendar,
    )
    period.ends_on, period.ends_provisional = end.ends_on, end.provisional
    # the 超6个月 count: a period that begins once the six months have passed does not undo them
    period.ledger_excluded_days, period.ledger_paused_since = days_within(
        ledgered, starts_on=period.ledger_starts_on, months=LEDGER_MONTHS, calendar=calendar
    )
    period.ledger_due_on = period_end(
        starts_on=period.ledger_starts_on,
        months=LEDGER_MONTHS,
        excluded_days=period.ledger_excluded_days,
        calendar=calendar,
    ).ends_on
    period.save()
    after = {key: getattr(period, key) for key in watched}
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


def _move_period_nodes(*, period: ExecutionPeriod, today: date, calendar: WorkCalendar) -> None:
    """Put the period's own nodes on its current end (paused while it is), re-arming marks that no longer hold."""
    settings = dict(
        CourtNodeSetting.objects.filter(
            court_id=period.court_id, code__in=_PERIOD_NODES, warn_days__isnull=False
        ).values_list("code", "warn_days")
    )
    for node in NodeInstance.objects.filter(
        case_id=period.case_id, status=NodeStatus.OPEN, key__in=_PERIOD_NODES
    ).select_related("node_type"):
        # the node's own rule version and the court's lead: a later catalogue change never moves it
        warn_days = settings.get(node.key, node.node_type.warn_days)
        if node.key == "execution_period":
            node.due_on, node.due_provisional = period.ends_on, period.ends_provisional
            node.warn_on = max(node.anchor_on, period.ends_on - timedelta(days=warn_days))
        else:  # counted back from the period's end: it is anchored on the end, wherever the end goes
            dates = node_dates(
                anchor_on=period.ends_on, amount=node.amount, unit=node.unit, warn_days=warn_days, calendar=calendar
            )
            node.anchor_on, node.due_on, node.warn_on = period.ends_on, dates.due_on, dates.warn_on
            node.due_provisional = dates.provisional
        node.paused_on = period.paused_since
        if node.due_on >= today:
            node.overdue_at = None
        if node.warn_on > today:
            node.warned_at = None
        node.save(
            update_fields=["anchor_on", "due_on", "warn_on", "due_provisional", "paused_on", "overdue_at", "warned_at"]
        )


def _pause_or_resume_visit(*, case_id: int, paused_since: date | None, on: date, calendar: WorkCalendar) -> None:
    visit = StageVisit.objects.filter(case_id=case_id, left_at__isnull=True).first()
    if visit is None:
        return
    if paused_since is not None and visit.paused_on is None:
        visit.paused_on = max(paused_since, visit.starts_on)
        visit.save(update_fields=["paused_on"])
    elif paused_since is None and visit.paused_on is not None:
        days = max(0, (on - visit.paused_on).days)
        visit.paused_days += days
        if visit.due_on is not None:
            shifted = visit.due_on + timedelta(days=days)
            visit.due_on = due_date(anchor_on=shifted, amount=0, unit="natural_days", calendar=calendar).day
            visit.warn_on = visit.warn_on + timedelta(days=days) if visit.warn_on else None
        visit.paused_on = None
        visit.save(update_fields=["paused_on", "paused_days", "due_on", "warn_on"])


def exclusion_record(
    *, case: Case, kind: str, starts: bool, on: date, ref: str, at: datetime, calendar: WorkCalendar
) -> bool:
    """
    Start (``starts``) or end an excluded period of ``case`` on ``on``; return whether the clock changed.

    Starting one already running, or ending one not running, changes nothing (a repeated event).

    :raises ValidationFailed: when the end is before the start
    """
    kind = ExclusionKind(kind)
    period = ExecutionPeriod.objects.select_for_update().filter(case=case).first()
    if period is None:  # a case filed before deadline control existed has no clock to move
        return False
    open_row = PeriodExclusion.objects.filter(case=case, kind=kind, ended_on__isnull=True).first()
    if starts:
        if open_row is not None:
            return False
        PeriodExclusion.objects.create(
            case=case,
            kind=kind,
            started_on=on,
            counts_for_period=kind in PERIOD_KINDS,
            counts_for_ledger=kind in LEDGER_KINDS,
            started_ref=ref,
            recorded_at=at,
        )
    else:
        if open_row is None:
            return False
        if on < open_row.started_on:
            raise ValidationFailed(
                f"{kind.label}的结束日不能早于开始日（{open_row.started_on.isoformat()}）。",
                fields={"on": "结束日早于开始日"},
            )
        open_row.ended_on, open_row.ended_ref = on, ref
        open_row.save(update_fields=["ended_on", "ended_ref"])
    changes = _recompute(period=period, calendar=calendar)
    _pause_or_resume_visit(case_id=case.pk, paused_since=period.paused_since, on=on, calendar=calendar)
    _move_period_nodes(period=period, today=on, calendar=calendar)
    if changes:
        record(
            action="flow.period.recomputed",
            at=at,
            court_id=case.court_id,
            case_id=case.pk,
            subject_type="cases.case",
            subject_id=str(case.pk),
            subject_label=case.number,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
            data={"kind": kind.value, "starts": starts, "on": on, "excluded_days": period.excluded_days},
        )
    return bool(changes)


def _high_court(court: Court) -> Court | None:
    current: Court | None = court
    while current is not None and current.level != CourtLevel.HIGH:
        current = current.parent
    return current


def period_extension_request(*, case: Case, actor: Any, reason: str, at: datetime) -> Any:
    """
    Apply for a 3-month extension of ``case``'s execution period (before it ends).

    The first extension is the president's to approve; a further one goes to the high court after him.

    :raises Conflict: when the period has already ended, the case is closed, or it has no period
    :raises NotAllowed: when ``actor`` does not hold or lead the case's work in its court
    """
    today = localdate(at)
    with transaction.atomic():
        period = ExecutionPeriod.objects.select_for_update().select_related("case", "court").filter(case=case).first()
        if period is None:  # a case filed before deadline control existed has no clock to extend
            raise Conflict("该案件没有执行期限记录，不能申请延长。")
        if period.case.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
            raise Conflict("案件已结案，不需延长执行期限。")
        if period.paused_since is None and today > period.ends_on:
            raise Conflict(f"执行期限已于{period.ends_on.isoformat()}届满；延长须在届满前申请。")
        scope = court_scope_for(user=actor, today=today)
        if (
            scope.court is None
            or scope.court.pk != period.court_id
            or not ({Role.EXECUTOR, Role.TEAM_LEADER, Role.BUREAU_CHIEF} & set(scope.roles))
        ):
            raise NotAllowed("只有本院执行员、团队长或执行局局长可以申请延长执行期限。")
        chain = [{"role": str(Role.PRESIDENT), "court_id": period.court_id}]
        if period.extensions >= 1:
            high = _high_court(period.court)
            if high is None:
                raise Conflict("找不到上级高级人民法院，不能报请再次延长。")
            chain.append({"role": str(Role.UPPER_SUPERVISOR), "court_id": high.pk})
        which = "再次" if period.extensions else ""
        return approval_request(
            kind="flow.period_extension",
            court_id=period.court_id,
            case_id=case.pk,
            subject_type="cases.case",
            subject_id=str(case.pk),
            title=f"{period.case.number}{which}延长执行期限{EXTENSION_MONTHS}个月",
            reason=reason,
            payload={
                "months": EXTENSION_MONTHS,
                "ends_on": period.ends_on.isoformat(),
                "extension": period.extensions + 1,
            },
            chain=chain,
            requested_by=actor,
            at=at,
        )


def period_extension_apply(approval: Any, actor: Any, at: datetime) -> None:
    """Apply an approved extension (the approval's callback, in the deciding transaction)."""
    calendar = work_calendar()
    period = ExecutionPeriod.objects.select_for_update().select_related("case").get(case_id=approval.case_id)
    months = int(approval.payload.get("months", EXTENSION_MONTHS))
    period.extension_months += months
    period.extensions += 1
    changes = _recompute(period=period, calendar=calendar)
    _move_period_nodes(period=period, today=localdate(at), calendar=calendar)
    record(
        action="flow.period.extended",
        at=at,
        actor=actor,
        court_id=period.court_id,
        case_id=period.case_id,
        subject_type="cases.case",
        subject_id=str(period.case_id),
        subject_label=period.case.number,
        before={"ends_on": changes.get("ends_on", (period.ends_on,))[0]},
        after={"ends_on": period.ends_on},
        data={"months": months, "extensions": period.extensions, "approval_id": approval.pk},
    )
