"""Reads for supervision in a court: the battle chart (挂图作战), the 超6个月 ledger, points, an executor's nodes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum

from zhixing.cases.choices import CaseStatus
from zhixing.cases.models import Case, CaseStatusChange
from zhixing.courts.models import Team, User
from zhixing.flow.choices import NodeStatus
from zhixing.flow.models import NodeInstance, OverdueLedgerEntry, PointsEntry, WeeklyTarget

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def week_bounds(day: date) -> tuple[date, date]:
    """Return the Monday and the next Monday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One line of the battle chart: a team, or an executor of it."""

    team_id: int
    team: str
    executor_id: int | None
    executor: str
    target: int | None
    closed: int
    open_cases: int
    overdue_nodes: int
    points: int

    @property
    def progress(self) -> int | None:
        """Return the percentage of the target reached (None without a target)."""
        if not self.target:
            return None
        return min(100, round(100 * self.closed / self.target))


def battle_chart(*, court_id: int, week_of: date, today: date) -> list[BoardRow]:
    """Return the week's closing targets and progress per team and per executor, in a handful of grouped queries."""
    monday, next_monday = week_bounds(week_of)
    start = datetime.combine(monday, time.min, tzinfo=_SHANGHAI)
    end = datetime.combine(next_monday, time.min, tzinfo=_SHANGHAI)
    teams = list(Team.objects.filter(court_id=court_id, is_active=True).order_by("kind__sort_order", "id"))
    targets = {
        (t.team_id, t.executor_id): t.target for t in WeeklyTarget.objects.filter(court_id=court_id, week_start=monday)
    }
    closed_rows = (
        CaseStatusChange.objects.filter(case__court_id=court_id, to_status=CaseStatus.CLOSED, at__gte=start, at__lt=end)
        .values_list("case__team_id", "case__executor_id")
        .annotate(n=Count("id"))
    )
    closed: dict[tuple[int | None, int | None], int] = {}
    for team_id, executor_id, n in closed_rows:
        if executor_id is not None:  # (team, None) is the team's own total
            closed[(team_id, executor_id)] = closed.get((team_id, executor_id), 0) + n
        closed[(team_id, None)] = closed.get((team_id, None), 0) + n
    open_rows = (
        Case.objects.filter(
            court_id=court_id,
            status__in=[CaseStatus.FILED, CaseStatus.IN_EXECUTION, CaseStatus.SUSPENDED, CaseStatus.DEFERRED],
        )
        .values_list("team_id", "executor_id")
        .annotate(n=Count("id"))
    )
    open_cases: dict[tuple[int | None, int | None], int] = {}
    executors: dict[int, set[int]] = {}
    for team_id, executor_id, n in open_rows:
        if executor_id is not None:
            open_cases[(team_id, executor_id)] = n
        open_cases[(team_id, None)] = open_cases.get((team_id, None), 0) + n
        if team_id is not None and executor_id is not None:
            executors.setdefault(team_id, set()).add(executor_id)
    overdue_rows = (
        NodeInstance.objects.filter(court_id=court_id, status=NodeStatus.OPEN, due_on__lt=today, paused_on__isnull=True)
        .values_list("case__team_id", "case__executor_id")
        .annotate(n=Count("id"))
    )
    overdue: dict[tuple[int | None, int | None], int] = {}
    for team_id, executor_id, n in overdue_rows:
        if executor_id is not None:
            overdue[(team_id, executor_id)] = n
        overdue[(team_id, None)] = overdue.get((team_id, None), 0) + n
    for team_id, executor_id in targets:
        if executor_id is not None:
            executors.setdefault(team_id, set()).add(executor_id)
    points_team = dict(
        PointsEntry.objects.filter(court_id=court_id)
        .values_list("team_id")
        .annotate(s=Sum("points"))
        .values_list("team_id", "s")
    )
    points_user = dict(
        PointsEntry.objects.filter(court_id=court_id, user__isnull=False)
        .values_list("user_id")
        .annotate(s=Sum("points"))
        .values_list("user_id", "s")
    )
    names = dict(User.objects.filter(pk__in={e for ids in executors.values() for e in ids}).values_list("pk", "name"))
    rows: list[BoardRow] = []
    for team in teams:
        rows.append(
            BoardRow(
                team.pk,
                team.name,
                None,
                "",
                targets.get((team.pk, None)),
                closed.get((team.pk, None), 0),
                open_cases.get((team.pk, None), 0),
                overdue.get((team.pk, None), 0),
                points_team.get(team.pk, 0) or 0,
            )
        )
        for executor_id in sorted(executors.get(team.pk, ())):
            key = (team.pk, executor_id)
            rows.append(
                BoardRow(
                    team.pk,
                    team.name,
                    executor_id,
                    names.get(executor_id, ""),
                    targets.get(key),
                    closed.get(key, 0),
                    open_cases.get(key, 0),
                    overdue.get(key, 0),
                    points_user.get(executor_id, 0) or 0,
                )
            )
    return rows


def ledger_entries(*, court_ids: frozenset[int] | set[int], status: str = "") -> QuerySet[OverdueLedgerEntry]:
    """Return the 超6个月 ledger of the given courts (status filter optional), oldest due first."""
    query = OverdueLedgerEntry.objects.filter(court_id__in=sorted(court_ids)).select_related(
        "case", "case__team", "case__executor", "court", "reviewed_by"
    )
    if status:
        query = query.filter(status=status)
    return query.order_by("due_on", "id")


def points_balances(*, court_id: int) -> dict[str, list[tuple[Any, int]]]:
    """Return the points balance of every team and person of the court (sums of the ledger)."""
    teams = (
        PointsEntry.objects.filter(court_id=court_id, team__isnull=False)
        .values_list("team__name")
        .annotate(s=Sum("points"))
        .order_by("-s")
    )
    people = (
        PointsEntry.objects.filter(court_id=court_id, user__isnull=False)
        .values_list("user__name")
        .annotate(s=Sum("points"))
        .order_by("-s")
    )
    return {"teams": list(teams), "people": list(people)}


def my_open_nodes(*, user: Any, court_id: int, today: date, within_days: int = 7) -> QuerySet[NodeInstance]:
    """Return the open nodes of the cases ``user`` holds, due within ``within_days`` or overdue, soonest first."""
    return (
        NodeInstance.objects.filter(
            court_id=court_id,
            status=NodeStatus.OPEN,
            case__executor=user,
            due_on__lte=today + timedelta(days=within_days),
        )
        .filter(Q(paused_on__isnull=True))
        .select_related("case", "node_type")
        .order_by("due_on", "id")
    )
