"""
The routing model page, its editor and the node catalogue page: what each shows, who may change what.

A refused save is shown next to the stage it names with everything typed kept, and leaves no version
and no audit record behind.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.forms import MultipleChoiceField
from django.urls import reverse
from django.utils import timezone

from zhixing.flow.models import CourtNodeSetting, RoutingModel, Stage, StageVisit

from .conftest import moment

TODAY = date(2026, 11, 23)
NOW = moment(TODAY, 10)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def linshu(demo, load_preset):
    load_preset("鲁1329", "linshu")
    return demo["鲁1329"]


def _login(client, staff, username):
    client.force_login(staff(username))
    return client


def _json_script(body: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def _editor_data(response) -> dict:
    """Return the editor's form as a browser would submit it unchanged (the management forms included)."""
    forms = response.context["forms"]
    data: dict = {}
    for form in [forms.header, *forms.stages.forms, *forms.edges.forms]:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(form.fields[name], MultipleChoiceField):
                data[key] = list(value or [])  # unchecked boxes send nothing
            else:
                data[key] = "" if value is None else str(value)
    for formset in (forms.stages, forms.edges):
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[management.add_prefix(name)] = str(management[name].value())
    return data


def _errors(response) -> list:
    forms = response.context["forms"]
    return [
        forms.problem,
        forms.header.errors,
        [e for e in forms.stages.errors if e],
        [e for e in forms.edges.errors if e],
        forms.stages.non_form_errors(),
        forms.edges.non_form_errors(),
    ]


def _rows(data: dict, prefix: str) -> list[int]:
    return list(range(int(data[f"{prefix}-TOTAL_FORMS"])))


def _stage_index(data: dict, code: str) -> int:
    return next(i for i in _rows(data, "stages") if data.get(f"stages-{i}-code") == code)


