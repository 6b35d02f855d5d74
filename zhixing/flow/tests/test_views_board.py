"""
The battle chart (挂图作战) and the 超6个月未执结 ledger pages: what each shows, who may do what, the export.

The demo court system (seed_demo) with the linshu preset in 临沭; the pages' clock is frozen at Monday
2026-11-23, and every service is called with its own ``at``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from io import BytesIO

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhixing.cases.choices import CaseStatus
from zhixing.cases.services import case_transition
from zhixing.flow import export
from zhixing.flow.choices import LedgerStatus
from zhixing.flow.models import OverdueLedgerEntry, WeeklyTarget
from zhixing.flow.selectors import _admin
from zhixing.flow.services import flow_sweep, visit_assign

from .conftest import moment

TODAY = date(2026, 11, 23)  # a Monday
NOW = moment(TODAY, 10)
WEEK = "2026-11-23"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    """Freeze the pages' clock (``timezone.now`` and ``timezone.localdate``) at Monday 2026-11-23 10:00."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def linshu(demo, load_preset):
    load_preset("鲁1329", "linshu")
    return demo["鲁1329"]


def _login(client, staff, username):
    client.force_login(staff(username))
    return client


def _close(case, *, actor, on: date) -> None:
    with transaction.atomic():
        case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=actor, at=moment(on, 9), reason="开始执行")
        case_transition(case=case, to=CaseStatus.CLOSED, actor=actor, at=moment(on, 15), reason="执行完毕")


def _row(page, team: str, executor: str = ""):
    """Return (target, closed, progress, open, overdue, points) of one line of the chart."""
    for block in page.teams:
        if block.name == team:
            line = block.total if not executor else next(r for r in block.executors if r.executor == executor)
            return line.target, line.closed, line.progress, line.open_cases, line.overdue_nodes, line.points
    raise AssertionError(team)


def _json_script(body: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S)
    assert match, element_id
    return json.loads(match.group(1))


# --- permissions ------------------------------------------------------------------------------------

