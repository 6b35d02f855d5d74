"""
Saving routing models: the checks, the versions, carrying cases in flight over, and the preset loader command.

临沭法院 (鲁1329) with the linshu preset as version 1.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.courts.models import Team
from zhixing.flow.models import CaseFlow, RoutingModel, Stage, StageEdge, StageVisit
from zhixing.flow.rules.graph import ModelSpec
from zhixing.flow.services import flow_sweep, preset_spec, routing_model_save

from .conftest import moment

AT = moment(date(2026, 2, 1))


def _data(rows: list[dict]) -> list[dict]:
    return [json.loads(row["data"]) for row in rows]


@pytest.fixture
def court(demo, load_preset):
    load_preset("鲁1329", "linshu")
    return demo["鲁1329"]


@pytest.fixture
def spec(court):
    return preset_spec(court=court, code="linshu")


def _with_stage(spec: ModelSpec, code: str, **changes: object) -> ModelSpec:
    return replace(spec, stages=tuple(replace(s, **changes) if s.code == code else s for s in spec.stages))


def _counts() -> tuple[int, int, int]:
    return RoutingModel.objects.count(), Stage.objects.count(), StageEdge.objects.count()


def test_a_stage_without_a_way_to_a_closing_stage_is_refused_by_name_and_nothing_is_written(
    court, spec, staff, audit_rows
):
    model, pools = spec
    cut = replace(model, edges=tuple(e for e in model.edges if e.source != "lift_vp"))
    before, audited = _counts(), len(audit_rows())
    with pytest.raises(ValidationFailed) as refused:
        routing_model_save(court=court, spec=cut, pools=pools, note="删去副院长的出口", actor=staff("ls_admin"), at=AT)
    assert refused.value.fields == {"lift_vp": "“上提分管副院长”到达不了任何结案段：案件进入后将无法办结"}
    assert "“上提分管副院长”到达不了任何结案段" in str(refused.value)
    assert _counts() == before
    assert len(audit_rows()) == audited
    assert RoutingModel.objects.get(court=court, is_current=True).version == 1


def test_a_pool_team_of_another_court_is_refused(court, spec, demo, staff, audit_rows):
    model, pools = spec
    foreign = Team.objects.get(court=demo["豫0825"], name="普执一团队")
    before, audited = _counts(), len(audit_rows())
    with pytest.raises(ValidationFailed) as refused:
        routing_model_save(
            court=court, spec=model, pools={**pools, "jingzhi": [*pools["jingzhi"], foreign.pk]},
            note="借用温县团队", actor=staff("ls_admin"), at=AT,
        )  # fmt: skip
    assert refused.value.fields == {"jingzhi": "团队池中有不属于本院或已停用的团队"}
    assert (_counts(), len(audit_rows())) == (before, audited)


def test_a_save_without_a_change_note_is_refused(court, spec, staff, audit_rows):
    model, pools = spec
    before, audited = _counts(), len(audit_rows())
    with pytest.raises(ValidationFailed, match="请填写修改说明"):
        routing_model_save(court=court, spec=model, pools=pools, note="  ", actor=staff("ls_admin"), at=AT)
    assert (_counts(), len(audit_rows())) == (before, audited)


def test_a_new_version_keeps_the_old_one_for_the_cases_filed_under_it(court, spec, file, staff, audit_rows):
    old_case = file("鲁1329", "ls_lian", on=date(2026, 1, 5))
    v1 = RoutingModel.objects.get(court=court, version=1)
    model, pools = spec
    shorter = replace(
        _with_stage(model, "liucheng", limit_amount=2),
        edges=tuple(replace(e, limit_amount=2) if e.label == "繁案（甄别筛出）" else e for e in model.edges),
    )
    v2 = routing_model_save(
        court=court, spec=shorter, pools=pools, note="流程程序缩短为2个月", actor=staff("ls_admin"), at=AT
    )
    assert (v2.version, v2.is_current, v2.preset, v2.change_note, v2.created_by) == (
        2,
        True,
        "linshu",
        "流程程序缩短为2个月",
        staff("ls_admin"),
    )
    v1.refresh_from_db()
    assert (v1.is_current, v1.stages.count(), v1.edges.count()) == (False, 8, 19)
    (saved,) = _data(audit_rows("flow.model.saved"))
    assert saved == {"version": 2, "note": "流程程序缩短为2个月", "migrated_cases": 0, "previous_version": 1}

    # the case filed under v1 keeps v1: its flow, its visit's stage, its dates
    assert CaseFlow.objects.get(case=old_case).model_id == v1.pk
    old_visit = StageVisit.objects.select_related("stage").get(case=old_case)
    assert (old_visit.stage.model_id, old_visit.limit_amount, old_visit.due_on) == (v1.pk, 3, date(2026, 4, 7))
    # a case filed now enters v2 with two months
    new_case = file("鲁1329", "ls_lian", on=date(2026, 2, 2), basis_document_number="（2025）鲁1329民初200号")
    new_visit = StageVisit.objects.select_related("stage").get(case=new_case)
    assert (new_visit.stage.model_id, new_visit.limit_amount, new_visit.due_on) == (v2.pk, 2, date(2026, 4, 2))
    # and the v1 case moves on along v1's edges
    flow_sweep(at=moment(date(2026, 4, 8), 1))
    moved = CaseFlow.objects.select_related("current_visit__stage").get(case=old_case).current_visit
    assert (moved.stage.code, moved.stage.model_id) == ("jingzhi", v1.pk)


def test_carrying_cases_over_is_refused_when_it_would_strand_them(court, spec, file, staff, audit_rows):
    case = file("鲁1329", "ls_lian", on=date(2026, 1, 5))
    model, pools = spec
    # a version without 流程程序: complex cases go straight to 精执
    without = replace(
        model,
        stages=tuple(s for s in model.stages if s.code != "liucheng"),
        edges=tuple(
            replace(e, target="jingzhi", limit_amount=None) if e.target == "liucheng" else e
            for e in model.edges
            if e.source != "liucheng"
        ),
    )
    pools = {code: ids for code, ids in pools.items() if code != "liucheng"}
    before, audited = _counts(), len(audit_rows())
    with pytest.raises(Conflict) as refused:
        routing_model_save(
            court=court, spec=without, pools=pools, note="取消流程程序", actor=staff("ls_admin"), at=AT,
            migrate_in_flight=True,
        )  # fmt: skip
    assert str(refused.value) == "新版本删去了仍有在办案件的流程段（“liucheng”1件），不能把在办案件迁移到新版本。"
    assert (_counts(), len(audit_rows())) == (before, audited)
    assert CaseFlow.objects.get(case=case).model.version == 1

    # without carrying the cases over, the same version is accepted: the case stays on v1
    v2 = routing_model_save(court=court, spec=without, pools=pools, note="取消流程程序", actor=staff("ls_admin"), at=AT)
    assert v2.version == 2
    assert CaseFlow.objects.get(case=case).model.version == 1


def test_carrying_cases_over_moves_them_to_the_same_stage_of_the_new_version_with_their_dates(
    court, spec, file, staff, audit_rows
):
    case = file("鲁1329", "ls_lian", on=date(2026, 1, 5))
    visit = StageVisit.objects.get(case=case)
    model, pools = spec
    v2 = routing_model_save(
        court=court, spec=_with_stage(model, "jingzhi", points=20), pools=pools, note="精执积分提高到20分",
        actor=staff("ls_admin"), at=AT, migrate_in_flight=True,
    )  # fmt: skip
    flow = CaseFlow.objects.select_related("current_visit__stage").get(case=case)
    assert flow.model_id == v2.pk
    assert flow.current_visit_id == visit.pk
    assert (flow.current_visit.stage.model_id, flow.current_visit.stage.code) == (v2.pk, "liucheng")
    assert (flow.current_visit.starts_on, flow.current_visit.due_on) == (date(2026, 1, 5), date(2026, 4, 7))
    (saved,) = _data(audit_rows("flow.model.saved"))
    assert (saved["migrated_cases"], saved["previous_version"]) == (1, 1)
    # the case moves on along v2's edges: to v2's 精执, worth 20 points
    flow_sweep(at=moment(date(2026, 4, 8), 1))
    moved = CaseFlow.objects.select_related("current_visit__stage").get(case=case).current_visit
    assert (moved.stage.model_id, moved.stage.code, moved.points) == (v2.pk, "jingzhi", 20)


def test_the_preset_loader_command_loads_a_new_version_and_refuses_an_unknown_court(court, capsys, audit_rows):
    call_command("flow_load_preset", court="鲁1329", preset="linshu")
    out = capsys.readouterr().out
    assert out == "临沭县人民法院：已载入“临沭模式：简案速执、中心统筹、团队精执、动态流转”第2版，8个流程段。\n"
    assert list(RoutingModel.objects.filter(court=court).order_by("version").values_list("version", "is_current")) == [
        (1, False),
        (2, True),
    ]
    assert [d["version"] for d in _data(audit_rows("flow.model.loaded"))] == [1, 2]
    before, audited = _counts(), len(audit_rows())
    with pytest.raises(CommandError, match="没有法院代字为“鲁9999”的法院"):
        call_command("flow_load_preset", court="鲁9999", preset="linshu")
    with pytest.raises(CommandError):
        call_command("flow_load_preset", court="鲁1329", preset="nanjing")
    assert (_counts(), len(audit_rows())) == (before, audited)


def test_a_preset_that_does_not_fit_the_court_is_refused(demo, capsys):
    # 武陟 has no 速执团队 or 精执 teams: the linshu preset's pools are empty there
    with pytest.raises(CommandError, match="没有团队池"):
        call_command("flow_load_preset", court="豫0823", preset="linshu")
    assert not RoutingModel.objects.filter(court=demo["豫0823"]).exists()
