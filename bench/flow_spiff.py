r"""
Workflow-engine baseline of the deadline sweep: SpiffWorkflow runs ``bench/flow_linshu.bpmn`` once per case.

    .venv/bin/python bench/flow_spiff.py                  # 10,000 synthetic cases
    .venv/bin/python bench/flow_spiff.py --cases 200      # smoke test (a few seconds)

The model is the deep-execution part of 临沭's chain (seed 004): a case is in one of five stages — 精执
(``jingzhi``), 精执 at another team (``jingzhi_sideways``), then lifted to the 团队长 (``lift_team_leader``),
the 执行局局长 (``lift_bureau_chief``) and the 分管副院长 (``lift_vice_president``). At the sweep's instant
``now`` (the sweep's day at 00:00 Asia/Shanghai) a stage visit with last day ``due_on`` and warning from
``warn_on``:

- times out when ``now >= due_on + 1 day 00:00`` (the deadline day is still in time): the case moves one step
  down the chain (nothing after the 分管副院长: the case is overdue); the next stage's timer starts at the sweep,
  so one sweep moves a case at most one step;
- else raises its warning when ``now >= warn_on 00:00``, once per visit (``already_warned``).

``reference_sweep`` states this directly; ``spiff_sweep`` builds one workflow per case from the parsed spec
(parsed once), puts the case's stage and dates into the start task's data, and runs the engine at ``now``.
``main`` checks that both give the same outcome for every case and prints the cost per case.

How the engine's timers are evaluated at a chosen instant: SpiffWorkflow 3.x compares every timer with
``datetime.now(timezone.utc)``, looked up as the name ``datetime`` in the module
``SpiffWorkflow.bpmn.specs.event_definitions.timer`` (its only clock). ``engine_clock(now)`` swaps that
name, for the duration of a ``with`` block, for a ``datetime`` subclass whose ``now()`` reads the chosen
instant; the engine's code runs unmodified. Spiff fires a timer when it is strictly before the clock
(``timer < now``), whereas a timer due at T fires at T; the frozen clock therefore reads the instant plus one
microsecond, so that a deadline that passes exactly at the sweep's instant fires. The swap is process-wide:
don't run Spiff workflows in other threads during a sweep.
"""

from __future__ import annotations

import argparse
import calendar
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import cache
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

BPMN_FILE = Path(__file__).resolve().parent / "flow_linshu.bpmn"
PROCESS_ID = "flow_linshu"
SHANGHAI = ZoneInfo("Asia/Shanghai")

STAGES = ("jingzhi", "jingzhi_sideways", "lift_team_leader", "lift_bureau_chief", "lift_vice_president")
# Where a stage's timeout moves the case; None: no further move (the case ends overdue).
NEXT_STAGE: dict[str, str | None] = {**dict(pairwise(STAGES)), STAGES[-1]: None}
# Warning lead of a stage entered by a transfer (its due date is the sweep's day + 1 month). Not part of the
# outcome; it only matters to later sweeps. Any value under 28 days cannot fire in the sweep that transfers.
SUCCESSOR_WARN_DAYS = 5

BENCH_TODAY = date(2026, 11, 23)
ENGINE_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class SpiffCase:
    case_id: int
    stage: str
    due_on: date
    warn_on: date
    already_warned: bool = False  # this visit's warning was raised by an earlier sweep


@dataclass
class SpiffOutcome:
    warned: bool
    transferred_to: str | None


# -- reference ------------------------------------------------------------------------------------------------


def reference_sweep(cases: list[SpiffCase], *, today: date) -> dict[int, SpiffOutcome]:
    """Return each case's outcome of a sweep at ``today`` 00:00 Asia/Shanghai, by the rules directly."""
    outcomes = {}
    for case in cases:
        timed_out = today > case.due_on  # now >= (due_on + 1 day) 00:00
        warned = not timed_out and today >= case.warn_on and not case.already_warned
        transferred_to = NEXT_STAGE[case.stage] if timed_out else None
        outcomes[case.case_id] = SpiffOutcome(warned=warned, transferred_to=transferred_to)
    return outcomes


# -- the engine -----------------------------------------------------------------------------------------------


def start_of_day(iso_date: str, plus_days: int = 0) -> str:
    """Return the instant 00:00 Asia/Shanghai of the day ``plus_days`` after ``iso_date``, as ISO 8601."""
    day = date.fromisoformat(iso_date) + timedelta(days=plus_days)
    return datetime.combine(day, clock_time(), SHANGHAI).isoformat()


def add_days(iso_date: str, days: int) -> str:
    """Return the ISO date ``days`` after ``iso_date``."""
    return (date.fromisoformat(iso_date) + timedelta(days=days)).isoformat()


def add_months(iso_date: str, months: int) -> str:
    """Return the same day ``months`` later, or the month's last day when it has no such day."""
    day = date.fromisoformat(iso_date)
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last)).isoformat()


@cache
def _spec_and_engine() -> tuple[object, PythonScriptEngine]:
    """Parse and validate (BPMN 2.0 XSD) the process once; the script engine knows the date helpers."""
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(str(BPMN_FILE))
    spec = parser.get_spec(PROCESS_ID)
    helpers = {"start_of_day": start_of_day, "add_days": add_days, "add_months": add_months}
    return spec, PythonScriptEngine(environment=TaskDataEnvironment(helpers))


class _FrozenClock(datetime):
    """The engine's ``datetime``: ``now()`` reads the sweep's instant, everything else is ``datetime``'s."""

    instant: datetime

    @classmethod
    def now(cls, tz=None):
        return cls.instant.astimezone(tz)


