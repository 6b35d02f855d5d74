"""
The sweep against people at work (PostgreSQL: real row locks, each thread its own connection).

While a sweep runs, an executor completes an overdue node and another moves a case on that the sweep
would time out. Nothing is lost: the node stays done and is not marked overdue, the case moved on is not
also timed out from its old stage (no second open visit, no points), and a second sweep changes nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, connections, transaction

from zhixing.cases.choices import CaseStatus
from zhixing.cases.models import Case
from zhixing.cases.services import case_transition
from zhixing.core.errors import ApplicationError
from zhixing.core.models import Alert
from zhixing.flow.choices import VisitEntry, VisitExit
from zhixing.flow.models import (
    CaseFlow,
    ExecutionPeriod,
    NodeInstance,
    OverdueLedgerEntry,
    PointsEntry,
    StageEdge,
    StageVisit,
)
from zhixing.flow.services import case_advance, flow_sweep, node_complete, visit_assign

from .conftest import moment

pytestmark = [
    pytest.mark.postgres,
    # committed data each thread can see (the demo fixture puts back what the migrations loaded)
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and SKIP LOCKED need PostgreSQL"),
]

DAY = date(2026, 4, 8)  # the linshu 流程程序 stage of a case filed on 5 January ran out on 7 April
NOTE = "通过总对总系统发起网络查控，查询存款、车辆、不动产"


class Worker(threading.Thread):
    """Run ``work`` on its own connection; keep its result or error; close the connection after."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