GET_PAGES = ["flow:board", "flow:ledger", "flow:ledger_export"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, demo, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "args"), [("flow:board_target", []), ("flow:ledger_review", [1])], ids=["target", "review"]
)
def test_anonymous_posts_are_sent_to_the_login_page_and_change_nothing(client, demo, audit_rows, name, args):
    before = len(audit_rows())

    response = client.post(reverse(name, args=args), {"team": 1, "target": 3, "status": "reviewed", "note": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert len(audit_rows()) == before


@pytest.mark.parametrize("name", GET_PAGES)
def test_a_person_without_a_court_role_is_refused(client, demo, django_user_model, name):
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x"))

    assert client.get(reverse(name)).status_code == 403


def test_another_courts_chart_is_not_shown(client, linshu, staff):
    _login(client, staff, "wx_juzhang")

    assert client.get(reverse("flow:board"), {"court": linshu.pk}).status_code == 404
    body = client.get(reverse("flow:board")).content.decode()
    assert "温县人民法院" in body
    assert "精执一团队" not in body


def test_an_upper_supervisor_picks_a_court_below_and_reads_it_without_the_target_form(client, demo, linshu, staff):
    _login(client, staff, "ly_jianduzhe")

    response = client.get(reverse("flow:board"), {"court": linshu.pk, "week": WEEK})

    assert response.status_code == 200
    page = response.context["page"]
    assert page.court == linshu
    assert [name for _, name in page.courts] == ["山东省临沂市中级人民法院", "临沭县人民法院"]
    body = response.content.decode()
    assert 'data-testid="board-target-form"' not in body
    assert 'data-testid="board-readonly"' in body
    assert client.get(reverse("flow:board"), {"court": demo["豫0825"].pk}).status_code == 404


# --- the battle chart ---------------------------------------------------------------------------


def test_the_chart_counts_a_case_closed_this_week_for_its_team_and_executor(client, linshu, file, staff):
    chief = staff("ls_juzhang")
    closed = file("鲁1329", "ls_lian", on=date(2026, 11, 16))
    running = file("鲁1329", "ls_lian", on=date(2026, 11, 17), basis_document_number="（2025）鲁1329民初101号")
    # no executor yet; its notice (10 days from 2 November) and network inquiry (5 days) are overdue on the 23rd
    file("鲁1329", "ls_lian", on=date(2026, 11, 2), basis_document_number="（2025）鲁1329民初102号")
    for case in (closed, running):
        visit_assign(case=case, executor=staff("ls_liucheng"), actor=chief, at=moment(date(2026, 11, 18)))
    _close(closed, actor=staff("ls_liucheng"), on=date(2026, 11, 24))
    _login(client, staff, "ls_jingzhi1")

    response = client.get(reverse("flow:board"), {"week": "2026-11-26"})

    assert response.status_code == 200
    page = response.context["page"]
    assert (page.week_start, page.week_end) == (date(2026, 11, 23), date(2026, 11, 29))
    assert _row(page, "流程程序组") == (None, 1, None, 2, 2, 0)
    assert _row(page, "流程程序组", "彭飞") == (None, 1, None, 1, 0, 0)
    assert _row(page, "精执一团队") == (None, 0, None, 0, 0, 0)
    chart = _json_script(response.content.decode(), "board-chart-data")
    index = chart["teams"].index("流程程序组")
    assert (chart["targets"][index], chart["closed"][index]) == (0, 1)
    assert len(chart["teams"]) == 7
    # the week before holds nothing closed
    earlier = client.get(reverse("flow:board"), {"week": "2026-11-16"}).context["page"]
    assert _row(earlier, "流程程序组")[1] == 0


def test_the_bureau_chief_sets_a_team_target_and_the_progress_follows(client, linshu, file, staff, audit_rows):
    chief = staff("ls_juzhang")
    case = file("鲁1329", "ls_lian", on=date(2026, 11, 16))
    _close(case, actor=chief, on=date(2026, 11, 23))
    _login(client, staff, "ls_juzhang")
    team = next(b.team_id for b in client.get(reverse("flow:board")).context["page"].teams if b.name == "流程程序组")

    response = client.post(reverse("flow:board_target"), {"team": team, "executor": "", "target": "4", "week": WEEK})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('flow:board')}?week={WEEK}"
    row = WeeklyTarget.objects.get()
    assert (row.week_start, row.team_id, row.executor_id, row.target, row.set_by) == (TODAY, team, None, 4, chief)
    (record,) = audit_rows("flow.weekly_target.set")
    assert record["actor_id"] == chief.pk
    page = client.get(reverse("flow:board"), {"week": WEEK}).context["page"]
    assert _row(page, "流程程序组") == (4, 1, 25, 0, 0, 0)
    body = client.get(reverse("flow:board"), {"week": WEEK}).content.decode()
    assert "25%" in body


def test_a_team_leader_sets_a_target_for_one_executor_of_their_team(client, linshu, staff, audit_rows):
    leader = staff("ls_tuanzhang1")
    _login(client, staff, "ls_tuanzhang1")
    page = client.get(reverse("flow:board")).context["page"]
    assert [name for _, name in page.target_teams] == ["精执一团队"]
    team = page.target_teams[0][0]
    executor = staff("ls_jingzhi1")

    response = client.post(
        reverse("flow:board_target"), {"team": team, "executor": executor.pk, "target": "3", "week": WEEK}
    )

    assert response.status_code == 302
    row = WeeklyTarget.objects.get()
    assert (row.team_id, row.executor_id, row.target, row.set_by) == (team, executor.pk, 3, leader)
    page = client.get(reverse("flow:board"), {"week": WEEK}).context["page"]
    assert _row(page, "精执一团队", "袁浩") == (3, 0, 0, 0, 0, 0)
    assert _row(page, "精执一团队")[0] is None  # the team's own target is not set


def test_a_team_leader_may_not_set_another_teams_target_and_nothing_is_recorded(client, linshu, staff, audit_rows):
    other = next(
        b.team_id
        for b in _login(client, staff, "ls_juzhang").get(reverse("flow:board")).context["page"].teams
        if b.name == "精执二团队"
    )
    _login(client, staff, "ls_tuanzhang1")
    before = len(audit_rows())

    response = client.post(reverse("flow:board_target"), {"team": other, "target": "3", "week": WEEK})

    assert response.status_code == 400
    assert "您不能为该团队设定目标。" in response.content.decode()
    assert 'value="3"' in response.content.decode()  # what was typed stays
    assert not WeeklyTarget.objects.exists()
    assert len(audit_rows()) == before


def test_an_executor_of_another_team_is_refused_with_the_reason_next_to_the_field(client, linshu, staff, audit_rows):
    _login(client, staff, "ls_juzhang")
    team = next(b.team_id for b in client.get(reverse("flow:board")).context["page"].teams if b.name == "精执一团队")
    before = len(audit_rows())

    response = client.post(
        reverse("flow:board_target"),
        {"team": team, "executor": staff("ls_jingzhi2").pk, "target": "2", "week": WEEK},
    )

    assert response.status_code == 400
    assert "不是该团队的执行员" in response.content.decode()
    assert not WeeklyTarget.objects.exists()
    assert len(audit_rows()) == before


def test_an_executor_reads_the_chart_and_may_not_set_targets(client, linshu, staff):
    _login(client, staff, "ls_jingzhi1")

    body = client.get(reverse("flow:board")).content.decode()

    assert 'data-testid="board-target-form"' not in body
    assert 'data-testid="board-readonly"' in body
    assert client.post(reverse("flow:board_target"), {"team": 1, "target": "3", "week": WEEK}).status_code == 403
    assert not WeeklyTarget.objects.exists()


def test_a_bad_week_is_named_and_this_week_is_shown(client, linshu, staff):
    _login(client, staff, "ls_juzhang")

    response = client.get(reverse("flow:board"), {"week": "2026-13-01"})

    assert response.status_code == 400
    assert response.context["page"].week_start == TODAY
    assert "请输入有效的日期" in response.content.decode()


# --- the 超6个月 ledger --------------------------------------------------------------------------


@pytest.fixture
def overdue(linshu, demo, load_preset, file):
    """Two 临沭 cases (due 6 and 8 July 2026) and one 温县 case, entered in the ledger by the sweep of 10 July."""
    load_preset("豫0825", "wenxian")
    first = file("鲁1329", "ls_lian")
    second = file("鲁1329", "ls_lian", on=date(2026, 1, 8), basis_document_number="（2025）鲁1329民初101号")
    wenxian = file(
        "豫0825", "wx_lian", basis_issuing_body="温县人民法院", basis_document_number="（2025）豫0825民初1号"
    )
    flow_sweep(at=moment(date(2026, 7, 10), 1))
    return {entry.case_id: entry for entry in OverdueLedgerEntry.objects.all()}, (first, second, wenxian)


def test_the_ledger_lists_the_readable_courts_entries_with_the_days_over(client, overdue, staff):
    entries, (first, second, wenxian) = overdue
    assert set(entries) == {first.pk, second.pk, wenxian.pk}
    _login(client, staff, "ls_jianguan")

    response = client.get(reverse("flow:ledger"))

    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert [(r.entry.case_id, r.entry.due_on, r.days_over) for r in sheet.rows] == [
        (first.pk, date(2026, 7, 6), 140),
        (second.pk, date(2026, 7, 8), 138),
    ]
    body = response.content.decode()
    assert f'href="{reverse("cases:case_detail", args=[first.pk])}"' in body
    assert first.number in body
    assert wenxian.number not in body
    assert all(row.may_review for row in sheet.rows)


def test_an_upper_court_sees_its_subtree_read_only(client, overdue, staff):
    _, (first, second, wenxian) = overdue

    linyi = _login(client, staff, "ly_jianduzhe").get(reverse("flow:ledger")).context["sheet"]
    jiaozuo = _login(client, staff, "jz_jianduzhe").get(reverse("flow:ledger")).context["sheet"]

    assert [r.entry.case_id for r in linyi.rows] == [first.pk, second.pk]
    assert not any(r.may_review for r in linyi.rows)
    assert [r.entry.case_id for r in jiaozuo.rows] == [wenxian.pk]


def test_the_status_filter_and_the_pages(client, overdue, staff, monkeypatch):
    _, (first, second, _) = overdue
    OverdueLedgerEntry.objects.filter(case=second).update(status=LedgerStatus.REVIEWED)
    _login(client, staff, "ls_jianguan")

    reviewed = client.get(reverse("flow:ledger"), {"status": "reviewed"}).context["sheet"]
    open_ = client.get(reverse("flow:ledger"), {"status": "open"}).context["sheet"]
    closed = client.get(reverse("flow:ledger"), {"status": "closed"})
    bad = client.get(reverse("flow:ledger"), {"status": "lost"})
    monkeypatch.setattr(_admin, "LEDGER_PAGE_SIZE", 1)
    page_one = client.get(reverse("flow:ledger"))
    page_two = client.get(reverse("flow:ledger"), {"page": 2}).context["sheet"]

    assert [r.entry.case_id for r in reviewed.rows] == [second.pk]
    assert [r.entry.case_id for r in open_.rows] == [first.pk]
    assert closed.context["sheet"].count == 0
    assert "台帐中没有符合条件的案件。" in closed.content.decode()
    assert bad.status_code == 400
    assert "未知的台帐状态。" in bad.content.decode()
    assert [r.entry.case_id for r in page_one.context["sheet"].rows] == [first.pk]
    assert 'href="?page=2"' in page_one.content.decode()
    assert [r.entry.case_id for r in page_two.rows] == [second.pk]


def test_the_export_holds_the_filtered_ledger_with_dates_as_dates_and_is_recorded(client, overdue, staff, audit_rows):
    _, (first, second, _) = overdue
    OverdueLedgerEntry.objects.filter(case=second).update(status=LedgerStatus.REVIEWED)
    supervisor = staff("ls_jianguan")
    _login(client, staff, "ls_jianguan")

    response = client.get(reverse("flow:ledger_export"), {"status": "open"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == export.HEADER
    assert rows[0][:8] == ("案号", "法院", "承办团队", "承办人", "满六个月日", "入账日", "超期天数", "状态")
    assert len(rows) == 2
    line = dict(zip(export.HEADER, rows[1], strict=True))
    assert line["案号"] == first.number
    assert line["法院"] == "临沭县人民法院"
    assert line["满六个月日"].date() == date(2026, 7, 6)
    assert sheet.cell(row=2, column=5).number_format == "yyyy-mm-dd"
    assert line["入账日"].date() == date(2026, 7, 10)
    assert line["超期天数"] == 140
    assert line["状态"] == "待评查"
    (record,) = audit_rows("flow.ledger.exported")
    assert record["actor_id"] == supervisor.pk
    assert record["court_id"] == first.court_id
    assert json.loads(record["data"]) == {"status": "open", "rows": 1, "courts": [first.court_id]}


def test_an_export_above_the_limit_is_refused_and_not_recorded(client, overdue, staff, audit_rows, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 1)
    _login(client, staff, "ls_jianguan")

    response = client.get(reverse("flow:ledger_export"))

    assert response.status_code == 400
    assert "符合条件的台帐超过1条，无法导出。" in response.content.decode()
    assert audit_rows("flow.ledger.exported") == []


def test_a_supervisor_records_the_review_then_the_report_row_by_row(client, overdue, staff, audit_rows):
    entries, (first, *_) = overdue
    entry = entries[first.pk]
    supervisor = staff("ls_jianguan")
    _login(client, staff, "ls_jianguan")
    url = reverse("flow:ledger_review", args=[entry.pk])

    note = "已逐案评查：被执行人无可供执行财产。"
    reviewed = client.post(url, {"status": "reviewed", "note": note}, HTTP_HX_REQUEST="true")
    reported = client.post(url, {"status": "reported", "note": "已报临沂中院备案。"}, HTTP_HX_REQUEST="true")

    assert reviewed.status_code == 200
    assert reviewed.content.decode().lstrip().startswith(f'<tr id="ledger-entry-{entry.pk}"')
    assert "已评查" in reviewed.content.decode()
    assert reported.status_code == 200
    assert "已报备上级法院" in reported.content.decode()
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.REPORTED
    assert entry.review_note == "已逐案评查：被执行人无可供执行财产。\n已报临沂中院备案。"
    assert entry.reviewed_by == supervisor
    assert [json.loads(r["data"])["after"] for r in audit_rows("flow.ledger.reviewed")] == [
        {"status": "reviewed"},
        {"status": "reported"},
    ]


def test_a_review_twice_is_refused_with_the_reason_and_the_note_kept(client, overdue, staff, audit_rows):
    entries, (first, *_) = overdue
    entry = entries[first.pk]
    _login(client, staff, "ls_caipan")  # a reviewer
    url = reverse("flow:ledger_review", args=[entry.pk])
    client.post(url, {"status": "reviewed", "note": "评查完毕。"}, HTTP_HX_REQUEST="true")
    before = len(audit_rows())

    response = client.post(url, {"status": "reviewed", "note": "再次评查的意见"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    body = response.content.decode()
    assert "状态不能这样变更" in body
    assert "再次评查的意见</textarea>" in body
    entry.refresh_from_db()
    assert (entry.status, entry.review_note) == (LedgerStatus.REVIEWED, "评查完毕。")
    assert len(audit_rows()) == before


def test_a_review_without_a_note_is_refused_and_changes_nothing(client, overdue, staff, audit_rows):
    entries, (first, *_) = overdue
    _login(client, staff, "ls_jianguan")
    before = len(audit_rows())
    url = reverse("flow:ledger_review", args=[entries[first.pk].pk])

    response = client.post(url, {"status": "reviewed", "note": ""}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert "请填写评查意见或报备情况。" in response.content.decode()
    assert OverdueLedgerEntry.objects.get(case=first).status == LedgerStatus.OPEN
    assert len(audit_rows()) == before


def test_an_executor_or_another_court_may_not_review(client, overdue, staff, audit_rows):
    entries, (first, *_) = overdue
    url = reverse("flow:ledger_review", args=[entries[first.pk].pk])
    data = {"status": "reviewed", "note": "意见"}
    before = len(audit_rows())

    as_executor = _login(client, staff, "ls_jingzhi1").post(url, data)
    as_upper = _login(client, staff, "ly_jianduzhe").post(url, data)
    as_stranger = _login(client, staff, "wx_jianguan").post(url, data)

    assert (as_executor.status_code, as_upper.status_code, as_stranger.status_code) == (403, 403, 404)
    assert OverdueLedgerEntry.objects.get(case=first).status == LedgerStatus.OPEN
    assert len(audit_rows()) == before
    body = _login(client, staff, "ls_jingzhi1").get(reverse("flow:ledger")).content.decode()
    assert 'data-testid="ledger-review-' not in body


def test_without_htmx_a_refused_review_shows_the_list_with_the_note_kept(client, overdue, staff, audit_rows):
    entries, (first, *_) = overdue
    _login(client, staff, "ls_juzhang")
    url = reverse("flow:ledger_review", args=[entries[first.pk].pk])
    before = len(audit_rows())

    refused = client.post(url, {"status": "closed", "note": "局长批示：限期执结"})

    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'data-testid="ledger-list"' in body
    assert "只能记为已评查或已报备。" in body
    assert "局长批示：限期执结</textarea>" in body
    assert len(audit_rows()) == before

    accepted = client.post(url, {"status": "reviewed", "note": "局长批示：限期执结"})

    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("flow:ledger")
    assert OverdueLedgerEntry.objects.get(case=first).status == LedgerStatus.REVIEWED
