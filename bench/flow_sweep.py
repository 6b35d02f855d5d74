r"""
Benchmark of the deadline sweep (节点管控): ``flow_sweep`` over 1,000,000 open cases and 5,000,000 open nodes.

    .venv/bin/python bench/flow_sweep.py \
        --database-url postgres://postgres@127.0.0.1:5432/zhixing_bench_f --drop        # 1,000,000 cases
    .venv/bin/python bench/flow_sweep.py --smoke \
        --database-url postgres://postgres@127.0.0.1:5432/zhixing_bench_f_smoke --drop  # 2,000 cases, ~1 min
    .venv/bin/python bench/flow_sweep.py --cases 200000 --database-url … --snapshot     # keep a loaded copy
    .venv/bin/python bench/flow_sweep.py --cases 200000 --database-url … --from-snapshot --skip-spiff --skip-scale

PostgreSQL only. The databases are thrown away: the one named in ``--database-url`` (its name must end in
``_bench`` or ``_bench_<suffix>``), and beside it ``<name>_scale`` (a tenth of the cases), ``<name>_spiff``
(the workflow-engine comparison) and, with ``--snapshot``, ``<name>_snap``; each is dropped and created
again, ``--drop`` drops them all at the end.

1. Setup: migrate, ``seed_demo``, the presets ``linshu`` (临沭, 鲁1329) and ``wenxian`` (温县, 豫0825). The cases
   are generated (not filed: the filing services run at ~1.6k cases/s) straight into ``cases_case``,
   ``flow_caseflow``, ``flow_stagevisit`` (one open visit per case, spread over every stage of the two
   models, their pool teams and holders), ``flow_executionperiod`` and ``flow_nodeinstance`` (the done
   ``filing`` node and five open ones per case) with ``COPY``, the secondary indexes built after the
   load, the sequences set, ``VACUUM ANALYZE``. At the sweep's day D (2026-11-23) nothing is due: the open
   rows' warning days lie after D — except 3% of the open nodes and visits already warned by an earlier
   sweep, 2% of the nodes already marked overdue and 1% paused (past due), which the partial indexes
   leave out. Node dates are synthetic (not computed from their anchors).
2. Idle sweep: p50/p95 of ``--repeat`` sweeps at D, and ``EXPLAIN ANALYZE`` of each phase's statement with
   the partial index it must use.
3. "Cost grows with what is due, not with what is open": the same number of due rows (1% of the
   ``_scale`` database's open nodes, visits and clocks, i.e. 0.1% here) swept in both databases, each beside
   the floor (below) of the same rows, so that what a row written costs in a bigger table shows apart.
4. Busy sweep: one ``UPDATE`` (not timed) moves exactly ``--busy`` (10%) of the open nodes, as many stage
   visits (10% of the open visits) and execution-period clocks into their warning window (half) or past
   their due day (half); then the floor — the same deadline evaluation as hand-written ``UPDATE``\ s (nodes
   warned, visits warned, nodes overdue, visits timed out, clocks entered in the ledger; no alerts, no
   audit, no routing), best of two runs, each rolled back — and the sweep itself (warnings, overdue marks,
   transfers with their new visits, points, alerts and audit, the ledger), once, then again (nothing
   changes the second time).
5. Workflow-engine baseline: 10,000 cases of ``bench.flow_spiff.synthetic_cases`` (临沭's 精执 chain: 精执,
   精执 after the sideways move, 团队长, 执行局局长, 分管副院长) loaded as 临沭 stage visits into ``_spiff``,
   swept by Zhixing and by SpiffWorkflow running ``bench/flow_linshu.bpmn``; the warned visits and the
   transfer target of every case must be the same (stage visits only: Zhixing's node warnings have no
   counterpart in the BPMN model, so the nodes there are idle); cost per case of both.
"""

from __future__ import annotations

import argparse
import calendar as _calendar
import json
import os
import queue
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ZoneInfo("Asia/Shanghai")
D = date(2026, 11, 23)  # the sweep's day (= bench.flow_spiff.BENCH_TODAY)
AT = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
YESTERDAY = "2026-11-22 10:00:00+08"
OPEN_NODES = ("execution_notice", "network_inquiry", "termination_prep", "execution_period", "review_submission")
LINSHU, WENXIAN = "鲁1329", "豫0825"
#: The statements of an idle sweep, in order, and the partial index each must use.
PHASE_INDEXES = (
    ("node warnings", "node_warn_idx"),
    ("visit warnings", "stage_visit_warn_idx"),
    ("node overdue", "node_due_idx"),
    ("visits due", "stage_visit_due_idx"),
    ("ledger", "period_ledger_due_idx"),
)
#: Zhixing's 临沭 stage (code, sideways index) ↔ the BPMN model's stage names (bench/flow_spiff.py).
SPIFF_STAGE = {
    ("jingzhi", 0): "jingzhi",
    ("jingzhi", 1): "jingzhi_sideways",
    ("lift_leader", 0): "lift_team_leader",
    ("lift_chief", 0): "lift_bureau_chief",
    ("lift_vp", 0): "lift_vice_president",
}
LOADED_TABLES = ("cases_case", "flow_caseflow", "flow_stagevisit", "flow_executionperiod", "flow_nodeinstance")


# --- databases -------------------------------------------------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"\w+_bench(_[a-z0-9_]+)?", name):
        sys.exit(f"refusing to drop {name!r}: the benchmark database's name must end in _bench or _bench_<suffix>")
    return urlunsplit(parts._replace(path="/postgres")), name


def _with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, *statements: str) -> None:
    import psycopg

    admin, _name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _use(url: str) -> None:
    """Point Django's default connection at the database of ``url`` (the next query reconnects)."""
    from django.db import connection, connections

    connections.close_all()
    connection.settings_dict["NAME"] = urlsplit(url).path.lstrip("/")


