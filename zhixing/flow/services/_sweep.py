"""
The sweep (节点管控): a periodic, set-based pass that warns, marks overdue, times out stages and keeps the ledger.

Each phase is one statement (or one per chunk of ids) driven by a partial index that holds only the rows
still waiting for that phase, so an idle sweep reads nothing and a busy one costs what falls due, not
what is open:

1. warnings — open nodes and running stage visits whose warning day has come (``warned_at`` set);
2. overdue marks — open nodes past their due day (``overdue_at`` set);
3. transfers — running stage visits past their due day: sideways, lifted or left with a last alert
   (``_routing.visits_time_out``, rows locked with SKIP LOCKED so executors are never blocked or undone);
4. the 超6个月 ledger — open cases whose count passed six months get their ledger entry;
5. alerts for all of the above, inserted with ON CONFLICT DO NOTHING on their dedupe keys;
6. audit — one record per court for the marks (with the node and visit ids), one per case for every
   transfer and ledger entry, in the same transaction.

Running it twice changes nothing the second time: every phase only takes rows not yet marked.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils.timezone import localdate

from zhixing.audit.services import Entry, record_bulk
from zhixing.core.services import alerts_insert_select
from zhixing.flow.services._routing import visits_time_out

_CHUNK = 5000


@dataclass(slots=True)
class SweepReport:
    """What one sweep did, phase by phase: counts and seconds."""

    at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        """Return how many rows the sweep marked, moved or entered (0 for an idle sweep)."""
        keys = ("node_warnings", "node_overdue", "stage_warnings", "sideways", "lifted", "stuck", "ledger")
        return sum(self.counts.get(key, 0) for key in keys)

    def summary(self) -> str:
        """Return a one-line summary in Chinese."""
        c = self.counts
        return (
            f"节点预警{c.get('node_warnings', 0)}个、节点超期{c.get('node_overdue', 0)}个、流程段预警"
            f"{c.get('stage_warnings', 0)}个、横向移交{c.get('sideways', 0)}件、提级/流转{c.get('lifted', 0)}件、"
            f"期满无去向{c.get('stuck', 0)}件、新入超期台帐{c.get('ledger', 0)}件、提醒{c.get('alerts', 0)}条"
        )


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _returning(sql: str, params: Sequence[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _in(ids: Sequence[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def _id_batches(ids: Sequence[int]) -> Iterable[tuple[str, list]]:
    """
    Yield ``(condition, params)`` pairs matching ``ids``: one ``= ANY(array)`` on PostgreSQL, ``IN`` chunks elsewhere.

    One statement on PostgreSQL: a chunk of ``IN (…)`` is joined to the cases again (a scan of every case for a
    hash join) and its thousands of placeholders are converted and parsed, chunk after chunk.
    """
    if not ids:
        return
    if connection.vendor == "postgresql":
        yield "= ANY(%s)", [list(ids)]
        return
    for chunk in _chunks(ids):
        yield f"IN ({_in(chunk)})", list(chunk)


def _text(column: str) -> str:
    return f"CAST({column} AS TEXT)"


# The alerts of each phase: SELECT lists in the order ``core.services.ALERT_COLUMNS`` names.
_NODE_ALERT = """
    SELECT n.court_id, n.case_id, %s, %s,
           COALESCE(c.executor_id, tm.leader_id),
           CASE WHEN COALESCE(c.executor_id, tm.leader_id) IS NULL THEN 'bureau_chief' ELSE '' END,
           c.number || '“' || t.name || '”' || %s || {due},
           t.legal_basis, 'flow.node', {nid}, n.due_on, %s,
           %s || {nid}
      FROM flow_nodeinstance n
      JOIN cases_case c ON c.id = n.case_id
      JOIN flow_nodetype t ON t.id = n.node_type_id
      LEFT JOIN courts_team tm ON tm.id = c.team_id
     WHERE n.id {ids}
