"""Alerts: the kind registry, raising once per key, the inbox, reading and resolving."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from zhixing.core.alerts import AlertKind, alert_kind_get, alert_kind_label, alert_kind_register
from zhixing.core.choices import AlertSeverity
from zhixing.core.errors import NotAllowed, ValidationFailed
from zhixing.core.models import Alert
from zhixing.core.selectors import alert_inbox, alert_unread_count
from zhixing.core.services import (
    AlertDraft,
    alert_mark_read,
    alert_raise,
    alert_raise_many,
    alert_resolve,
    alert_resolve_many,
    alerts_insert_select,
    alerts_resolve_subject,
)

# Role codes as the courts app stores them (core's tests import no domain app either).
EXECUTOR, TEAM_LEADER = "executor", "team_leader"

NODE_WARNING = alert_kind_register(
    AlertKind(code="test.node_warning", label="测试：节点即将到期", severity=AlertSeverity.WARNING)
)
NODE_OVERDUE = alert_kind_register(
    AlertKind(code="test.node_overdue", label="测试：节点超期", severity=AlertSeverity.OVERDUE)
)


def raise_alert(court, at, key, **overrides):
    fields = {
        "court_id": court.pk,
        "kind": NODE_WARNING.code,
        "title": "发出执行通知书期限将届满",
        "at": at,
        "dedupe_key": key,
    }
    fields.update(overrides)
    return alert_raise(**fields)


def test_core_kinds_are_registered():
    assert alert_kind_get("core.approval_pending").severity == AlertSeverity.WARNING
    assert alert_kind_label("core.approval_pending") == "待审批"
    assert alert_kind_get("core.approval_decided").severity == AlertSeverity.INFO
    assert alert_kind_label("test.node_overdue") == "测试：节点超期"
    assert alert_kind_label("nobody.registered") == "nobody.registered"
    assert alert_kind_get("nobody.registered") is None


def test_registry_refuses_a_second_kind_under_one_code():
    assert alert_kind_register(NODE_WARNING) is NODE_WARNING

    with pytest.raises(ValueError, match="registered twice"):
        alert_kind_register(AlertKind(code="test.node_warning", label="别的", severity=AlertSeverity.INFO))


def test_raise_stores_the_alert_with_the_kinds_severity(courts, make_staff, at):
    executor = make_staff(courts.wenxian, EXECUTOR)

    alert = raise_alert(
        courts.wenxian, at, "node:1:warn", recipient=executor, case_id=42, body="还剩2日", subject_type="flow.node",
        subject_id=1, due_on=date(2026, 11, 25),
    )  # fmt: skip

    stored = Alert.objects.get()
    assert stored.pk == alert.pk
    assert (stored.kind, stored.severity, stored.recipient_id, stored.recipient_role) == (
        "test.node_warning",
        AlertSeverity.WARNING,
        executor.pk,
        "",
    )
    assert (stored.court_id, stored.case_id, stored.title, stored.body) == (
        courts.wenxian.pk,
        42,
        "发出执行通知书期限将届满",
        "还剩2日",
    )
    assert (stored.subject_type, stored.subject_id, stored.due_on) == ("flow.node", "1", date(2026, 11, 25))
    assert (stored.created_at, stored.read_at, stored.resolved_at, stored.resolved_reason) == (at, None, None, "")


def test_severity_may_be_raised_above_the_kinds(courts, at):
    alert = raise_alert(courts.wenxian, at, "node:1:late", recipient_role="team_leader", severity="critical")

    assert Alert.objects.get(pk=alert.pk).severity == AlertSeverity.CRITICAL


def test_raising_the_same_key_twice_adds_one_row(courts, at):
    first = raise_alert(courts.wenxian, at, "node:1:warn", recipient_role="executor")

    again = raise_alert(courts.wenxian, at + timedelta(days=1), "node:1:warn", recipient_role="executor", title="别的")

    assert again is None
    assert list(Alert.objects.values_list("pk", "title", "created_at")) == [
        (first.pk, "发出执行通知书期限将届满", at)
    ]


def test_raise_many_skips_existing_and_repeated_keys(courts, make_staff, at):
    executor = make_staff(courts.wenxian, EXECUTOR)
    existing = raise_alert(courts.wenxian, at, "node:1:warn", recipient_role="executor")
    drafts = [
        AlertDraft(court_id=courts.wenxian.pk, kind=NODE_WARNING.code, title="一", dedupe_key="node:1:warn",
                   recipient_role="executor"),
        AlertDraft(court_id=courts.wenxian.pk, kind=NODE_OVERDUE.code, title="二", dedupe_key="node:2:late",
                   recipient=executor),
        AlertDraft(court_id=courts.wuzhi.pk, kind=NODE_WARNING.code, title="三", dedupe_key="node:3:warn",
                   recipient_role="team_leader"),
        AlertDraft(court_id=courts.wuzhi.pk, kind=NODE_WARNING.code, title="三again", dedupe_key="node:3:warn",
                   recipient_role="team_leader"),
    ]  # fmt: skip

    inserted = alert_raise_many(alerts=drafts, at=at)
    again = alert_raise_many(alerts=drafts, at=at + timedelta(days=1))

    assert [(a.dedupe_key, a.title, a.severity) for a in inserted] == [
        ("node:2:late", "二", AlertSeverity.OVERDUE),
        ("node:3:warn", "三", AlertSeverity.WARNING),
    ]
    assert all(a.pk is not None for a in inserted)
    assert again == []
    assert sorted(Alert.objects.values_list("dedupe_key", "title")) == [
        ("node:1:warn", "发出执行通知书期限将届满"),
        ("node:2:late", "二"),
        ("node:3:warn", "三"),
    ]
    assert Alert.objects.get(dedupe_key="node:2:late").recipient_id == executor.pk
    assert existing.pk == Alert.objects.get(dedupe_key="node:1:warn").pk


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"kind": "nobody.registered", "recipient_role": "executor"}, "unregistered alert kind"),
        ({}, "recipient"),
        ({"recipient_role": "executor", "title": " "}, "title"),
        ({"recipient_role": "executor", "dedupe_key": ""}, "dedupe key"),
    ],
)
def test_malformed_alert_is_refused(courts, at, overrides, match):
    with pytest.raises(ValueError, match=match):
        raise_alert(courts.wenxian, at, overrides.pop("dedupe_key", "node:1:warn"), **overrides)

    assert Alert.objects.count() == 0


def test_database_requires_a_recipient_or_a_role(courts, at):
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            court=courts.wenxian, kind="test.node_warning", severity="warning", title="无人接收", created_at=at,
            dedupe_key="orphan",
        )  # fmt: skip


@pytest.fixture
def inbox_world(courts, make_staff, at):
    """Return an executor of 温县 and the alerts around them: some theirs, some not."""
    me = make_staff(courts.wenxian, EXECUTOR)
    colleague = make_staff(courts.wenxian, EXECUTOR)
    hour = timedelta(hours=1)
    mine = raise_alert(courts.wenxian, at, "mine", recipient=me)
    mine_elsewhere = raise_alert(courts.jiaozuo, at + hour, "mine-elsewhere", recipient=me)
    my_role = raise_alert(courts.wenxian, at + 2 * hour, "role", recipient_role="executor")
    raise_alert(courts.wuzhi, at + 3 * hour, "role-other-court", recipient_role="executor")
    raise_alert(courts.wenxian, at + 4 * hour, "other-role", recipient_role="team_leader")
    raise_alert(courts.wenxian, at + 5 * hour, "colleague", recipient=colleague)
    resolved = raise_alert(courts.wenxian, at + 6 * hour, "resolved", recipient=me)
    alert_resolve(alert_id=resolved.pk, reason="已处理", at=at + 7 * hour)
    return {"me": me, "colleague": colleague, "mine": mine, "mine_elsewhere": mine_elsewhere, "my_role": my_role,
            "resolved": resolved}  # fmt: skip


def test_inbox_holds_personal_alerts_and_role_alerts_of_the_right_court(courts, inbox_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        alerts = alert_inbox(user=inbox_world["me"], court_id=courts.wenxian.pk, roles=frozenset({"executor"}))

    assert [a.dedupe_key for a in alerts] == ["role", "mine-elsewhere", "mine"]


def test_inbox_may_include_resolved_alerts_and_is_limited(courts, inbox_world):
    me = inbox_world["me"]

    everything = alert_inbox(
        user=me, court_id=courts.wenxian.pk, roles=frozenset({"executor"}), include_resolved=True
    )
    newest_two = alert_inbox(user=me, court_id=courts.wenxian.pk, roles=frozenset({"executor"}), limit=2)

    assert [a.dedupe_key for a in everything] == ["resolved", "role", "mine-elsewhere", "mine"]
    assert [a.dedupe_key for a in newest_two] == ["role", "mine-elsewhere"]


def test_inbox_without_roles_holds_personal_alerts_only(courts, inbox_world):
    alerts = alert_inbox(user=inbox_world["me"], court_id=courts.wenxian.pk, roles=frozenset())

    assert [a.dedupe_key for a in alerts] == ["mine-elsewhere", "mine"]


def test_unread_count_drops_when_read(courts, inbox_world, at):
    me = inbox_world["me"]
    roles = frozenset({"executor"})
    assert alert_unread_count(user=me, court_id=courts.wenxian.pk, roles=roles) == 3

    alert_mark_read(alert_id=inbox_world["mine"].pk, user=me, at=at)

    assert alert_unread_count(user=me, court_id=courts.wenxian.pk, roles=roles) == 2


def test_recipient_marks_read_and_the_first_reading_is_kept(inbox_world, at):
    me, mine = inbox_world["me"], inbox_world["mine"]

    read = alert_mark_read(alert_id=mine.pk, user=me, at=at + timedelta(minutes=1))
    again = alert_mark_read(alert_id=mine.pk, user=me, at=at + timedelta(minutes=9))

    assert read.read_at == at + timedelta(minutes=1)
    assert again.read_at == at + timedelta(minutes=1)
    assert Alert.objects.get(pk=mine.pk).read_at == at + timedelta(minutes=1)


def test_role_holder_of_the_court_marks_a_role_alert_read(courts, inbox_world, at):
    alert_mark_read(
        alert_id=inbox_world["my_role"].pk,
        user=inbox_world["colleague"],
        user_roles=frozenset({"executor"}),
        user_court_id=courts.wenxian.pk,
        at=at,
    )

    assert Alert.objects.get(pk=inbox_world["my_role"].pk).read_at == at


@pytest.mark.parametrize(
    ("alert", "roles", "court"),
    [
        ("mine", frozenset({"executor"}), "wenxian"),  # someone else's personal alert, even holding the role
        ("my_role", frozenset({"team_leader"}), "wenxian"),  # another role
        ("my_role", frozenset({"executor"}), "wuzhi"),  # the role, in another court
    ],
)
def test_mark_read_by_someone_it_is_not_for_is_refused(courts, inbox_world, at, alert, roles, court):
    target = inbox_world[alert]

    with pytest.raises(NotAllowed) as refused:
        alert_mark_read(
            alert_id=target.pk,
            user=inbox_world["colleague"],
            user_roles=roles,
            user_court_id=getattr(courts, court).pk,
            at=at,
        )

    assert refused.value.message == "这条提醒不是发给您的。"
    assert Alert.objects.get(pk=target.pk).read_at is None


def test_raising_and_reading_are_not_audited(courts, make_staff, at, audit_rows):
    me = make_staff(courts.wenxian, EXECUTOR)
    audited = len(audit_rows())

    alert = raise_alert(courts.wenxian, at, "node:1:warn", recipient=me)
    alert_mark_read(alert_id=alert.pk, user=me, at=at)
    alert_raise_many(
        alerts=[AlertDraft(court_id=courts.wenxian.pk, kind=NODE_WARNING.code, title="二", dedupe_key="k2",
                           recipient=me)],
        at=at,
    )  # fmt: skip
    alert_resolve(alert_id=alert.pk, reason="节点已完成", at=at)

    assert len(audit_rows()) == audited


def test_resolving_by_a_person_is_audited_once(courts, make_staff, at, audit_rows):
    leader = make_staff(courts.wenxian, TEAM_LEADER)
    alert = raise_alert(courts.wenxian, at, "node:1:warn", recipient_role="team_leader", case_id=42)
    later = at + timedelta(hours=3)

    resolved = alert_resolve(alert_id=alert.pk, reason=" 已电话督促承办人 ", at=later, actor=leader)
    again = alert_resolve(alert_id=alert.pk, reason="再次", at=later + timedelta(hours=1), actor=leader)

    assert (resolved.resolved_at, resolved.resolved_reason) == (later, "已电话督促承办人")
    assert (again.resolved_at, again.resolved_reason) == (later, "已电话督促承办人")
    [row] = audit_rows("core.alert.resolved")
    assert (row["court_id"], row["case_id"], row["actor_id"]) == (courts.wenxian.pk, 42, leader.pk)
    assert (row["subject_type"], row["subject_id"]) == ("core.alert", str(alert.pk))
    assert json.loads(row["data"]) == {"kind": "test.node_warning", "reason": "已电话督促承办人"}


def test_resolving_without_a_reason_is_refused(courts, make_staff, at, audit_rows):
    leader = make_staff(courts.wenxian, TEAM_LEADER)
    alert = raise_alert(courts.wenxian, at, "node:1:warn", recipient_role="team_leader")
    audited = len(audit_rows())

    with pytest.raises(ValidationFailed) as refused:
        alert_resolve(alert_id=alert.pk, reason="  ", at=at, actor=leader)

    assert refused.value.fields == {"reason": "必填"}
    assert Alert.objects.get(pk=alert.pk).resolved_at is None
    assert len(audit_rows()) == audited


def test_resolve_many_resolves_open_alerts_by_key(courts, at):
    raise_alert(courts.wenxian, at, "a", recipient_role="executor")
    raise_alert(courts.wenxian, at, "b", recipient_role="executor")
    raise_alert(courts.wenxian, at, "c", recipient_role="executor")
    alert_resolve_many(dedupe_keys=["a"], reason="早先", at=at)
    later = at + timedelta(days=1)

    count = alert_resolve_many(dedupe_keys=["a", "b", "missing"], reason="节点已完成", at=later)

    assert count == 1
    assert sorted(Alert.objects.values_list("dedupe_key", "resolved_at", "resolved_reason")) == [
        ("a", at, "早先"),
        ("b", later, "节点已完成"),
        ("c", None, ""),
    ]


# One warning to the executors of every court under a parent court (a sweep's shape, in plain SQL).
_PER_CHILD_COURT = """
    SELECT c.id, NULL, %s, %s, NULL, %s, %s || c.name, '', 'courts.court', CAST(c.id AS TEXT), %s, %s,
           %s || CAST(c.id AS TEXT)
      FROM courts_court c
     WHERE c.parent_id = %s
