"""
The spc-segmented preset (seed 001, 分段执行) at 武陟法院 (豫0823), across the 2026 National Day holiday.

Two cases filed on Thursday 2026-09-24: 执行准备 (10 days) would end on 4 October, inside 国庆 (1–7 October),
so it ends on Thursday 8 October; then 财产查控 (1 month), 强制执行 (3 months, 执行实施组 and 打击拒执组 by
load), the bureau chief's and the vice-president's month, and a last alert. 2027's holidays are not in
the calendar yet: dates that reach into 2027 are marked provisional.
"""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from django.db.models import Sum

from zhixing.cases.inputs import PartyInput
from zhixing.core.identity import generate_resident_id
from zhixing.core.models import Alert
from zhixing.flow.choices import VisitEntry
from zhixing.flow.models import CaseFlow, NodeInstance, PointsEntry, StageEdge, StageVisit
from zhixing.flow.services import case_advance, flow_sweep, visit_assign

from .conftest import moment

FILED = date(2026, 9, 24)
_RNG = random.Random(823)


def _after(day: date) -> datetime:
    return moment(date.fromordinal(day.toordinal() + 1), 1)


def _current(case) -> StageVisit:
    return CaseFlow.objects.select_related("current_visit__stage", "current_visit__team").get(case=case).current_visit


def _shape(visit: StageVisit) -> tuple:
    return (
        visit.stage.code,
        visit.team.name if visit.team else None,
        visit.holder.username if visit.holder else None,
        visit.entry,
        visit.starts_on,
        visit.due_on,
        visit.warn_on,
        visit.due_provisional,
    )


@pytest.fixture
def court(demo, load_preset):
    load_preset("豫0823", "spc-segmented")
    return demo["豫0823"]


@pytest.fixture
def cases(court, file):
    def one(number: int, name: str) -> object:
        debtor = PartyInput(
            kind="natural_person",
            name=name,
            id_number=generate_resident_id(rng=_RNG, birth_date=date(1980, 6, number - 20), region_code="410823"),
            address="河南省焦作市武陟县詹店镇",
        )
        return file(
            "豫0823", "wz_lian", on=FILED, basis_document_number=f"（2026）豫0823民初{number}号", debtors=(debtor,)
        )

    return one(31, "孙建华"), one(32, "周国庆")


def test_the_preparation_stage_and_the_notices_end_after_the_national_day_holiday(cases):
    first, second = cases
    for case in cases:
        # 24 September + 10 days = 4 October, a holiday → Thursday 8 October
        assert _shape(_current(case)) == (
            "zhunbei", "综合组", None, VisitEntry.ENTRY, FILED, date(2026, 10, 8), date(2026, 10, 5), False,
        )  # fmt: skip
        nodes = {n.key: (n.due_on, n.warn_on) for n in NodeInstance.objects.filter(case=case)}
        assert nodes == {
            "filing": (date(2026, 10, 8), date(2026, 10, 6)),  # 1 October (7 days) is a holiday too
            "execution_notice": (date(2026, 10, 8), date(2026, 10, 5)),
            "network_inquiry": (date(2026, 9, 29), date(2026, 9, 27)),  # a Tuesday between the two holidays
            "termination_prep": (date(2026, 12, 24), date(2026, 12, 17)),
            "execution_period": (date(2027, 3, 24), date(2027, 3, 9)),
            "review_submission": (date(2027, 2, 24), date(2027, 2, 17)),
        }
        assert NodeInstance.objects.get(case=case, key="execution_period").due_provisional is True
    # on 8 October the stage is still in time; the next night both move on
    assert flow_sweep(at=moment(date(2026, 10, 8), 23)).counts["lifted"] == 0
    report = flow_sweep(at=_after(date(2026, 10, 8)))
    assert (report.counts["lifted"], report.counts["points_entries"]) == (2, 4)
    for case in cases:
        assert _shape(_current(case)) == (
            "chakong", "执行实施组", None, VisitEntry.TIMEOUT, date(2026, 10, 9), date(2026, 11, 9), date(2026, 11, 4),
            False,
        )  # fmt: skip
    assert dict(PointsEntry.objects.values_list("team__name").annotate(s=Sum("points"))) == {
        "综合组": -6,
        "执行实施组": 6,
    }
    del first, second


