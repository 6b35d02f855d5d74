"""
Writes of the shared approvals (审批) and alerts (提醒), re-exported from their modules.

``_approvals``: asking, deciding step by step across courts, withdrawing — every act audited.
``_alerts``: raising (one, from drafts, or from a SELECT), reading and resolving — only a person's
resolving audited.
"""

from zhixing.core.services._alerts import (
    ALERT_COLUMNS,
    AlertDraft,
    alert_mark_read,
    alert_raise,
    alert_raise_many,
    alert_resolve,
    alert_resolve_many,
    alerts_insert_select,
    alerts_resolve_subject,
)
from zhixing.core.services._approvals import (
    APPROVAL_SUBJECT_TYPE,
    approval_decide,
    approval_request,
    approval_withdraw,
)

__all__ = [
    "ALERT_COLUMNS",
    "APPROVAL_SUBJECT_TYPE",
    "AlertDraft",
    "alert_mark_read",
    "alert_raise",
    "alert_raise_many",
    "alert_resolve",
    "alert_resolve_many",
    "alerts_insert_select",
    "alerts_resolve_subject",
    "approval_decide",
    "approval_request",
    "approval_withdraw",
]
