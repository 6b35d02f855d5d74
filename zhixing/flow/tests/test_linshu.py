"""
The linshu preset end to end with a frozen clock (seed 004).

A complex case walks from 流程程序 through 精执, a sideways move to the other 精执 team, then
团队长 → 执行局局长 → 分管副院长, points moving 前减后加.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from zhixing.core.models import Alert
from zhixing.flow.choices import VisitEntry, VisitExit
from zhixing.flow.models import CaseFlow, NodeInstance, OverdueLedgerEntry, PointsEntry, StageVisit
from zhixing.flow.services import flow_sweep

from .conftest import moment


@pytest.fixture
def linshu_case(demo, load_preset, file):
    load_preset("鲁1329", "linshu")
    return file("鲁1329", "ls_lian")


def _current(case) -> StageVisit:
    return (
        CaseFlow.objects.select_related("current_visit__stage", "current_visit__team", "current_visit__holder")
        .get(case=case)
        .current_visit
    )


def test_a_complex_case_enters_the_process_stage_with_three_months(linshu_case):
    visit = _current(linshu_case)
    assert visit.stage.code == "liucheng"
    assert visit.team.name == "流程程序组"
    assert (visit.limit_amount, visit.limit_unit) == (3, "months")
    # 2026-01-05 + 3 months = 2026-04-05, in the 清明 holiday (4–6 April) → Tuesday 2026-04-07
    assert visit.due_on == date(2026, 4, 7)
    assert visit.warn_on == date(2026, 3, 31)
    assert visit.entry == VisitEntry.ENTRY
    linshu_case.refresh_from_db()
    assert linshu_case.team_id == visit.team_id
    keys = dict(NodeInstance.objects.filter(case=linshu_case).values_list("key", "status"))
    assert keys == {
        "filing": "done",
        "execution_notice": "open",
        "network_inquiry": "open",
        "termination_prep": "open",
        "execution_period": "open",
        "review_submission": "open",
    }
    period = NodeInstance.objects.get(case=linshu_case, key="execution_period")
    assert period.due_on == date(2026, 7, 6)  # 2026-07-05 is a Sunday


def test_the_case_walks_through_timeouts_and_lifts_to_the_vice_president(linshu_case, staff):
    report = flow_sweep(at=moment(date(2026, 4, 8), 1))
    assert report.counts["lifted"] == 1
    visit = _current(linshu_case)
    assert visit.stage.code == "jingzhi"
    # area routing: the debtor lives in 蛟龙镇, served by 精执二团队
    assert visit.team.name == "精执二团队"
    assert visit.holder is None
    # the leader of 精执二团队 is told to assign an executor
    assert Alert.objects.filter(kind="flow.assign_executor", recipient=staff("ls_tuanzhang2")).count() == 1

    report = flow_sweep(at=moment(visit.due_on, 1))
    assert report.counts.get("sideways", 0) == 0  # not yet: the due day itself is still in time
    after_due = visit.due_on.toordinal() + 1
    report = flow_sweep(at=moment(date.fromordinal(after_due), 1))
    assert report.counts["sideways"] == 1
    sideways = _current(linshu_case)
    assert (sideways.stage.code, sideways.team.name, sideways.entry) == ("jingzhi", "精执一团队", VisitEntry.SIDEWAYS)
    assert (sideways.limit_amount, sideways.limit_unit) == (1, "months")
    assert StageVisit.objects.get(pk=visit.pk).exit == VisitExit.SIDEWAYS

    holders = []
    for expected in ("lift_leader", "lift_chief", "lift_vp"):
        due = _current(linshu_case).due_on
        report = flow_sweep(at=moment(date.fromordinal(due.toordinal() + 1), 1))
        assert report.counts["lifted"] == 1
        current = _current(linshu_case)
        assert current.stage.code == expected
        holders.append(current.holder.username)
    assert holders == ["ls_tuanzhang1", "ls_juzhang", "ls_fuyuanzhang"]
    linshu_case.refresh_from_db()
    assert linshu_case.executor.username == "ls_fuyuanzhang"

    # the vice-president's month runs out too: no further move, a critical alert to him
    due = _current(linshu_case).due_on
    report = flow_sweep(at=moment(date.fromordinal(due.toordinal() + 1), 1))
    assert report.counts["stuck"] == 1
    assert _current(linshu_case).stage.code == "lift_vp"
    assert Alert.objects.filter(kind="flow.stage_overdue", recipient=staff("ls_fuyuanzhang")).count() == 1

    # 前减后加: each timeout moved the stage's points from the holder that ran out of time to the next
    entries = list(PointsEntry.objects.filter(case=linshu_case).order_by("id").values_list("transfer_key", "points"))
    assert len(entries) == 10  # five moves, a pair each
    assert PointsEntry.objects.filter(case=linshu_case).aggregate(total=Sum("points"))["total"] == 0
    by_team = dict(
        PointsEntry.objects.filter(case=linshu_case, team__isnull=False)
        .values_list("team__name")
        .annotate(s=Sum("points"))
        .values_list("team__name", "s")
    )
    assert by_team["流程程序组"] == -10
    by_person = dict(
        PointsEntry.objects.filter(case=linshu_case, user__isnull=False)
        .values_list("user__username")
        .annotate(s=Sum("points"))
        .values_list("user__username", "s")
    )
    assert by_person["ls_fuyuanzhang"] == 10  # received from the chief, nothing passed on
    assert by_person["ls_juzhang"] == 0  # received 10, lost 10


def test_the_sweep_is_idempotent(linshu_case):
    first = flow_sweep(at=moment(date(2026, 4, 8), 1))
    assert first.changed > 0
    again = flow_sweep(at=moment(date(2026, 4, 8), 2))
    assert again.changed == 0
    assert again.counts["alerts"] == 0


def test_six_months_unfinished_enter_the_ledger_once(linshu_case):
    flow_sweep(at=moment(date(2026, 7, 7), 1))
    entry = OverdueLedgerEntry.objects.get(case=linshu_case)
    assert entry.due_on == date(2026, 7, 6)
    flow_sweep(at=moment(date(2026, 7, 8), 1))
    assert OverdueLedgerEntry.objects.filter(case=linshu_case).count() == 1