"""


def test_insert_select_raises_each_row_once(courts, make_staff, at):
    params = [NODE_WARNING.code, "warning", EXECUTOR, "本院提醒：", date(2026, 11, 30), at, "court:", courts.jiaozuo.pk]

    first = alerts_insert_select(select_sql=_PER_CHILD_COURT, params=params)
    again = alerts_insert_select(select_sql=_PER_CHILD_COURT, params=params)

    assert (first, again) == (2, 0)
    rows = Alert.objects.order_by("court_id").values_list(
        "court_id", "case_id", "kind", "severity", "recipient_id", "recipient_role", "title", "subject_id", "due_on",
        "created_at", "dedupe_key",
    )  # fmt: skip
    assert list(rows) == [
        (court.pk, None, "test.node_warning", "warning", None, "executor", f"本院提醒：{court.name}", str(court.pk),
         date(2026, 11, 30), at, f"court:{court.pk}")
        for court in sorted([courts.wenxian, courts.wuzhi], key=lambda court: court.pk)
    ]  # fmt: skip
    inbox = alert_inbox(user=make_staff(courts.wuzhi, EXECUTOR), court_id=courts.wuzhi.pk, roles=frozenset({EXECUTOR}))
    assert [alert.dedupe_key for alert in inbox] == [f"court:{courts.wuzhi.pk}"]


def test_insert_select_adds_only_the_missing_keys(courts, at):
    raise_alert(courts.wenxian, at, f"court:{courts.wenxian.pk}", recipient_role=EXECUTOR, title="早先的提醒")
    params = [NODE_WARNING.code, "warning", EXECUTOR, "本院提醒：", None, at, "court:", courts.jiaozuo.pk]

    inserted = alerts_insert_select(select_sql=_PER_CHILD_COURT, params=params)

    assert inserted == 1
    assert sorted(Alert.objects.values_list("title", flat=True)) == ["早先的提醒", "本院提醒：武陟县人民法院"]


def test_resolve_subject_resolves_the_open_alerts_of_a_subject_or_a_case(courts, at):
    raise_alert(courts.wenxian, at, "n1", recipient_role=EXECUTOR, subject_type="flow.node", subject_id="1", case_id=9)
    raise_alert(courts.wenxian, at, "n1-late", recipient_role=EXECUTOR, subject_type="flow.node", subject_id="1",
                kind=NODE_OVERDUE.code, case_id=9)  # fmt: skip
    raise_alert(courts.wenxian, at, "n2", recipient_role=EXECUTOR, subject_type="flow.node", subject_id="2", case_id=9)
    raise_alert(courts.wenxian, at, "other-case", recipient_role=EXECUTOR, case_id=10)
    later = at + timedelta(days=2)

    by_kind = alerts_resolve_subject(subject_type="flow.node", subject_id="1", kind=NODE_OVERDUE.code, reason="甲",
                                     at=later)  # fmt: skip
    by_subject = alerts_resolve_subject(subject_type="flow.node", subject_id=1, reason="节点已完成", at=later)
    by_case = alerts_resolve_subject(case_id=9, reason="案件已结案", at=later)

    assert (by_kind, by_subject, by_case) == (1, 1, 1)
    assert sorted(Alert.objects.values_list("dedupe_key", "resolved_reason")) == [
        ("n1", "节点已完成"),
        ("n1-late", "甲"),
        ("n2", "案件已结案"),
        ("other-case", ""),
    ]
    with pytest.raises(ValueError, match="not of everything"):
        alerts_resolve_subject(reason="全部", at=later)


def _raise_in_thread(court_id, at, n):
    try:
        with transaction.atomic():
            alert = alert_raise(
                court_id=court_id, kind=NODE_WARNING.code, title=f"并发{n}", at=at, dedupe_key="node:1:warn",
                recipient_role="executor",
            )  # fmt: skip
        return alert is not None
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_raise_each_alert_once(courts, at):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")

    with ThreadPoolExecutor(max_workers=4) as pool:
        raised = list(pool.map(lambda n: _raise_in_thread(courts.wenxian.pk, at, n), range(4)))

    assert sorted(raised) == [False, False, False, True]
    assert Alert.objects.count() == 1


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_inbox_reads_through_its_indexes_on_postgresql(courts, make_staff, at):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's")
    people = [make_staff(courts.wenxian, EXECUTOR) for _ in range(10)]
    all_courts = [courts.henan, courts.jiaozuo, courts.wenxian, courts.wuzhi, courts.shandong, courts.linyi]
    drafts = [
        AlertDraft(
            court_id=all_courts[n % len(all_courts)].pk, kind=NODE_WARNING.code, title=f"提醒{n}", dedupe_key=f"k{n}",
            recipient=people[n % 10] if n % 2 else None,
            recipient_role="" if n % 2 else (EXECUTOR, TEAM_LEADER)[n % 4 // 2],
        )
        for n in range(6000)
    ]  # fmt: skip
    alert_raise_many(alerts=drafts, at=at)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_alert")

    with CaptureQueriesContext(connection) as queries:
        alert_inbox(user=people[3], court_id=courts.wenxian.pk, roles=frozenset({EXECUTOR}))
    plan = _plan(queries[0]["sql"])

    assert "alert_recipient_open_idx" in plan, plan
    assert "alert_court_role_open_idx" in plan, plan
    assert "Seq Scan" not in plan, plan
