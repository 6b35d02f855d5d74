"""
The execution period (审限规定 第5条、第9条) and the 超6个月 count (民诉法 第237条) kept from recorded events.

温县 (豫0825) with the wenxian model; a case filed on Tuesday 2026-03-10 has its period end on Thursday
2026-09-10, a working day, so that every move below is exactly the days excluded.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from zhixing.cases.choices import CaseStatus
from zhixing.cases.inputs import DeferralInput
from zhixing.cases.services import case_deferral_end, case_transition
from zhixing.core.errors import Conflict, NotAllowed
from zhixing.core.models import Alert, Approval
from zhixing.core.services import approval_decide
from zhixing.flow.models import (
    CaseFlow,
    ExecutionPeriod,
    NodeInstance,
    OverdueLedgerEntry,
    PeriodExclusion,
    StageVisit,
)
from zhixing.flow.services import flow_sweep, node_anchor_record, period_extension_request

from .conftest import moment

FILED = date(2026, 3, 10)
END = date(2026, 9, 10)


def _data(rows: list[dict]) -> list[dict]:
    return [json.loads(row["data"]) for row in rows]


def _period(case) -> ExecutionPeriod:
    return ExecutionPeriod.objects.get(case=case)


def _visit(case) -> StageVisit:
    return CaseFlow.objects.select_related("current_visit").get(case=case).current_visit


def _node(case, key: str) -> NodeInstance:
    return NodeInstance.objects.get(case=case, key=key)


def _record(case, trigger: str, on: date) -> None:
    node_anchor_record(case_id=case.pk, trigger=trigger, on=on, ref=f"{trigger}@{on.isoformat()}", at=moment(on, 15))


@pytest.fixture
def court(demo, load_preset):
    load_preset("豫0825", "wenxian")
    return demo["豫0825"]


@pytest.fixture
def case(court, file):
    return file("豫0825", "wx_lian", on=FILED)


def test_the_clock_starts_at_filing(case):
    period = _period(case)
    assert (period.starts_on, period.months, period.ends_on, period.excluded_days, period.paused_since) == (
        FILED,
        6,
        END,
        0,
        None,
    )
    assert (period.ledger_starts_on, period.ledger_due_on, period.ledger_excluded_days) == (FILED, END, 0)
    visit = _visit(case)
    # 集约查控: 15 days from filing
    assert (visit.stage.code, visit.starts_on, visit.due_on, visit.warn_on) == (
        "chakong",
        FILED,
        date(2026, 3, 25),
        date(2026, 3, 22),
    )


def test_a_suspension_moves_the_period_and_pauses_the_stage_by_exactly_the_suspended_days(case, staff, audit_rows):
    clerk = staff("wx_lian")
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 3, 11)), reason="移送执行")
    case_transition(
        case=case,
        to=CaseStatus.SUSPENDED,
        actor=clerk,
        at=moment(date(2026, 3, 16)),
        reason="案外人异议成立，裁定中止执行",
    )
    period, visit = _period(case), _visit(case)
    assert (period.paused_since, period.ends_on, period.ledger_paused_since) == (
        date(2026, 3, 16),
        END,
        date(2026, 3, 16),
    )
    assert (visit.paused_on, visit.due_on) == (date(2026, 3, 16), date(2026, 3, 25))
    assert _node(case, "execution_period").paused_on == date(2026, 3, 16)

    # while suspended, the stage does not run out of time, the period node is not overdue, nothing enters the ledger
    report = flow_sweep(at=moment(date(2026, 3, 27), 1))
    assert (report.counts["lifted"], report.counts["sideways"], report.counts["stuck"]) == (0, 0, 0)
    assert _visit(case).pk == visit.pk

    case_transition(
        case=case,
        to=CaseStatus.IN_EXECUTION,
        actor=clerk,
        at=moment(date(2026, 3, 30)),
        reason="中止事由消除，恢复执行",
    )
    suspended_days = 14  # 16 March to 30 March
    period, visit = _period(case), _visit(case)
    assert (period.excluded_days, period.paused_since) == (suspended_days, None)
    assert period.ends_on == END + timedelta(days=suspended_days) == date(2026, 9, 24)
    assert period.ledger_due_on == date(2026, 9, 24)  # 中止 is also left out of the 超6个月 count
    assert (visit.paused_on, visit.paused_days) == (None, suspended_days)
    assert visit.due_on == date(2026, 3, 25) + timedelta(days=suspended_days) == date(2026, 4, 8)
    assert visit.warn_on == date(2026, 4, 5)
    node = _node(case, "execution_period")
    assert (node.due_on, node.warn_on, node.paused_on) == (date(2026, 9, 24), date(2026, 9, 9), None)
    review = _node(case, "review_submission")
    assert (review.anchor_on, review.due_on, review.warn_on, review.paused_on) == (
        date(2026, 9, 24),
        date(2026, 8, 24),
        date(2026, 8, 17),
        None,
    )
    exclusion = PeriodExclusion.objects.get(case=case)
    assert (exclusion.kind, exclusion.started_on, exclusion.ended_on) == (
        "suspension",
        date(2026, 3, 16),
        date(2026, 3, 30),
    )
    moves = _data(audit_rows("flow.period.recomputed"))
    assert [(m["kind"], m["starts"], m["before"], m["after"]) for m in moves] == [
        (
            "suspension",
            True,
            {"paused_since": None, "ledger_paused_since": None},
            {"paused_since": "2026-03-16", "ledger_paused_since": "2026-03-16"},
        ),
        (
            "suspension",
            False,
            {
                "ends_on": "2026-09-10",
                "paused_since": "2026-03-16",
                "ledger_due_on": "2026-09-10",
                "ledger_paused_since": "2026-03-16",
            },
            {"ends_on": "2026-09-24", "paused_since": None, "ledger_due_on": "2026-09-24", "ledger_paused_since": None},
        ),
    ]

    # the stage runs again, from its moved due date
    assert flow_sweep(at=moment(date(2026, 4, 8), 23)).counts["lifted"] == 0
    assert flow_sweep(at=moment(date(2026, 4, 9), 1)).counts["lifted"] == 1


def test_overlapping_appraisal_and_auction_are_counted_once(case):
    _record(case, "appraisal_started", date(2026, 4, 1))
    _record(case, "auction_started", date(2026, 4, 11))
    assert _period(case).paused_since == date(2026, 4, 1)
    _record(case, "appraisal_ended", date(2026, 4, 21))
    assert _period(case).paused_since == date(2026, 4, 11)  # the auction still runs
    _record(case, "auction_ended", date(2026, 5, 1))
    period = _period(case)
    # 1 April – 1 May: 30 days, not 20 + 20; 10 October is a make-up working day (调休)
    assert (period.excluded_days, period.paused_since, period.ends_on) == (30, None, date(2026, 10, 10))
    # the 超6个月 count leaves out the appraisal only (20 days), never the auction
    assert (period.ledger_excluded_days, period.ledger_due_on) == (20, date(2026, 9, 30))


def test_an_announcement_moves_the_six_month_date_but_not_the_period(case, audit_rows):
    _record(case, "announcement_started", date(2026, 5, 6))
    period = _period(case)
    assert (period.paused_since, period.ledger_paused_since) == (None, date(2026, 5, 6))
    # the 超6个月 count stopping is on record, though the execution period runs on
    (recorded,) = _data(audit_rows("flow.anchor.recorded"))[-1:]
    assert (recorded["trigger"], recorded["period_changed"]) == ("announcement_started", True)
    (moved,) = _data(audit_rows("flow.period.recomputed"))
    assert (moved["before"], moved["after"]) == ({"ledger_paused_since": None}, {"ledger_paused_since": "2026-05-06"})
    assert _visit(case).paused_on is None  # the stage keeps running
    _record(case, "announcement_ended", date(2026, 6, 5))
    period = _period(case)
    assert (period.ends_on, period.excluded_days) == (END, 0)
    assert (period.ledger_due_on, period.ledger_excluded_days, period.ledger_paused_since) == (
        date(2026, 10, 10),
        30,
        None,
    )
    assert _node(case, "execution_period").due_on == END


def test_an_auction_moves_the_period_but_not_the_six_month_date(case):
    _record(case, "auction_started", date(2026, 6, 1))
    _record(case, "auction_ended", date(2026, 6, 21))
    period = _period(case)
    assert (period.ends_on, period.excluded_days) == (date(2026, 9, 30), 20)
    assert (period.ledger_due_on, period.ledger_excluded_days) == (END, 0)
    assert _node(case, "execution_period").due_on == date(2026, 9, 30)
    assert _node(case, "review_submission").due_on == date(2026, 8, 28)  # 30 August is a Sunday → Friday


def test_an_exclusion_cannot_end_before_it_started_and_a_repeated_event_changes_nothing(case, audit_rows):
    _record(case, "appraisal_started", date(2026, 4, 1))
    before = len(audit_rows())
    with pytest.raises(Exception, match="结束日不能早于开始日"):
        _record(case, "appraisal_ended", date(2026, 3, 20))
    assert len(audit_rows()) == before
    assert PeriodExclusion.objects.get(case=case).ended_on is None
    # starting it again while it runs is the same event told twice
    _record(case, "appraisal_started", date(2026, 4, 3))
    assert PeriodExclusion.objects.filter(case=case).count() == 1
    assert _period(case).paused_since == date(2026, 4, 1)


def test_a_deferred_filing_pauses_the_clock_from_filing_until_the_deferral_ends(court, file, staff):
    case = file(
        "豫0825",
        "wx_lian",
        on=FILED,
        deferral=DeferralInput(
            reason="经查询被执行人名下暂无可供执行的财产",
            consent_on=FILED,
            consent_evidence="申请执行人同意暂缓立案的书面意见",
        ),
    )
    assert case.status == CaseStatus.DEFERRED
    period, visit = _period(case), _visit(case)
    assert (period.paused_since, period.ledger_paused_since, period.ends_on) == (FILED, FILED, END)
    assert visit.paused_on == FILED
    assert _node(case, "execution_period").paused_on == FILED
    exclusion = PeriodExclusion.objects.get(case=case)
    assert (exclusion.kind, exclusion.started_on, exclusion.started_ref) == ("postponement", FILED, "暂缓立案")

    case_deferral_end(
        case=case, actor=staff("wx_lian"), at=moment(date(2026, 4, 9)), reason="发现被执行人名下车辆，恢复立案执行"
    )
    period, visit = _period(case), _visit(case)
    assert (period.excluded_days, period.paused_since, period.ends_on) == (30, None, date(2026, 10, 10))
    assert (period.ledger_excluded_days, period.ledger_due_on) == (30, date(2026, 10, 10))
    assert (visit.paused_on, visit.paused_days, visit.due_on) == (None, 30, date(2026, 4, 24))


# --- extensions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "preset", "clerk", "executor", "president", "high", "upper"),
    [
        ("豫0825", "wenxian", "wx_lian", "wx_chakong", "wx_yuanzhang", "豫", "hn_jianduzhe"),
        ("鲁1329", "linshu", "ls_lian", "ls_jingzhi1", "ls_yuanzhang", "鲁", "sd_jianduzhe"),
    ],
)
def test_extensions_go_to_the_president_then_to_the_high_court(
    demo, load_preset, file, staff, audit_rows, code, preset, clerk, executor, president, high, upper
):
    load_preset(code, preset)
    case = file(code, clerk, on=FILED)
    court = demo[code]
    approval = period_extension_request(
        case=case, actor=staff(executor), reason="被执行人房产正在评估拍卖，需延长执行期限", at=moment(date(2026, 9, 1))
    )
    assert approval.chain == [{"role": "president", "court_id": court.pk}]
    assert approval.payload == {"months": 3, "ends_on": "2026-09-10", "extension": 1}
    assert _period(case).ends_on == END  # nothing moves before the approval
    approval_decide(
        approval_id=approval.pk,
        approver=staff(president),
        approver_roles=frozenset({"president"}),
        approver_court_id=court.pk,
        decision="approve",
        reason="同意延长三个月",
        at=moment(date(2026, 9, 2)),
    )
    period = _period(case)
    assert (period.ends_on, period.extension_months, period.extensions) == (date(2026, 12, 10), 3, 1)
    assert _node(case, "execution_period").due_on == date(2026, 12, 10)
    assert _node(case, "review_submission").due_on == date(2026, 11, 10)
    (extended,) = _data(audit_rows("flow.period.extended"))
    assert (extended["before"], extended["after"], extended["extensions"]) == (
        {"ends_on": "2026-09-10"},
        {"ends_on": "2026-12-10"},
        1,
    )

    again = period_extension_request(
        case=case, actor=staff(executor), reason="拍卖流拍，需再次延长执行期限", at=moment(date(2026, 12, 1))
    )
    assert again.chain == [
        {"role": "president", "court_id": court.pk},
        {"role": "upper_supervisor", "court_id": demo[high].pk},
    ]
    approval_decide(
        approval_id=again.pk, approver=staff(president), approver_roles=frozenset({"president"}),
        approver_court_id=court.pk, decision="approve", reason="同意报请", at=moment(date(2026, 12, 2)),
    )  # fmt: skip
    assert _period(case).ends_on == date(2026, 12, 10)  # the high court has not decided yet
    again.refresh_from_db()
    assert (again.status, again.current_court_id, again.current_role) == ("pending", demo[high].pk, "upper_supervisor")
    intermediate = demo[high].children.get()
    with pytest.raises(NotAllowed):  # the intermediate court is not the high court
        approval_decide(
            approval_id=again.pk, approver=staff(upper), approver_roles=frozenset({"upper_supervisor"}),
            approver_court_id=intermediate.pk, decision="approve", reason="同意", at=moment(date(2026, 12, 3)),
        )  # fmt: skip
    approval_decide(
        approval_id=again.pk, approver=staff(upper), approver_roles=frozenset({"upper_supervisor"}),
        approver_court_id=demo[high].pk, decision="approve", reason="同意再次延长", at=moment(date(2026, 12, 3)),
    )  # fmt: skip
    period = _period(case)
    # 2027's holidays are not yet in the calendar: the new end is provisional
    assert (period.ends_on, period.ends_provisional, period.extension_months, period.extensions) == (
        date(2027, 3, 10),
        True,
        6,
        2,
    )


def test_an_extension_asked_for_after_the_end_is_refused_and_records_nothing(case, staff, audit_rows):
    before = len(audit_rows())
    with pytest.raises(Conflict, match="已于2026-09-10届满；延长须在届满前申请"):
        period_extension_request(
            case=case, actor=staff("wx_chakong"), reason="被执行人房产正在评估", at=moment(date(2026, 9, 11))
        )
    assert not Approval.objects.exists()
    assert len(audit_rows()) == before
    assert _period(case).ends_on == END


def test_only_executors_leaders_or_the_chief_of_the_court_ask_for_an_extension(case, staff, audit_rows):
    before = len(audit_rows())
    for person in ("wx_lian", "ls_jingzhi1"):
        with pytest.raises(NotAllowed):
            period_extension_request(case=case, actor=staff(person), reason="需要延长", at=moment(date(2026, 9, 1)))
    assert not Approval.objects.exists()
    assert len(audit_rows()) == before


# --- the 超6个月 ledger ----------------------------------------------------------------------------------


def test_the_ledger_entry_appears_the_day_after_the_six_month_date_and_never_twice(case, staff, audit_rows):
    assert _period(case).ledger_due_on == END
    flow_sweep(at=moment(END, 23))
    assert not OverdueLedgerEntry.objects.exists()
    report = flow_sweep(at=moment(END + timedelta(days=1), 1))
    assert report.counts["ledger"] == 1
    entry = OverdueLedgerEntry.objects.get(case=case)
    assert (entry.due_on, entry.entered_on, entry.status) == (END, date(2026, 9, 11), "open")
    alert = Alert.objects.get(kind="flow.overdue_ledger", case_id=case.pk)
    assert (alert.severity, alert.recipient_role, alert.court_id) == ("critical", "supervisor", case.court_id)
    assert alert.title == f"{case.number}超过六个月未执结，已列入台帐；满六个月日2026-09-10"
    for day in (12, 13):
        assert flow_sweep(at=moment(date(2026, 9, day), 1)).counts["ledger"] == 0
    assert OverdueLedgerEntry.objects.filter(case=case).count() == 1
    assert len(audit_rows("flow.ledger.entered")) == 1
    assert Alert.objects.filter(kind="flow.overdue_ledger").count() == 1


def test_a_closed_case_never_enters_the_ledger(case, staff):
    clerk = staff("wx_lian")
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 3, 11)), reason="移送执行")
    case_transition(case=case, to=CaseStatus.CLOSED, actor=clerk, at=moment(date(2026, 8, 1)), reason="执行完毕")
    assert flow_sweep(at=moment(date(2026, 9, 11), 1)).counts["ledger"] == 0
    assert not OverdueLedgerEntry.objects.exists()


def test_a_suspension_after_the_six_months_does_not_undo_them(case, staff, audit_rows):
    clerk = staff("wx_lian")
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 3, 11)), reason="移送执行")
    case_transition(
        case=case,
        to=CaseStatus.SUSPENDED,
        actor=clerk,
        at=moment(date(2026, 9, 15)),
        reason="被执行人进入破产程序，裁定中止执行",
    )
    period = _period(case)
    # the six months ran out on 10 September: the count neither pauses nor moves
    assert (period.ledger_due_on, period.ledger_paused_since, period.ledger_excluded_days) == (END, None, 0)
    assert flow_sweep(at=moment(date(2026, 9, 16), 1)).counts["ledger"] == 1
    assert OverdueLedgerEntry.objects.get(case=case).due_on == END
    case_transition(
        case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 10, 15)), reason="恢复执行"
    )
    period = _period(case)
    assert (period.ledger_due_on, period.ledger_excluded_days) == (END, 0)
    assert OverdueLedgerEntry.objects.filter(case=case).count() == 1


def test_a_suspension_before_the_six_months_pauses_the_count_and_keeps_the_case_out_of_the_ledger(case, staff):
    clerk = staff("wx_lian")
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 3, 11)), reason="移送执行")
    case_transition(case=case, to=CaseStatus.SUSPENDED, actor=clerk, at=moment(date(2026, 9, 1)), reason="裁定中止执行")
    assert _period(case).ledger_paused_since == date(2026, 9, 1)
    assert flow_sweep(at=moment(date(2026, 9, 16), 1)).counts["ledger"] == 0
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 9, 21)), reason="恢复执行")
    # 20 days suspended: the six months end on 30 September
    assert _period(case).ledger_due_on == date(2026, 9, 30)
    assert flow_sweep(at=moment(date(2026, 9, 30), 23)).counts["ledger"] == 0
    assert flow_sweep(at=moment(date(2026, 10, 1), 1)).counts["ledger"] == 1
