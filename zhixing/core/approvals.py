"""
The registry of approval kinds: what each kind is called and what happens when it is decided.

An app registers its kinds once, in its ``AppConfig.ready`` or at import of its services module::

    approval_kind_register(ApprovalKind(code="flow.period_extension", label=_("延长执行期限"),
                                        on_approved=period_extend_approved))

The callbacks run inside the deciding service's transaction, so a callback that raises rolls the
decision back with it. They take ``(approval, actor, at)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from zhixing.core.models import Approval

#: A callback run when an approval of the kind ends: ``(approval, actor, at)``.
ApprovalCallback = Callable[["Approval", Any, datetime], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovalKind:
    """A kind of approval: its code (``app.thing``), its Chinese label and its outcome callbacks."""

    code: str
    label: str | Promise
    on_approved: ApprovalCallback | None = None
    on_rejected: ApprovalCallback | None = None


class ApprovalKindUnknown(KeyError):
    """An approval kind code that no app registered."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"unknown approval kind {self.code!r}: register it with zhixing.core.approvals.approval_kind_register"


_KINDS: dict[str, ApprovalKind] = {}


def approval_kind_register(kind: ApprovalKind) -> ApprovalKind:
    """
    Register ``kind`` under its code; registering the same kind again is a no-op.

    :raises ValueError: when another kind is already registered under the code, or the code is too long
    """
    if not kind.code or len(kind.code) > 48:
        raise ValueError(f"approval kind code {kind.code!r} must be 1 to 48 characters")
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"approval kind {kind.code!r} registered twice")
    _KINDS[kind.code] = kind
    return kind


def approval_kind_get(code: str) -> ApprovalKind:
    """
    Return the registered kind ``code``.

    :raises ApprovalKindUnknown: (a ``KeyError``) when no app registered it
    """
    try:
        return _KINDS[code]
    except KeyError:
        raise ApprovalKindUnknown(code) from None


def approval_kind_label(code: str) -> str:
    """Return the Chinese label of the kind ``code`` (the code itself when unknown)."""
    kind = _KINDS.get(code)
    return str(kind.label) if kind is not None else code