"""
_VISIT_ALERT = """
    SELECT v.court_id, v.case_id, %s, %s,
           COALESCE(v.holder_id, tm.leader_id),
           CASE WHEN COALESCE(v.holder_id, tm.leader_id) IS NULL THEN 'bureau_chief' ELSE '' END,
           c.number || '“' || s.name || '”' || %s || {due},
           '', 'flow.stage_visit', {vid}, v.due_on, %s,
           %s || {vid}
      FROM flow_stagevisit v
      JOIN cases_case c ON c.id = v.case_id
      JOIN flow_stage s ON s.id = v.stage_id
      LEFT JOIN courts_team tm ON tm.id = v.team_id
     WHERE v.id {ids}
"""
_LEDGER_ALERT = """
    SELECT p.court_id, p.case_id, %s, %s, NULL, 'supervisor',
           c.number || %s || {due},
           '', 'flow.ledger', {cid}, p.ledger_due_on, %s,
           %s || {cid}
      FROM flow_executionperiod p
      JOIN cases_case c ON c.id = p.case_id
     WHERE p.case_id {ids}
"""


def _alerts(
    template: str,
    ids: Sequence[int],
    *,
    kind: str,
    severity: str,
    phrase: str,
    key: str,
    at: datetime,
    due: str,
    idcol: str,
    idname: str,
) -> int:
    inserted = 0
    for condition, params in _id_batches(ids):
        sql = template.format(due=_text(due), ids=condition, **{idname: _text(idcol)})
        inserted += alerts_insert_select(select_sql=sql, params=[kind, severity, phrase, at, key, *params])
    return inserted


def flow_sweep(*, at: datetime) -> SweepReport:
    """Run one sweep at ``at`` over every court (see the module's docstring); return its report."""
    today = localdate(at)
    report = SweepReport(at=at)
    clock = time.perf_counter

    def timed(name: str, started: float) -> None:
        report.seconds[name] = report.seconds.get(name, 0.0) + clock() - started

    with transaction.atomic():
        started = clock()
        warned = _returning(
            "UPDATE flow_nodeinstance SET warned_at = %s WHERE status = 'open' AND warned_at IS NULL"
            " AND overdue_at IS NULL AND paused_on IS NULL AND warn_on <= %s AND due_on >= %s RETURNING id, court_id",
            [at, today, today],
        )
        visits_warned = _returning(
            "UPDATE flow_stagevisit SET warned_at = %s WHERE left_at IS NULL AND paused_on IS NULL"
            " AND warned_at IS NULL AND timed_out_at IS NULL AND warn_on <= %s AND due_on >= %s"
            " RETURNING id, court_id",
            [at, today, today],
        )
        timed("warnings", started)
        started = clock()
        overdue = _returning(
            "UPDATE flow_nodeinstance SET overdue_at = %s WHERE status = 'open' AND overdue_at IS NULL"
            " AND paused_on IS NULL AND due_on < %s RETURNING id, court_id",
            [at, today],
        )
        timed("overdue", started)
        started = clock()
        due_visits = [
            row[0]
            for row in _returning(
                "SELECT id FROM flow_stagevisit WHERE left_at IS NULL AND paused_on IS NULL AND timed_out_at IS NULL"
                " AND due_on < %s ORDER BY id",
                [today],
            )
        ]
        sideways = lifted = stuck = points = transfer_audit = 0
        pools: dict = {}  # the team pools' loads, counted once for the whole sweep
        for chunk in _chunks(due_visits):
            outcome = visits_time_out(visit_ids=chunk, at=at, pools=pools)
            sideways += outcome.sideways
            lifted += outcome.lifted
            stuck += outcome.stuck
            points += outcome.points_entries
            transfer_audit += outcome.audit_records
        timed("transfers", started)
        started = clock()
        due = "ledger_entered = %s AND closed_at IS NULL AND ledger_paused_since IS NULL AND ledger_due_on < %s"
        if connection.vendor == "postgresql":
            # a case whose own transaction holds it or its clock (a status change, an excluded period being
            # recorded) is left to the next sweep: waiting for it — for the clock, or for the case row the
            # entry's foreign key must share — while holding the nodes and visits marked above could deadlock
            due = (
                "case_id IN (SELECT p.case_id FROM flow_executionperiod p JOIN cases_case c ON c.id = p.case_id"
                " WHERE p.ledger_entered = %s AND p.closed_at IS NULL AND p.ledger_paused_since IS NULL"
                " AND p.ledger_due_on < %s FOR UPDATE OF p, c SKIP LOCKED)"
            )
        # only the fixed conditions above are formatted into the statement; the values are parameters
        sql = f"UPDATE flow_executionperiod SET ledger_entered = %s WHERE {due} RETURNING case_id, court_id"  # noqa: S608
        entered = _returning(sql, [True, False, today])
        ledger_ids = sorted(row[0] for row in entered)  # entries numbered in case order, however rows were locked
        for condition, params in _id_batches(ledger_ids):
            # the placeholders are the only thing formatted into the statement
            sql = (
                "INSERT INTO flow_overdueledgerentry (case_id, court_id, due_on, entered_on, entered_at, status,"  # noqa: S608
                " review_note) SELECT p.case_id, p.court_id, p.ledger_due_on, %s, %s, 'open', ''"
                f" FROM flow_executionperiod p WHERE p.case_id {condition} ORDER BY p.case_id ON CONFLICT DO NOTHING"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [today, at, *params])
        timed("ledger", started)
        started = clock()
        alerts = _alerts(
            _NODE_ALERT,
            [r[0] for r in warned],
            kind="flow.node_warning",
            severity="warning",
            phrase="将于",
            key="node-warn:",
            at=at,
            due="n.due_on",
            idcol="n.id",
            idname="nid",
        )
        alerts += _alerts(
            _NODE_ALERT,
            [r[0] for r in overdue],
            kind="flow.node_overdue",
            severity="overdue",
            phrase="已超期，届满日",
            key="node-overdue:",
            at=at,
            due="n.due_on",
            idcol="n.id",
            idname="nid",
        )
        alerts += _alerts(
            _VISIT_ALERT,
            [r[0] for r in visits_warned],
            kind="flow.stage_warning",
            severity="warning",
            phrase="办理期限将于",
            key="visit-warn:",
            at=at,
            due="v.due_on",
            idcol="v.id",
            idname="vid",
        )
        alerts += _alerts(
            _LEDGER_ALERT,
            ledger_ids,
            kind="flow.overdue_ledger",
            severity="critical",
            phrase="超过六个月未执结，已列入台帐；满六个月日",
            key="ledger:",
            at=at,
            due="p.ledger_due_on",
            idcol="p.case_id",
            idname="cid",
        )
        timed("alerts", started)
        started = clock()
        by_court: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for name, rows in (("node_warnings", warned), ("node_overdue", overdue), ("stage_warnings", visits_warned)):
            for row_id, court_id in rows:
                by_court[court_id][name].append(row_id)
        entries = [
            Entry(
                action="flow.sweep.marked",
                at=at,
                court_id=court_id,
                subject_type="flow.sweep",
                subject_id=today.isoformat(),
                data={name: sorted(ids) for name, ids in marks.items()} | {"today": today},
            )
            for court_id, marks in sorted(by_court.items())
        ]
        entries.extend(
            Entry(
                action="flow.ledger.entered",
                at=at,
                court_id=court_id,
                case_id=case_id,
                subject_type="cases.case",
                subject_id=str(case_id),
                data={"today": today},
            )
            for case_id, court_id in entered
        )
        audit = record_bulk(entries=entries) + transfer_audit
        timed("audit", started)
    report.counts.update(
        node_warnings=len(warned),
        node_overdue=len(overdue),
        stage_warnings=len(visits_warned),
        sideways=sideways,
        lifted=lifted,
        stuck=stuck,
        points_entries=points,
        ledger=len(entered),
        alerts=alerts,
        audit_records=audit,
    )
    return report
