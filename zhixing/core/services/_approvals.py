"""
Approvals (审批): asking, deciding step by step, withdrawing.

An app asks for an approval with a registered kind and a chain of concrete steps (role, court) it has
resolved itself; the approvers decide in turn and the kind's callback runs in the same transaction
as the last decision. Every act on an approval is audited.

Who may ask or decide is the caller's guard (``courts.access``): ``core`` imports no domain app, so the
caller passes the approver's roles and court.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction

from zhixing.audit.services import record
from zhixing.core.alerts import APPROVAL_DECIDED, APPROVAL_PENDING
from zhixing.core.approvals import approval_kind_get, approval_kind_label
from zhixing.core.choices import ApprovalDecisionKind, ApprovalStatus
from zhixing.core.errors import Conflict, NotAllowed, ValidationFailed
from zhixing.core.models import Approval, ApprovalDecision
from zhixing.core.services._alerts import AlertDraft, alert_resolve_many, alert_row, alerts_insert

#: The ``subject_type`` of the alerts about an approval.
APPROVAL_SUBJECT_TYPE = "core.approval"
_ROLE_MAX_LENGTH = 32


def _clean_chain(chain: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for step in chain or ():
        role = step.get("role") if isinstance(step, Mapping) else None
        court_id = step.get("court_id") if isinstance(step, Mapping) else None
        if (
            not isinstance(role, str)
            or not role.strip()
            or len(role.strip()) > _ROLE_MAX_LENGTH
            or not isinstance(court_id, int)
            or isinstance(court_id, bool)
        ):
            raise ValidationFailed("审批流程的每一步都须指定审批角色和审批法院。", fields={"chain": "步骤不完整"})
        steps.append({"role": role.strip(), "court_id": court_id})
    if not steps:
        raise ValidationFailed("请指定审批流程。", fields={"chain": "必填"})
    return steps


def _role_label(role: str) -> str:
    # core imports no domain app: the role's label is read from the membership model's choices by name.
    try:
        field = apps.get_model("courts", "Membership")._meta.get_field("role")
    except LookupError:
        return role
    return str(dict(field.flatchoices).get(role, role))


def _step_label(step: Mapping[str, Any]) -> str:
    court_model = Approval._meta.get_field("court").related_model
    court_name = court_model._default_manager.filter(pk=step["court_id"]).values_list("name", flat=True).first()
    return f"{court_name or ''}{_role_label(step['role'])}"


def _step_alert_key(approval: Approval, step: int) -> str:
    return f"approval:{approval.pk}:step:{step}"


def _alert_step_pending(approval: Approval, *, requester: Any, at: datetime) -> None:
    step = approval.chain[approval.step]
    row = alert_row(
        AlertDraft(
            court_id=step["court_id"],
            case_id=approval.case_id,
            kind=APPROVAL_PENDING.code,
            recipient_role=step["role"],
            title=f"待审批：{approval.title}",
            body=f"{approval_kind_label(approval.kind)}\n申请人：{requester}\n申请理由：{approval.reason}",
            subject_type=APPROVAL_SUBJECT_TYPE,
            subject_id=str(approval.pk),
            dedupe_key=_step_alert_key(approval, approval.step),
        ),
        at=at,
    )
    alerts_insert([row])


def _alert_outcome(approval: Approval, *, at: datetime) -> None:
    row = alert_row(
        AlertDraft(
            court_id=approval.court_id,
            case_id=approval.case_id,
            kind=APPROVAL_DECIDED.code,
            recipient=approval.requested_by,
            title=f"审批结果：{approval.title}（{approval.get_status_display()}）",
            subject_type=APPROVAL_SUBJECT_TYPE,
            subject_id=str(approval.pk),
            dedupe_key=f"approval:{approval.pk}:outcome",
        ),
        at=at,
    )
    alerts_insert([row])


def _lock(approval_id: int) -> Approval:
    return Approval.objects.select_for_update().get(pk=approval_id)


@transaction.atomic
def approval_request(
    *,
    kind: str,
    court_id: int,
    subject_type: str,
    subject_id: str,
    title: str,
    reason: str,
    chain: Sequence[Mapping[str, Any]],
    requested_by: Any,
    at: datetime,
    case_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Approval:
    """
    Ask for an approval of ``kind`` on a subject, decided by the steps of ``chain`` in turn.

    ``chain`` lists the concrete steps, ``[{"role": "president", "court_id": 3}, …]``, resolved by the
    caller. The holders of the first step's role in its court get a pending-approval alert.

    :raises ApprovalKindUnknown: for a kind no app registered
    :raises ValidationFailed: for a blank reason or title, or an empty or incomplete chain
    :raises Conflict: when an approval of the same kind is already pending for the subject
    """
    approval_kind = approval_kind_get(kind)
    reason, title, subject_id = (reason or "").strip(), (title or "").strip(), str(subject_id)
    if not reason:
        raise ValidationFailed("请填写申请理由。", fields={"reason": "必填"})
    if not title:
        raise ValidationFailed("请填写审批事项。", fields={"title": "必填"})
    steps = _clean_chain(chain)
    same_subject = {"kind": approval_kind.code, "subject_type": subject_type, "subject_id": subject_id}
    pending = Approval.objects.filter(status=ApprovalStatus.PENDING, **same_subject)
    if pending.exists():
        raise Conflict("该事项已有待审批的申请。")
    approval = Approval(
        court_id=court_id,
        case_id=case_id,
        title=title[:200],
        reason=reason,
        payload=dict(payload or {}),
        chain=steps,
        step=0,
        current_court_id=steps[0]["court_id"],
        current_role=steps[0]["role"],
        status=ApprovalStatus.PENDING,
        requested_by=requested_by,
        requested_at=at,
        **same_subject,
    )
    try:
        with transaction.atomic():
            approval.save(force_insert=True)
    except IntegrityError:
        if pending.exists():  # asked for concurrently: the partial unique constraint kept one
            raise Conflict("该事项已有待审批的申请。") from None
        raise
    record(
        action="core.approval.requested",
        at=at,
        actor=requested_by,
        court_id=court_id,
        case_id=case_id,
        subject=approval,
        data={**same_subject, "chain": steps, "reason": reason, "payload": approval.payload},
    )
    _alert_step_pending(approval, requester=requested_by, at=at)
    return approval


@transaction.atomic
def approval_decide(
    *,
    approval_id: int,
    approver: Any,
    approver_roles: frozenset[str],
    approver_court_id: int,
    decision: str,
    reason: str,
    at: datetime,
) -> Approval:
    """
    Decide the current step of a pending approval as ``approver``, holding ``approver_roles`` in ``approver_court_id``.

    Not approving ends the approval (the kind's ``on_rejected`` runs); approving the last step approves
    it (``on_approved`` runs); approving an earlier step passes it to the next, whose role holders get
    an alert. The callbacks run in this transaction: one that raises undoes the decision.

    :raises Conflict: when the approval is no longer pending
    :raises NotAllowed: when the approver does not hold the current step's role in its court, or asked for it
    :raises ValidationFailed: for an unknown decision, or not approving without a reason
    """
    approval = _lock(approval_id)
    if approval.status != ApprovalStatus.PENDING:
        raise Conflict(f"该审批{approval.get_status_display()}，不能再审批。")
    step = approval.chain[approval.step]
    if approver_court_id != step["court_id"] or step["role"] not in approver_roles:
        raise NotAllowed(f"该审批当前应由{_step_label(step)}审批。")
    if approver.pk == approval.requested_by_id:
        raise NotAllowed("不能审批本人提出的申请。")
    if decision not in ApprovalDecisionKind.values:
        raise ValidationFailed("请选择同意或不同意。", fields={"decision": "无效"})
    decision = ApprovalDecisionKind(decision)
    reason = (reason or "").strip()
    if decision == ApprovalDecisionKind.REJECT and not reason:
        raise ValidationFailed("不同意时须填写理由。", fields={"reason": "必填"})
    approval_kind = approval_kind_get(approval.kind)

    ApprovalDecision.objects.create(
        approval=approval,
        step=approval.step,
        role=step["role"],
        court_id=approver_court_id,
        decided_by=approver,
        decision=decision,
        reason=reason,
        at=at,
    )
    alert_resolve_many(
        dedupe_keys=[_step_alert_key(approval, approval.step)],
        reason=f"已审批（{decision.label}）",
        at=at,
    )
    record(
        action="core.approval.decided",
        at=at,
        actor=approver,
        court_id=approval.court_id,
        case_id=approval.case_id,
        subject=approval,
        data={
            "kind": approval.kind,
            "step": approval.step,
            "role": step["role"],
            "approver_court_id": approver_court_id,
            "decision": decision.value,
            "reason": reason,
        },
    )
    is_last = approval.step == len(approval.chain) - 1
    if decision == ApprovalDecisionKind.APPROVE and not is_last:
        approval.step += 1
        approval.current_court_id = approval.chain[approval.step]["court_id"]
        approval.current_role = approval.chain[approval.step]["role"]
        approval.save(update_fields=["step", "current_court", "current_role"])
        _alert_step_pending(approval, requester=approval.requested_by, at=at)
        return approval

    approved = decision == ApprovalDecisionKind.APPROVE
    approval.status = ApprovalStatus.APPROVED if approved else ApprovalStatus.REJECTED
    approval.decided_at = at
    approval.save(update_fields=["status", "decided_at"])
    record(
        action="core.approval.approved" if approved else "core.approval.rejected",
        at=at,
        actor=approver,
        court_id=approval.court_id,
        case_id=approval.case_id,
        subject=approval,
        data={"kind": approval.kind, "step": approval.step, "reason": reason},
    )
    _alert_outcome(approval, at=at)
    callback = approval_kind.on_approved if approved else approval_kind.on_rejected
    if callback is not None:
        callback(approval, approver, at)
    return approval


@transaction.atomic
def approval_withdraw(*, approval_id: int, actor: Any, reason: str, at: datetime) -> Approval:
    """
    Withdraw a pending approval; only its requester may.

    :raises NotAllowed: when ``actor`` did not ask for it
    :raises Conflict: when it is no longer pending
    :raises ValidationFailed: for a blank reason
    """
    approval = _lock(approval_id)
    if actor.pk != approval.requested_by_id:
        raise NotAllowed("只有申请人可以撤回申请。")
    if approval.status != ApprovalStatus.PENDING:
        raise Conflict(f"该审批{approval.get_status_display()}，不能撤回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写撤回的原因。", fields={"reason": "必填"})
    approval.status = ApprovalStatus.WITHDRAWN
    approval.decided_at = at
    approval.save(update_fields=["status", "decided_at"])
    alert_resolve_many(dedupe_keys=[_step_alert_key(approval, approval.step)], reason="申请已撤回", at=at)
    record(
        action="core.approval.withdrawn",
        at=at,
        actor=actor,
        court_id=approval.court_id,
        case_id=approval.case_id,
        subject=approval,
        data={"kind": approval.kind, "step": approval.step, "reason": reason},
    )
    return approval
