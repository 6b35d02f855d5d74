"""The audit pages: scoped to the readable courts, filtered, paged by keyset, and verification on demand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import AT
from zhixing.audit.models import AuditRecord
from zhixing.audit.selectors import case_timeline, cursor_decode, cursor_encode, record_list
from zhixing.audit.services import Entry, record_many
from zhixing.courts.choices import Role

TEAM_CHANGED = "courts.team.changed"


def _write(court, count: int, *, action: str = "courts.team.changed", case_id: int | None = None, actor=None):
    entries = [
        Entry(
            action=action,
            at=AT + timedelta(minutes=n),
            actor=actor,
            court_id=court.pk,
            case_id=case_id,
            subject_type="courts.team",
            subject_id=str(n),
            subject_label=f"{court.name}第{n}团队",
            before={"name": "旧名", "is_active": True},
            after={"name": f"新名{n}", "is_active": False},
            data={"reason": "调整"},
        )
        for n in range(count)
    ]
    with transaction.atomic():
        return record_many(entries=entries)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("audit:record_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_executor_without_the_capability_is_refused(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))

    assert client.get(reverse("audit:record_list")).status_code == 403


@pytest.mark.django_db
def test_chief_sees_own_courts_records_only(client, courts, make_staff):
    _write(courts.wenxian, 2)
    _write(courts.wuzhi, 3)
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    response = client.get(reverse("audit:record_list"))

    rows = response.context["page"].rows
    assert response.status_code == 200
    assert {row.court_id for row in rows} == {courts.wenxian.pk}
    assert [row.subject_label for row in rows if row.action == TEAM_CHANGED] == [
        "温县人民法院第1团队",
        "温县人民法院第0团队",
    ]
    body = response.content.decode()
    assert "修改团队" in body
    assert "name：旧名 → 新名1" in body
    assert "is_active：是 → 否" in body
    assert "reason：调整" in body
    assert f"<code>{rows[0].hash_short}…</code>" in body
    assert "武陟县人民法院第0团队" not in body


@pytest.mark.django_db
def test_asking_for_another_courts_records_by_url_shows_nothing_of_them(client, courts, make_staff):
    _write(courts.wenxian, 1)
    _write(courts.wuzhi, 1)
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    response = client.get(reverse("audit:record_list"), {"court": courts.wuzhi.pk})

    assert response.status_code == 200
    assert response.context["page"] is None
    assert "武陟县人民法院第0团队" not in response.content.decode()
    assert "选择一个有效的选项" in response.content.decode()


@pytest.mark.django_db
def test_another_courts_record_by_url_is_not_found(client, courts, make_staff):
    own = _write(courts.wenxian, 1)[0]
    other = _write(courts.wuzhi, 1)[0]
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    assert client.get(reverse("audit:record_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("audit:record_detail", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_upper_court_supervisor_sees_the_subtree(client, courts, make_staff):
    _write(courts.wenxian, 1)
    _write(courts.wuzhi, 1)
    _write(courts.linshu, 1)
    client.force_login(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))

    response = client.get(reverse("audit:record_list"), {"action": TEAM_CHANGED})

    assert {row.court_id for row in response.context["page"].rows} == {courts.wenxian.pk, courts.wuzhi.pk}
    body = response.content.decode()
    assert "温县人民法院" in body
    assert "临沭县人民法院第0团队" not in body


@pytest.mark.django_db
def test_filters_by_court_action_actor_case_and_dates(client, courts, make_staff):
    chief = make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR)
    _write(courts.wenxian, 3)
    _write(courts.wuzhi, 2, action="courts.team.created", case_id=42, actor=chief)
    client.force_login(chief)
    url = reverse("audit:record_list")

    def labels(**query):
        return [row.subject_label for row in client.get(url, query).context["page"].rows]

    assert labels(court=courts.wuzhi.pk, case=42) == ["武陟县人民法院第1团队", "武陟县人民法院第0团队"]
    assert labels(action="courts.team.created") == ["武陟县人民法院第1团队", "武陟县人民法院第0团队"]
    assert labels(actor=str(chief.pk)) == ["武陟县人民法院第1团队", "武陟县人民法院第0团队"]
    assert labels(case=42, court=courts.wenxian.pk) == []
    assert labels(date_from="2026-11-23", date_to="2026-11-23", court=courts.wenxian.pk, action=TEAM_CHANGED) == [
        "温县人民法院第2团队",
        "温县人民法院第1团队",
        "温县人民法院第0团队",
    ]
    assert labels(date_from="2026-11-24") == []


@pytest.mark.django_db
def test_bad_filters_get_chinese_messages_and_no_records(client, courts, make_staff):
    _write(courts.wenxian, 1)
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    response = client.get(
        reverse("audit:record_list"), {"date_from": "2026-11-24", "date_to": "2026-11-23", "cursor": "x-1"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "起始日期不能晚于截止日期。" in body
    assert "翻页参数无效，请从第一页重新查看。" in body


@pytest.mark.django_db
def test_keyset_pages_cover_every_record_once(client, courts, make_staff):
    _write(courts.wenxian, 120)
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    url = reverse("audit:record_list")
    seen, query = [], {"court": courts.wenxian.pk, "action": TEAM_CHANGED}

    while True:
        response = client.get(url, query)
        seen += [row.seq for row in response.context["page"].rows]
        if response.context["next_query"] is None:
            break
        query = {**query, "cursor": response.context["page"].next_cursor}

    first = AuditRecord.objects.filter(chain=courts.wenxian.pk, action=TEAM_CHANGED).order_by("seq").first().seq
    assert seen == list(range(first + 119, first - 1, -1))


@pytest.mark.django_db
def test_page_query_count_does_not_grow_with_the_rows(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    url = reverse("audit:record_list")
    _write(courts.wenxian, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _write(courts.wenxian, 40)

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_verify_now_runs_and_shows_the_outcome(client, courts, make_staff, django_capture_on_commit_callbacks):
    _write(courts.wenxian, 2)
    chief = make_staff(courts.wenxian, Role.BUREAU_CHIEF)
    client.force_login(chief)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("audit:verify"))
    response = client.get(reverse("audit:record_list"))

    status = response.context["verification"]
    verified = AuditRecord.objects.get(action="audit.chain.verified")
    assert len(callbacks) == 1
    assert (status.ok, status.breaks, status.actor_label) == (True, [], str(chief))
    assert verified.actor_id == chief.pk
    assert "已发起审计链校验，结果见“最近一次校验”。" in response.content.decode()
    assert "已发起审计链校验" in response.content.decode()
    assert "完整" in response.content.decode()


@pytest.mark.django_db
def test_verify_now_is_refused_without_the_capability_and_records_nothing(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))

    response = client.post(reverse("audit:verify"))

    assert response.status_code == 403
    assert AuditRecord.objects.filter(action="audit.chain.verified").count() == 0


@pytest.mark.django_db
def test_broken_chain_of_another_court_is_counted_not_named(client, courts, make_staff, at):
    from zhixing.audit.services import chain_verify_record
    from zhixing.audit.tests.conftest import sql

    _write(courts.wenxian, 2)
    _write(courts.linshu, 2)
    sql("UPDATE audit_auditrecord SET data = '' WHERE chain = %s AND seq = 1", [courts.linshu.pk])
    chain_verify_record(at=at)
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    body = client.get(reverse("audit:record_list")).content.decode()

    assert "被破坏" in body
    assert "另有 1 条您无权查看的链被破坏" in body
    assert f"链 {courts.linshu.pk} 第 1 条" not in body


@pytest.mark.django_db
def test_case_timeline_is_scoped_and_oldest_first(courts):
    _write(courts.wenxian, 2, case_id=7)
    _write(courts.wuzhi, 1, case_id=7)

    class Scope:
        readable_court_ids = frozenset({courts.wenxian.pk})

    rows = case_timeline(case_id=7, scope=Scope())

    assert [row.subject_label for row in rows] == ["温县人民法院第0团队", "温县人民法院第1团队"]


def test_cursor_round_trips_and_refuses_garbage():
    assert cursor_decode(cursor=cursor_encode(at=AT, record_id=5)) == (AT, 5)
    for bad in ("", "5", "a-b", "-5", "1-", "9" * 19 + "-1"):
        with pytest.raises(ValueError, match="not an audit cursor"):
            cursor_decode(cursor=bad)


@pytest.mark.django_db
def test_record_list_with_empty_scope_is_empty(courts):
    _write(courts.wenxian, 1)

    class Nobody:
        readable_court_ids = frozenset()

    assert record_list(scope=Nobody()).rows == []
