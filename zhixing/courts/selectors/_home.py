"""The workbench home page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from zhixing.courts.access import CourtScope
from zhixing.courts.models import Membership
from zhixing.courts.rules import Capability
from zhixing.courts.selectors._calendar import CalendarWarning, calendar_warnings


@dataclass(frozen=True, slots=True)
class HomeDashboard:
    """What the home page shows: the person's memberships today and the warnings for their roles."""

    memberships: list[Membership]
    calendar_warnings: list[CalendarWarning] = field(default_factory=list)


def home_dashboard(*, scope: CourtScope, user: Any, today: date) -> HomeDashboard:
    """Return the home page of ``user``; administrators see the calendar warnings until the years are entered."""
    memberships = list(
        Membership.objects.filter(user_id=user.pk, active_from__lte=today)
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=today))
        .select_related("court", "team", "team__kind")
        .order_by("role")
    )
    warnings = calendar_warnings(today=today) if scope.can(Capability.EDIT_CALENDAR) else []
    return HomeDashboard(memberships=memberships, calendar_warnings=warnings)
