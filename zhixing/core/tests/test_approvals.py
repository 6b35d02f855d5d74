"""Approvals: asking, deciding step by step across courts, refusing, withdrawing, the kinds' callbacks."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections, transaction

from zhixing.core.approvals import ApprovalKind, ApprovalKindUnknown, approval_kind_get, approval_kind_register
from zhixing.core.choices import AlertSeverity, ApprovalDecisionKind, ApprovalStatus
from zhixing.core.errors import Conflict, NotAllowed, ValidationFailed
from zhixing.core.models import Alert, Approval, ApprovalDecision
from zhixing.core.selectors import (
    approval_get,
    approval_history,
    approval_pending_for_subject,
    approvals_pending_for,
)
from zhixing.core.services import alert_raise, approval_decide, approval_request, approval_withdraw

# Role codes as the courts app stores them (core's tests import no domain app either).
EXECUTOR, PRESIDENT, BUREAU_CHIEF, UPPER_SUPERVISOR = "executor", "president", "bureau_chief", "upper_supervisor"

recorded_calls: list[tuple] = []


def _approved(approval, actor, at):
    recorded_calls.append(("approved", approval.pk, approval.status, actor.pk, at))


def _rejected(approval, actor, at):
    recorded_calls.append(("rejected", approval.pk, approval.status, actor.pk, at))


def _explode(approval, actor, at):
    alert_raise(
        court_id=approval.court_id, kind="core.approval_decided", title="回调中的写入", recipient=actor, at=at,
        dedupe_key=f"test:explode:{approval.pk}",
    )  # fmt: skip
    raise RuntimeError("冻结回调失败")


EXTENSION = approval_kind_register(
    ApprovalKind(code="test.extension", label="测试：延长执行期限", on_approved=_approved, on_rejected=_rejected)
)
EXPLODES = approval_kind_register(ApprovalKind(code="test.explodes", label="测试：回调失败", on_approved=_explode))


@pytest.fixture(autouse=True)
def calls():
    recorded_calls.clear()
    yield recorded_calls
    recorded_calls.clear()


@pytest.fixture
def people(courts, make_staff):
    class People:
        executor = make_staff(courts.wenxian, EXECUTOR, name="执行员甲")
        president = make_staff(courts.wenxian, PRESIDENT, name="温县院长")
        bureau_chief = make_staff(courts.wenxian, BUREAU_CHIEF, name="温县局长")
        wuzhi_president = make_staff(courts.wuzhi, PRESIDENT, name="武陟院长")
        supervisor = make_staff(courts.henan, UPPER_SUPERVISOR, name="高院监督员")

    return People


def two_step_chain(courts):
    return [
        {"role": PRESIDENT, "court_id": courts.wenxian.pk},
        {"role": UPPER_SUPERVISOR, "court_id": courts.henan.pk},
    ]


def ask(courts, requester, at, **overrides):
    fields = {
        "kind": EXTENSION.code,
        "court_id": courts.wenxian.pk,
        "case_id": 7001,
        "subject_type": "cases.case",
        "subject_id": "7001",
        "title": "（2026）豫0825执100号 延长执行期限三个月",
        "reason": "被执行人财产处置尚未完成",
        "payload": {"months": 3},
        "chain": two_step_chain(courts),
        "requested_by": requester,
        "at": at,
    }
    fields.update(overrides)
    return approval_request(**fields)


def decide(approval, approver, court, role, at, *, decision="approve", reason=""):
    return approval_decide(
        approval_id=approval.pk,
        approver=approver,
        approver_roles=frozenset({role}),
        approver_court_id=court.pk,
        decision=decision,
        reason=reason,
        at=at,
    )


def snapshot(approval_id):
    approval = Approval.objects.get(pk=approval_id)
    return (
        approval.status,
        approval.step,
        approval.current_court_id,
        approval.current_role,
        approval.decided_at,
        ApprovalDecision.objects.filter(approval_id=approval_id).count(),
        sorted(Alert.objects.values_list("dedupe_key", "resolved_at")),
    )


def test_request_opens_first_step_alerts_its_role_and_audits(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at, reason="  被执行人财产处置尚未完成 ")

    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    assert approval.step == 0
    assert approval.chain == [
        {"role": "president", "court_id": courts.wenxian.pk},
        {"role": "upper_supervisor", "court_id": courts.henan.pk},
    ]
    assert (approval.current_court_id, approval.current_role) == (courts.wenxian.pk, "president")
    assert approval.reason == "被执行人财产处置尚未完成"
    assert approval.payload == {"months": 3}
    assert approval.requested_at == at
    assert approval.decided_at is None
    alert = Alert.objects.get()
    assert alert.kind == "core.approval_pending"
    assert alert.severity == AlertSeverity.WARNING
    assert (alert.court_id, alert.recipient_id, alert.recipient_role) == (courts.wenxian.pk, None, "president")
    assert alert.dedupe_key == f"approval:{approval.pk}:step:0"
    assert alert.title == "待审批：（2026）豫0825执100号 延长执行期限三个月"
    assert alert.body == "测试：延长执行期限\n申请人：执行员甲\n申请理由：被执行人财产处置尚未完成"
    assert (alert.case_id, alert.subject_type, alert.subject_id) == (7001, "core.approval", str(approval.pk))
    [row] = audit_rows("core.approval.requested")
    assert (row["court_id"], row["case_id"], row["actor_id"]) == (courts.wenxian.pk, 7001, people.executor.pk)
    assert (row["subject_type"], row["subject_id"]) == ("core.approval", str(approval.pk))
    data = json.loads(row["data"])
    assert data["kind"] == "test.extension"
    assert data["reason"] == "被执行人财产处置尚未完成"
    assert data["chain"] == approval.chain


def test_two_step_chain_is_approved_end_to_end_and_the_callback_runs_once(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at)
    assert [a.pk for a in approvals_pending_for(court_id=courts.wenxian.pk, roles=frozenset({"president"}))] == [
        approval.pk
    ]

    # the president of the basic court approves the first step
    first_at = at + timedelta(hours=1)
    approval = decide(approval, people.president, courts.wenxian, PRESIDENT, first_at, reason="同意报请")

    approval.refresh_from_db()
    assert (approval.status, approval.step) == (ApprovalStatus.PENDING, 1)
    assert (approval.current_court_id, approval.current_role) == (courts.henan.pk, "upper_supervisor")
    assert recorded_calls == []
    assert approvals_pending_for(court_id=courts.wenxian.pk, roles=frozenset({"president"})) == []
    assert [a.pk for a in approvals_pending_for(court_id=courts.henan.pk, roles=frozenset({"upper_supervisor"}))] == [
        approval.pk
    ]
    first_alert = Alert.objects.get(dedupe_key=f"approval:{approval.pk}:step:0")
    assert (first_alert.resolved_at, first_alert.resolved_reason) == (first_at, "已审批（同意）")
    second_alert = Alert.objects.get(dedupe_key=f"approval:{approval.pk}:step:1")
    assert (second_alert.court_id, second_alert.recipient_role) == (courts.henan.pk, "upper_supervisor")
    assert second_alert.created_at == first_at
    assert second_alert.resolved_at is None

    # the high court's supervisor approves the last step
    last_at = at + timedelta(days=1)
    approval = decide(approval, people.supervisor, courts.henan, UPPER_SUPERVISOR, last_at)

    approval.refresh_from_db()
    assert (approval.status, approval.step, approval.decided_at) == (ApprovalStatus.APPROVED, 1, last_at)
    assert recorded_calls == [("approved", approval.pk, ApprovalStatus.APPROVED, people.supervisor.pk, last_at)]
    assert approvals_pending_for(court_id=courts.henan.pk, roles=frozenset({"upper_supervisor"})) == []
    second_alert.refresh_from_db()
    assert second_alert.resolved_at == last_at
    outcome = Alert.objects.get(dedupe_key=f"approval:{approval.pk}:outcome")
    assert (outcome.recipient_id, outcome.kind, outcome.severity) == (
        people.executor.pk,
        "core.approval_decided",
        AlertSeverity.INFO,
    )
    assert outcome.title == "审批结果：（2026）豫0825执100号 延长执行期限三个月（已批准）"
    history = approval_history(approval_id=approval.pk)
    assert [(d.step, d.role, d.court_id, d.decided_by_id, d.decision, d.reason, d.at) for d in history] == [
        (0, "president", courts.wenxian.pk, people.president.pk, ApprovalDecisionKind.APPROVE, "同意报请", first_at),
        (1, "upper_supervisor", courts.henan.pk, people.supervisor.pk, ApprovalDecisionKind.APPROVE, "", last_at),
    ]
    decided = audit_rows("core.approval.decided")
    assert [json.loads(row["data"]) for row in decided] == [
        {
            "kind": "test.extension", "step": 0, "role": "president", "approver_court_id": courts.wenxian.pk,
            "decision": "approve", "reason": "同意报请",
        },
        {
            "kind": "test.extension", "step": 1, "role": "upper_supervisor", "approver_court_id": courts.henan.pk,
            "decision": "approve", "reason": "",
        },
    ]  # fmt: skip
    assert [row["actor_id"] for row in decided] == [people.president.pk, people.supervisor.pk]
    assert {row["court_id"] for row in decided} == {courts.wenxian.pk}
    [approved] = audit_rows("core.approval.approved")
    assert approved["actor_id"] == people.supervisor.pk
    assert audit_rows("core.approval.rejected") == []


@pytest.mark.parametrize(
    ("who", "court", "role", "message"),
    [
        ("bureau_chief", "wenxian", BUREAU_CHIEF, "该审批当前应由温县人民法院院长审批。"),
        ("wuzhi_president", "wuzhi", PRESIDENT, "该审批当前应由温县人民法院院长审批。"),
        ("supervisor", "henan", UPPER_SUPERVISOR, "该审批当前应由温县人民法院院长审批。"),
    ],
)
def test_wrong_role_or_court_is_refused_and_changes_nothing(courts, people, at, audit_rows, who, court, role, message):
    approval = ask(courts, people.executor, at)
    before, audited = snapshot(approval.pk), len(audit_rows())

    with pytest.raises(NotAllowed) as refused:
        decide(approval, getattr(people, who), getattr(courts, court), role, at)

    assert refused.value.message == message
    assert snapshot(approval.pk) == before
    assert len(audit_rows()) == audited
    assert recorded_calls == []


def test_second_step_names_the_upper_court_in_the_refusal(courts, people, at):
    approval = ask(courts, people.executor, at)
    decide(approval, people.president, courts.wenxian, PRESIDENT, at)

    with pytest.raises(NotAllowed) as refused:
        decide(approval, people.president, courts.wenxian, PRESIDENT, at)

    assert refused.value.message == "该审批当前应由河南省高级人民法院上级法院监督人员审批。"


def test_requester_may_not_decide_their_own_request(courts, people, at, audit_rows):
    approval = ask(courts, people.president, at)
    before, audited = snapshot(approval.pk), len(audit_rows())

    with pytest.raises(NotAllowed) as refused:
        decide(approval, people.president, courts.wenxian, PRESIDENT, at)

    assert refused.value.message == "不能审批本人提出的申请。"
    assert snapshot(approval.pk) == before
    assert len(audit_rows()) == audited


@pytest.mark.parametrize("reason", ["", "   "])
def test_not_approving_needs_a_reason(courts, people, at, audit_rows, reason):
    approval = ask(courts, people.executor, at)
    before, audited = snapshot(approval.pk), len(audit_rows())

    with pytest.raises(ValidationFailed) as refused:
        decide(approval, people.president, courts.wenxian, PRESIDENT, at, decision="reject", reason=reason)

    assert refused.value.message == "不同意时须填写理由。"
    assert refused.value.fields == {"reason": "必填"}
    assert snapshot(approval.pk) == before
    assert len(audit_rows()) == audited


def test_unknown_decision_is_refused(courts, people, at):
    approval = ask(courts, people.executor, at)

    with pytest.raises(ValidationFailed) as refused:
        decide(approval, people.president, courts.wenxian, PRESIDENT, at, decision="maybe")

    assert refused.value.fields == {"decision": "无效"}
    assert ApprovalDecision.objects.count() == 0


def test_not_approving_ends_the_approval_at_the_first_step(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at)
    later = at + timedelta(hours=2)

    approval = decide(
        approval, people.president, courts.wenxian, PRESIDENT, later, decision="reject", reason=" 理由不充分 "
    )

    approval.refresh_from_db()
    assert (approval.status, approval.step, approval.decided_at) == (ApprovalStatus.REJECTED, 0, later)
    assert recorded_calls == [("rejected", approval.pk, ApprovalStatus.REJECTED, people.president.pk, later)]
    [decision] = approval_history(approval_id=approval.pk)
    assert (decision.decision, decision.reason) == (ApprovalDecisionKind.REJECT, "理由不充分")
    step_alert = Alert.objects.get(dedupe_key=f"approval:{approval.pk}:step:0")
    assert (step_alert.resolved_at, step_alert.resolved_reason) == (later, "已审批（不同意）")
    assert not Alert.objects.filter(dedupe_key=f"approval:{approval.pk}:step:1").exists()
    outcome = Alert.objects.get(dedupe_key=f"approval:{approval.pk}:outcome")
    assert outcome.title.endswith("（未批准）")
    [rejected] = audit_rows("core.approval.rejected")
    assert json.loads(rejected["data"]) == {"kind": "test.extension", "step": 0, "reason": "理由不充分"}
    assert audit_rows("core.approval.approved") == []


def test_a_decided_approval_cannot_be_decided_again(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at, chain=[{"role": "president", "court_id": courts.wenxian.pk}])
    decide(approval, people.president, courts.wenxian, PRESIDENT, at)
    audited = len(audit_rows())

    with pytest.raises(Conflict) as refused:
        decide(approval, people.president, courts.wenxian, PRESIDENT, at)

    assert refused.value.message == "该审批已批准，不能再审批。"
    assert ApprovalDecision.objects.count() == 1
    assert len(audit_rows()) == audited
    assert len(recorded_calls) == 1


def test_duplicate_pending_request_is_refused(courts, people, at, audit_rows):
    first = ask(courts, people.executor, at)
    audited = len(audit_rows())

    with pytest.raises(Conflict) as refused:
        ask(courts, people.bureau_chief, at, reason="另一个理由")

    assert refused.value.message == "该事项已有待审批的申请。"
    assert list(Approval.objects.values_list("pk", flat=True)) == [first.pk]
    assert Alert.objects.count() == 1
    assert len(audit_rows()) == audited
    assert approval_pending_for_subject(kind="test.extension", subject_type="cases.case", subject_id="7001") == first


def test_another_kind_or_subject_may_be_pending_at_once(courts, people, at):
    ask(courts, people.executor, at)
    ask(courts, people.executor, at, subject_id="7002")
    ask(courts, people.executor, at, kind=EXPLODES.code)

    assert Approval.objects.filter(status=ApprovalStatus.PENDING).count() == 3


def test_a_new_request_may_follow_a_rejected_one(courts, people, at):
    first = ask(courts, people.executor, at)
    decide(first, people.president, courts.wenxian, PRESIDENT, at, decision="reject", reason="材料不全")

    second = ask(courts, people.executor, at + timedelta(days=1), reason="已补齐材料")

    assert second.pk != first.pk
    assert approval_pending_for_subject(kind="test.extension", subject_type="cases.case", subject_id="7001") == second


def test_database_keeps_one_pending_approval_per_subject(courts, people, at):
    first = ask(courts, people.executor, at)
    twin = Approval(
        **{
            field.attname: getattr(first, field.attname)
            for field in Approval._meta.concrete_fields
            if not field.primary_key
        }
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save(force_insert=True)


def test_failing_callback_rolls_the_decision_back(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at, kind=EXPLODES.code)
    decide(approval, people.president, courts.wenxian, PRESIDENT, at)
    before, audited = snapshot(approval.pk), len(audit_rows())

    with pytest.raises(RuntimeError, match="冻结回调失败"):
        decide(approval, people.supervisor, courts.henan, UPPER_SUPERVISOR, at + timedelta(days=1))

    assert snapshot(approval.pk) == before
    approval.refresh_from_db()
    assert (approval.status, approval.step, approval.decided_at) == (ApprovalStatus.PENDING, 1, None)
    assert ApprovalDecision.objects.filter(approval=approval).count() == 1
    assert not Alert.objects.filter(dedupe_key__in=[f"test:explode:{approval.pk}", f"approval:{approval.pk}:outcome"])
    assert Alert.objects.get(dedupe_key=f"approval:{approval.pk}:step:1").resolved_at is None
    assert len(audit_rows()) == audited
    assert audit_rows("core.approval.approved") == []


def test_withdraw_by_the_requester_ends_it_and_resolves_the_alert(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at)
    later = at + timedelta(minutes=5)

    approval = approval_withdraw(approval_id=approval.pk, actor=people.executor, reason=" 被执行人已履行 ", at=later)

    approval.refresh_from_db()
    assert (approval.status, approval.decided_at) == (ApprovalStatus.WITHDRAWN, later)
    step_alert = Alert.objects.get(dedupe_key=f"approval:{approval.pk}:step:0")
    assert (step_alert.resolved_at, step_alert.resolved_reason) == (later, "申请已撤回")
    [row] = audit_rows("core.approval.withdrawn")
    assert row["actor_id"] == people.executor.pk
    assert json.loads(row["data"]) == {"kind": "test.extension", "step": 0, "reason": "被执行人已履行"}
    assert approvals_pending_for(court_id=courts.wenxian.pk, roles=frozenset({"president"})) == []
    with pytest.raises(Conflict) as refused:
        decide(approval, people.president, courts.wenxian, PRESIDENT, later)
    assert refused.value.message == "该审批已撤回，不能再审批。"
    assert recorded_calls == []


def test_only_the_requester_may_withdraw(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at)
    before, audited = snapshot(approval.pk), len(audit_rows())

    with pytest.raises(NotAllowed) as refused:
        approval_withdraw(approval_id=approval.pk, actor=people.president, reason="不需要了", at=at)

    assert refused.value.message == "只有申请人可以撤回申请。"
    assert snapshot(approval.pk) == before
    assert len(audit_rows()) == audited


def test_withdraw_after_the_decision_is_refused(courts, people, at, audit_rows):
    approval = ask(courts, people.executor, at)
    decide(approval, people.president, courts.wenxian, PRESIDENT, at, decision="reject", reason="不符合条件")
    audited = len(audit_rows())

    with pytest.raises(Conflict) as refused:
        approval_withdraw(approval_id=approval.pk, actor=people.executor, reason="撤回", at=at)

    assert refused.value.message == "该审批未批准，不能撤回。"
    assert Approval.objects.get(pk=approval.pk).status == ApprovalStatus.REJECTED
    assert len(audit_rows()) == audited


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"reason": "  "}, {"reason": "必填"}),
        ({"title": ""}, {"title": "必填"}),
        ({"chain": []}, {"chain": "必填"}),
        ({"chain": [{"role": "president"}]}, {"chain": "步骤不完整"}),
        ({"chain": [{"role": "", "court_id": 1}]}, {"chain": "步骤不完整"}),
        ({"chain": [{"role": "president", "court_id": "1"}]}, {"chain": "步骤不完整"}),
    ],
)
def test_incomplete_request_is_refused_and_records_nothing(courts, people, at, audit_rows, overrides, fields):
    audited = len(audit_rows())

    with pytest.raises(ValidationFailed) as refused:
        ask(courts, people.executor, at, **overrides)

    assert refused.value.fields == fields
    assert Approval.objects.count() == 0
    assert Alert.objects.count() == 0
    assert len(audit_rows()) == audited


def test_blank_reason_message_is_chinese(courts, people, at):
    with pytest.raises(ValidationFailed) as refused:
        ask(courts, people.executor, at, reason="")

    assert refused.value.message == "请填写申请理由。"


def test_unregistered_kind_is_refused(courts, people, at):
    with pytest.raises(ApprovalKindUnknown) as refused:
        ask(courts, people.executor, at, kind="test.nobody_registered")

    assert isinstance(refused.value, KeyError)
    assert "test.nobody_registered" in str(refused.value)
    assert Approval.objects.count() == 0


def test_registry_refuses_a_second_kind_under_one_code():
    assert approval_kind_get("test.extension") is EXTENSION
    assert approval_kind_register(EXTENSION) is EXTENSION  # the same kind again is a no-op

    with pytest.raises(ValueError, match="registered twice"):
        approval_kind_register(ApprovalKind(code="test.extension", label="别的"))

    assert approval_kind_get("test.extension") is EXTENSION


def test_approval_get_reads_with_its_relations_in_one_query(courts, people, at, django_assert_num_queries):
    approval = ask(courts, people.executor, at)

    with django_assert_num_queries(1):
        got = approval_get(approval_id=approval.pk)
        assert (got.court.name, got.requested_by.name, got.current_court.name) == (
            "温县人民法院",
            "执行员甲",
            "温县人民法院",
        )


def _request_in_thread(courts, requester_id, at):
    try:
        with transaction.atomic():
            ask(courts, get_user_model().objects.get(pk=requester_id), at)
        return "ok"
    except Conflict:
        return "conflict"
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_leave_one_pending(courts, make_staff, at):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    requester = make_staff(courts.wenxian, EXECUTOR)

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(lambda _: _request_in_thread(courts, requester.pk, at), range(4)))

    assert outcomes == ["conflict", "conflict", "conflict", "ok"]
    assert Approval.objects.filter(status=ApprovalStatus.PENDING).count() == 1
    assert Alert.objects.count() == 1
