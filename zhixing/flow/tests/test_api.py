"""
The flow API under /api/v1/flow/: progress, nodes, events, moves, transfers, extension, alerts, ledger, model.

A linshu case filed on Monday 2026-01-05 in 临沭 (鲁1329); the API reads a frozen clock (2026-03-02, a
Monday, unless a test moves it).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from zhixing.core.models import Alert
from zhixing.flow.models import ExecutionPeriod, NodeInstance, OverdueLedgerEntry, StageEdge, StageVisit
from zhixing.flow.services import flow_sweep, visit_assign

from .conftest import moment

BASE = "/api/v1/flow"
NOT_FOUND = {"code": "not_found", "message": "未找到该对象，或您无权查看。"}


class Clock:
    """The moment the API reads as ``timezone.now()``."""

    at: datetime = moment(date(2026, 3, 2), 10)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Freeze the clock the API and the scope middleware read; set ``clock.at`` to move it."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.at)
    return clock


@pytest.fixture
def as_user(staff):
    """Return an API client authenticated as a demo person."""

    def client(username: str) -> APIClient:
        api = APIClient()
        api.force_authenticate(user=staff(username))
        return api

    return client


@pytest.fixture
def case(demo, load_preset, file, clock):
    load_preset("鲁1329", "linshu")
    return file("鲁1329", "ls_lian")


def _node(case, key: str) -> NodeInstance:
    return NodeInstance.objects.get(case=case, key=key)


def _edge(label: str, source: str) -> StageEdge:
    return StageEdge.objects.get(label=label, source__code=source, model__court__code="鲁1329", model__is_current=True)


# --- who may call ----------------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/cases/1/progress/"),
    ("get", "/cases/1/transfers/"),
    ("post", "/cases/1/anchors/"),
    ("post", "/cases/1/advance/"),
    ("post", "/cases/1/assign/"),
    ("post", "/cases/1/extension/"),
    ("get", "/nodes/"),
    ("post", "/nodes/1/complete/"),
    ("get", "/alerts/"),
    ("post", "/alerts/1/read/"),
    ("get", "/ledger/"),
    ("get", "/model/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_calls_are_refused(method, path):
    response = getattr(APIClient(), method)(BASE + path, {}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_person_without_a_role_today_is_refused(demo, clock, method, path):
    from zhixing.courts.services import user_create

    api = APIClient()
    api.force_authenticate(user_create(username="nobody", name="无角色", password=None, actor=None, at=clock.at))

    response = getattr(api, method)(BASE + path, {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "message": "您没有在职的法院角色，无权访问。"}


CASE_ENDPOINTS = [
    ("get", "progress", {}),
    ("get", "transfers", {}),
    ("post", "anchors", {"trigger": "clue_received", "ref": "线索1"}),
    ("post", "advance", {"edge_id": 1}),
    ("post", "assign", {"executor_id": 1}),
    ("post", "extension", {"reason": "财产正在拍卖。"}),
]


@pytest.mark.parametrize(("method", "action", "body"), CASE_ENDPOINTS)
def test_another_courts_case_is_not_found_and_nothing_is_recorded(case, as_user, audit_rows, method, action, body):
    before = len(audit_rows())

    response = getattr(as_user("wx_juzhang"), method)(f"{BASE}/cases/{case.pk}/{action}/", body, format="json")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert len(audit_rows()) == before


def test_another_courts_node_is_not_found(case, as_user):
    node = _node(case, "network_inquiry")

    response = as_user("wx_puzhi1").post(f"{BASE}/nodes/{node.pk}/complete/", {"note": "已发起网络查控查询。"})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    node.refresh_from_db()
    assert node.status == "open"


def test_a_supervisor_above_reads_the_case_but_may_not_write(case, as_user):
    api = as_user("ly_jianduzhe")

    assert api.get(f"{BASE}/cases/{case.pk}/progress/").status_code == 200
    response = api.post(f"{BASE}/cases/{case.pk}/anchors/", {"trigger": "clue_received", "ref": "线索1"})
    assert response.status_code == 403
    assert not NodeInstance.objects.filter(case=case, key="clue_check:线索1").exists()


# --- the progress table ----------------------------------------------------------------------------------


def test_the_progress_table(case, as_user):
    response = as_user("ls_jingzhi1").get(f"{BASE}/cases/{case.pk}/progress/")

    assert response.status_code == 200
    data = response.json()
    assert (data["case_id"], data["case_number"], data["in_flow"]) == (case.pk, "（2026）鲁1329执1号", True)
    assert (data["model_name"], data["model_version"]) == ("临沭模式：简案速执、中心统筹、团队精执、动态流转", 1)
    assert data["period"] == {
        "starts_on": "2026-01-05",
        "months": 6,
        "extension_months": 0,
        "extensions": 0,
        "excluded_days": 0,
        "paused_since": None,
        "ends_on": "2026-07-06",  # 2026-07-05 is a Sunday
        "ends_provisional": False,
        "ledger_starts_on": "2026-01-05",
        "ledger_excluded_days": 0,
        "ledger_paused_since": None,
        "ledger_due_on": "2026-07-06",
        "ledger_entered": False,
    }
    assert data["exclusions"] == []
    (visit,) = data["visits"]
    assert (visit["stage_code"], visit["team"], visit["holder"], visit["due_on"], visit["is_current"]) == (
        "liucheng",
        "流程程序组",
        "",
        "2026-04-07",
        True,
    )
    assert [(n["key"], n["due_on"], n["state"]) for n in data["nodes"]] == [
        ("filing", "2026-01-12", "done"),
        ("network_inquiry", "2026-01-12", "overdue"),  # 5 days end on Saturday 01-10 → Monday
        ("execution_notice", "2026-01-15", "overdue"),
        ("termination_prep", "2026-04-07", "open"),  # 04-05 falls in 清明 (4–6 April)
        ("review_submission", "2026-06-05", "open"),
        ("execution_period", "2026-07-06", "open"),
    ]
    inquiry = data["nodes"][1]
    assert inquiry == {
        "id": _node(case, "network_inquiry").pk,
        "key": "network_inquiry",
        "code": "network_inquiry",
        "name": "发起网络查控",
        "phase": "inquiry",
        "phase_label": "财产查控",
        "rule": "5日",
        "anchor_on": "2026-01-05",
        "warn_on": "2026-01-10",
        "due_on": "2026-01-12",
        "state": "overdue",
        "state_label": "已超期",
        "completed_at": None,
        "completed_by": "",
        "evidence": "",
        "evidence_kind": "any",
        "evidence_documents": [],
        "legal_basis": "“基本解决执行难”第三方评估指标（2017年）：立案后5日内发起网络查控、发出通知",
        "court_tightened": False,
        "provisional": False,
        "can_complete": True,
    }
    filing = data["nodes"][0]
    assert (filing["completed_at"], filing["completed_by"], filing["evidence"]) == (
        "2026-01-05T09:00:00+08:00",
        "曹丽",
        "立案登记",
    )
    assert data["counts"] == {
        "done": 1,
        "done_late": 0,
        "open": 3,
        "warning": 0,
        "overdue": 2,
        "paused": 0,
        "cancelled": 0,
    }
    assert [(e["label"], e["target_code"]) for e in data["advance_edges"]] == [
        ("流程程序执结", "closing"),
        ("移送精执", "jingzhi"),
    ]


def test_the_moves_offered_follow_the_case_class(demo, load_preset, file, clock, as_user):
    load_preset("豫0825", "wenxian")
    complex_case = file("豫0825", "wx_lian")  # 1.5 million yuan: 繁案

    response = as_user("wx_chakong").get(f"{BASE}/cases/{complex_case.pk}/progress/")

    # "查控后财产足以结案" leads to 快执 for simple cases only
    assert [e["label"] for e in response.json()["advance_edges"]] == ["需处置财产或疑难复杂"]


# --- the node list ---------------------------------------------------------------------------------------


def test_the_open_nodes_of_the_court_by_keyset_pages(case, as_user):
    api = as_user("ls_jingzhi1")

    first = api.get(f"{BASE}/nodes/", {"limit": 2}).json()
    second = api.get(f"{BASE}/nodes/", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = api.get(f"{BASE}/nodes/", {"limit": 2, "cursor": second["next_cursor"]}).json()

    assert [r["key"] for r in first["results"]] == ["network_inquiry", "execution_notice"]
    assert first["next_cursor"] == f"20260115-{_node(case, 'execution_notice').pk}"
    assert [r["key"] for r in second["results"]] == ["termination_prep", "review_submission"]
    assert [r["key"] for r in third["results"]] == ["execution_period"]
    assert third["next_cursor"] is None
    assert first["results"][0] == {
        "id": _node(case, "network_inquiry").pk,
        "key": "network_inquiry",
        "code": "network_inquiry",
        "name": "发起网络查控",
        "phase": "inquiry",
        "case_id": case.pk,
        "case_number": "（2026）鲁1329执1号",
        "executor_id": None,
        "executor_name": "",
        "anchor_on": "2026-01-05",
        "warn_on": "2026-01-10",
        "due_on": "2026-01-12",
        "rule": "5日",
        "urgent": False,
        "state": "overdue",
        "state_label": "已超期",
        "can_complete": True,
    }


def test_the_node_list_filters(case, as_user, staff, clock):
    api = as_user("ls_liucheng")

    def keys(**params: object) -> list[str]:
        return [row["key"] for row in api.get(f"{BASE}/nodes/", params).json()["results"]]

    assert keys(state="overdue") == ["network_inquiry", "execution_notice"]
    assert keys(state="open") == ["termination_prep", "review_submission", "execution_period"]
    assert keys(due_before="2026-04-07") == ["network_inquiry", "execution_notice"]
    assert keys(due_before="2026-04-08") == ["network_inquiry", "execution_notice", "termination_prep"]
    assert keys(mine="1") == []
    visit_assign(case=case, executor=staff("ls_liucheng"), actor=staff("ls_juzhang"), at=clock.at)
    assert keys(mine="1", state="overdue") == ["network_inquiry", "execution_notice"]
    assert as_user("wx_puzhi1").get(f"{BASE}/nodes/").json() == {"next_cursor": None, "results": []}


def test_a_bad_cursor_is_refused_in_chinese(case, as_user):
    response = as_user("ls_jingzhi1").get(f"{BASE}/nodes/", {"cursor": "x", "state": "late"})

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["cursor"] == ["翻页参数无效，请从第一页重新查询。"]
    assert set(fields) == {"cursor", "state"}


# --- completing a node -----------------------------------------------------------------------------------


def test_completing_a_node_with_a_work_note(case, as_user, staff, audit_rows):
    node = _node(case, "network_inquiry")

    response = as_user("ls_jingzhi1").post(
        f"{BASE}/nodes/{node.pk}/complete/", {"note": "已通过网络查控系统发起查询。"}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": node.pk,
        "key": "network_inquiry",
        "code": "network_inquiry",
        "name": "发起网络查控",
        "anchor_on": "2026-01-05",
        "warn_on": "2026-01-10",
        "due_on": "2026-01-12",
        "urgent": False,
        "status": "done",
        "completed_at": "2026-03-02T10:00:00+08:00",
        "completed_by_id": staff("ls_jingzhi1").pk,
        "evidence_kind": "note",
        "evidence_document_id": None,
        "evidence_ref": "",
        "evidence_note": "已通过网络查控系统发起查询。",
    }
    (row,) = audit_rows("flow.node.completed")
    assert json.loads(row["data"])["late"] is True


def test_completing_without_evidence_is_refused_and_changes_nothing(case, as_user, audit_rows):
    node = _node(case, "network_inquiry")

    response = as_user("ls_jingzhi1").post(f"{BASE}/nodes/{node.pk}/complete/", {"note": "已查"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_failed",
        "message": "请填写工作记录（不少于10个字），说明办理情况。",
        "fields": {"note": "请填写工作记录（不少于10个字）"},
    }
    node.refresh_from_db()
    assert (node.status, node.completed_at, node.evidence_note) == ("open", None, "")
    assert audit_rows("flow.node.completed") == []


def test_a_clerk_may_not_complete_an_executors_node(case, as_user, audit_rows):
    node = _node(case, "network_inquiry")

    response = as_user("ls_lian").post(
        f"{BASE}/nodes/{node.pk}/complete/", {"note": "已通过网络查控系统发起查询。"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"code": "not_allowed", "message": "“发起网络查控”应由执行员、团队长完成。"}
    node.refresh_from_db()
    assert node.status == "open"
    assert audit_rows("flow.node.completed") == []


def test_a_node_the_system_completes_is_refused(case, as_user):
    node = _node(case, "execution_period")

    response = as_user("ls_jingzhi1").post(f"{BASE}/nodes/{node.pk}/complete/", {"note": "执行期限已经届满。"})

    assert response.status_code == 403
    assert response.json()["message"] == "“执行期限届满”由系统在相应事项办理时自动完成，不能手工完成。"


# --- reporting events ------------------------------------------------------------------------------------


def test_a_clue_creates_a_check_node_due_in_seven_days_or_three_when_urgent(case, as_user, audit_rows):
    api = as_user("ls_jingzhi1")
    url = f"{BASE}/cases/{case.pk}/anchors/"
    recorded = len(audit_rows("flow.anchor.recorded"))  # the filing recorded two

    plain = api.post(url, {"trigger": "clue_received", "ref": "线索1"}, format="json")
    urgent = api.post(url, {"trigger": "clue_received", "ref": "线索2", "urgent": True}, format="json")

    assert plain.status_code == 200
    body = plain.json()
    assert (body["trigger"], body["entered_flow"], body["period_changed"]) == ("clue_received", False, False)
    (node,) = body["nodes_created"]
    assert (node["key"], node["name"], node["anchor_on"], node["due_on"], node["warn_on"], node["urgent"]) == (
        "clue_check:线索1",
        "核查申请执行人提供的财产线索",
        "2026-03-02",
        "2026-03-09",
        "2026-03-07",
        False,
    )
    (node,) = urgent.json()["nodes_created"]
    assert (node["key"], node["due_on"], node["urgent"]) == ("clue_check:线索2", "2026-03-05", True)
    assert len(audit_rows("flow.anchor.recorded")) == recorded + 2


def test_reporting_the_same_clue_twice_creates_one_node(case, as_user):
    api = as_user("ls_jingzhi1")
    url = f"{BASE}/cases/{case.pk}/anchors/"

    api.post(url, {"trigger": "clue_received", "ref": "线索1", "on": "2026-02-27"}, format="json")
    again = api.post(url, {"trigger": "clue_received", "ref": "线索1"}, format="json")

    assert again.status_code == 200
    assert again.json()["nodes_created"] == []
    (node,) = NodeInstance.objects.filter(case=case, node_type__code="clue_check")
    assert (node.anchor_on, node.due_on) == (date(2026, 2, 27), date(2026, 3, 6))


@pytest.mark.parametrize("trigger", ["period_end", "case_filed", "application_received", "case_closed", "clue_lost"])
def test_an_unknown_or_system_event_is_refused(case, as_user, audit_rows, trigger):
    nodes, recorded = NodeInstance.objects.count(), len(audit_rows("flow.anchor.recorded"))

    response = as_user("ls_jingzhi1").post(f"{BASE}/cases/{case.pk}/anchors/", {"trigger": trigger}, format="json")

    assert response.status_code == 400
    message = f"“{trigger}”不是可登记的事件（立案、收到申请、结案由系统登记，执行期限届满由系统计算）。"
    assert response.json() == {"code": "validation_failed", "message": message, "fields": {"trigger": message}}
    assert NodeInstance.objects.count() == nodes
    assert len(audit_rows("flow.anchor.recorded")) == recorded


def test_a_repeatable_event_needs_its_reference_and_a_day_not_in_the_future(case, as_user, audit_rows):
    api = as_user("ls_jingzhi1")
    url = f"{BASE}/cases/{case.pk}/anchors/"
    recorded = len(audit_rows("flow.anchor.recorded"))

    without_ref = api.post(url, {"trigger": "property_seized"}, format="json")
    tomorrow = api.post(url, {"trigger": "property_seized", "ref": "查封1", "on": "2026-03-03"}, format="json")

    assert without_ref.status_code == 400
    assert without_ref.json() == {
        "code": "validation_failed",
        "message": "登记“查封、扣押、冻结财产”须注明是哪一项（编号）。",
        "fields": {"ref": "请注明编号"},
    }
    assert tomorrow.status_code == 400
    assert tomorrow.json()["fields"] == {"on": "事件发生日不能晚于今天。"}
    assert len(audit_rows("flow.anchor.recorded")) == recorded


def test_a_suspension_pauses_the_period(case, as_user):
    api = as_user("ls_jingzhi1")

    response = api.post(f"{BASE}/cases/{case.pk}/anchors/", {"trigger": "suspension_started", "ref": "裁定书1"})
    progress = api.get(f"{BASE}/cases/{case.pk}/progress/").json()

    assert response.json()["period_changed"] is True
    assert progress["period"]["paused_since"] == "2026-03-02"
    assert progress["exclusions"] == [
        {
            "kind": "suspension",
            "kind_label": "中止执行",
            "started_on": "2026-03-02",
            "ended_on": None,
            "counts_for_period": True,
            "counts_for_ledger": True,
            "started_ref": "裁定书1",
            "ended_ref": "",
        }
    ]


# --- moving and assigning a case -------------------------------------------------------------------------


def test_the_bureau_chief_moves_a_case_on(case, as_user, audit_rows):
    edge = _edge("移送精执", "liucheng")

    response = as_user("ls_juzhang").post(
        f"{BASE}/cases/{case.pk}/advance/", {"edge_id": edge.pk, "note": "需处置房产"}
    )

    assert response.status_code == 200
    new = StageVisit.objects.get(case=case, left_at__isnull=True)
    assert response.json() == {
        "id": new.pk,
        "stage_code": "jingzhi",
        "stage_name": "精执",
        "team_id": new.team_id,
        "team_name": "精执二团队",  # area routing: the debtor lives in 蛟龙镇
        "holder_id": None,
        "holder_name": "",
        "entry": "advance",
        "entry_label": "上一段移送",
        "edge_label": "移送精执",
        "sideways_index": 0,
        "entered_at": "2026-03-02T10:00:00+08:00",
        "starts_on": "2026-03-02",
        "limit_amount": 3,
        "limit_unit": "months",
        "warn_on": "2026-05-26",
        "due_on": "2026-06-02",
        "paused_on": None,
        "paused_days": 0,
        "warned_at": None,
        "timed_out_at": None,
        "left_at": None,
        "exit": "",
        "exit_label": "",
        "points": 10,
        "points_moved": [],
        "is_current": True,
    }
    (row,) = audit_rows("flow.case.advanced")
    data = json.loads(row["data"])
    assert (data["from"], data["to"], data["note"]) == ("liucheng", "jingzhi", "需处置房产")


def test_moving_a_case_one_does_not_hold_or_along_another_stages_edge_is_refused(case, as_user, audit_rows):
    url = f"{BASE}/cases/{case.pk}/advance/"

    not_holder = as_user("ls_jingzhi1").post(url, {"edge_id": _edge("移送精执", "liucheng").pk})
    wrong_edge = as_user("ls_juzhang").post(url, {"edge_id": _edge("精执执结", "jingzhi").pk})

    assert not_holder.status_code == 403
    assert not_holder.json() == {
        "code": "not_allowed",
        "message": "只有本段承办人、承办团队的团队长或执行局局长可以移送案件。",
    }
    assert wrong_edge.status_code == 400
    assert wrong_edge.json()["fields"] == {"edge_id": "不是当前流程段的去向"}
    assert StageVisit.objects.filter(case=case).count() == 1
    assert audit_rows("flow.case.advanced") == []


def test_the_bureau_chief_assigns_an_executor_of_the_holding_team(case, as_user, staff, audit_rows):
    url = f"{BASE}/cases/{case.pk}/assign/"

    other_team = as_user("ls_juzhang").post(url, {"executor_id": staff("ls_jingzhi1").pk})
    not_leader = as_user("ls_tuanzhang1").post(url, {"executor_id": staff("ls_liucheng").pk})
    response = as_user("ls_juzhang").post(url, {"executor_id": staff("ls_liucheng").pk})

    assert other_team.status_code == 400
    assert other_team.json()["fields"] == {"executor_id": "不是该团队的执行员"}
    assert not_leader.status_code == 403
    assert not_leader.json()["message"] == "只有承办团队的团队长或执行局局长可以指定承办人。"
    assert response.status_code == 200
    body = response.json()
    assert (body["stage_code"], body["team_name"], body["holder_id"], body["holder_name"]) == (
        "liucheng",
        "流程程序组",
        staff("ls_liucheng").pk,
        "彭飞",
    )
    case.refresh_from_db()
    assert case.executor_id == staff("ls_liucheng").pk
    assert len(audit_rows("flow.case.assigned")) == 1


def test_the_transfer_history_shows_timeouts_sideways_moves_and_points(case, as_user):
    flow_sweep(at=moment(date(2026, 4, 8), 1))  # 流程程序 ran out on 04-07: to 精执 (精执二团队)
    first_jingzhi = StageVisit.objects.get(case=case, left_at__isnull=True)
    flow_sweep(at=moment(date.fromordinal(first_jingzhi.due_on.toordinal() + 1), 1))  # sideways to 精执一团队

    response = as_user("ls_jingzhi1").get(f"{BASE}/cases/{case.pk}/transfers/")

    assert response.status_code == 200
    rows = response.json()
    assert [
        (r["stage_code"], r["team_name"], r["entry"], r["exit"], r["sideways_index"], r["is_current"]) for r in rows
    ] == [
        ("liucheng", "流程程序组", "entry", "timed_out", 0, False),
        ("jingzhi", "精执二团队", "timeout", "sideways", 0, False),
        ("jingzhi", "精执一团队", "sideways", "", 1, True),
    ]
    assert (rows[0]["due_on"], rows[0]["timed_out_at"], rows[0]["left_at"]) == (
        "2026-04-07",
        "2026-04-08T01:00:00+08:00",
        "2026-04-08T01:00:00+08:00",
    )
    assert (rows[1]["edge_label"], rows[1]["starts_on"], rows[1]["due_on"]) == (
        "流程程序期满流出",
        "2026-04-08",
        first_jingzhi.due_on.isoformat(),
    )
    assert (rows[2]["edge_label"], rows[2]["limit_amount"], rows[2]["limit_unit"]) == ("", 1, "months")
    assert [(m["points"], m["team_name"]) for m in rows[0]["points_moved"]] == [(-10, "流程程序组")]
    assert [(m["points"], m["team_name"]) for m in rows[1]["points_moved"]] == [(10, "精执二团队"), (-10, "精执二团队")]
    assert [(m["points"], m["team_name"]) for m in rows[2]["points_moved"]] == [(10, "精执一团队")]
    assert rows[0]["points_moved"][0]["reason"] == "“流程程序”期满未结，流转至“精执”（扣减）"


# --- the execution period --------------------------------------------------------------------------------


def test_an_executor_applies_for_an_extension(case, as_user, demo, audit_rows):
    response = as_user("ls_liucheng").post(
        f"{BASE}/cases/{case.pk}/extension/", {"reason": "财产正在拍卖，需要延长。"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "kind": "flow.period_extension",
        "title": "（2026）鲁1329执1号延长执行期限3个月",
        "status": "pending",
        "status_label": "待审批",
        "step": 0,
        "current_role": "president",
        "current_court_id": demo["鲁1329"].pk,
        "chain": [{"role": "president", "court_id": demo["鲁1329"].pk}],
        "payload": {"months": 3, "ends_on": "2026-07-06", "extension": 1},
        "requested_at": "2026-03-02T10:00:00+08:00",
    }
    assert len(audit_rows("core.approval.requested")) == 1


def test_an_extension_is_refused_to_a_clerk_twice_without_a_reason_or_without_a_period(case, as_user, audit_rows):
    url = f"{BASE}/cases/{case.pk}/extension/"
    executor = as_user("ls_liucheng")
    executor.post(url, {"reason": "财产正在拍卖，需要延长。"})

    clerk = as_user("ls_lian").post(url, {"reason": "需要延长。"})
    twice = executor.post(url, {"reason": "再次申请。"})
    blank = executor.post(url, {"reason": ""})
    ExecutionPeriod.objects.filter(case=case).delete()  # a case filed before deadline control existed
    no_period = executor.post(url, {"reason": "需要延长。"})

    assert (clerk.status_code, clerk.json()["message"]) == (
        403,
        "只有本院执行员、团队长或执行局局长可以申请延长执行期限。",
    )
    assert (twice.status_code, twice.json()["message"]) == (409, "该事项已有待审批的申请。")
    assert blank.status_code == 400
    assert blank.json() == {
        "code": "validation_failed",
        "message": "请填写申请理由 reason。",
        "fields": {"reason": "请填写申请理由 reason。"},
    }
    assert (no_period.status_code, no_period.json()["message"]) == (409, "该案件没有执行期限记录，不能申请延长。")
    assert len(audit_rows("core.approval.requested")) == 1


# --- alerts ----------------------------------------------------------------------------------------------


def test_the_presidents_alerts_and_reading_one(case, as_user, clock):
    as_user("ls_liucheng").post(f"{BASE}/cases/{case.pk}/extension/", {"reason": "财产正在拍卖，需要延长。"})
    president = as_user("ls_yuanzhang")

    listed = president.get(f"{BASE}/alerts/", {"unresolved": "1"})

    assert listed.status_code == 200
    (alert,) = listed.json()
    alert_id = alert["id"]
    assert alert == {
        "id": alert_id,
        "kind": "core.approval_pending",
        "kind_label": "待审批",
        "severity": "warning",
        "title": "待审批：（2026）鲁1329执1号延长执行期限3个月",
        "body": "延长执行期限\n申请人：彭飞\n申请理由：财产正在拍卖，需要延长。",
        "case_id": case.pk,
        "case_number": "（2026）鲁1329执1号",
        "recipient_id": None,
        "recipient_role": "president",
        "subject_type": "core.approval",
        "subject_id": alert["subject_id"],
        "due_on": None,
        "created_at": "2026-03-02T10:00:00+08:00",
        "read_at": None,
        "resolved_at": None,
        "resolved_reason": "",
    }

    clock.at = moment(date(2026, 3, 3), 8)
    read = president.post(f"{BASE}/alerts/{alert_id}/read/")
    stranger = as_user("wx_yuanzhang").post(f"{BASE}/alerts/{alert_id}/read/")

    assert read.status_code == 200
    assert read.json()["read_at"] == "2026-03-03T08:00:00+08:00"
    assert stranger.status_code == 404
    assert as_user("wx_yuanzhang").get(f"{BASE}/alerts/").json() == []
    assert Alert.objects.get(pk=alert_id).read_at == moment(date(2026, 3, 3), 8)


# --- supervision -----------------------------------------------------------------------------------------


def test_the_ledger_of_the_readable_courts_by_keyset_pages(case, file, as_user):
    other = file(  # six months end on Monday 07-06 too
        "鲁1329", "ls_lian", on=date(2026, 1, 6), basis_document_number="（2025）鲁1329民初101号"
    )
    flow_sweep(at=moment(date(2026, 7, 7), 1))
    entries = {e.case_id: e for e in OverdueLedgerEntry.objects.all()}
    chief = as_user("ls_juzhang")

    first = chief.get(f"{BASE}/ledger/", {"limit": 1}).json()
    second = chief.get(f"{BASE}/ledger/", {"limit": 1, "cursor": first["next_cursor"]}).json()

    assert first["next_cursor"] == f"20260706-{entries[case.pk].pk}"
    assert first["results"] == [
        {
            "id": entries[case.pk].pk,
            "case_id": case.pk,
            "case_number": "（2026）鲁1329执1号",
            "court_id": case.court_id,
            "court_name": "临沭县人民法院",
            "team_name": "精执二团队",
            "executor_name": "",
            "due_on": "2026-07-06",
            "entered_on": "2026-07-07",
            "status": "open",
            "status_label": "待评查",
            "review_note": "",
            "reviewed_by": "",
            "reviewed_at": None,
            "reported_at": None,
        }
    ]
    assert [r["case_id"] for r in second["results"]] == [other.pk]
    assert second["next_cursor"] is None
    assert len(as_user("ly_jianduzhe").get(f"{BASE}/ledger/").json()["results"]) == 2
    assert as_user("wx_juzhang").get(f"{BASE}/ledger/").json() == {"next_cursor": None, "results": []}


def test_the_current_routing_model_of_the_callers_court(case, as_user):
    response = as_user("ls_jingzhi1").get(f"{BASE}/model/")

    assert response.status_code == 200
    model = response.json()
    assert (model["name"], model["version"], model["preset"]) == (
        "临沭模式：简案速执、中心统筹、团队精执、动态流转",
        1,
        "linshu",
    )
    assert {s["code"]: s["pool"] for s in model["stages"]} == {
        "suzhi": ["速执团队"],
        "liucheng": ["流程程序组"],
        "jingzhi": ["精执一团队", "精执二团队"],
        "lift_leader": [],
        "lift_chief": [],
        "lift_vp": [],
        "closing": ["执行指挥中心"],
        "maintenance": ["终本维护团队"],
    }
    jingzhi = model["stages"][2]
    assert (jingzhi["assign_by"], jingzhi["limit_amount"], jingzhi["sideways_max"], jingzhi["points"]) == (
        "area",
        3,
        1,
        10,
    )
    assert len(model["edges"]) == 19
    assert [(e["source_id"], e["target_code"], e["trigger"], e["triage_class"]) for e in model["edges"][:2]] == [
        (None, "suzhi", "entry", "simple"),
        (None, "liucheng", "entry", "complex"),
    ]


def test_a_court_without_a_routing_model_is_not_found(case, as_user):
    response = as_user("wx_juzhang").get(f"{BASE}/model/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
