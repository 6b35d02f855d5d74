"""What flow registers with ``core`` at start-up: its approval kind and its alert kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhixing.core.alerts import AlertKind, alert_kind_get, alert_kind_register
from zhixing.core.approvals import ApprovalKind, approval_kind_register
from zhixing.core.choices import AlertSeverity

ALERT_KINDS = (
    AlertKind(code="flow.node_warning", label=_("节点即将到期"), severity=AlertSeverity.WARNING),
    AlertKind(code="flow.node_overdue", label=_("节点已超期"), severity=AlertSeverity.OVERDUE),
    AlertKind(code="flow.stage_warning", label=_("流程段期限将届满"), severity=AlertSeverity.WARNING),
    AlertKind(code="flow.stage_overdue", label=_("流程段期满且无后续流转"), severity=AlertSeverity.CRITICAL),
    AlertKind(code="flow.assign_executor", label=_("待指定承办人"), severity=AlertSeverity.INFO),
    AlertKind(code="flow.case_lifted", label=_("案件流转至您办理"), severity=AlertSeverity.WARNING),
    AlertKind(code="flow.overdue_ledger", label=_("超六个月未执结，列入台帐"), severity=AlertSeverity.CRITICAL),
    AlertKind(code="flow.daily_digest", label=_("每日待办摘要"), severity=AlertSeverity.INFO),
)


def register() -> None:
    """Register flow's kinds (idempotent: the app registry calls ``ready`` once per process)."""
    from zhixing.core.calendar import recomputers
    from zhixing.flow.services._period import period_extension_apply
    from zhixing.flow.services._recompute import provisional_dates_recompute

    recomputers.register(key="flow.deadlines", recompute=provisional_dates_recompute)

    for kind in ALERT_KINDS:
        if alert_kind_get(kind.code) is None:
            alert_kind_register(kind)
    approval_kind_register(
        ApprovalKind(code="flow.period_extension", label=_("延长执行期限"), on_approved=period_extension_apply)
    )
