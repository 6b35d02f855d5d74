"""
The points ledger (积分评价, 前减后加) under random histories: a property test over the linshu model.

Each example saves a version of the linshu model with random stage limits (in days), files a few simple
and complex cases, and plays a random sequence of sweeps, moves and assignments through the services.
Whatever happens, the ledger sums to zero, every transfer is one equal and opposite pair, and every
team's and person's balance is what the stage visits say they received minus what they lost.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhixing.cases.inputs import PartyInput
from zhixing.core.errors import ApplicationError
from zhixing.courts.models import User
from zhixing.flow.choices import EdgeTrigger, StageHolder, VisitExit
from zhixing.flow.models import CaseFlow, PointsEntry, StageEdge, StageVisit
from zhixing.flow.selectors import points_balances
from zhixing.flow.services import case_advance, flow_sweep, preset_spec, routing_model_save, visit_assign

from .conftest import moment

START = date(2026, 1, 5)
DEBTORS = (
    PartyInput(kind="natural_person", name="王五", id_number="410105198005175011", address="临沭县蛟龙镇王家村"),
    PartyInput(kind="natural_person", name="李四", id_number="371329198203159987", address="临沭县玉山镇李家庄"),
    PartyInput(kind="natural_person", name="张三", id_number="371329197907225351", address="临沭县大兴镇张村"),
)
LIMITED = ("suzhi", "liucheng", "jingzhi", "lift_leader", "lift_chief", "lift_vp")
PEOPLE = ("ls_liucheng", "ls_suzhi", "ls_jingzhi1", "ls_jingzhi2", "ls_tuanzhang1", "ls_tuanzhang2")

limits = st.fixed_dictionaries({code: st.integers(2, 30) for code in (*LIMITED, "sideways", "edges")})
case_plans = st.lists(st.tuples(st.booleans(), st.integers(0, 10)), min_size=1, max_size=3)
sweeps = st.tuples(st.just("sweep"), st.integers(3, 60))
actions = st.lists(
    st.one_of(  # mostly time passing, so that stages run out; now and then a move or an assignment
        sweeps,
        sweeps,
        sweeps,
        st.tuples(st.just("advance"), st.integers(0, 2), st.integers(0, 3)),
        st.tuples(st.just("assign"), st.integers(0, 2), st.integers(0, len(PEOPLE) - 1)),
    ),
    min_size=4,
    max_size=14,
)


def _save_model(court, staff, limit: dict[str, int]) -> None:
    spec, pools = preset_spec(court=court, code="linshu")
    stages = tuple(
        replace(s, limit_amount=limit[s.code], limit_unit="natural_days", warn_days=1) if s.code in LIMITED else s
        for s in spec.stages
    )
    stages = tuple(
        replace(s, sideways_limit_amount=limit["sideways"], sideways_limit_unit="natural_days") if s.sideways_max else s
        for s in stages
    )
    edges = tuple(
        replace(e, limit_amount=limit["edges"], limit_unit="natural_days") if e.limit_amount else e for e in spec.edges
    )
    routing_model_save(
        court=court, spec=replace(spec, stages=stages, edges=edges), pools=pools, note="随机期限（测试）",
        actor=staff("ls_admin"), at=moment(date(2026, 1, 2)),
    )  # fmt: skip


def _play(court, file, staff, case_plan, steps) -> dict[int, int | None]:
    """File the cases, play ``steps``; return the holder each visit had when it was opened."""
    cases = []
    for index, (simple, offset) in enumerate(case_plan):
        cases.append(
            file(
                "鲁1329",
                "ls_lian",
                on=START + timedelta(days=offset),
                debtor_attitude="paying" if simple else "evasive",
                debtors=(DEBTORS[index],),
                basis_document_number=f"（2025）鲁1329民初{100 + index}号",
            )
        )
    opened: dict[int, int | None] = {}

    def snapshot() -> None:
        for visit_id, holder_id in StageVisit.objects.values_list("pk", "holder_id"):
            opened.setdefault(visit_id, holder_id)

    snapshot()
    chief = staff("ls_juzhang")
    today = START + timedelta(days=max(offset for _, offset in case_plan))
    for step in steps:
        if step[0] == "sweep":
            today += timedelta(days=step[1])
            flow_sweep(at=moment(today, 1))
        else:
            case = cases[step[1] % len(cases)]
            flow = CaseFlow.objects.select_related("current_visit").get(case=case)
            try:
                if step[0] == "advance":
                    edges = list(
                        StageEdge.objects.filter(
                            source_id=flow.current_visit.stage_id, trigger=EdgeTrigger.ADVANCE
                        ).order_by("order")
                    )
                    if edges:
                        edge = edges[step[2] % len(edges)]
                        case_advance(case=case, edge_id=edge.pk, actor=chief, at=moment(today, 10))
                else:
                    visit_assign(case=case, executor=staff(PEOPLE[step[2]]), actor=chief, at=moment(today, 10))
            except ApplicationError:
                pass  # a move the case cannot take now (a closed stage, another class, a stranger to the team)
        snapshot()
    return opened


def _expected(opened: dict[int, int | None]) -> tuple[Counter, Counter, int]:
    """Derive every team's and person's balance from the visits: what they were given minus what they lost."""
    teams: Counter = Counter()
    people: Counter = Counter()
    transfers = 0
    by_case: dict[int, list[StageVisit]] = defaultdict(list)
    for visit in StageVisit.objects.select_related("stage").order_by("entered_at", "id"):
        by_case[visit.case_id].append(visit)
    for visits in by_case.values():
        for old, new in pairwise(visits):
            if old.exit not in (VisitExit.TIMED_OUT, VisitExit.SIDEWAYS) or not old.points:
                continue
            transfers += 1
            if old.stage.holder == StageHolder.TEAM:
                teams[old.team_id] -= old.points
            if old.holder_id is not None:
                people[old.holder_id] -= old.points
            if new.stage.holder == StageHolder.TEAM:
                teams[new.team_id] += old.points
            if opened[new.pk] is not None:
                people[opened[new.pk]] += old.points
    return teams, people, transfers


@pytest.fixture
def linshu(demo, load_preset):
    load_preset("鲁1329", "linshu")
    return demo["鲁1329"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=limits, case_plan=case_plans, steps=actions)
def test_the_points_ledger_always_balances(linshu, file, staff, limit, case_plan, steps):
    with transaction.atomic():
        _save_model(linshu, staff, limit)
        opened = _play(linshu, file, staff, case_plan, steps)

        total = PointsEntry.objects.aggregate(s=Sum("points"))["s"] or 0
        assert total == 0
        pairs: dict[str, list[int]] = defaultdict(list)
        for key, points in PointsEntry.objects.values_list("transfer_key", "points"):
            pairs[key].append(points)
        for key, points in pairs.items():
            assert len(points) == 2, key
            negative, positive = sorted(points)
            assert negative == -positive, key
            assert positive > 0, key

        teams, people, transfers = _expected(opened)
        assert len(pairs) == transfers
        ledger_teams = dict(
            PointsEntry.objects.filter(team__isnull=False).values_list("team_id").annotate(s=Sum("points"))
        )
        ledger_people = dict(
            PointsEntry.objects.filter(user__isnull=False).values_list("user_id").annotate(s=Sum("points"))
        )
        assert ledger_teams == {team: n for team, n in teams.items() if team in ledger_teams or n}
        assert ledger_people == {person: n for person, n in people.items() if person in ledger_people or n}
        # the board shows the same balances, by name
        board = points_balances(court_id=linshu.pk)
        names = dict(User.objects.filter(pk__in=ledger_people).values_list("pk", "name"))
        assert dict(board["people"]) == {names[pk]: n for pk, n in ledger_people.items()}
        assert sum(n for _, n in board["teams"]) == sum(ledger_teams.values())
        transaction.set_rollback(True)
