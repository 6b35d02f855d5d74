"""
The shared approvals (审批) and alerts (提醒) that every later app reuses.

They refer to courts and people by string (``"courts.Court"``, ``AUTH_USER_MODEL``) so that ``core``
imports no domain app; what an approval is about is a ``kind`` code from the registry in
``zhixing.core.approvals`` plus a plain ``subject_type``/``subject_id``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhixing.core.choices import AlertSeverity, ApprovalDecisionKind, ApprovalStatus


class Alert(models.Model):
    """
    A notification to one person, or to every holder of ``recipient_role`` in ``court`` when ``recipient`` is None.

    Alerts are notices, not case state: raising and reading them are not audited. ``dedupe_key`` is
    unique, so a periodic sweep that runs twice raises each alert once. An alert is open until
    ``resolved_at`` is set (the matter was dealt with), whether or not it was read.
    """

    # court and recipient lead the composite indexes below, so they need no index of their own.
    court = models.ForeignKey(
        "courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="alerts", db_index=False
    )
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("提醒类型"), max_length=48)
    severity = models.CharField(_("级别"), max_length=16, choices=AlertSeverity.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
        db_index=False,
    )
    recipient_role = models.CharField(_("接收角色"), max_length=32, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    subject_type = models.CharField(_("事项类型"), max_length=64, blank=True)
    subject_id = models.CharField(_("事项编号"), max_length=64, blank=True)
    due_on = models.DateField(_("期限届满日"), null=True, blank=True)
    created_at = models.DateTimeField(_("提醒时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("消除时间"), null=True, blank=True)
    # db_default too: the set-based sweeps (alerts_insert_select) insert rows without this column.
    resolved_reason = models.CharField(_("消除原因"), max_length=200, blank=True, default="", db_default="")
    dedupe_key = models.CharField(_("去重键"), max_length=160, unique=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(recipient_role=""), name="alert_has_recipient"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "resolved_at", "created_at"], name="alert_recipient_open_idx"),
            models.Index(
                fields=["court", "recipient_role", "resolved_at", "created_at"], name="alert_court_role_open_idx"
            ),
            models.Index(fields=["court", "kind", "created_at"], name="alert_court_kind_idx"),
            models.Index(fields=["subject_type", "subject_id", "resolved_at"], name="alert_subject_open_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Approval(models.Model):
    """
    A request that one or more approvers decide in turn (延长执行期限 by the president, over-limit freezes …).

    ``chain`` is the list of concrete steps, ``[{"role": "president", "court_id": 3}, …]``, resolved by
    the requesting app; ``step`` is the index of the step awaiting a decision, and ``current_court`` /
    ``current_role`` copy that step into indexed columns so that an approver's queue is one index scan.
    At most one approval of a kind is pending for the same subject.
    """

    # court leads approval_court_status_idx, so it needs no index of its own.
    court = models.ForeignKey(
        "courts.Court", verbose_name=_("法院"), on_delete=models.PROTECT, related_name="approvals", db_index=False
    )
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("审批类型"), max_length=48)
    subject_type = models.CharField(_("事项类型"), max_length=64)
    subject_id = models.CharField(_("事项编号"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    reason = models.TextField(_("申请理由"))
    payload = models.JSONField(_("申请内容"), default=dict, blank=True)
    chain = models.JSONField(_("审批流程"))
    step = models.PositiveSmallIntegerField(_("当前步骤"), default=0)
    current_court = models.ForeignKey(
        "courts.Court", verbose_name=_("当前审批法院"), on_delete=models.PROTECT, related_name="+"
    )
    current_role = models.CharField(_("当前审批角色"), max_length=32)
    status = models.CharField(
        _("状态"), max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="approvals_requested",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审批")
        verbose_name_plural = _("审批")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(status=ApprovalStatus.PENDING),
                name="approval_one_pending_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(status=ApprovalStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ApprovalStatus.PENDING) & Q(decided_at__isnull=False)),
                name="approval_decided_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="approval_status_kind_idx"),
            models.Index(fields=["court", "status", "requested_at"], name="approval_court_status_idx"),
            models.Index(fields=["status", "current_court", "current_role"], name="approval_current_step_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ApprovalDecision(models.Model):
    """
    One approver's decision on one step of an approval; append-only (the services never update it).

    ``court`` is the approver's court, which for an upper court's step differs from the approval's.
    """

    # approval leads the unique (approval, step) index, so it needs no index of its own.
    approval = models.ForeignKey(
        Approval, verbose_name=_("审批"), on_delete=models.PROTECT, related_name="decisions", db_index=False
    )
    step = models.PositiveSmallIntegerField(_("步骤"))
    role = models.CharField(_("审批角色"), max_length=32)
    court = models.ForeignKey(
        "courts.Court", verbose_name=_("审批法院"), on_delete=models.PROTECT, related_name="approval_decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="approval_decisions",
    )
    decision = models.CharField(_("审批意见"), max_length=16, choices=ApprovalDecisionKind.choices)
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("审批时间"))

    class Meta:
        verbose_name = _("审批意见")
        verbose_name_plural = _("审批意见")
        ordering = ["approval", "step", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["approval", "step"], name="approval_decision_one_per_step"),
            models.CheckConstraint(
                condition=Q(decision=ApprovalDecisionKind.APPROVE) | ~Q(reason=""),
                name="approval_decision_reject_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approval} · {self.get_decision_display()}"
