"""
The progress table on the case page and its actions, the alert inbox, today's work and the approvals page.

Every test reads what a person would see in the response and what changed in the database; a refused
command is shown in Chinese and changes nothing. The clock the views read is frozen (``clock``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.services import case_document_generate
from zhixing.core.models import Alert, Approval
from zhixing.documents.models import GeneratedDocument
from zhixing.flow.models import CaseFlow, ExecutionPeriod, NodeInstance, PeriodExclusion, StageEdge, StageVisit
from zhixing.flow.services import case_advance, flow_sweep, visit_assign

from .conftest import DEBTOR, moment

HX = {"HX-Request": "true"}
#: The debtor lives in 玉山镇, which 精执一团队 serves (area routing).
YUSHAN_DEBTOR = replace(DEBTOR, address="临沭县玉山镇李家村")
NOTE = "已通过总对总系统发起网络查控，查询存款、车辆、不动产。"


@pytest.fixture
def clock(monkeypatch):
    """Freeze the clock the views read at 2026-01-12 10:00 (Beijing); return a setter of another day."""
    state = {"now": moment(date(2026, 1, 12), 10)}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def set_day(day: date, hour: int = 10) -> None:
        state["now"] = moment(day, hour)

    return set_day


@pytest.fixture
def case(demo, load_preset, file, clock):
    """Return a complex 临沭 case filed on 2026-01-05: in 流程程序 (流程程序组), nobody assigned yet."""
    load_preset("鲁1329", "linshu")
    return file("鲁1329", "ls_lian", debtors=(YUSHAN_DEBTOR,))


def _edge(case, label: str) -> StageEdge:
    return StageEdge.objects.get(model=CaseFlow.objects.get(case=case).model, label=label)


@pytest.fixture
def held(case, staff):
    """Return the case moved on to 精执 (精执一团队) on 2026-01-06 and given to 袁浩 (ls_jingzhi1)."""
    at = moment(date(2026, 1, 6))
    case_advance(case=case, edge_id=_edge(case, "移送精执").pk, actor=staff("ls_juzhang"), at=at)
    visit_assign(case=case, executor=staff("ls_jingzhi1"), actor=staff("ls_tuanzhang1"), at=at)
    case.refresh_from_db()
    return case


def _url(name: str, case, *args: int) -> str:
    return reverse(f"flow:{name}", args=[case.pk, *args])


def _node(case, key: str) -> NodeInstance:
    return NodeInstance.objects.select_related("node_type").get(case=case, key=key)


def _body(response) -> str:
    return response.content.decode()


# --- permissions ---------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_the_login_page(client, case):
    node = _node(case, "network_inquiry")
    gets = [_url("case_progress", case), reverse("flow:inbox"), reverse("flow:today"), reverse("flow:approvals")]
    posts = [
        _url("node_complete", case, node.pk),
        _url("case_advance", case),
        _url("visit_assign", case),
        _url("period_extension", case),
        _url("period_event", case),
        reverse("flow:alert_read", args=[1]),
        reverse("flow:approval_decide", args=[1]),
    ]

    responses = [client.get(url) for url in gets] + [client.post(url, {"note": NOTE}) for url in posts]

    assert [r.status_code for r in responses] == [302] * len(responses)
    assert all(r["Location"].startswith(reverse("login")) for r in responses)
    assert _node(case, "network_inquiry").status == "open"


@pytest.mark.parametrize("name", ["inbox", "today", "approvals"])
def test_someone_without_a_role_today_is_refused(client, demo, django_user_model, name):
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x"))

    assert client.get(reverse(f"flow:{name}")).status_code == 403


def test_a_post_without_the_csrf_token_is_refused(case, staff):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff("ls_jingzhi1"))
    node = _node(case, "network_inquiry")

    response = browser.post(_url("node_complete", case, node.pk), {"note": NOTE}, headers=HX)

    assert response.status_code == 403
    assert _node(case, "network_inquiry").status == "open"


def test_another_courts_case_is_not_found(client, case, staff, audit_rows):
    client.force_login(staff("wx_puzhi1"))  # an executor of 温县
    node = _node(case, "network_inquiry")

    read = client.get(_url("case_progress", case))
    write = client.post(_url("node_complete", case, node.pk), {"note": NOTE}, headers=HX)

    assert (read.status_code, write.status_code) == (404, 404)
    assert _node(case, "network_inquiry").status == "open"
    assert audit_rows("flow.node.completed") == []


def test_an_upper_court_supervisor_reads_the_table_but_may_not_act(client, case, staff):
    client.force_login(staff("ly_jianduzhe"))  # 临沂中院 reads the courts below it
    node = _node(case, "network_inquiry")

    body = _body(client.get(_url("case_progress", case), headers=HX))
    refused = client.post(_url("node_complete", case, node.pk), {"note": NOTE}, headers=HX)

    assert "发起网络查控" in body
    assert 'data-testid="complete-form-network_inquiry"' not in body
    assert 'data-testid="event-form"' not in body
    assert refused.status_code == 403
    assert _node(case, "network_inquiry").status == "open"


def test_a_filing_clerk_sees_no_form_and_is_refused_completing_a_node(client, case, staff, audit_rows):
    client.force_login(staff("ls_lian"))
    node = _node(case, "network_inquiry")

    panel = _body(client.get(_url("case_progress", case), headers=HX))
    response = client.post(_url("node_complete", case, node.pk), {"note": NOTE}, headers=HX)

    assert 'data-testid="complete-form-network_inquiry"' not in panel
    assert response.status_code == 403
    assert "“发起网络查控”应由执行员、团队长完成。" in _body(response)
    node.refresh_from_db()
    assert (node.status, node.completed_at, node.evidence_note) == ("open", None, "")
    assert audit_rows("flow.node.completed") == []


# --- the table -----------------------------------------------------------------------------------------


def test_the_case_page_loads_the_progress_panel(client, case, staff):
    client.force_login(staff("ls_jingzhi1"))

    body = _body(client.get(reverse("cases:case_detail", args=[case.pk])))

    assert f'hx-get="/flow/cases/{case.pk}/progress/"' in body
    assert 'hx-trigger="load"' in body


def test_the_table_shows_the_model_the_stages_the_period_and_every_node(client, case, staff):
    client.force_login(staff("ls_jingzhi1"))

    response = client.get(_url("case_progress", case), headers=HX)
    body = _body(response)

    assert response.status_code == 200
    assert "<html" not in body  # the htmx fragment alone
    assert "临沭模式：简案速执、中心统筹、团队精执、动态流转（第1版）" in body
    assert 'data-stage="liucheng" data-current="true"' in body
    assert "流程程序组" in body
    assert 'data-testid="period-ends-on">2026-07-06<' in body  # 2026-07-05 is a Sunday
    assert 'data-testid="period-ledger-due">2026-07-06<' in body
    # 发出执行通知书和报告财产令: 10 days from 2026-01-05, warned 3 days before → today is in its warning window
    assert 'data-testid="node-state-execution_notice" data-state="warning">即将到期<' in body
    assert 'class="badge warn" data-testid="node-state-execution_notice"' in body
    assert 'data-testid="node-state-filing" data-state="done">已完成<' in body
    assert 'data-testid="node-state-review_submission" data-state="open">进行中<' in body
    assert "届满前1个月" in body
    assert "<td>10日</td>" in body
    assert 'title="《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》（2022年修正）第480条' in body
    assert 'data-testid="complete-form-network_inquiry"' in body
    assert 'data-testid="complete-form-execution_period"' not in body  # completed by the system at closing


def test_the_table_without_htmx_is_a_whole_page(client, case, staff):
    client.force_login(staff("ls_jingzhi1"))

    body = _body(client.get(_url("case_progress", case)))

    assert "<html" in body
    assert f'href="/cases/{case.pk}/"' in body
    assert 'id="flow-progress"' in body


def test_a_court_without_a_routing_model_shows_a_clear_note(client, demo, file, staff, clock):
    case = file("鲁1329", "ls_lian")
    client.force_login(staff("ls_jingzhi1"))

    body = _body(client.get(_url("case_progress", case), headers=HX))

    assert "本院尚未启用流程模型" in body
    assert 'data-testid="progress-stages"' not in body
    assert 'data-testid="node-network_inquiry"' in body  # the legal nodes run all the same


# --- completing a node ---------------------------------------------------------------------------------


def test_an_executor_completes_a_node_with_a_work_note(client, case, staff, audit_rows):
    executor = staff("ls_jingzhi1")
    client.force_login(executor)
    node = _node(case, "network_inquiry")

    response = client.post(_url("node_complete", case, node.pk), {"note": NOTE}, headers=HX)
    body = _body(response)

    assert response.status_code == 200
    assert "已完成“发起网络查控”。" in body
    assert 'data-testid="node-state-network_inquiry" data-state="done">已完成<' in body
    assert NOTE in body
    assert "2026-01-12 10:00" in body
    node.refresh_from_db()
    assert (node.status, node.completed_by, node.evidence_kind, node.evidence_note) == (
        "done",
        executor,
        "note",
        NOTE,
    )
    assert node.completed_at == moment(date(2026, 1, 12), 10)
    assert [json.loads(r["data"])["node"] for r in audit_rows("flow.node.completed")] == ["network_inquiry"]


def test_a_short_note_is_refused_and_what_was_typed_is_kept(client, case, staff, audit_rows):
    client.force_login(staff("ls_jingzhi1"))
    node = _node(case, "network_inquiry")

    response = client.post(_url("node_complete", case, node.pk), {"note": "已查询", "measure_ref": ""}, headers=HX)
    body = _body(response)

    assert response.status_code == 400
    assert "请填写工作记录（不少于10个字），说明办理情况。" in body
    assert "已查询</textarea>" in body
    assert '<details open data-testid="complete-details-network_inquiry">' in body
    assert _node(case, "network_inquiry").status == "open"
    assert audit_rows("flow.node.completed") == []


def test_nodes_are_completed_with_the_cases_documents(client, case, staff, settings, tmp_path, audit_rows):
    settings.MEDIA_ROOT = tmp_path
    executor = staff("ls_jingzhi1")
    client.force_login(executor)
    at = moment(date(2026, 1, 12), 9)
    (notice,) = case_document_generate(case=case, template_code="execution_notice", actor=executor, at=at)
    node = _node(case, "execution_notice")

    # the notice alone is not enough: the node asks for the property-report order as well
    refused = client.post(_url("node_complete", case, node.pk), {"document_id": notice.pk}, headers=HX)

    assert refused.status_code == 400
    assert "还缺少：报告财产令。" in _body(refused)
    assert f'<option value="{notice.pk}" selected>执行通知书（王五） 2026-01-12</option>' in _body(refused)
    assert _node(case, "execution_notice").status == "open"

    # generating the order completes the node by itself (the last of its documents now exists)
    (order,) = case_document_generate(case=case, template_code="property_report_order", actor=executor, at=at)
    panel = _body(client.get(_url("case_progress", case), headers=HX))

    assert 'data-testid="node-state-execution_notice" data-state="done">已完成<' in panel
    assert "报告财产令（王五）" in panel
    assert _node(case, "execution_notice").evidence_document == order

    # a node taking any evidence may rest on a document of the case
    inquiry = _node(case, "network_inquiry")
    response = client.post(_url("node_complete", case, inquiry.pk), {"document_id": order.pk}, headers=HX)

    assert response.status_code == 200
    assert 'data-testid="node-state-network_inquiry" data-state="done">已完成<' in _body(response)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.evidence_kind, inquiry.evidence_document) == ("done", "document", order)
    assert GeneratedDocument.objects.filter(case_id=case.pk).count() == 2
    assert [json.loads(r["data"])["node"] for r in audit_rows("flow.node.completed")] == [
        "execution_notice",
        "network_inquiry",
    ]


def test_a_node_of_another_case_is_not_found(client, case, file, staff):
    other = file("鲁1329", "ls_lian", basis_document_number="（2025）鲁1329民初101号")
    client.force_login(staff("ls_jingzhi1"))
    node = _node(other, "network_inquiry")

    response = client.post(_url("node_complete", case, node.pk), {"note": NOTE}, headers=HX)

    assert response.status_code == 404
    assert _node(other, "network_inquiry").status == "open"


# --- moving the case on and assigning ------------------------------------------------------------------


def test_the_bureau_chief_moves_the_case_on_and_the_team_leader_assigns_an_executor(client, case, staff):
    client.force_login(staff("ls_juzhang"))
    edge = _edge(case, "移送精执")

    panel = _body(client.get(_url("case_progress", case), headers=HX))
    moved = client.post(_url("case_advance", case), {"edge_id": edge.pk, "note": "查控完毕，需处置房产"}, headers=HX)

    assert f'<option value="{edge.pk}">移送精执（→ 精执）</option>' in panel
    assert "流程程序执结（→ 扎口结案）" in panel
    assert moved.status_code == 200
    assert "已移送至“精执”。" in _body(moved)
    assert 'data-stage="jingzhi" data-current="true"' in _body(moved)
    visit = CaseFlow.objects.select_related("current_visit__stage", "current_visit__team").get(case=case).current_visit
    assert (visit.stage.code, visit.team.name, visit.holder_id) == ("jingzhi", "精执一团队", None)

    leader, executor = staff("ls_tuanzhang1"), staff("ls_jingzhi1")
    client.force_login(leader)
    panel = _body(client.get(_url("case_progress", case), headers=HX))
    assigned = client.post(_url("visit_assign", case), {"executor_id": executor.pk}, headers=HX)

    assert f'<option value="{executor.pk}">袁浩</option>' in panel
    assert f'<option value="{leader.pk}" selected>蒋文</option>' not in panel
    assert assigned.status_code == 200
    assert "已指定袁浩承办。" in _body(assigned)
    assert 'data-testid="current-holder">袁浩<' in _body(assigned)
    case.refresh_from_db()
    assert case.executor == executor
    assert StageVisit.objects.get(pk=visit.pk).holder == executor


def test_an_executor_who_does_not_hold_the_case_may_not_move_it(client, case, staff, audit_rows):
    client.force_login(staff("ls_jingzhi1"))
    edge = _edge(case, "移送精执")

    panel = _body(client.get(_url("case_progress", case), headers=HX))
    response = client.post(_url("case_advance", case), {"edge_id": edge.pk, "note": "试图移送"}, headers=HX)

    assert 'data-testid="advance-form"' not in panel
    assert response.status_code == 403
    assert "只有本段承办人、承办团队的团队长或执行局局长可以移送案件。" in _body(response)
    assert list(StageVisit.objects.filter(case=case).values_list("stage__code", flat=True)) == ["liucheng"]
    assert audit_rows("flow.case.advanced") == []


def test_an_executor_may_not_assign(client, held, staff):
    client.force_login(staff("ls_jingzhi1"))

    response = client.post(_url("visit_assign", held), {"executor_id": staff("ls_jingzhi1").pk}, headers=HX)

    assert response.status_code == 403


# --- the execution period ------------------------------------------------------------------------------


def test_an_extension_approved_by_the_president_moves_the_end_three_months(client, held, staff, audit_rows):
    executor, president = staff("ls_jingzhi1"), staff("ls_yuanzhang")
    client.force_login(executor)

    asked = client.post(_url("period_extension", held), {"reason": "被执行人房产正在评估拍卖，需延长"}, headers=HX)

    assert asked.status_code == 200
    assert "已提交审批：（2026）鲁1329执1号延长执行期限3个月。" in _body(asked)
    assert "待临沭县人民法院院长审批" in _body(asked)
    assert 'data-testid="extension-form"' not in _body(asked)  # one application at a time
    approval = Approval.objects.get(case_id=held.pk)
    assert (approval.status, approval.current_role, approval.requested_by) == ("pending", "president", executor)

    client.force_login(president)
    page = _body(client.get(reverse("flow:approvals")))

    assert "被执行人房产正在评估拍卖，需延长" in page
    assert f'data-testid="decide-form-{approval.pk}"' in page
    assert "申请时执行期限届满日：2026-07-06" in page

    decided = client.post(
        reverse("flow:approval_decide", args=[approval.pk]), {"decision": "approve", "reason": ""}, follow=True
    )

    assert "已审批“（2026）鲁1329执1号延长执行期限3个月”：已批准。" in _body(decided)
    period = ExecutionPeriod.objects.get(case=held)
    # 2026-01-05 + 9 months = 2026-10-05, in the National Day holiday (1–7 October) → 2026-10-08
    assert (period.extension_months, period.extensions, period.ends_on) == (3, 1, date(2026, 10, 8))
    assert [json.loads(r["data"])["months"] for r in audit_rows("flow.period.extended")] == [3]

    client.force_login(executor)
    panel = _body(client.get(_url("case_progress", held), headers=HX))
    mine = _body(client.get(reverse("flow:approvals")))

    assert 'data-testid="period-ends-on">2026-10-08<' in panel
    assert "批准延长3个月（1次）" in panel
    assert f'data-testid="requested-{approval.pk}"' in mine
    assert "临沭县人民法院 程远：同意" in mine


def test_not_approving_needs_a_reason_and_a_wrong_approver_is_refused(client, held, staff, audit_rows):
    from zhixing.flow.services import period_extension_request

    approval = period_extension_request(
        case=held, actor=staff("ls_jingzhi1"), reason="需评估房产", at=moment(date(2026, 1, 12))
    )
    client.force_login(staff("ls_yuanzhang"))

    blank = client.post(reverse("flow:approval_decide", args=[approval.pk]), {"decision": "reject", "reason": " "})

    assert blank.status_code == 400
    assert "不同意时须填写理由。" in _body(blank)
    assert f'value="reject" required id="approval-{approval.pk}-decision_1" checked' in _body(blank)

    client.force_login(staff("ls_fuyuanzhang"))  # may approve, but this step is the president's
    page = _body(client.get(reverse("flow:approvals")))
    wrong = client.post(
        reverse("flow:approval_decide", args=[approval.pk]), {"decision": "approve", "reason": "同意延长"}
    )

    assert f'data-testid="pending-{approval.pk}"' not in page
    assert wrong.status_code == 403
    assert "该审批当前应由临沭县人民法院院长审批。" in _body(wrong)
    approval.refresh_from_db()
    assert approval.status == "pending"
    assert ExecutionPeriod.objects.get(case=held).ends_on == date(2026, 7, 6)
    assert audit_rows("core.approval.decided") == []


def test_an_appraisal_moves_the_end_of_the_period(client, held, staff, clock, audit_rows):
    client.force_login(staff("ls_jingzhi1"))

    started = client.post(
        _url("period_event", held),
        {"trigger": "appraisal_started", "on": "2026-01-12", "ref": "（2026）鲁1329执1号之一委托评估"},
        headers=HX,
    )

    assert started.status_code == 200
    assert "已登记“审计、评估、鉴定、财产清理开始”（2026-01-12），执行期限已重新计算。" in _body(started)
    assert 'data-testid="period-paused-since">自2026-01-12起<' in _body(started)
    period = ExecutionPeriod.objects.get(case=held)
    assert (period.paused_since, period.ends_on) == (date(2026, 1, 12), date(2026, 7, 6))

    clock(date(2026, 1, 22))
    client.force_login(staff("ls_jingzhi1"))  # a session lasts 8 hours
    ended = client.post(_url("period_event", held), {"trigger": "appraisal_ended", "on": "2026-01-22"}, headers=HX)

    # ten days excluded: 2026-07-05 + 10 = 2026-07-15
    assert 'data-testid="period-ends-on">2026-07-15<' in _body(ended)
    assert 'data-testid="period-excluded-days">10<' in _body(ended)
    period.refresh_from_db()
    assert (period.ends_on, period.excluded_days, period.paused_since, period.ledger_due_on) == (
        date(2026, 7, 15),
        10,
        None,
        date(2026, 7, 15),
    )
    row = PeriodExclusion.objects.get(case=held)
    assert (row.kind, row.started_on, row.ended_on) == ("appraisal", date(2026, 1, 12), date(2026, 1, 22))
    assert _node(held, "execution_period").due_on == date(2026, 7, 15)
    assert len(audit_rows("flow.period.recomputed")) == 2


def test_an_end_before_the_start_is_refused_and_kept(client, held, staff):
    client.force_login(staff("ls_jingzhi1"))
    client.post(_url("period_event", held), {"trigger": "appraisal_started", "on": "2026-01-12"}, headers=HX)

    response = client.post(_url("period_event", held), {"trigger": "appraisal_ended", "on": "2026-01-10"}, headers=HX)

    assert response.status_code == 400
    assert "审计、评估、鉴定、财产清理的结束日不能早于开始日（2026-01-12）。" in _body(response)
    assert 'value="2026-01-10"' in _body(response)
    assert PeriodExclusion.objects.get(case=held).ended_on is None


def test_only_excluded_period_events_may_be_recorded(client, held, staff):
    client.force_login(staff("ls_jingzhi1"))

    response = client.post(
        _url("period_event", held), {"trigger": "suspension_started", "on": "2026-01-12"}, headers=HX
    )

    assert response.status_code == 400
    assert "只能登记扣除期间的开始或结束。" in _body(response)
    assert not PeriodExclusion.objects.filter(case=held).exists()


# --- the inbox, today's work ---------------------------------------------------------------------------


def test_the_inbox_lists_the_sweeps_alerts_and_marks_one_read(client, held, staff):
    executor = staff("ls_jingzhi1")
    flow_sweep(at=moment(date(2026, 1, 12), 1))
    alert = Alert.objects.get(
        kind="flow.node_warning", recipient=executor, subject_id=str(_node(held, "execution_notice").pk)
    )
    unread = Alert.objects.filter(recipient=executor, read_at__isnull=True).count()
    client.force_login(executor)

    page = _body(client.get(reverse("flow:inbox")))

    assert "节点即将到期" in page
    assert "（2026）鲁1329执1号“发出执行通知书和报告财产令”将于2026-01-15" in page
    assert f'<a href="/cases/{held.pk}/">（2026）鲁1329执1号</a>' in page
    assert f'data-testid="inbox-unread" title="未读提醒">未读 {unread}<' in page

    response = client.post(reverse("flow:alert_read", args=[alert.pk]), {"show": "open"}, headers=HX)

    assert response.status_code == 200
    assert f'data-testid="inbox-unread" title="未读提醒">未读 {unread - 1}<' in _body(response)
    assert f'data-testid="read-{alert.pk}"' not in _body(response)
    alert.refresh_from_db()
    assert alert.read_at == moment(date(2026, 1, 12), 10)


def test_an_alert_to_someone_else_is_not_found(client, held, staff):
    flow_sweep(at=moment(date(2026, 1, 12), 1))
    alert = Alert.objects.filter(recipient=staff("ls_jingzhi1")).first()
    client.force_login(staff("ls_jingzhi2"))

    page = _body(client.get(reverse("flow:inbox")))
    response = client.post(reverse("flow:alert_read", args=[alert.pk]), {}, headers=HX)

    assert f'data-alert="{alert.pk}"' not in page
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.read_at is None


def test_an_alert_to_a_role_is_read_by_a_holder_of_the_role(client, held, staff):
    from zhixing.flow.services import period_extension_request

    period_extension_request(case=held, actor=staff("ls_jingzhi1"), reason="需评估", at=moment(date(2026, 1, 12)))
    alert = Alert.objects.get(kind="core.approval_pending")
    client.force_login(staff("ls_yuanzhang"))

    page = _body(client.get(reverse("flow:inbox")))
    response = client.post(reverse("flow:alert_read", args=[alert.pk]), {"show": "open"}, headers=HX)

    assert "待审批：（2026）鲁1329执1号延长执行期限3个月" in page
    assert response.status_code == 200
    alert.refresh_from_db()
    assert (alert.recipient_id, alert.recipient_role, alert.read_at) == (
        None,
        "president",
        moment(date(2026, 1, 12), 10),
    )


def test_the_inbox_shows_resolved_alerts_on_request(client, held, staff, clock):
    executor = staff("ls_jingzhi1")
    flow_sweep(at=moment(date(2026, 1, 12), 1))
    client.force_login(executor)
    node = _node(held, "network_inquiry")
    client.post(_url("node_complete", held, node.pk), {"note": NOTE}, headers=HX)  # resolves the node's alerts

    open_only = _body(client.get(reverse("flow:inbox")))
    everything = _body(client.get(reverse("flow:inbox"), {"show": "all"}))

    assert "“发起网络查控”" not in open_only
    assert "“发起网络查控”" in everything
    assert "已于2026-01-12消除：节点已完成" in everything


def test_the_daily_digest_links_to_todays_work(client, held, staff):
    from zhixing.flow.services import digest_raise

    digest_raise(at=moment(date(2026, 1, 12), 7))
    client.force_login(staff("ls_jingzhi1"))

    page = _body(client.get(reverse("flow:inbox")))

    assert "每日待办摘要" in page
    assert "今日待办：已超期节点0个，三日内到期节点2个" in page
    assert '<a href="/flow/today/">今日待办</a></td>' in page


def test_today_groups_the_nodes_overdue_today_and_next_days(client, held, staff, clock):
    clock(date(2026, 1, 13))
    client.force_login(staff("ls_jingzhi1"))

    body = _body(client.get(reverse("flow:today")))

    overdue = body[body.index('data-testid="today-overdue"') : body.index("</section>", body.index("today-overdue"))]
    upcoming = body[body.index('data-testid="today-upcoming"') : body.index("</section>", body.index("today-upcoming"))]
    assert "发起网络查控" in overdue
    assert "超期1日" in overdue
    assert "发出执行通知书和报告财产令" in upcoming
    assert "还有2日" in upcoming
    assert f'href="/cases/{held.pk}/"' in overdue


def test_today_is_empty_for_someone_without_cases(client, held, staff):
    client.force_login(staff("ls_jingzhi2"))

    body = _body(client.get(reverse("flow:today")))

    assert "没有已超期或即将到期的节点。" in body


def test_the_approvals_page_shows_no_decision_form_without_the_approve_capability(client, held, staff):
    from zhixing.flow.services import period_extension_request

    approval = period_extension_request(
        case=held, actor=staff("ls_jingzhi1"), reason="需评估", at=moment(date(2026, 1, 12))
    )
    client.force_login(staff("ls_jingzhi1"))

    page = _body(client.get(reverse("flow:approvals")))
    refused = client.post(reverse("flow:approval_decide", args=[approval.pk]), {"decision": "approve"})

    assert f'data-testid="decide-form-{approval.pk}"' not in page
    assert f'data-testid="requested-{approval.pk}"' in page
    assert refused.status_code == 403
    approval.refresh_from_db()
    assert approval.status == "pending"
