"""
The wenxian preset end to end with a frozen clock (seed 002: 简案快执、普案分段).

温县法院 (豫0825): every case enters the command centre's 集约查控 (查控组, 15 days); a simple case is
moved on to 快执 (the edge only simple cases may take), a complex one to the four 普执 teams by the
debtor's area; 普执 running out of time lifts the case to the bureau chief, then the vice-president,
then it is stuck with a critical alert. Points move 前减后加 at every timeout.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime

import pytest
from django.db.models import Sum

from zhixing.cases.inputs import PartyInput
from zhixing.core.errors import NotAllowed, ValidationFailed
from zhixing.core.identity import generate_resident_id
from zhixing.core.models import Alert
from zhixing.flow.choices import VisitEntry, VisitExit
from zhixing.flow.models import CaseFlow, PointsEntry, StageEdge, StageVisit
from zhixing.flow.services import case_advance, flow_sweep, visit_assign

from .conftest import moment

FILED = date(2026, 3, 2)  # Monday
_RNG = random.Random(825)


def _debtor(name: str, town: str) -> PartyInput:
    return PartyInput(
        kind="natural_person",
        name=name,
        id_number=generate_resident_id(rng=_RNG, birth_date=date(1978, 4, 12), region_code="410825"),
        address=f"河南省焦作市温县{town}{name[0]}家村",
    )


def _current(case) -> StageVisit:
    return (
        CaseFlow.objects.select_related("current_visit__stage", "current_visit__team", "current_visit__holder")
        .get(case=case)
        .current_visit
    )


def _edge(court, source: str, target: str, trigger: str = "advance") -> StageEdge:
    return StageEdge.objects.get(
        model__court=court, model__is_current=True, source__code=source, target__code=target, trigger=trigger
    )


def _shape(visit: StageVisit) -> tuple:
    return (
        visit.stage.code,
        visit.team.name if visit.team else None,
        visit.holder.username if visit.holder else None,
        visit.entry,
        visit.starts_on,
        visit.due_on,
        visit.warn_on,
    )


def _after(day: date) -> datetime:
    """Return the moment of the sweep in the night after ``day`` (01:00 the next day)."""
    return moment(date.fromordinal(day.toordinal() + 1), 1)


@pytest.fixture
def court(demo, load_preset):
    load_preset("豫0825", "wenxian")
    return demo["豫0825"]


@pytest.fixture
def simple_case(court, file):
    case = file(
        "豫0825",
        "wx_lian",
        on=FILED,
        debtor_attitude="paying",
        basis_document_number="（2025）豫0825民初101号",
        debtors=(_debtor("赵建设", "岳村街道"),),
    )
    assert case.triage_class == "simple"
    return case


@pytest.fixture
def complex_case(court, file):
    case = file(
        "豫0825",
        "wx_lian",
        on=FILED,
        debtor_attitude="evasive",
        basis_document_number="（2025）豫0825民初102号",
        debtors=(_debtor("钱德顺", "赵堡镇"),),
    )
    assert case.triage_class == "complex"
    return case


def test_every_case_enters_the_inquiry_group_and_the_chief_is_asked_to_assign_it(simple_case, staff):
    visit = _current(simple_case)
    assert _shape(visit) == ("chakong", "查控组", None, VisitEntry.ENTRY, FILED, date(2026, 3, 17), date(2026, 3, 14))
    assert (visit.limit_amount, visit.limit_unit, visit.points) == (15, "natural_days", 3)
    simple_case.refresh_from_db()
    assert (simple_case.team.name, simple_case.executor) == ("查控组", None)
    # 查控组 has no leader: the bureau chief, who may assign it, is told
    alert = Alert.objects.get(kind="flow.assign_executor", case_id=simple_case.pk)
    assert (alert.recipient, alert.recipient_role) == (None, "bureau_chief")
    assert alert.title == f"{simple_case.number}进入“集约查控”（查控组），请指定承办人"
    assert alert.body == "本段期限至2026-03-17，2026-03-14起预警。"


def test_a_simple_case_goes_fast_then_general_then_up_to_the_vice_president(simple_case, court, staff, audit_rows):
    chief, vp = staff("wx_juzhang"), staff("wx_fuyuanzhang")
    inquirer = staff("wx_chakong")
    visit_assign(case=simple_case, executor=inquirer, actor=chief, at=moment(date(2026, 3, 3)))
    simple_case.refresh_from_db()
    assert simple_case.executor == inquirer

    # 查控组 finds enough assets: the executor moves the case on to 快执 (simple cases only)
    fast = case_advance(
        case=simple_case, edge_id=_edge(court, "chakong", "kuaizhi").pk, actor=inquirer, at=moment(date(2026, 3, 10)),
        note="查控到银行存款足以清偿",
    )  # fmt: skip
    assert _shape(_current(simple_case)) == (
        "kuaizhi", "快执组", None, VisitEntry.ADVANCE, date(2026, 3, 10), date(2026, 4, 10), date(2026, 4, 5),
    )  # fmt: skip
    assert StageVisit.objects.filter(case=simple_case, stage__code="chakong").get().exit == VisitExit.ADVANCED
    (advanced,) = [json.loads(r["data"]) for r in audit_rows("flow.case.advanced")]
    assert (advanced["from"], advanced["to"], advanced["note"], advanced["team_id"]) == (
        "chakong",
        "kuaizhi",
        "查控到银行存款足以清偿",
        fast.team_id,
    )
    assert not PointsEntry.objects.exists()  # a move in time costs nothing

    # 快执 runs out on 10 April: the night after, the case goes to 普执 by the debtor's area (岳村街道 → 普执一团队)
    assert flow_sweep(at=moment(date(2026, 4, 10), 23)).counts["lifted"] == 0
    report = flow_sweep(at=_after(date(2026, 4, 10)))
    assert (report.counts["lifted"], report.counts["sideways"], report.counts["points_entries"]) == (1, 0, 2)
    general = _current(simple_case)
    # 11 July 2026 is a Saturday → Monday 13 July
    assert _shape(general) == (
        "puzhi", "普执一团队", None, VisitEntry.TIMEOUT, date(2026, 4, 11), date(2026, 7, 13), date(2026, 7, 6),
    )  # fmt: skip
    assert general.via_edge.label == "快执期满未结"
    assert StageVisit.objects.get(pk=fast.pk).exit == VisitExit.TIMED_OUT
    leader_alert = Alert.objects.get(kind="flow.assign_executor", case_id=simple_case.pk, subject_id=str(general.pk))
    assert leader_alert.recipient == staff("wx_tuanzhang1")
    visit_assign(
        case=simple_case, executor=staff("wx_puzhi1"), actor=staff("wx_tuanzhang1"), at=moment(date(2026, 4, 13))
    )

    # 普执 runs out: lifted to the bureau chief, then the vice-president, one month each
    flow_sweep(at=_after(date(2026, 7, 13)))
    lifted = _current(simple_case)
    assert _shape(lifted) == (
        "lift_chief", "普执一团队", "wx_juzhang", VisitEntry.TIMEOUT, date(2026, 7, 14), date(2026, 8, 14),
        date(2026, 8, 9),
    )  # fmt: skip
    assert Alert.objects.filter(kind="flow.case_lifted", recipient=chief, case_id=simple_case.pk).count() == 1
    flow_sweep(at=_after(date(2026, 8, 14)))
    top = _current(simple_case)
    assert _shape(top) == (
        "lift_vp", "普执一团队", "wx_fuyuanzhang", VisitEntry.TIMEOUT, date(2026, 8, 15), date(2026, 9, 15),
        date(2026, 9, 10),
    )  # fmt: skip
    simple_case.refresh_from_db()
    assert (simple_case.executor, simple_case.team.name) == (vp, "普执一团队")

    # the vice-president's month runs out: nowhere further to go — a critical alert to him, once
    report = flow_sweep(at=_after(date(2026, 9, 15)))
    assert (report.counts["stuck"], report.counts["lifted"]) == (1, 0)
    stuck = StageVisit.objects.get(pk=top.pk)
    assert (stuck.left_at, stuck.timed_out_at, stuck.exit) == (None, _after(date(2026, 9, 15)), "")
    alert = Alert.objects.get(kind="flow.stage_overdue", case_id=simple_case.pk)
    assert (alert.severity, alert.recipient, alert.due_on) == ("critical", vp, date(2026, 9, 15))
    assert alert.title == f"{simple_case.number}“分管副院长督办”已期满，且无后续流转"
    (overdue,) = [json.loads(r["data"]) for r in audit_rows("flow.stage.overdue")]
    assert overdue == {"stage": "lift_vp", "due_on": "2026-09-15", "holder_id": vp.pk}
    again = flow_sweep(at=_after(date(2026, 9, 16)))
    assert (again.counts["stuck"], again.counts["alerts"]) == (0, 0)
    assert Alert.objects.filter(kind="flow.stage_overdue").count() == 1

    # 前减后加: the stage that ran out of time loses its points, the next holder gains them
    entries = list(
        PointsEntry.objects.filter(case=simple_case)
        .order_by("id")
        .values_list("points", "team__name", "user__username")
    )
    assert entries == [
        (-5, "快执组", None),
        (5, "普执一团队", None),
        (-10, "普执一团队", "wx_puzhi1"),
        (10, None, "wx_juzhang"),
        (-10, None, "wx_juzhang"),
        (10, None, "wx_fuyuanzhang"),
    ]
    teams = dict(PointsEntry.objects.filter(team__isnull=False).values_list("team__name").annotate(s=Sum("points")))
    assert teams == {"快执组": -5, "普执一团队": -5}
    people = dict(
        PointsEntry.objects.filter(user__isnull=False).values_list("user__username").annotate(s=Sum("points"))
    )
    assert people == {"wx_puzhi1": -10, "wx_juzhang": 0, "wx_fuyuanzhang": 10}
    assert PointsEntry.objects.aggregate(s=Sum("points"))["s"] == 0
    moves = [json.loads(r["data"]) for r in audit_rows("flow.case.timed_out")]
    assert [(m["from"], m["stage"], m["points"]) for m in moves] == [
        ("kuaizhi", "puzhi", 5),
        ("puzhi", "lift_chief", 10),
        ("lift_chief", "lift_vp", 10),
    ]


def test_a_simple_case_left_in_the_inquiry_group_times_out_to_fast_execution(simple_case):
    flow_sweep(at=_after(date(2026, 3, 17)))
    visit = _current(simple_case)
    # 18 April 2026 is a Saturday → Monday 20 April
    assert _shape(visit) == (
        "kuaizhi", "快执组", None, VisitEntry.TIMEOUT, date(2026, 3, 18), date(2026, 4, 20), date(2026, 4, 15),
    )  # fmt: skip
    assert visit.via_edge.label == "查控期满（简案）"


def test_a_complex_case_left_in_the_inquiry_group_times_out_to_its_area_team(complex_case):
    flow_sweep(at=_after(date(2026, 3, 17)))
    visit = _current(complex_case)
    # 赵堡镇 is 普执四团队's area; 18 June 2026 is a Thursday
    assert _shape(visit) == (
        "puzhi", "普执四团队", None, VisitEntry.TIMEOUT, date(2026, 3, 18), date(2026, 6, 18), date(2026, 6, 11),
    )  # fmt: skip
    assert visit.via_edge.label == "查控期满（繁案）"


def test_a_complex_case_is_advanced_directly_to_its_area_team(complex_case, court, staff):
    visit_assign(
        case=complex_case, executor=staff("wx_chakong"), actor=staff("wx_juzhang"), at=moment(date(2026, 3, 3))
    )
    case_advance(
        case=complex_case, edge_id=_edge(court, "chakong", "puzhi").pk, actor=staff("wx_chakong"),
        at=moment(date(2026, 3, 9)), note="需处置不动产",
    )  # fmt: skip
    visit = _current(complex_case)
    assert _shape(visit) == (
        "puzhi", "普执四团队", None, VisitEntry.ADVANCE, date(2026, 3, 9), date(2026, 6, 9), date(2026, 6, 2),
    )  # fmt: skip
    complex_case.refresh_from_db()
    assert (complex_case.team.name, complex_case.executor) == ("普执四团队", None)


def test_a_complex_case_cannot_take_the_simple_only_edge_and_nothing_changes(complex_case, court, staff, audit_rows):
    inquirer = staff("wx_chakong")
    visit_assign(case=complex_case, executor=inquirer, actor=staff("wx_juzhang"), at=moment(date(2026, 3, 3)))
    before_visit = _shape(_current(complex_case))
    before_audit, before_alerts = len(audit_rows()), Alert.objects.count()
    with pytest.raises(ValidationFailed, match="“查控后财产足以结案”只适用于简案"):
        case_advance(
            case=complex_case,
            edge_id=_edge(court, "chakong", "kuaizhi").pk,
            actor=inquirer,
            at=moment(date(2026, 3, 9)),
        )
    # nor may someone who neither holds it, leads its team nor heads the bureau move it
    with pytest.raises(NotAllowed, match="只有本段承办人"):
        case_advance(
            case=complex_case, edge_id=_edge(court, "chakong", "puzhi").pk, actor=staff("wx_kuaizhi"),
            at=moment(date(2026, 3, 9)),
        )  # fmt: skip
    # nor along an edge that does not leave its current stage
    with pytest.raises(ValidationFailed, match="不是当前流程段的去向"):
        case_advance(
            case=complex_case, edge_id=_edge(court, "puzhi", "pingcha").pk, actor=inquirer, at=moment(date(2026, 3, 9))
        )
    assert _shape(_current(complex_case)) == before_visit
    assert StageVisit.objects.filter(case=complex_case).count() == 1
    assert (len(audit_rows()), Alert.objects.count()) == (before_audit, before_alerts)
    complex_case.refresh_from_db()
    assert (complex_case.team.name, complex_case.executor) == ("查控组", inquirer)


def test_a_stranger_to_the_team_cannot_be_assigned(simple_case, staff, audit_rows):
    before = len(audit_rows())
    with pytest.raises(ValidationFailed, match="承办人须为查控组在职的执行员或团队长"):
        visit_assign(
            case=simple_case, executor=staff("wx_kuaizhi"), actor=staff("wx_juzhang"), at=moment(date(2026, 3, 3))
        )
    with pytest.raises(NotAllowed):
        visit_assign(
            case=simple_case, executor=staff("wx_chakong"), actor=staff("wx_puzhi1"), at=moment(date(2026, 3, 3))
        )
    assert _current(simple_case).holder is None
    assert len(audit_rows()) == before


@pytest.mark.parametrize(
    ("town", "team"),
    [
        ("温泉街道", "普执一团队"),
        ("番田镇", "普执二团队"),
        ("武德镇", "普执三团队"),
        ("招贤乡", "普执四团队"),
    ],
)
def test_the_general_team_is_chosen_by_the_debtors_area(court, file, town, team):
    case = file(
        "豫0825", "wx_lian", on=FILED, debtor_attitude="evasive", basis_document_number=f"（2025）豫0825民初{town}号",
        debtors=(_debtor("孙有才", town),),
    )  # fmt: skip
    flow_sweep(at=_after(date(2026, 3, 17)))
    assert (_current(case).stage.code, _current(case).team.name) == ("puzhi", team)


def test_a_debtor_outside_every_area_goes_to_the_least_loaded_general_team(court, file):
    towns = {}
    for number, (name, town) in enumerate((("周大海", "温泉街道"), ("郑小川", "祥云镇")), start=201):
        towns[town] = file(
            "豫0825", "wx_lian", on=FILED, debtor_attitude="evasive",
            basis_document_number=f"（2025）豫0825民初{number}号", debtors=(_debtor(name, town),),
        )  # fmt: skip
    stranger = PartyInput(
        kind="natural_person", name="吴远方", id_number=generate_resident_id(rng=_RNG), address="河南省郑州市金水区"
    )
    outsider = file(
        "豫0825", "wx_lian", on=FILED, debtor_attitude="evasive", basis_document_number="（2025）豫0825民初203号",
        debtors=(stranger,),
    )  # fmt: skip
    flow_sweep(at=_after(date(2026, 3, 17)))
    assert _current(towns["温泉街道"]).team.name == "普执一团队"
    assert _current(towns["祥云镇"]).team.name == "普执二团队"
    # 普执一 and 普执二 now hold a case each in 普执: the outsider goes to the first of the idle teams
    assert _current(outsider).team.name == "普执三团队"
