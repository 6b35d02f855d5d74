"""Choice sets of the shared approvals and alerts, with Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertSeverity(models.TextChoices):
    """How urgent an alert is; each alert kind has a default."""

    INFO = "info", _("提示")
    WARNING = "warning", _("预警")
    OVERDUE = "overdue", _("超期")
    CRITICAL = "critical", _("严重")


class ApprovalStatus(models.TextChoices):
    """Where an approval stands; only a pending one can be decided or withdrawn."""

    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class ApprovalDecisionKind(models.TextChoices):
    """One approver's decision on one step of an approval."""

    APPROVE = "approve", _("同意")
    REJECT = "reject", _("不同意")
