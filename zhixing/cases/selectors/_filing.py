"""Reads for the filing page: the teams and executors a case of the court may be given to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from zhixing.courts.access import CourtScope
from zhixing.courts.choices import Role
from zhixing.courts.models import Membership, Team
from zhixing.courts.rules import Capability, capabilities_of

#: The roles that execute cases (an executor of a case holds one of them).
EXECUTING_ROLES = frozenset(role for role in Role if Capability.EXECUTE_CASES in capabilities_of(frozenset({role})))


@dataclass(frozen=True, slots=True)
class FilingDefaults:
    """The choices of the filing and assignment forms: ``(id, label)`` pairs of the person's own court."""

    teams: tuple[tuple[int, str], ...]
    executors: tuple[tuple[int, str], ...]


def case_filing_defaults(*, scope: CourtScope, today: date) -> FilingDefaults:
    """Return the active teams of the person's court and the people holding an executing role there today."""
    if scope.court is None:
        return FilingDefaults(teams=(), executors=())
    teams = Team.objects.filter(court=scope.court, is_active=True).order_by("name", "pk")
    memberships = (
        Membership.objects.filter(
            Q(active_to__isnull=True) | Q(active_to__gt=today),
            court=scope.court,
            active_from__lte=today,
            role__in=sorted(EXECUTING_ROLES),
        )
        .select_related("user", "team")
        .order_by("user__username", "pk")
    )
    executors: dict[int, str] = {}
    for membership in memberships:
        user = membership.user
        name = getattr(user, "name", "") or user.get_username()
        team = f"（{membership.team.name}）" if membership.team else ""
        executors.setdefault(user.pk, f"{name}{team}")
    return FilingDefaults(teams=tuple((t.pk, t.name) for t in teams), executors=tuple(executors.items()))
