"""
Reads of the shared approvals and alerts.

The caller has already resolved who the reader is (person, court, roles) through ``courts.access``;
these functions only select what is addressed to them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhixing.core.choices import ApprovalStatus
from zhixing.core.models import Alert, Approval, ApprovalDecision


def _addressed_to(*, user: Any, court_id: int, roles: frozenset[str]) -> QuerySet[Alert]:
    # Two index scans (alert_recipient_open_idx, alert_court_role_open_idx) OR-ed together.
    addressed = Q(recipient_id=user.pk)
    if roles:
        addressed |= Q(recipient__isnull=True, court_id=court_id, recipient_role__in=sorted(roles))
    return Alert.objects.filter(addressed)


def alert_inbox(
    *, user: Any, court_id: int, roles: frozenset[str], include_resolved: bool = False, limit: int = 100
) -> list[Alert]:
    """
    Return the newest alerts to ``user`` personally or to one of ``roles`` in ``court_id``, newest first.

    Open alerts only, unless ``include_resolved``; at most ``limit``, in one query.
    """
    alerts = _addressed_to(user=user, court_id=court_id, roles=roles)
    if not include_resolved:
        alerts = alerts.filter(resolved_at__isnull=True)
    return list(alerts.order_by("-created_at", "-id")[:limit])


def alert_unread_count(*, user: Any, court_id: int, roles: frozenset[str]) -> int:
    """Return how many open alerts to ``user`` or to one of ``roles`` in ``court_id`` nobody has read."""
    return _addressed_to(user=user, court_id=court_id, roles=roles).filter(
        resolved_at__isnull=True, read_at__isnull=True
    ).count()


def approvals_pending_for(*, court_id: int, roles: frozenset[str]) -> list[Approval]:
    """Return the pending approvals whose current step is one of ``roles`` in ``court_id``, oldest first."""
    if not roles:
        return []
    return list(
        Approval.objects.filter(
            status=ApprovalStatus.PENDING, current_court_id=court_id, current_role__in=sorted(roles)
        )
        .select_related("court", "requested_by")
        .order_by("requested_at", "id")
    )


def approval_pending_for_subject(*, kind: str, subject_type: str, subject_id: str) -> Approval | None:
    """Return the approval of ``kind`` pending for the subject, or None (at most one is, by constraint)."""
    return Approval.objects.filter(
        status=ApprovalStatus.PENDING, kind=kind, subject_type=subject_type, subject_id=str(subject_id)
    ).first()


def approval_get(*, approval_id: int) -> Approval:
    """
    Return one approval with its court, requester and current court.

    :raises Approval.DoesNotExist: for an unknown id
    """
    return Approval.objects.select_related("court", "requested_by", "current_court").get(pk=approval_id)


def approval_history(*, approval_id: int) -> list[ApprovalDecision]:
    """Return the decisions on an approval, step by step, with the approvers and their courts."""
    return list(
        ApprovalDecision.objects.filter(approval_id=approval_id)
        .select_related("decided_by", "court")
        .order_by("step", "at", "id")
    )