def test_load_assignment_spreads_enforcement_over_both_groups_and_the_case_is_lifted(court, cases, staff):
    first, second = cases
    chief = staff("wz_juzhang")
    flow_sweep(at=_after(date(2026, 10, 8)))
    # the first case's inquiry is done early: the executor it was given moves it to 强制执行
    visit_assign(case=first, executor=staff("wz_shishi"), actor=chief, at=moment(date(2026, 10, 12)))
    edge = StageEdge.objects.get(
        model__court=court, model__is_current=True, source__code="chakong", target__code="qiangzhi", trigger="advance"
    )
    case_advance(case=first, edge_id=edge.pk, actor=staff("wz_shishi"), at=moment(date(2026, 10, 20)), note="查控完毕")
    # 20 January 2027 (a Wednesday; 2027 counted on weekends alone, so provisional)
    assert _shape(_current(first)) == (
        "qiangzhi", "执行实施组", None, VisitEntry.ADVANCE, date(2026, 10, 20), date(2027, 1, 20), date(2027, 1, 13),
        True,
    )  # fmt: skip
    # the second runs out of 财产查控: 执行实施组 already holds one enforcement case, 打击拒执组 none
    flow_sweep(at=_after(date(2026, 11, 9)))
    assert _shape(_current(second)) == (
        "qiangzhi", "打击拒执组", None, VisitEntry.TIMEOUT, date(2026, 11, 10), date(2027, 2, 10), date(2027, 2, 3),
        True,
    )  # fmt: skip
    assert Alert.objects.get(kind="flow.assign_executor", subject_id=str(_current(second).pk)).recipient_role == (
        "bureau_chief"
    )

    # 强制执行 runs out: the bureau chief, then the vice-president supervise it (督办), a month each
    flow_sweep(at=_after(date(2027, 1, 20)))
    assert _shape(_current(first)) == (
        "lift_chief", "执行实施组", "wz_juzhang", VisitEntry.TIMEOUT, date(2027, 1, 21), date(2027, 2, 22),
        date(2027, 2, 17), True,
    )  # fmt: skip
    flow_sweep(at=_after(date(2027, 2, 22)))
    assert _shape(_current(first)) == (
        "lift_vp", "执行实施组", "wz_fuyuanzhang", VisitEntry.TIMEOUT, date(2027, 2, 23), date(2027, 3, 23),
        date(2027, 3, 18), True,
    )  # fmt: skip
    report = flow_sweep(at=_after(date(2027, 3, 23)))
    assert report.counts["stuck"] == 1
    assert _current(first).stage.code == "lift_vp"
    alert = Alert.objects.get(kind="flow.stage_overdue", case_id=first.pk)
    assert (alert.recipient, alert.severity) == (staff("wz_fuyuanzhang"), "critical")
    # the second case is lifted on the sweeps that found it out of time (23 February, 24 March)
    assert _shape(_current(second)) == (
        "lift_vp", "打击拒执组", "wz_fuyuanzhang", VisitEntry.TIMEOUT, date(2027, 3, 24), date(2027, 4, 26),
        date(2027, 4, 21), True,
    )  # fmt: skip

    first_points = list(
        PointsEntry.objects.filter(case=first).order_by("id").values_list("points", "team__name", "user__username")
    )
    assert first_points == [
        (-3, "综合组", None),
        (3, "执行实施组", None),
        (-10, "执行实施组", None),  # nobody was given the enforcement stage: the team alone loses
        (10, None, "wz_juzhang"),
        (-10, None, "wz_juzhang"),
        (10, None, "wz_fuyuanzhang"),
    ]
    assert PointsEntry.objects.aggregate(s=Sum("points"))["s"] == 0