@contextmanager
def engine_clock(now: datetime) -> Iterator[None]:
    """Make SpiffWorkflow's timers see ``now`` (aware) as the current time inside the block."""
    if now.tzinfo is None:
        raise ValueError("engine_clock needs an aware datetime")
    clock = type("SweepClock", (_FrozenClock,), {"instant": now + ENGINE_TICK})
    saved = spiff_timer.datetime
    spiff_timer.datetime = clock
    try:
        yield
    finally:
        spiff_timer.datetime = saved


def _run_case(spec, engine: PythonScriptEngine, case: SpiffCase, swept_on: str) -> SpiffOutcome:
    """Run one case's workflow at the (frozen) current time until nothing is left to do or it transferred."""
    workflow = BpmnWorkflow(spec, script_engine=engine)
    workflow.get_next_task(state=TaskState.READY).set_data(
        stage=case.stage,
        due_on=case.due_on.isoformat(),
        warn_on=case.warn_on.isoformat(),
        already_warned=case.already_warned,
        swept_on=swept_on,
        successor_warn_days=SUCCESSOR_WARN_DAYS,
    )
    outcome = SpiffOutcome(warned=False, transferred_to=None)
    refreshed = False
    while True:
        task = workflow.get_next_task(state=TaskState.READY, manual=False)
        if task is None:
            if refreshed:
                return outcome  # only the stage's user task and timers still waiting for a later instant
            # Timers are checked as a stage is entered; refresh them once more at this instant, as a poll would.
            workflow.refresh_timers()
            refreshed = True
            continue
        refreshed = False
        task.run()
        if task.data.get("warned"):
            outcome.warned = True
        if task.data.get("transferred_to"):
            outcome.transferred_to = task.data["transferred_to"]
            return outcome  # one step a sweep: the next stage's timers start at this sweep


def spiff_sweep(cases: list[SpiffCase], *, today: date) -> dict[int, SpiffOutcome]:
    """Return each case's outcome of a sweep at ``today`` 00:00 Asia/Shanghai, by running the BPMN process."""
    spec, engine = _spec_and_engine()
    swept_on = today.isoformat()
    with engine_clock(datetime.combine(today, clock_time(), SHANGHAI)):
        return {case.case_id: _run_case(spec, engine, case, swept_on) for case in cases}


# -- benchmark ------------------------------------------------------------------------------------------------


def synthetic_cases(count: int, *, today: date = BENCH_TODAY, seed: int = 4) -> list[SpiffCase]:
    """
    Return ``count`` deterministic cases: about 10% past due, 10% in their warning window, the rest in time.

    Stages are uniform over the five; warning leads are 3, 5, 7 or 10 days; about a third of the past-due and
    warning-window cases were already warned by an earlier sweep.
    """
    rng = random.Random(seed)
    cases = []
    for case_id in range(1, count + 1):
        lead = rng.choice((3, 5, 7, 10))
        kind = rng.random()
        if kind < 0.10:
            due_on = today - timedelta(days=rng.randint(1, 60))  # past due (today - 1: the deadline just passed)
        elif kind < 0.20:
            due_on = today + timedelta(days=rng.randint(0, lead))  # warning window (0: the deadline day itself)
        else:
            due_on = today + timedelta(days=rng.randint(lead + 1, 180))
        already_warned = kind < 0.20 and rng.random() < 0.3
        cases.append(SpiffCase(case_id, rng.choice(STAGES), due_on, due_on - timedelta(days=lead), already_warned))
    return cases


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--cases", type=int, default=10_000, help="synthetic cases (default 10,000)")
    parser.add_argument("--today", type=date.fromisoformat, default=BENCH_TODAY, help="sweep day (2026-11-23)")
    args = parser.parse_args(argv)

    cases = synthetic_cases(args.cases, today=args.today)
    started = time.perf_counter()
    _spec_and_engine()
    parse_seconds = time.perf_counter() - started

    started = time.perf_counter()
    spiff = spiff_sweep(cases, today=args.today)
    spiff_seconds = time.perf_counter() - started

    started = time.perf_counter()
    reference = reference_sweep(cases, today=args.today)
    reference_seconds = time.perf_counter() - started

    mismatches = [
        (case, spiff.get(case.case_id), reference[case.case_id])
        for case in cases
        if spiff.get(case.case_id) != reference[case.case_id]
    ]
    if mismatches:
        for case, got, want in mismatches[:10]:
            print(f"MISMATCH {case}: spiff {got}, reference {want}", file=sys.stderr)
        sys.exit(f"spiff_sweep differs from reference_sweep on {len(mismatches)} of {len(cases)} cases")

    n = max(len(cases), 1)
    print(f"cases: {len(cases):,}  sweep at {args.today} 00:00 Asia/Shanghai")
    print(f"parse BPMN (once):  {parse_seconds:.3f} s")
    print(f"SpiffWorkflow:      {spiff_seconds:.3f} s  {spiff_seconds / n * 1e6:,.1f} µs/case")
    print(f"reference (Python): {reference_seconds:.4f} s  {reference_seconds / n * 1e6:,.2f} µs/case")
    print(f"warnings: {sum(o.warned for o in spiff.values()):,}")
    transfers = Counter(o.transferred_to for o in spiff.values() if o.transferred_to)
    overdue = sum(1 for c in cases if c.stage == STAGES[-1] and args.today > c.due_on)
    print(f"transfers: {sum(transfers.values()):,}  (+{overdue:,} overdue at {STAGES[-1]}, no further move)")
    for stage in STAGES[1:]:
        print(f"  -> {stage:<20} {transfers[stage]:,}")
    print("spiff_sweep == reference_sweep on all cases")


if __name__ == "__main__":
    main()