def _recreate(url: str, *, template: str | None = None) -> None:
    from django.db import connections

    connections.close_all()
    name = _admin_url(url)[1]
    copy = f' TEMPLATE "{template}"' if template else ""
    _admin(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"{copy}')


def _drop(url: str) -> None:
    from django.db import connections

    connections.close_all()
    _admin(url, f'DROP DATABASE IF EXISTS "{_admin_url(url)[1]}"')


def _django(url: str, workdir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["ZHIXING_VAR_DIR"] = workdir
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare(url: str) -> None:
    """Create the database with migrations, the demo courts and the two presets (the template of the others)."""
    from django.core.management import call_command

    from zhixing.courts.models import Court
    from zhixing.flow.services import routing_model_load_preset

    _recreate(url)
    _use(url)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    for code, preset in ((LINSHU, "linshu"), (WENXIAN, "wenxian")):
        routing_model_load_preset(court=Court.objects.get(code=code), preset=preset, actor=None, at=AT)


def _sql(statement: str, params: list | tuple = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else []


def _maintain(tables: tuple[str, ...] = LOADED_TABLES) -> None:
    """``VACUUM ANALYZE`` the tables (outside a transaction), as autovacuum would between two sweeps."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    autocommit = raw.autocommit
    raw.autocommit = True
    try:
        for table in tables:
            raw.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        raw.autocommit = autocommit


# --- the cases to load -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StagePlan:
    """How the generated cases sit in one stage: its ids, how they entered it, the (team, holder) pairs."""

    stage_id: int
    code: str
    entry: str
    via_edge_id: int | None
    sideways_index: int
    limit_amount: int | None
    limit_unit: str
    warn_days: int
    points: int
    places: tuple[tuple[int | None, int | None], ...]  # (team_id, holder_id)
    triage: str


@dataclass(frozen=True, slots=True)
class CourtPlan:
    court_id: int
    code: str
    model_id: int
    clerk_id: int | None
    stages: tuple[StagePlan, ...]
    weights: tuple[int, ...]


#: Share of each stage (percent) among a court's open cases; (code, sideways index).
_WEIGHTS = {
    LINSHU: ((("suzhi", 0), 14), (("liucheng", 0), 20), (("jingzhi", 0), 24), (("jingzhi", 1), 10),
             (("lift_leader", 0), 8), (("lift_chief", 0), 6), (("lift_vp", 0), 6), (("closing", 0), 6),
             (("maintenance", 0), 6)),
    WENXIAN: ((("chakong", 0), 14), (("kuaizhi", 0), 14), (("puzhi", 0), 40), (("lift_chief", 0), 10),
              (("lift_vp", 0), 8), (("pingcha", 0), 7), (("zhongben", 0), 7)),
}  # fmt: skip


def _court_plan(code: str) -> CourtPlan:
    from zhixing.courts.models import Court, Membership, Team
    from zhixing.flow.models import RoutingModel

    court = Court.objects.get(code=code)
    model = RoutingModel.objects.get(court=court, is_current=True)
    people: dict[tuple[str, int | None], int] = {}
    for role, team_id, user_id in (
        Membership.objects.filter(court=court).order_by("id").values_list("role", "team_id", "user_id")
    ):
        people.setdefault((role, team_id), user_id)
    leaders = dict(Team.objects.filter(court=court).values_list("pk", "leader_id"))
    stages = {stage.code: stage for stage in model.stages.prefetch_related("teams")}
    edges = list(model.edges.all())
    holder_role = {"bureau_chief": "bureau_chief", "vice_president": "vice_president"}
    # the teams a lifted case keeps: those of the stage it is lifted from (精执 / 普执)
    lifted_from = [team.pk for team in stages["jingzhi" if code == LINSHU else "puzhi"].teams.order_by("pk")]
    plans, weights = [], []
    for (stage_code, sideways), weight in _WEIGHTS[code]:
        stage = stages[stage_code]
        incoming = [edge for edge in edges if edge.target_id == stage.pk]
        if sideways:
            entry, edge = "sideways", None
        else:
            edge = next((e for e in incoming if e.trigger == "timeout"), None) if stage.holder != "team" else None
            edge = edge or next((e for e in incoming if e.trigger == "entry"), None)
            edge = edge or next((e for e in incoming if e.trigger == "advance"), None)
            entry = {"entry": "entry", "timeout": "timeout", "advance": "advance"}[edge.trigger]
        if stage.holder == "team":
            places = tuple((team.pk, people.get(("executor", team.pk))) for team in stage.teams.order_by("pk"))
        elif stage.holder == "team_leader":
            places = tuple((team_id, leaders.get(team_id)) for team_id in lifted_from)
        else:
            places = tuple((team_id, people.get((holder_role[stage.holder], None))) for team_id in lifted_from)
        if sideways:
            amount, unit = stage.sideways_limit_amount, stage.sideways_limit_unit
        elif edge is not None and edge.limit_amount is not None:
            amount, unit = edge.limit_amount, edge.limit_unit
        else:
            amount, unit = stage.limit_amount, stage.limit_unit
        plans.append(
            StagePlan(
                stage_id=stage.pk, code=stage.code, entry=entry, via_edge_id=edge.pk if edge else None,
                sideways_index=sideways, limit_amount=amount, limit_unit=unit, warn_days=stage.warn_days,
                points=stage.points, places=places, triage="simple" if stage_code in ("suzhi", "kuaizhi") else "",
            )
        )  # fmt: skip
        weights.append(weight)
    return CourtPlan(
        court_id=court.pk, code=code, model_id=model.pk, clerk_id=people.get(("filing_clerk", None)),
        stages=tuple(plans), weights=tuple(weights),
    )  # fmt: skip


def _limit_days(plan: StagePlan) -> int:
    return {"natural_days": 1, "working_days": 1, "months": 30}[plan.limit_unit] * (plan.limit_amount or 0)


def _add_months(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month0 + 1, min(day.day, _calendar.monthrange(year, month0 + 1)[1]))


@dataclass(slots=True)
class VisitState:
    """The stage a generated case is in and its dates (``None`` dates: a stage without a limit)."""

    plan: StagePlan
    place: tuple[int | None, int | None]
    due_on: date | None
    warn_on: date | None
    warned: bool = False
    paused: bool = False


class _Text:
    r"""COPY text-format helpers: ISO dates (cached), NULL as \N."""

    def __init__(self) -> None:
        self._dates: dict[date, str] = {}

    def d(self, day: date | None) -> str:
        if day is None:
            return r"\N"
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = day.isoformat()
        return text


def _n(value: object) -> str:
    return r"\N" if value is None else str(value)


class Loader:
    """Generate the rows of N cases and COPY them in, batch by batch; secondary indexes built afterwards."""

    CASE_COLUMNS = (
        "id, court_id, year, type_code, serial, number, status, status_changed_at, application_received_on, "
        "filed_on, amount_claimed, costs, basis_issuing_body, basis_document_number, basis_effective_on, "
        "basis_kind, basis_obligations, trial_case_number, team_id, executor_id, debtor_attitude, triage_class, "
        "period_ends_on, created_at, updated_at"
    )
    FLOW_COLUMNS = "case_id, court_id, model_id, current_visit_id, entered_at, ended_at"
    VISIT_COLUMNS = (
        "id, case_id, court_id, stage_id, team_id, holder_id, entry, via_edge_id, sideways_index, entered_at, "
        "starts_on, limit_amount, limit_unit, due_on, warn_on, due_provisional, paused_on, paused_days, points, "
        "warned_at, timed_out_at, left_at, exit"
    )
    PERIOD_COLUMNS = (
        "case_id, court_id, starts_on, months, extension_months, extensions, excluded_days, paused_since, ends_on, "
        "ends_provisional, ledger_starts_on, ledger_excluded_days, ledger_paused_since, ledger_due_on, "
        "ledger_entered, closed_at"
    )
    NODE_COLUMNS = (
        "id, case_id, court_id, node_type_id, key, model_id, visit_id, anchor_on, amount, unit, urgent, "
        "court_tightened, due_on, warn_on, due_provisional, paused_on, status, warned_at, overdue_at, created_at, "
        "completed_at, completed_by_id, evidence_kind, evidence_document_id, evidence_ref, evidence_note, "
        "cancelled_reason"
    )

    def __init__(self, *, seed: int) -> None:
        from zhixing.flow.models import NodeType

        self.rng = random.Random(seed)
        self.text = _Text()
        self.types = {t.code: t for t in NodeType.objects.filter(is_current=True)}
        self.case_id = (_sql("SELECT COALESCE(MAX(id), 0) FROM cases_case")[0][0]) + 1
        self.visit_id = (_sql("SELECT COALESCE(MAX(id), 0) FROM flow_stagevisit")[0][0]) + 1
        self.node_id = (_sql("SELECT COALESCE(MAX(id), 0) FROM flow_nodeinstance")[0][0]) + 1
        self.serials: Counter[int] = Counter(
            dict(_sql("SELECT court_id, MAX(serial) FROM cases_case WHERE year = 2026 AND type_code = '执' GROUP BY 1"))
        )
        self.buffers: dict[str, list[str]] = {table: [] for table in LOADED_TABLES}
        self.loaded = 0

    # one case and its rows
    def add(self, court: CourtPlan, state: VisitState, *, case_id: int | None = None) -> int:
        rng, d = self.rng, self.text.d
        if case_id is None:
            case_id = self.case_id
        self.case_id = max(self.case_id, case_id + 1)
        visit_id, self.visit_id = self.visit_id, self.visit_id + 1
        self.serials[court.court_id] += 1
        serial = self.serials[court.court_id]
        filed = D - timedelta(days=1 + rng.randrange(150))
        received = filed - timedelta(days=rng.randrange(7))
        ends = _add_months(filed, 6)
        plan = state.plan
        team_id, holder_id = state.place
        triage = plan.triage or ("simple" if plan.code == "chakong" and rng.random() < 0.5 else "complex")
        stamp = f"{d(filed)} 10:00:00+08"
        self.buffers["cases_case"].append(
            f"{case_id}\t{court.court_id}\t2026\t执\t{serial}\t（2026）{court.code}执{serial}号\tin_execution\t"
            f"{stamp}\t{d(received)}\t{d(filed)}\t{10_000 + (case_id * 7919) % 990_000}.00\t0.00\t"
            f"某某人民法院\t（2025）民初{case_id}号\t{d(filed - timedelta(days=40))}\tlitigation\t支付款项\t\t"
            f"{_n(team_id)}\t{_n(holder_id)}\tunknown\t{triage}\t{d(ends)}\t{stamp}\t{stamp}\n"
        )
        self.buffers["flow_caseflow"].append(
            f"{case_id}\t{court.court_id}\t{court.model_id}\t{visit_id}\t{stamp}\t\\N\n"
        )
        if state.due_on is not None:
            starts = min(D - timedelta(days=1), state.due_on - timedelta(days=_limit_days(plan)))
        else:
            starts = D - timedelta(days=1 + rng.randrange(60))
        warned_at = YESTERDAY if state.warned else r"\N"
        paused_on = d(D - timedelta(days=10)) if state.paused else r"\N"
        self.buffers["flow_stagevisit"].append(
            f"{visit_id}\t{case_id}\t{court.court_id}\t{plan.stage_id}\t{_n(team_id)}\t{_n(holder_id)}\t{plan.entry}\t"
            f"{_n(plan.via_edge_id)}\t{plan.sideways_index}\t{d(starts)} 10:00:00+08\t{d(starts)}\t"
            f"{_n(plan.limit_amount)}\t{plan.limit_unit}\t{d(state.due_on)}\t{d(state.warn_on)}\tf\t{paused_on}\t0\t"
            f"{plan.points}\t{warned_at}\t\\N\t\\N\t\n"
        )
        ledger_due = _add_months(received, 6)
        self.buffers["flow_executionperiod"].append(
            f"{case_id}\t{court.court_id}\t{d(filed)}\t6\t0\t0\t0\t\\N\t{d(ends)}\tf\t{d(received)}\t0\t\\N\t"
            f"{d(ledger_due)}\tf\t\\N\n"
        )
        nodes = self.buffers["flow_nodeinstance"]
        filing = self.types["filing"]
        due = received + timedelta(days=filing.amount)
        nodes.append(
            f"{self.node_id}\t{case_id}\t{court.court_id}\t{filing.pk}\tfiling\t{court.model_id}\t{visit_id}\t"
            f"{d(received)}\t{filing.amount}\t{filing.unit}\tf\tf\t{d(due)}\t"
            f"{d(due - timedelta(days=filing.warn_days))}\tf\t\\N\tdone\t\\N\t\\N\t{stamp}\t{stamp}\t"
            f"{_n(court.clerk_id)}\tnone\t\\N\t\t立案登记\t\n"
        )
        self.node_id += 1
        for code in OPEN_NODES:
            node_type = self.types[code]
            lead = node_type.warn_days
            kind = rng.random()
            warned = overdue = paused = r"\N"
            if kind < 0.03:  # warned by an earlier sweep, still in time
                warn_on = D - timedelta(days=rng.randrange(4))
                due_on = max(D, warn_on + timedelta(days=lead))
                warned = YESTERDAY
            elif kind < 0.05:  # marked overdue by an earlier sweep
                due_on = D - timedelta(days=2 + rng.randrange(30))
                warn_on = due_on - timedelta(days=lead)
                warned = overdue = YESTERDAY
            elif kind < 0.06:  # paused (an excluded period runs): past due, not swept
                due_on = D - timedelta(days=1 + rng.randrange(30))
                warn_on = due_on - timedelta(days=lead)
                paused = d(D - timedelta(days=40))
            else:
                warn_on = D + timedelta(days=1 + rng.randrange(150))
                due_on = warn_on + timedelta(days=lead)
            anchor = {"case_filed": filed, "period_end": ends}.get(node_type.anchor, received)
            amount = 6 if code == "execution_period" else node_type.amount
            nodes.append(
                f"{self.node_id}\t{case_id}\t{court.court_id}\t{node_type.pk}\t{code}\t{court.model_id}\t{visit_id}\t"
                f"{d(anchor)}\t{amount}\t{node_type.unit}\tf\tf\t{d(due_on)}\t{d(warn_on)}\tf\t{paused}\topen\t"
                f"{warned}\t{overdue}\t{stamp}\t\\N\t\\N\t\t\\N\t\t\t\n"
            )
            self.node_id += 1
        self.loaded += 1
        return case_id

    def idle_state(self, court: CourtPlan) -> VisitState:
        """Return a stage visit at D: mostly in time; 3% warned already, 1% paused past due."""
        rng = self.rng
        plan = rng.choices(court.stages, weights=court.weights)[0]
        place = plan.places[rng.randrange(len(plan.places))]
        days = _limit_days(plan)
        if not days:
            return VisitState(plan, place, None, None)
        kind, lead = rng.random(), plan.warn_days
        if kind < 0.03:
            warn_on = D - timedelta(days=rng.randrange(min(lead, 4) + 1))
            return VisitState(plan, place, warn_on + timedelta(days=lead), warn_on, warned=True)
        if kind < 0.04:
            due_on = D - timedelta(days=1 + rng.randrange(20))
            return VisitState(plan, place, due_on, due_on - timedelta(days=lead), paused=True)
        due_on = D + timedelta(days=lead + 1 + rng.randrange(max(1, days - lead - 1)))
        return VisitState(plan, place, due_on, due_on - timedelta(days=lead))

    def take(self) -> dict[str, str]:
        """Return the rows generated since the last call, as COPY text per table, and forget them."""
        taken = {table: "".join(rows) for table, rows in self.buffers.items() if rows}
        for rows in self.buffers.values():
            rows.clear()
        return taken

    COPY_ORDER = (
        ("cases_case", CASE_COLUMNS),
        ("flow_stagevisit", VISIT_COLUMNS),
        ("flow_caseflow", FLOW_COLUMNS),
        ("flow_executionperiod", PERIOD_COLUMNS),
        ("flow_nodeinstance", NODE_COLUMNS),
    )


def _copy(batch: dict[str, str]) -> None:
    from django.db import connection

    with connection.connection.cursor() as cursor:
        for table, columns in Loader.COPY_ORDER:
            if batch.get(table):
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(batch[table])


def _secondary_indexes() -> list[tuple[str, str]]:
    """Return the loaded tables' indexes that back no constraint (dropped for the load, built again after)."""
    return _sql(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY i.indexname",
        [list(LOADED_TABLES)],
    )


def _load(*, courts: list[CourtPlan], cases: int, seed: int, batch: int = 50_000, states=None) -> dict:
    """Load ``cases`` generated cases (alternating over ``courts``; ``states`` yields (court, state, id))."""
    from django.db import connection, transaction

    started = time.perf_counter()
    indexes = _secondary_indexes()
    loader = Loader(seed=seed)
    rows_started = time.perf_counter()
    with transaction.atomic():
        _sql("SET LOCAL session_replication_role = replica")  # no FK triggers row by row (bench only)
        _sql("SET LOCAL synchronous_commit = off")
        for name, _definition in indexes:
            _sql(f'DROP INDEX "{name}"')
        connection.ensure_connection()
        source = states if states is not None else (
            (court, loader.idle_state(court), None) for n in range(cases) for court in (courts[n % len(courts)],)
        )  # fmt: skip
        # Generate in a thread while the main thread COPYs the previous batch (the server parses meanwhile).
        batches: queue.Queue = queue.Queue(maxsize=2)

        def produce() -> None:
            try:
                for court, state, case_id in source:
                    loader.add(court, state, case_id=case_id)
                    if loader.loaded % batch == 0:
                        batches.put(loader.take())
                batches.put(loader.take())
            except BaseException as error:  # handed to the main thread
                batches.put(error)
            batches.put(None)

        producer = threading.Thread(target=produce, daemon=True)
        producer.start()
        copied = 0
        while (item := batches.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            if not item:
                continue
            _copy(item)
            copied += item.get("cases_case", "").count("\n")
            if copied % (batch * 4) == 0:
                print(f"  … {copied:,} cases", flush=True)
        producer.join()
        rows_seconds = time.perf_counter() - rows_started
        index_started = time.perf_counter()
        _sql("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            _sql(definition)
        index_seconds = time.perf_counter() - index_started
        for table, column in (("cases_case", "id"), ("flow_stagevisit", "id"), ("flow_nodeinstance", "id")):
            _sql(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
        for court_id, serial in loader.serials.items():
            _sql(
                "INSERT INTO cases_casenumbersequence (court_id, year, type_code, last_serial)"
                " VALUES (%s, 2026, '执', %s) ON CONFLICT (court_id, year, type_code)"
                " DO UPDATE SET last_serial = EXCLUDED.last_serial",
                [court_id, serial],
            )
    maintain_started = time.perf_counter()
    _maintain()
    return {
        "cases": loader.loaded,
        "seconds": time.perf_counter() - started,
        "rows": rows_seconds,
        "indexes": index_seconds,
        "vacuum": time.perf_counter() - maintain_started,
    }


def _counts() -> dict[str, int]:
    row = _sql(
        "SELECT (SELECT COUNT(*) FROM cases_case), (SELECT COUNT(*) FROM flow_stagevisit WHERE left_at IS NULL),"
        " (SELECT COUNT(*) FROM flow_nodeinstance WHERE status = 'open'), (SELECT COUNT(*) FROM flow_nodeinstance),"
        " (SELECT COUNT(*) FROM flow_executionperiod WHERE closed_at IS NULL)"
    )[0]
    return dict(zip(("cases", "open_visits", "open_nodes", "nodes", "open_periods"), row, strict=True))


# --- shifting rows into their windows (bench only, not timed) ---------------------------------------------


def _shift(*, nodes: int, visits: int, periods: int, salt: str) -> dict[str, int]:
    """
    Move exactly ``nodes`` open nodes, ``visits`` running stage visits and ``periods`` clocks into their windows.

    Every other row comes into its warning window, the others are past their due day; only rows no sweep has
    marked yet are taken.
    """
    today = D
    shifted = {}
    shifted["nodes"] = len(_sql(
        "WITH picked AS (SELECT id, row_number() OVER () AS n FROM (SELECT id FROM flow_nodeinstance"
        " WHERE status = 'open' AND warned_at IS NULL AND overdue_at IS NULL AND paused_on IS NULL AND warn_on > %s"
        " ORDER BY md5(id::text || %s) LIMIT %s) s)"
        " UPDATE flow_nodeinstance n SET"
        " warn_on = CASE WHEN p.n %% 2 = 0 THEN %s - (p.n %% 4)::int ELSE %s - 6 - (p.n %% 30)::int END,"
        " due_on = CASE WHEN p.n %% 2 = 0 THEN %s + (p.n %% 3)::int ELSE %s - 1 - (p.n %% 30)::int END"
        " FROM picked p WHERE n.id = p.id RETURNING n.id",
        [today, salt, nodes, today, today, today, today],
    ))  # fmt: skip
    shifted["visits"] = len(_sql(
        "WITH picked AS (SELECT id, row_number() OVER () AS n FROM (SELECT id FROM flow_stagevisit"
        " WHERE left_at IS NULL AND paused_on IS NULL AND timed_out_at IS NULL AND warned_at IS NULL"
        " AND due_on IS NOT NULL AND warn_on > %s ORDER BY md5(id::text || %s) LIMIT %s) s)"
        " UPDATE flow_stagevisit v SET"
        " warn_on = CASE WHEN p.n %% 2 = 0 THEN %s - (p.n %% 3)::int ELSE %s - 6 - (p.n %% 30)::int END,"
        " due_on = CASE WHEN p.n %% 2 = 0 THEN %s + (p.n %% 3)::int ELSE %s - 1 - (p.n %% 30)::int END"
        " FROM picked p WHERE v.id = p.id RETURNING v.id",
        [today, salt, visits, today, today, today, today],
    ))  # fmt: skip
    shifted["periods"] = len(_sql(
        "UPDATE flow_executionperiod SET ledger_due_on = %s - 1 - (case_id %% 30)::int WHERE case_id IN"
        " (SELECT case_id FROM flow_executionperiod WHERE NOT ledger_entered AND closed_at IS NULL"
        " AND ledger_paused_since IS NULL AND ledger_due_on >= %s ORDER BY md5(case_id::text || %s) LIMIT %s)"
        " RETURNING case_id",
        [today, today, salt, periods],
    ))  # fmt: skip
    return shifted


def _expected() -> dict[str, int]:
    """Return what a sweep at D must do, counted by plain queries (to check the sweep's counts)."""
    row = _sql(
        "SELECT"
        " (SELECT COUNT(*) FROM flow_nodeinstance WHERE status = 'open' AND warned_at IS NULL AND overdue_at IS NULL"
        "  AND paused_on IS NULL AND warn_on <= %s AND due_on >= %s),"
        " (SELECT COUNT(*) FROM flow_nodeinstance WHERE status = 'open' AND overdue_at IS NULL AND paused_on IS NULL"
        "  AND due_on < %s),"
        " (SELECT COUNT(*) FROM flow_stagevisit WHERE left_at IS NULL AND paused_on IS NULL AND warned_at IS NULL"
        "  AND timed_out_at IS NULL AND warn_on <= %s AND due_on >= %s),"
        " (SELECT COUNT(*) FROM flow_stagevisit WHERE left_at IS NULL AND paused_on IS NULL AND timed_out_at IS NULL"
        "  AND due_on < %s),"
        " (SELECT COUNT(*) FROM flow_executionperiod WHERE NOT ledger_entered AND closed_at IS NULL"
        "  AND ledger_paused_since IS NULL AND ledger_due_on < %s)",
        [D, D, D, D, D, D, D],
    )[0]
    return dict(zip(("node_warnings", "node_overdue", "stage_warnings", "visits_due", "ledger"), row, strict=True))


# --- measuring -------------------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class _Capture:
    """Record every statement run (for EXPLAIN)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)


def _sweep(at: datetime = AT):
    from zhixing.flow.services import flow_sweep

    started = time.perf_counter()
    report = flow_sweep(at=at)
    return report, time.perf_counter() - started


def _idle(repeat: int) -> dict:
    timings, changed = [], 0
    _sweep()  # warm-up (imports, first connection)
    for _ in range(repeat):
        report, seconds = _sweep()
        timings.append(seconds * 1000)
        changed += report.changed + report.counts.get("alerts", 0) + report.counts.get("audit_records", 0)
    return {"p50": statistics.median(timings), "p95": _percentile(timings, 0.95), "min": min(timings),
            "runs": repeat, "changed": changed}  # fmt: skip


def _phase_statements() -> list[tuple[str, tuple]]:
    """Capture the statements an idle sweep runs: one per phase (the warnings, overdue, due visits, ledger)."""
    from django.db import connection

    capture = _Capture()
    with connection.execute_wrapper(capture):
        _sweep()
    found = [(sql, params) for sql, params in capture.statements if "flow_" in sql]
    if len(found) != len(PHASE_INDEXES):
        sys.exit(f"expected {len(PHASE_INDEXES)} phase statements in an idle sweep, captured {len(found)}")
    return found


def _explain(statements: list[tuple[str, tuple]], *, analyze: bool) -> list[dict]:
    from django.db import connection, transaction

    results = []
    for (label, index), (sql, params) in zip(PHASE_INDEXES, statements, strict=True):
        with transaction.atomic(), connection.cursor() as cursor:
            options = "ANALYZE, BUFFERS" if analyze else "COSTS"
            cursor.execute(f"EXPLAIN ({options}) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        seq = re.findall(r"Seq Scan on (\w+)", plan)
        results.append({"label": label, "index": index, "uses": index in plan and not seq, "seq": seq, "plan": plan})
    return results


def _floor(*, runs: int = 2) -> dict:
    """Time the same deadline evaluation as plain UPDATEs (no alerts, audit, routing); each run rolled back."""
    from django.db import connection, transaction

    statements = (
        ("node warnings", "UPDATE flow_nodeinstance SET warned_at = %(at)s WHERE status = 'open' AND warned_at IS NULL"
         " AND overdue_at IS NULL AND paused_on IS NULL AND warn_on <= %(today)s AND due_on >= %(today)s"),
        ("visit warnings", "UPDATE flow_stagevisit SET warned_at = %(at)s WHERE left_at IS NULL AND paused_on IS NULL"
         " AND warned_at IS NULL AND timed_out_at IS NULL AND warn_on <= %(today)s AND due_on >= %(today)s"),
        ("node overdue", "UPDATE flow_nodeinstance SET overdue_at = %(at)s WHERE status = 'open' AND overdue_at IS NULL"
         " AND paused_on IS NULL AND due_on < %(today)s"),
        ("visit timeouts", "UPDATE flow_stagevisit SET timed_out_at = %(at)s, left_at = %(at)s, exit = 'timed_out'"
         " WHERE left_at IS NULL AND paused_on IS NULL AND timed_out_at IS NULL AND due_on < %(today)s"),
        ("ledger", "UPDATE flow_executionperiod SET ledger_entered = true WHERE NOT ledger_entered"
         " AND closed_at IS NULL AND ledger_paused_since IS NULL AND ledger_due_on < %(today)s"),
    )  # fmt: skip
    best: dict | None = None
    for _ in range(runs):
        seconds, rows = {}, {}
        with transaction.atomic(), connection.cursor() as cursor:
            for label, sql in statements:
                started = time.perf_counter()
                cursor.execute(sql, {"at": AT, "today": D})
                seconds[label] = time.perf_counter() - started
                rows[label] = cursor.rowcount
            transaction.set_rollback(True)
        total = sum(seconds.values())
        if best is None or total < best["total"]:
            best = {"total": total, "seconds": seconds, "rows": rows}
    return best


def _busy(label: str) -> dict:
    expected = _expected()
    report, seconds = _sweep()
    counts = report.counts
    keys = ("node_warnings", "node_overdue", "stage_warnings", "ledger")
    mismatches = {key: (counts.get(key, 0), expected[key]) for key in keys if counts.get(key, 0) != expected[key]}
    moved = counts.get("sideways", 0) + counts.get("lifted", 0) + counts.get("stuck", 0)
    if moved != expected["visits_due"]:
        mismatches["transfers"] = (moved, expected["visits_due"])
    if mismatches:
        sys.exit(f"{label}: the sweep's counts differ from what was due (got, want): {mismatches}")
    due_rows = expected["node_warnings"] + expected["node_overdue"] + expected["stage_warnings"]
    due_rows += expected["visits_due"] + expected["ledger"]
    return {"seconds": seconds, "report": report, "due_rows": due_rows}


# --- the workflow-engine baseline --------------------------------------------------------------------------


def _spiff(*, count: int, seed: int) -> dict:
    """Load ``count`` synthetic 精执-chain cases into 临沭, sweep them with Zhixing and with SpiffWorkflow, compare."""
    sys.path.insert(0, str(ROOT / "bench"))
    from flow_spiff import NEXT_STAGE, SpiffOutcome, _spec_and_engine, spiff_sweep, synthetic_cases

    cases = synthetic_cases(count, today=D)
    linshu = _court_plan(LINSHU)
    plans = {(plan.code, plan.sideways_index): plan for plan in linshu.stages}
    by_name = {name: plans[key] for key, name in SPIFF_STAGE.items()}

    def states():
        for case in cases:
            plan = by_name[case.stage]
            place = plan.places[case.case_id % len(plan.places)]
            state = VisitState(plan, place, case.due_on, case.warn_on, warned=case.already_warned)
            yield linshu, state, case.case_id

    load = _load(courts=[linshu], cases=count, seed=seed, states=states())
    # Warm up this process's sweep (imports, the calendar cache) at a moment when nothing is due yet.
    warm, _ = _sweep(AT - timedelta(days=200))
    assert warm.changed == 0, warm.counts
    last_visit = _sql("SELECT MAX(id) FROM flow_stagevisit")[0][0]
    zhixing_report, zhixing_seconds = _sweep()
    zhixing: dict[int, SpiffOutcome] = {case.case_id: SpiffOutcome(False, None) for case in cases}
    for (case_id,) in _sql("SELECT case_id FROM flow_stagevisit WHERE warned_at = %s", [AT]):
        zhixing[case_id].warned = True
    for case_id, code, sideways in _sql(
        "SELECT v.case_id, s.code, v.sideways_index FROM flow_stagevisit v JOIN flow_stage s ON s.id = v.stage_id"
        " WHERE v.id > %s AND v.entry IN ('sideways', 'timeout')",
        [last_visit],
    ):
        zhixing[case_id].transferred_to = SPIFF_STAGE[(code, sideways)]
    stuck = {row[0] for row in _sql(
        "SELECT case_id FROM flow_stagevisit WHERE timed_out_at = %s AND left_at IS NULL", [AT])}  # fmt: skip

    _spec_and_engine()  # parsed once, outside the timing (as Zhixing's model is loaded once)
    started = time.perf_counter()
    spiff = spiff_sweep(cases, today=D)
    spiff_seconds = time.perf_counter() - started
    mismatches = [(c, zhixing[c.case_id], spiff[c.case_id]) for c in cases if zhixing[c.case_id] != spiff[c.case_id]]
    if mismatches:
        for case, got, want in mismatches[:10]:
            print(f"MISMATCH {case}: zhixing {got}, spiff {want}", file=sys.stderr)
        sys.exit(f"Zhixing and SpiffWorkflow differ on {len(mismatches)} of {len(cases)} cases")
    overdue_end = {c.case_id for c in cases if c.stage == "lift_vice_president" and c.due_on < D}
    if stuck != overdue_end or any(NEXT_STAGE[c.stage] is None for c in cases if spiff[c.case_id].transferred_to):
        sys.exit("the cases timed out at 分管副院长 differ between Zhixing and SpiffWorkflow")
    transfers = Counter(o.transferred_to for o in spiff.values() if o.transferred_to)
    return {
        "cases": count,
        "load": load,
        "zhixing_seconds": zhixing_seconds,
        "zhixing_report": zhixing_report,
        "spiff_seconds": spiff_seconds,
        "warned": sum(o.warned for o in spiff.values()),
        "transfers": transfers,
        "stuck": len(stuck),
    }


# --- report ----------------------------------------------------------------------------------------------


def _report_line(name: str, result: dict, floor: dict) -> str:
    rate = result["due_rows"] / result["seconds"]
    return (
        f"{name:<34}{result['due_rows']:>10,}{result['seconds']:>10.2f} s{rate:>10,.0f} rows/s"
        f"{floor['total']:>10.2f} s{result['seconds'] / floor['total']:>8.1f}×"
    )


def _phases(report) -> str:
    c, s = report.counts, report.seconds
    lines = [
        f"    warnings  {s.get('warnings', 0):8.2f} s   nodes {c['node_warnings']:>9,}   "
        f"visits {c['stage_warnings']:>9,}",
        f"    overdue   {s.get('overdue', 0):8.2f} s   nodes {c['node_overdue']:>9,}",
        f"    transfers {s.get('transfers', 0):8.2f} s   sideways {c['sideways']:>7,}   lifted {c['lifted']:>7,}   "
        f"stuck {c['stuck']:>6,}   points entries {c['points_entries']:>7,}",
        f"    ledger    {s.get('ledger', 0):8.2f} s   entered {c['ledger']:>9,}",
        f"    alerts    {s.get('alerts', 0):8.2f} s   inserted {c['alerts']:>9,}  "
        "(the marks' and the ledger's; the transfers' own alerts are in transfers)",
        f"    audit     {s.get('audit', 0):8.2f} s   records {c['audit_records']:>9,}  "
        "(all; the transfers' records are written, and timed, in transfers)",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--busy", type=float, default=0.10, help="share of open nodes/visits/clocks due at once")
    parser.add_argument("--repeat", type=int, default=20, help="idle sweeps timed")
    parser.add_argument("--spiff-cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", required=True, help="postgres://…/<name>_bench[_suffix]")
    parser.add_argument("--smoke", action="store_true", help="2,000 cases, 500 for SpiffWorkflow, 5 idle sweeps")
    parser.add_argument("--skip-scale", action="store_true", help="no second database of a tenth of the cases")
    parser.add_argument("--skip-spiff", action="store_true", help="no SpiffWorkflow comparison")
    parser.add_argument("--snapshot", action="store_true", help="keep a copy of the loaded database as <name>_snap")
    parser.add_argument("--from-snapshot", action="store_true", help="start from <name>_snap instead of loading")
    parser.add_argument("--load-only", action="store_true", help="stop once the cases are loaded (with --snapshot)")
    parser.add_argument("--drop", action="store_true", help="drop the databases at the end")
    parser.add_argument("--json", type=Path, help="also write the figures to this file (for tests)")
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.spiff_cases, args.repeat = 2_000, 500, 5
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the sweep benchmark runs on PostgreSQL only (--database-url postgres://…)")
    _admin_url(url)
    name = _admin_url(url)[1]
    scale_url, spiff_url, snap_url = (_with_name(url, f"{name}_{s}") for s in ("scale", "spiff", "snap"))
    small = max(args.cases // 10, 100)

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-") as workdir:
        _django(url, workdir)
        out: dict = {}
        print(f"PostgreSQL; cases: {args.cases:,}; busy share {args.busy:.0%}; sweep at {AT.isoformat()}", flush=True)
        if args.from_snapshot:
            _recreate(url, template=f"{name}_snap")
        else:
            started = time.perf_counter()
            _prepare(url)
            print(f"setup (migrate, seed_demo, presets): {time.perf_counter() - started:.1f} s", flush=True)
            _recreate(spiff_url, template=name)
            if not args.skip_scale:
                _recreate(scale_url, template=name)

        if not args.skip_spiff and not args.from_snapshot:
            print(f"SpiffWorkflow comparison: {args.spiff_cases:,} cases …", flush=True)
            _use(spiff_url)
            out["spiff"] = _spiff(count=args.spiff_cases, seed=args.seed)
            _drop(spiff_url)
        elif not args.from_snapshot:
            _drop(spiff_url)

        same_due = None
        if not args.skip_scale and not args.from_snapshot:
            print(f"scale database: {small:,} cases …", flush=True)
            _use(scale_url)
            courts = [_court_plan(LINSHU), _court_plan(WENXIAN)]
            out["scale_load"] = _load(courts=courts, cases=small, seed=args.seed + 1)
            out["scale_counts"] = _counts()
            out["scale_idle"] = _idle(args.repeat)
            same_due = {
                "nodes": round(out["scale_counts"]["open_nodes"] * 0.01),
                "visits": round(out["scale_counts"]["open_visits"] * 0.01),
                "periods": round(out["scale_counts"]["open_periods"] * 0.01),
            }
            _shift(**same_due, salt="k")
            _maintain()
            out["scale_floor"] = _floor()
            _maintain()
            out["scale_busy"] = _busy("scale, 1% due")
            _drop(scale_url)

        _use(url)
        courts = [_court_plan(LINSHU), _court_plan(WENXIAN)]
        if not args.from_snapshot:
            print(f"loading {args.cases:,} cases …", flush=True)
            out["load"] = _load(courts=courts, cases=args.cases, seed=args.seed)
            load = out["load"]
            print(f"  loaded in {load['seconds']:.1f} s (rows generated and COPied {load['rows']:.1f} s, indexes "
                  f"{load['indexes']:.1f} s, VACUUM ANALYZE {load['vacuum']:.1f} s)", flush=True)  # fmt: skip
            if args.snapshot:
                _recreate(snap_url, template=name)
                _use(url)
        out["counts"] = counts = _counts()
        print(f"  {counts['cases']:,} cases, {counts['open_visits']:,} open visits, {counts['open_nodes']:,} open "
              f"nodes ({counts['nodes']:,} in all), {counts['open_periods']:,} running clocks", flush=True)  # fmt: skip
        if any(_expected().values()):
            sys.exit(f"the loaded data is not idle at {D}: {_expected()}")
        if args.load_only:
            return

        print("idle sweeps …", flush=True)
        out["idle"] = _idle(args.repeat)
        statements = _phase_statements()
        out["idle_explain"] = _explain(statements, analyze=True)

        if same_due is not None:
            print(f"same due rows as the scale database's 1%: {same_due} …", flush=True)
            _shift(**same_due, salt="k")
            _maintain()
            out["same_floor"] = _floor()
            _maintain()
            out["same_busy"] = _busy("1M, same due rows")

        wanted = {
            "nodes": round(counts["open_nodes"] * args.busy),
            "visits": round(counts["open_visits"] * args.busy),
            "periods": round(counts["open_periods"] * args.busy),
        }
        print(f"busy: shifting {wanted} …", flush=True)
        out["shifted"] = _shift(**wanted, salt="busy")
        if out["shifted"] != wanted:
            sys.exit(f"shifted {out['shifted']}, wanted {wanted}")
        _maintain()
        out["busy_explain"] = _explain(statements, analyze=False)
        print("floor (plain UPDATEs, rolled back) …", flush=True)
        out["floor"] = _floor()
        _maintain(("flow_nodeinstance", "flow_stagevisit", "flow_executionperiod"))
        print("busy sweep …", flush=True)
        out["busy"] = _busy("busy")
        again, again_seconds = _sweep()
        out["again"] = {"report": again, "seconds": again_seconds}

        _print(out, args)
        if args.json:
            args.json.write_text(json.dumps(_summary(out), ensure_ascii=False, indent=1), encoding="utf-8")
        if args.drop:
            for target in (url, scale_url, spiff_url, snap_url):
                _drop(target)
            print("\nbench databases dropped.")


def _summary(out: dict) -> dict:
    """Return the run's figures as plain data."""

    def sweep(result: dict) -> dict:
        report = result["report"]
        return {"seconds": result["seconds"], "changed": report.changed, "counts": report.counts,
                "phases": report.seconds, "due_rows": result.get("due_rows")}  # fmt: skip

    summary = {
        "counts": out["counts"],
        "idle": out["idle"],
        "busy": sweep(out["busy"]),
        "again": sweep(out["again"]),
        "floor": out["floor"],
        "explain": {r["index"]: r["uses"] for r in out["idle_explain"]},
        "explain_busy": {r["index"]: r["uses"] for r in out["busy_explain"]},
    }
    for key in ("scale_busy", "same_busy"):
        if key in out:
            summary[key] = sweep(out[key])
    for key in ("scale_floor", "same_floor"):
        if key in out:
            summary[key] = out[key]
    if "spiff" in out:
        sp = out["spiff"]
        summary["spiff"] = {"cases": sp["cases"], "zhixing_seconds": sp["zhixing_seconds"],
                            "spiff_seconds": sp["spiff_seconds"], "warned": sp["warned"],
                            "transfers": dict(sp["transfers"]), "stuck": sp["stuck"], "same": True}  # fmt: skip
    return summary


def _print(out: dict, args) -> None:
    counts, idle, busy, floor = out["counts"], out["idle"], out["busy"], out["floor"]
    report = busy["report"]
    print("\n" + "=" * 100)
    print(f"data: {counts['cases']:,} open cases · {counts['open_visits']:,} open stage visits · "
          f"{counts['open_nodes']:,} open nodes ({counts['nodes']:,} nodes) · "
          f"{counts['open_periods']:,} clocks")  # fmt: skip
    if "load" in out:
        load = out["load"]
        print(f"load: {load['seconds']:.1f} s = {load['cases'] / load['seconds']:,.0f} cases/s (COPY, not timed)")
    print()
    print(f"IDLE sweep ({idle['runs']} runs): p50 {idle['p50']:.1f} ms · p95 {idle['p95']:.1f} ms · min "
          f"{idle['min']:.1f} ms · rows changed {idle['changed']}   target ≤ 200 ms: "
          f"{'met' if idle['p95'] <= 200 else 'NOT met'}")  # fmt: skip
    print()
    shifted = out["shifted"]
    print(f"BUSY sweep: {shifted['nodes']:,} nodes ({args.busy:.0%} of open), {shifted['visits']:,} stage visits, "
          f"{shifted['periods']:,} clocks shifted (half into the warning window, half past due)")  # fmt: skip
    print(f"  total {busy['seconds']:.2f} s  (SweepReport phases sum {sum(report.seconds.values()):.2f} s)   "
          f"target ≤ 20 s: {'met' if busy['seconds'] <= 20 else 'NOT met'}")  # fmt: skip
    print(_phases(report))
    print(f"  summary: {report.summary()}")
    again = out["again"]
    print(f"  again at once: {again['seconds'] * 1000:.1f} ms, changed {again['report'].changed} (idempotent: "
          f"{'yes' if again['report'].changed == 0 else 'NO'})")  # fmt: skip
    print()
    print(f"FLOOR (hand-written UPDATEs, best of 2, rolled back): {floor['total']:.2f} s")
    for label, seconds in floor["seconds"].items():
        print(f"    {label:<15}{seconds:8.2f} s   {floor['rows'][label]:>9,} rows")
    fs, rs = floor["seconds"], report.seconds
    for phase, floor_part, labels in (
        ("warnings", fs["node warnings"] + fs["visit warnings"], "node + visit warnings"),
        ("overdue", fs["node overdue"], "node overdue"),
        ("transfers", fs["visit timeouts"], "visit timeouts"),
        ("ledger", fs["ledger"], "ledger"),
    ):
        print(f"    sweep {phase:<10}{rs.get(phase, 0):8.2f} s  /  floor {labels:<22}{floor_part:8.2f} s  = "
              f"{rs.get(phase, 0) / floor_part:5.1f}×")  # fmt: skip
    print(f"    sweep alerts + audit {rs.get('alerts', 0) + rs.get('audit', 0):.2f} s: no counterpart in the floor")
    marks = report.seconds["warnings"] + report.seconds["overdue"]
    floor_marks = sum(floor["seconds"][k] for k in ("node warnings", "visit warnings", "node overdue"))
    print(
        f"  busy sweep / floor = {busy['seconds'] / floor['total']:.1f}×   (the marks alone — warnings + overdue "
        f"phases / the three marking UPDATEs: {marks / floor_marks:.1f}×)"
    )
    print()
    print("GROWS WITH WHAT IS DUE, NOT WITH WHAT IS OPEN")
    print(f"  {'':<34}{'due rows':>10}{'sweep':>12}{'':>17}{'floor':>10}{'ratio':>9}")
    if "scale_idle" in out:
        sc = out["scale_counts"]
        print(f"  idle, {sc['open_nodes']:>9,} open nodes         {'0':>10}{out['scale_idle']['p50'] / 1000:>10.3f} s")
    print(f"  idle, {counts['open_nodes']:>9,} open nodes         {'0':>10}{idle['p50'] / 1000:>10.3f} s")
    if "scale_busy" in out:
        sc = out["scale_counts"]
        print("  " + _report_line(f"{sc['open_nodes']:,} open nodes, 1% due", out["scale_busy"], out["scale_floor"]))
        print(
            "  " + _report_line(f"{counts['open_nodes']:,} open nodes, same due", out["same_busy"], out["same_floor"])
        )
    print("  " + _report_line(f"{counts['open_nodes']:,} open nodes, {args.busy:.0%} due", busy, floor))
    if "scale_busy" in out:
        sweep_growth = out["same_busy"]["seconds"] / out["scale_busy"]["seconds"]
        floor_growth = out["same_floor"]["total"] / out["scale_floor"]["total"]
        print(
            f"  same due rows, 10× the open rows: the sweep takes {sweep_growth:.2f}× the time, the plain UPDATEs "
            f"of the same rows {floor_growth:.2f}× (each row written costs more in bigger tables and indexes)"
        )
        rows_growth = busy["due_rows"] / out["same_busy"]["due_rows"]
        print(
            f"  same open rows, {rows_growth:.0f}× the due rows: the sweep takes "
            f"{busy['seconds'] / out['same_busy']['seconds']:.0f}× the time"
        )
    print()
    print("EXPLAIN: each phase's statement and the partial index it uses")
    for label, results in (("idle (ANALYZE)", out["idle_explain"]), ("busy (plan)", out["busy_explain"])):
        marks = ", ".join(
            f"{r['label']} → {r['index']} {'yes' if r['index'] in r['plan'] else 'NO'}"
            + (f" (+ Seq Scan on {', '.join(r['seq'])})" if r["seq"] else "")
            for r in results
        )
        print(f"  {label}: {marks}")
    if "spiff" in out:
        sp = out["spiff"]
        n = sp["cases"]
        zx = sp["zhixing_seconds"] / n * 1e6
        engine = sp["spiff_seconds"] / n * 1e6
        print()
        print(f"WORKFLOW ENGINE: {n:,} cases of 临沭's 精执 chain (stage visits only; nodes idle there)")
        print(f"  same warned visits ({sp['warned']:,}) and the same transfer target for every case: "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(sp["transfers"].items()))
              + f", {sp['stuck']:,} overdue at lift_vp (no further move)")  # fmt: skip
        print(f"  Zhixing flow_sweep: {sp['zhixing_seconds']:.3f} s = {zx:,.1f} µs/case (SQL, alerts, audit, "
              "transfers with new visits and points, committed)")  # fmt: skip
        print(f"  SpiffWorkflow     : {sp['spiff_seconds']:.3f} s = {engine:,.1f} µs/case (in memory, nothing stored)")
        print(f"  SpiffWorkflow / Zhixing = {engine / zx:.1f}×")
    print()
    for label, results in (("idle, EXPLAIN ANALYZE", out["idle_explain"]), ("busy, EXPLAIN", out["busy_explain"])):
        for r in results:
            print(f"--- {label} — {r['label']} ({r['index']}):\n{r['plan']}")


if __name__ == "__main__":
    main()