def _edge_indexes(data: dict, *, source: str = "", target: str = "") -> list[int]:
    return [
        i
        for i in _rows(data, "edges")
        if (not source or data.get(f"edges-{i}-source") == source)
        and (not target or data.get(f"edges-{i}-target") == target)
    ]


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["flow:model", "flow:model_edit", "flow:nodes"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, demo, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_without_a_court_role_is_refused(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x"))

    assert client.get(reverse("flow:model")).status_code == 403
    assert client.get(reverse("flow:nodes")).status_code == 403


def test_an_executor_reads_the_model_but_may_not_change_anything(client, linshu, staff, audit_rows):
    _login(client, staff, "ls_jingzhi1")
    before = len(audit_rows())

    page = client.get(reverse("flow:model"))
    nodes = client.get(reverse("flow:nodes"))

    assert page.status_code == 200
    assert 'data-testid="model-edit-link"' not in page.content.decode()
    assert nodes.status_code == 200
    assert 'data-testid="node-setting-' not in nodes.content.decode()
    assert client.get(reverse("flow:model_edit")).status_code == 403
    assert client.post(reverse("flow:model_edit"), {"change_note": "x"}).status_code == 403
    assert client.post(reverse("flow:model_load_preset"), {"preset": "wenxian"}).status_code == 403
    setting = client.post(reverse("flow:node_setting", args=["execution_notice"]), {"execution_notice-amount": "5"})
    assert setting.status_code == 403
    assert RoutingModel.objects.filter(court=linshu).count() == 1
    assert not CourtNodeSetting.objects.exists()
    assert len(audit_rows()) == before


def test_a_supervisor_reads_but_may_not_edit(client, linshu, staff):
    _login(client, staff, "ls_jianguan")

    assert client.get(reverse("flow:model")).status_code == 200
    assert client.get(reverse("flow:model_edit")).status_code == 403


def test_another_courts_model_is_not_shown(client, linshu, demo, staff):
    _login(client, staff, "wx_admin")

    assert client.get(reverse("flow:model"), {"court": linshu.pk}).status_code == 404
    assert client.get(reverse("flow:nodes"), {"court": linshu.pk}).status_code == 404
    own = client.get(reverse("flow:model"))
    assert own.context["page"].court == demo["豫0825"]
    assert 'data-testid="model-none"' in own.content.decode()
    assert "精执一团队" not in own.content.decode()


def test_an_upper_supervisor_reads_a_court_below(client, linshu, staff):
    _login(client, staff, "ly_jianduzhe")

    response = client.get(reverse("flow:model"), {"court": linshu.pk})

    assert response.status_code == 200
    assert response.context["page"].model.court == linshu
    assert not response.context["page"].may_edit


# --- the model page --------------------------------------------------------------------------------


def test_the_page_draws_the_current_model_with_its_stages_edges_and_versions(client, linshu, staff):
    _login(client, staff, "ls_juzhang")

    response = client.get(reverse("flow:model"))

    assert response.status_code == 200
    body = response.content.decode()
    diagram = _json_script(body, "model-diagram-data")
    stages = {node["name"]: node for node in diagram["nodes"]}
    assert list(stages) == [
        "入口", "速执", "流程程序", "精执", "上提团队长", "上提执行局局长", "上提分管副院长", "扎口结案", "终本维护",
    ]  # fmt: skip
    assert stages["精执"]["value"] == "精执一团队、精执二团队；期限3个月；积分10；期满可横向移交1次（1个月）"
    assert stages["上提团队长"]["category"] == "lift"
    assert stages["扎口结案"]["category"] == "closing"
    assert all({"x", "y"} <= set(node) for node in diagram["nodes"])
    assert len(diagram["links"]) == 19
    timeouts = [link for link in diagram["links"] if link["trigger"] == "timeout"]
    assert {link["lineStyle"]["type"] for link in timeouts} == {"dashed"}
    assert any(link["label"] == "速执未能执结，2个月" for link in timeouts)
    assert 'src="/static/vendor/echarts/echarts.min.js"' in body
    assert 'id="model-diagram"' in body
    table = body[body.index('data-testid="model-stages"') : body.index('data-testid="model-edges"')]
    for name in ("速执", "流程程序", "精执", "终本维护"):
        assert f"<td>{name}</td>" in table
    assert "精执一团队、精执二团队" in table
    assert "1次，每次1个月" in table
    assert [v.version for v in response.context["page"].versions] == [1]
    assert 'data-testid="model-edit-link"' in body


def test_a_court_without_a_model_offers_the_presets_to_its_admin_who_loads_one(client, demo, staff, audit_rows):
    admin = staff("wx_admin")
    _login(client, staff, "wx_admin")

    page = client.get(reverse("flow:model"))
    response = client.post(reverse("flow:model_load_preset"), {"preset": "wenxian"})

    assert [p.code for p in page.context["page"].presets] == ["spc-segmented", "wenxian", "linshu"]
    assert 'data-testid="model-preset-form"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("flow:model")
    model = RoutingModel.objects.get(court=demo["豫0825"])
    assert (model.version, model.preset, model.is_current, model.created_by) == (1, "wenxian", True, admin)
    (record,) = audit_rows("flow.model.loaded")
    assert record["actor_id"] == admin.pk


def test_an_unknown_preset_is_refused_and_nothing_is_loaded(client, demo, staff, audit_rows):
    _login(client, staff, "wx_juzhang")

    response = client.post(reverse("flow:model_load_preset"), {"preset": "nowhere"})

    assert response.status_code == 400
    assert "没有该预设。" in response.content.decode()
    assert not RoutingModel.objects.exists()
    assert audit_rows("flow.model.loaded") == []


# --- the editor ------------------------------------------------------------------------------------


def test_the_editor_starts_from_the_current_model(client, linshu, staff):
    _login(client, staff, "ls_admin")

    response = client.get(reverse("flow:model_edit"))

    assert response.status_code == 200
    data = _editor_data(response)
    assert data["name"] == "临沭模式：简案速执、中心统筹、团队精执、动态流转"
    assert (data["stages-TOTAL_FORMS"], data["stages-INITIAL_FORMS"]) == ("9", "8")
    assert (data["edges-TOTAL_FORMS"], data["edges-INITIAL_FORMS"]) == ("20", "19")
    jingzhi = _stage_index(data, "jingzhi")
    assert data[f"stages-{jingzhi}-limit_amount"] == "3"
    assert data[f"stages-{jingzhi}-sideways_max"] == "1"
    assert len(data[f"stages-{jingzhi}-pool"]) == 2
    body = response.content.decode()
    assert "把在办案件迁移到新版本" in body
    assert 'name="stages-0-pool"' in body


def test_a_stage_left_without_exits_is_refused_next_to_it_and_everything_typed_stays(client, linshu, staff, audit_rows):
    _login(client, staff, "ls_juzhang")
    data = _editor_data(client.get(reverse("flow:model_edit")))
    for index in _edge_indexes(data, source="jingzhi"):
        data[f"edges-{index}-DELETE"] = "on"
    data["name"] = "临沭模式（试行修改）"
    data["change_note"] = "删去精执的全部出口（错误示范）"
    data[f"stages-{_stage_index(data, 'jingzhi')}-points"] = "12"
    before = len(audit_rows())

    response = client.post(reverse("flow:model_edit"), data)

    assert response.status_code == 400
    body = response.content.decode()
    message = "“精执”到达不了任何结案段：案件进入后将无法办结"
    errors = re.search(r'data-testid="stage-errors-jingzhi">(.*?)</ul>', body, re.S)
    assert errors
    assert message in errors.group(1)
    assert message in body[body.index('data-testid="model-edit-problem"') :]
    assert 'value="临沭模式（试行修改）"' in body
    assert 'value="删去精执的全部出口（错误示范）"' in body
    assert 'value="12"' in body
    for index in _edge_indexes(data, source="jingzhi"):
        assert re.search(rf'name="edges-{index}-DELETE"[^>]*checked', body)
    assert RoutingModel.objects.filter(court=linshu).count() == 1
    assert len(audit_rows()) == before


def test_a_valid_edit_becomes_version_two(client, linshu, staff, audit_rows):
    chief = staff("ls_juzhang")
    _login(client, staff, "ls_juzhang")
    data = _editor_data(client.get(reverse("flow:model_edit")))
    jingzhi = _stage_index(data, "jingzhi")
    data[f"stages-{jingzhi}-limit_amount"] = "4"
    data["change_note"] = "精执期限延长为4个月"

    response = client.post(reverse("flow:model_edit"), data)

    assert response.status_code == 302, _errors(response)
    assert response["Location"] == reverse("flow:model")
    current = RoutingModel.objects.get(court=linshu, is_current=True)
    assert (current.version, current.change_note, current.created_by, current.preset) == (
        2,
        "精执期限延长为4个月",
        chief,
        "linshu",
    )
    stage = Stage.objects.get(model=current, code="jingzhi")
    assert (stage.limit_amount, stage.sideways_max, stage.points) == (4, 1, 10)
    assert sorted(stage.teams.values_list("name", flat=True)) == ["精执一团队", "精执二团队"]
    assert current.stages.count() == 8
    assert current.edges.count() == 19
    (record,) = audit_rows("flow.model.saved")
    assert record["actor_id"] == chief.pk
    assert json.loads(record["data"])["previous_version"] == 1
    page = client.get(reverse("flow:model"))
    assert [v.version for v in page.context["page"].versions] == [2, 1]


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(client, linshu, staff):
    _login(client, staff, "ls_juzhang")
    data = _editor_data(client.get(reverse("flow:model_edit")))
    data["change_note"] = "增设一段"

    response = client.post(reverse("flow:model_edit"), {**data, "add": "stage"})

    assert response.status_code == 200
    assert 'name="stages-9-code"' in response.content.decode()
    assert 'value="增设一段"' in response.content.decode()
    assert RoutingModel.objects.filter(court=linshu).count() == 1


def test_a_migration_that_would_strand_cases_is_refused_with_the_reason(client, linshu, file, staff, audit_rows):
    case = file("鲁1329", "ls_lian")  # a complex case: in 流程程序 (liucheng)
    _login(client, staff, "ls_juzhang")
    data = _editor_data(client.get(reverse("flow:model_edit")))
    data[f"stages-{_stage_index(data, 'liucheng')}-DELETE"] = "on"
    for index in _edge_indexes(data, source="liucheng") + _edge_indexes(data, target="liucheng"):
        if data[f"edges-{index}-source"]:
            data[f"edges-{index}-DELETE"] = "on"
        else:  # complex cases now enter 精执 directly
            data[f"edges-{index}-target"] = "jingzhi"
    data["change_note"] = "取消流程程序段"
    data["migrate_in_flight"] = "on"
    before = len(audit_rows())

    response = client.post(reverse("flow:model_edit"), data)

    assert response.status_code == 409
    body = response.content.decode()
    assert "新版本删去了仍有在办案件的流程段（“liucheng”1件），不能把在办案件迁移到新版本。" in body
    assert "有在办案件的流程段不能删去" in body
    assert 'value="取消流程程序段"' in body
    assert RoutingModel.objects.filter(court=linshu).count() == 1
    assert StageVisit.objects.get(case=case, left_at__isnull=True).stage.model.version == 1
    assert len(audit_rows()) == before


# --- the node catalogue ----------------------------------------------------------------------------


def test_the_catalogue_shows_every_node_with_its_basis_and_the_courts_period(client, linshu, staff):
    _login(client, staff, "ls_jingzhi1")

    response = client.get(reverse("flow:nodes"))

    assert response.status_code == 200
    rows = {line.code: line for line in response.context["page"].rows}
    assert len(rows) == 11
    notice = rows["execution_notice"]
    assert (notice.law_period, notice.court_period, notice.warn_days) == ("10日", "10日", 3)
    assert notice.completed_by == ["执行员", "团队长"]
    assert notice.evidence == "文书：执行通知书、报告财产令"
    assert rows["clue_check"].law_period == "7日（紧急时3日）"
    assert rows["control_renewal"].law_period == "届满前1日"
    body = response.content.decode()
    assert "第480条" in body
    assert "2022-04-10" in body
    assert "评估实践要求，非法定期限；法院可自行设定" in body


def test_a_tighter_period_is_accepted_and_a_looser_one_refused(client, linshu, staff, audit_rows):
    admin = staff("ls_admin")
    _login(client, staff, "ls_admin")
    url = reverse("flow:node_setting", args=["execution_notice"])

    tighter = client.post(
        url, {"execution_notice-amount": "7", "execution_notice-warn_days": "2"}, HTTP_HX_REQUEST="true"
    )
    looser = client.post(
        url, {"execution_notice-amount": "12", "execution_notice-warn_days": ""}, HTTP_HX_REQUEST="true"
    )

    assert tighter.status_code == 200
    assert tighter.content.decode().lstrip().startswith('<tr id="node-execution_notice"')
    assert "<strong>7日</strong>" in tighter.content.decode()
    assert looser.status_code == 400
    body = looser.content.decode()
    assert "“发出执行通知书和报告财产令”的法定期限为10日，本院只能设定更短的期限（1至10日）" in body
    assert 'name="execution_notice-amount" value="12"' in body
    setting = CourtNodeSetting.objects.get(court=linshu, code="execution_notice")
    assert (setting.amount, setting.warn_days, setting.changed_by) == (7, 2, admin)
    (record,) = audit_rows("flow.node_setting.changed")
    assert record["actor_id"] == admin.pk
    page = client.get(reverse("flow:nodes")).context["page"]
    notice = next(line for line in page.rows if line.code == "execution_notice")
    assert (notice.court_period, notice.warn_days, notice.is_tightened) == ("7日", 2, True)


def test_a_setting_without_htmx_redirects_or_shows_the_page_with_the_error(client, linshu, staff):
    _login(client, staff, "ls_juzhang")
    url = reverse("flow:node_setting", args=["network_inquiry"])

    saved = client.post(url, {"network_inquiry-amount": "3"})
    refused = client.post(url, {"network_inquiry-amount": "abc"})

    assert saved.status_code == 302
    assert refused.status_code == 400
    assert "请填写整数。" in refused.content.decode()
    assert CourtNodeSetting.objects.get(code="network_inquiry").amount == 3
    assert client.post(reverse("flow:node_setting", args=["nowhere"]), {}).status_code == 404
