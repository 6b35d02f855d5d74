"""Load the demo court system (idempotent): courts, departments, teams, staff for every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from zhixing.audit.services import record
from zhixing.courts.demo import COURTS, DEMO_PASSWORD, DEMO_START, LEADERS, STAFF, TEAMS
from zhixing.courts.models import Court, Department, Membership, Team, TeamKind, User
from zhixing.courts.services._courts import (
    court_create,
    department_create,
    membership_grant,
    team_create,
    team_set_leader,
    user_create,
)


@dataclass(frozen=True, slots=True)
class DemoSeedResult:
    """How many rows the demo load created (zero everywhere on a second run)."""

    courts: int
    teams: int
    users: int
    memberships: int


@transaction.atomic
def demo_seed(*, at: datetime) -> DemoSeedResult:
    """
    Create whatever part of the demo court system is missing; existing rows are left as they are.

    Every row is created through the service that audits it, so the demo's chains verify like real ones.
    """
    counts = {"courts": 0, "teams": 0, "users": 0, "memberships": 0}
    courts: dict[str, Court] = {c.code: c for c in Court.objects.filter(code__in=[s.code for s in COURTS])}
    for spec in COURTS:
        if spec.code not in courts:
            parent = courts[spec.parent_code] if spec.parent_code else None
            courts[spec.code] = court_create(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                level=spec.level,
                parent=parent,
                actor=None,
                at=at,
            )
            counts["courts"] += 1
    kinds = {k.code: k for k in TeamKind.objects.all()}
    for code, teams in TEAMS.items():
        court = courts[code]
        bureau = Department.objects.filter(court=court, name="执行局").first() or department_create(
            court=court, name="执行局", actor=None, at=at
        )
        existing = set(Team.objects.filter(court=court).values_list("name", flat=True))
        for name, kind_code, area in teams:
            if name not in existing:
                team_create(
                    court=court, kind=kinds[kind_code], name=name, department=bureau, area=area, actor=None, at=at
                )
                counts["teams"] += 1
    for code, staff in STAFF.items():
        court = courts[code]
        teams_by_name = {t.name: t for t in Team.objects.filter(court=court)}
        for username, name, role, team_name in staff:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username, name=name, password=DEMO_PASSWORD, actor=None, at=at, court_id=court.pk
                )
                counts["users"] += 1
            team = teams_by_name.get(team_name) if team_name else None
            if not Membership.objects.filter(user=user, court=court, role=role).exists():
                membership_grant(
                    user=user, court=court, role=role, team=team, active_from=DEMO_START, actor=None, at=at
                )
                counts["memberships"] += 1
            if (code, username) in LEADERS and team is not None and team.leader_id != user.pk:
                team_set_leader(team=team, leader=user, actor=None, at=at)
    result = DemoSeedResult(**counts)
    if any(counts.values()):
        record(action="core.demo.seeded", at=at, data=counts)
    return result
