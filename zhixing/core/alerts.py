"""
The registry of alert kinds: each kind's code, Chinese label and default severity.

Apps register their kinds at import of their services or jobs module (node warnings, overdue nodes,
lapsed controls, 失信 removals …); ``alert_raise`` refuses a kind nobody registered. The kinds of the
approvals facility itself are registered here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhixing.core.choices import AlertSeverity


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertKind:
    """A kind of alert: its code (``app.thing``), its Chinese label and the severity it is raised with."""

    code: str
    label: str | Promise
    severity: AlertSeverity


_KINDS: dict[str, AlertKind] = {}


def alert_kind_register(kind: AlertKind) -> AlertKind:
    """
    Register ``kind`` under its code; registering the same kind again is a no-op.

    :raises ValueError: when another kind is already registered under the code, or the code is too long
    """
    if not kind.code or len(kind.code) > 48:
        raise ValueError(f"alert kind code {kind.code!r} must be 1 to 48 characters")
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"alert kind {kind.code!r} registered twice")
    _KINDS[kind.code] = kind
    return kind


def alert_kind_get(code: str) -> AlertKind | None:
    """Return the registered kind ``code``, or None when no app registered it."""
    return _KINDS.get(code)


def alert_kind_label(code: str) -> str:
    """Return the Chinese label of the kind ``code`` (the code itself when unknown)."""
    kind = _KINDS.get(code)
    return str(kind.label) if kind is not None else code


#: An approval step waits for the recipients' decision.
APPROVAL_PENDING = alert_kind_register(
    AlertKind(code="core.approval_pending", label=_("待审批"), severity=AlertSeverity.WARNING)
)
#: The requester's approval was approved or not approved.
APPROVAL_DECIDED = alert_kind_register(
    AlertKind(code="core.approval_decided", label=_("审批结果"), severity=AlertSeverity.INFO)
)