def _waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def _until(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def floor(demo, load_preset, file, staff):
    """Return a complex case in 流程程序 (out of time since 7 April) given to ls_liucheng, its inquiry overdue."""
    load_preset("鲁1329", "linshu")
    moving = file("鲁1329", "ls_lian", on=date(2026, 1, 5))
    visit_assign(case=moving, executor=staff("ls_liucheng"), actor=staff("ls_juzhang"), at=moment(date(2026, 1, 6)))
    edge = StageEdge.objects.get(model__court=demo["鲁1329"], source__code="liucheng", target__code="jingzhi",
                                 trigger="advance")  # fmt: skip
    node = NodeInstance.objects.get(case=moving, key="network_inquiry")
    return {"case": moving, "edge": edge, "node": node, "executor": staff("ls_liucheng")}


def _advance(floor, at):
    return case_advance(case=floor["case"], edge_id=floor["edge"].pk, actor=floor["executor"], at=at, note="移送精执")


def test_a_sweep_meeting_an_executor_and_a_move_in_progress_loses_neither(floor, audit_rows):
    case, node = floor["case"], floor["node"]
    node_held, release_node, case_held, release_case = (threading.Event() for _ in range(4))
    pids: dict[str, int] = {}

    def complete_and_hold(held: threading.Event, release: threading.Event):
        with transaction.atomic():
            done = node_complete(node_id=node.pk, actor=floor["executor"], at=moment(DAY, 9), note=NOTE)
            held.set()
            assert release.wait(20)
        return done

    def move_holding_the_case(held: threading.Event, release: threading.Event):
        with transaction.atomic():
            # a move begins by locking the case (as case_advance does); the sweep arrives meanwhile
            Case.objects.select_for_update().get(pk=case.pk)
            held.set()
            assert release.wait(20)
            return _advance(floor, moment(DAY, 9))

    def sweep():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids["sweep"] = cursor.fetchone()[0]
        return flow_sweep(at=moment(DAY, 10))

    node_worker = Worker(lambda: complete_and_hold(node_held, release_node))
    move_worker = Worker(lambda: move_holding_the_case(case_held, release_case))
    node_worker.start()
    move_worker.start()
    assert node_held.wait(10)
    assert case_held.wait(10)
    sweeper = Worker(sweep)
    sweeper.start()

    def finished_or_waiting() -> bool:
        return not sweeper.is_alive() or ("sweep" in pids and _waiting_on_a_lock(pids["sweep"]))

    # the sweep waits for the node the executor is completing ...
    assert _until(finished_or_waiting), "the sweep neither finished nor waited"
    release_node.set()
    node_worker.join(30)
    assert node_worker.error is None, node_worker.error
    time.sleep(0.3)
    # ... and passes over the case being moved, without waiting for it
    assert _until(finished_or_waiting), "the sweep neither finished nor waited"
    release_case.set()
    move_worker.join(30)
    sweeper.join(30)
    assert not move_worker.is_alive()
    assert not sweeper.is_alive()
    assert move_worker.error is None, move_worker.error
    assert sweeper.error is None, sweeper.error
    report = sweeper.result
    assert (report.counts["node_overdue"], report.counts["lifted"], report.counts["sideways"]) == (2, 0, 0)

    # the node completed by the executor stays done, never marked overdue, no overdue alert for it
    node.refresh_from_db()
    assert (node.status, node.completed_at, node.overdue_at, node.evidence_note) == ("done", moment(DAY, 9), None, NOTE)
    assert not Alert.objects.filter(kind="flow.node_overdue", subject_id=str(node.pk)).exists()
    # the case moved on once, by the executor: not also timed out from 流程程序
    visits = list(StageVisit.objects.filter(case=case).select_related("stage").order_by("entered_at", "id"))
    assert [(v.stage.code, v.entry, v.exit, v.timed_out_at) for v in visits] == [
        ("liucheng", VisitEntry.ENTRY, VisitExit.ADVANCED, None),
        ("jingzhi", VisitEntry.ADVANCE, "", None),
    ]
    assert CaseFlow.objects.get(case=case).current_visit_id == visits[1].pk
    assert not PointsEntry.objects.filter(case=case).exists()
    assert [row["case_id"] for row in audit_rows("flow.case.timed_out")] == []
    assert len(audit_rows("flow.case.advanced")) == 1

    # a second sweep at the same moment changes nothing
    again = flow_sweep(at=moment(DAY, 10))
    assert (again.changed, again.counts["alerts"], again.counts["audit_records"]) == (0, 0, 0)


@pytest.mark.parametrize("round_", range(3))
def test_a_sweep_racing_an_executor_and_a_move_never_does_both(floor, audit_rows, round_):
    case, node = floor["case"], floor["node"]
    start = threading.Barrier(3)

    def run(work):
        def go():
            start.wait(10)
            return work()

        return Worker(go)

    workers = {
        "complete": run(lambda: node_complete(node_id=node.pk, actor=floor["executor"], at=moment(DAY, 10), note=NOTE)),
        "advance": run(lambda: _advance(floor, moment(DAY, 10))),
        "sweep": run(lambda: flow_sweep(at=moment(DAY, 10))),
    }
    for worker in workers.values():
        worker.start()
    for worker in workers.values():
        worker.join(60)
    assert workers["sweep"].error is None, workers["sweep"].error
    assert workers["complete"].error is None, workers["complete"].error
    advance_error = workers["advance"].error
    assert advance_error is None or isinstance(advance_error, ApplicationError), advance_error

    node.refresh_from_db()
    assert (node.status, node.evidence_note) == ("done", NOTE)
    visits = list(StageVisit.objects.filter(case=case).select_related("stage").order_by("entered_at", "id"))
    assert StageVisit.objects.filter(case=case, left_at__isnull=True).count() == 1
    first = visits[0]
    if advance_error is None:  # the executor was first: moved on, not timed out
        assert (first.exit, first.timed_out_at) == (VisitExit.ADVANCED, None)
        assert [v.stage.code for v in visits] == ["liucheng", "jingzhi"]
        assert not PointsEntry.objects.filter(case=case).exists()
    else:  # the sweep was first: timed out, and the executor's move from the old stage refused
        assert first.exit == VisitExit.TIMED_OUT
        assert [v.entry for v in visits[1:]] == [VisitEntry.TIMEOUT]
        assert PointsEntry.objects.filter(case=case).count() == 2
        assert audit_rows("flow.case.advanced") == []
    again = flow_sweep(at=moment(DAY, 10))
    assert again.changed == 0


def test_a_sweep_meeting_a_suspension_being_recorded_enters_the_ledger_once_afterwards(floor, staff, audit_rows):
    """The six months ran out on 6 July; on 7 July the sweep meets the clerk recording a suspension."""
    case = floor["case"]
    clerk = staff("ls_lian")
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 1, 6)), reason="移送执行")
    held, release = threading.Event(), threading.Event()
    pids: dict[str, int] = {}
    day = date(2026, 7, 7)

    def suspend_holding_the_clock():
        with transaction.atomic():
            # the suspension's transaction holds the case and its clock from its start
            Case.objects.select_for_update().get(pk=case.pk)
            ExecutionPeriod.objects.select_for_update().get(case=case)
            held.set()
            assert release.wait(20)
            case_transition(case=case, to=CaseStatus.SUSPENDED, actor=clerk, at=moment(day, 9), reason="裁定中止执行")

    def sweep():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids["sweep"] = cursor.fetchone()[0]
        return flow_sweep(at=moment(day, 10))

    clerk_worker = Worker(suspend_holding_the_clock)
    clerk_worker.start()
    assert held.wait(10)
    sweeper = Worker(sweep)
    sweeper.start()
    assert _until(lambda: not sweeper.is_alive() or ("sweep" in pids and _waiting_on_a_lock(pids["sweep"])))
    release.set()
    clerk_worker.join(30)
    sweeper.join(30)
    assert clerk_worker.error is None, clerk_worker.error
    assert sweeper.error is None, sweeper.error
    # the sweep passed over the case it could not lock; the clerk's suspension went through
    assert sweeper.result.counts["ledger"] == 0
    period = ExecutionPeriod.objects.get(case=case)
    assert (period.paused_since, period.ledger_paused_since, period.ledger_due_on) == (day, None, date(2026, 7, 6))
    assert StageVisit.objects.get(case=case, left_at__isnull=True).paused_on == day

    # the next sweep enters it: six months passed before the suspension began
    report = flow_sweep(at=moment(date(2026, 7, 8), 1))
    assert (report.counts["ledger"], report.counts["lifted"]) == (1, 0)
    assert OverdueLedgerEntry.objects.get(case=case).due_on == date(2026, 7, 6)
    assert flow_sweep(at=moment(date(2026, 7, 8), 2)).changed == 0
    assert len(audit_rows("flow.ledger.entered")) == 1


