"""Courts, teams and people, always read through the person's court scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from zhixing.courts.access import CourtScope, scoped, scoped_get
from zhixing.courts.models import Court, Membership, Team


def _active(today: date) -> Q:
    return Q(active_from__lte=today) & (Q(active_to__isnull=True) | Q(active_to__gt=today))


def court_list(*, scope: CourtScope) -> QuerySet[Court]:
    """Return the courts ``scope`` may read, in hierarchy order, with their parent and team count."""
    return (
        scoped(Court.objects.all(), scope=scope, court_field="pk")
        .select_related("parent")
        .annotate(team_count=Count("teams", filter=Q(teams__is_active=True)))
        .order_by("path")
    )


@dataclass(frozen=True, slots=True)
class CourtDetail:
    """A court page: the court, its departments and teams, and who holds which role today."""

    court: Court
    children: list[Court]
    teams: list[Team]
    memberships: list[Membership]
    may_write: bool


def court_detail(*, scope: CourtScope, court_id: Any, today: date) -> CourtDetail:
    """
    Return the court page of ``court_id`` if ``scope`` may read it (four queries, none per row).

    :raises Http404: when the court does not exist or lies outside the scope
    """
    court = scoped_get(Court.objects.select_related("parent"), scope=scope, pk=court_id, court_field="pk")
    active = Membership.objects.filter(_active(today)).select_related("user", "team")
    teams = list(
        Team.objects.filter(court=court, is_active=True)
        .select_related("kind", "leader", "department")
        .prefetch_related(Prefetch("memberships", queryset=active, to_attr="active_memberships"))
    )
    memberships = list(active.filter(court=court).order_by("role", "user__name"))
    children = list(scoped(court.children.all(), scope=scope, court_field="pk"))
    return CourtDetail(
        court=court, children=children, teams=teams, memberships=memberships, may_write=scope.may_write(court.pk)
    )


def team_detail(*, scope: CourtScope, team_id: Any, today: date) -> tuple[Team, list[Membership]]:
    """
    Return a team readable by ``scope`` and its members today.

    :raises Http404: when the team does not exist or lies outside the scope
    """
    team = scoped_get(Team.objects.select_related("court", "kind", "leader", "department"), scope=scope, pk=team_id)
    members = list(team.memberships.filter(_active(today)).select_related("user").order_by("role", "user__name"))
    return team, members


def user_profile(*, scope: CourtScope, user: Any, today: date) -> dict[str, Any]:
    """Return what the API's ``me`` endpoint shows: the person, their court, roles and capabilities."""
    memberships = list(
        Membership.objects.filter(_active(today), user_id=user.pk).select_related("court", "team").order_by("role")
    )
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.get_full_name(),
        "court": scope.court,
        "roles": sorted(scope.roles),
        "capabilities": sorted(scope.capabilities),
        "readable_court_ids": sorted(scope.readable_court_ids),
        "memberships": memberships,
    }


def membership_conflict(*, user: Any, court: Court, role: str, active_from: date, active_to: date | None) -> str | None:
    """
    Return why ``user`` cannot hold ``role`` in ``court`` over the period, or None when they can.

    A person works in one court at a time, and holds a role at most once at a time.
    """
    from zhixing.courts.choices import Role

    overlapping = Membership.objects.filter(user=user, active_from__lt=active_to or date.max).filter(
        Q(active_to__isnull=True) | Q(active_to__gt=active_from)
    )
    if other := overlapping.exclude(court=court).select_related("court").first():
        return f"{user}在此期间已在{other.court.name}任职，同一时间只能在一个法院任职。"
    if overlapping.filter(court=court, role=role).exists():
        return f"{user}在此期间已担任{Role(role).label}。"
    return None