def test_a_sweep_meeting_a_status_change_half_recorded_does_not_deadlock(floor, staff, monkeypatch):
    """The six months ran out on 6 July; on 7 July the sweep marks the period node the suspension moves."""
    from zhixing.cases.services import _cases

    case = floor["case"]
    clerk = staff("ls_lian")
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 1, 6)), reason="移送执行")
    held, release = threading.Event(), threading.Event()
    pids: dict[str, int] = {}
    day = date(2026, 7, 7)
    report_to_flow = _cases.node_anchor_record

    def paused_report(**kwargs):
        # case_transition has locked the case and written its audit record: it pauses here, before flow
        held.set()
        assert release.wait(20)
        return report_to_flow(**kwargs)

    monkeypatch.setattr(_cases, "node_anchor_record", paused_report)

    def suspend():
        case_transition(case=case, to=CaseStatus.SUSPENDED, actor=clerk, at=moment(day, 9), reason="裁定中止执行")

    def sweep():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids["sweep"] = cursor.fetchone()[0]
        return flow_sweep(at=moment(day, 10))

    clerk_worker = Worker(suspend)
    clerk_worker.start()
    assert held.wait(10)
    sweeper = Worker(sweep)
    sweeper.start()
    assert _until(lambda: not sweeper.is_alive() or ("sweep" in pids and _waiting_on_a_lock(pids["sweep"])))
    release.set()
    clerk_worker.join(30)
    sweeper.join(30)
    assert clerk_worker.error is None, clerk_worker.error
    assert sweeper.error is None, sweeper.error
    period = ExecutionPeriod.objects.get(case=case)
    assert period.paused_since == day
    assert NodeInstance.objects.get(case=case, key="execution_period").paused_on == day
