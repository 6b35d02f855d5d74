"""
Moving cases through a routing model: entering it, choosing a team, advancing, timing out, points.

- ``flow_enter`` puts a newly filed case into its court's current model (the entry edge of its triage class).
- ``_enter_stage`` opens a stage visit with its limit (the edge's when it sets one), due and warning dates,
  a team chosen from the pool (area, load or round-robin) or the person a lift stage names, and copies
  the holder onto the case (``Case.team`` / ``Case.executor``, which the workbench filters on).
- ``case_advance`` is the holder's move along an advance edge; ``visit_assign`` is the team leader's choice
  of executor; ``visits_time_out`` is the sweep's move on timeout: sideways to another team of the pool
  while the stage allows it, then along the timeout edge (提级), else a last alert — with the stage's
  points taken from the holder that ran out of time and given to the next (前减后加) as one pair.

Every move writes its audit record in the same transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils.timezone import localdate

from zhixing.audit.services import Entry, record, record_bulk
from zhixing.cases.choices import CaseStatus, PartyRole, TriageClass
from zhixing.cases.models import Case, CaseParty
from zhixing.core.calendar import WorkCalendar
from zhixing.core.errors import Conflict, NotAllowed, ValidationFailed
from zhixing.core.services import AlertDraft, alert_raise_many
from zhixing.courts.access import court_scope_for, role_holders
from zhixing.courts.choices import Role
from zhixing.courts.models import Team
from zhixing.courts.selectors import work_calendar
from zhixing.flow.choices import AssignBy, EdgeTrigger, StageHolder, VisitEntry, VisitExit
from zhixing.flow.models import CaseFlow, ExecutionPeriod, PointsEntry, RoutingModel, Stage, StageEdge, StageVisit
from zhixing.flow.rules.deadlines import due_date
from zhixing.flow.rules.graph import routing_class

_FINISHED = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
_HOLDER_ROLE = {
    StageHolder.TEAM_LEADER: Role.TEAM_LEADER,
    StageHolder.BUREAU_CHIEF: Role.BUREAU_CHIEF,
    StageHolder.VICE_PRESIDENT: Role.VICE_PRESIDENT,
}
_AREA_SPLIT = re.compile(r"[、，,；;\s]+")


def _triage_class(case: Case) -> str:
    return routing_class(case.triage_class)


def _edge_for(edges: Sequence[StageEdge], *, trigger: str, source_id: int | None, triage: str) -> StageEdge | None:
    for edge in edges:
        if edge.trigger == trigger and edge.source_id == source_id and edge.triage_class in ("", triage):
            return edge
    return None


def _limit(stage: Stage, edge: StageEdge | None, *, sideways: bool) -> tuple[int | None, str]:
    if sideways:
        return stage.sideways_limit_amount, stage.sideways_limit_unit
    if edge is not None and edge.limit_amount is not None:
        return edge.limit_amount, edge.limit_unit
    return stage.limit_amount, stage.limit_unit


def _dates(*, starts_on: date, amount: int | None, unit: str, warn_days: int, calendar: WorkCalendar):
    if amount is None:
        return None, None, False
    due = due_date(anchor_on=starts_on, amount=amount, unit=unit, calendar=calendar)
    warn_on = max(starts_on, due.day - timedelta(days=warn_days))
    return due.day, warn_on, due.provisional


# --- choosing a team -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Pool:
    """A stage's active teams, with their areas, and the open visits each holds in that stage."""

    teams: list[Team]
    load: dict[int, int]
    last: int | None  # the team given the latest case (round-robin)
    code: str = ""  # the stage's code and court: what ``load`` counts (see ``_pools_release``)
    court_id: int | None = None


def _pool(stage: Stage) -> _Pool:
    teams = list(stage.teams.filter(is_active=True).order_by("id"))
    # the cases each team holds in this stage (of any version of the model): a team that also serves
    # another stage is not passed over here for the cases it holds there
    load = dict(
        StageVisit.objects.filter(
            left_at__isnull=True,
            stage__model__court_id=stage.model.court_id,
            stage__code=stage.code,
            team_id__in=[t.pk for t in teams],
        )
        .values_list("team_id")
        .annotate(n=Count("*"))  # not Count("id"): COUNT(*) is answered from stage_visit_team_open_idx alone
        .values_list("team_id", "n")
    )
    last = None
    if stage.assign_by == AssignBy.ROUND_ROBIN:  # only round-robin reads it: it scans every visit the stage had
        last = (
            StageVisit.objects.filter(stage__code=stage.code, stage__model__court_id=stage.model.court_id)
            .order_by("-entered_at", "-id")
            .values_list("team_id", flat=True)
            .first()
        )
    return _Pool(teams=teams, load=load, last=last, code=stage.code, court_id=stage.model.court_id)


def _pools_release(pools: dict[int, _Pool], visits: Sequence[StageVisit]) -> None:
    """Take visits that just left their stage off the loads counted earlier (the pools a sweep keeps)."""
    for visit in visits:
        for pool in pools.values():
            if pool.code == visit.stage.code and pool.court_id == visit.court_id and pool.load.get(visit.team_id):
                pool.load[visit.team_id] -= 1


def _debtor_addresses(case_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = CaseParty.objects.filter(case_id__in=case_ids, role=PartyRole.DEBTOR).values_list(
        "case_id", "party__address"
    )
    found: dict[int, list[str]] = defaultdict(list)
    for case_id, address in rows:
        if address:
            found[case_id].append(address)
    return found


def _choose(stage: Stage, pool: _Pool, *, addresses: Sequence[str], exclude: set[int]) -> Team | None:
    """Choose a team of ``pool`` for one case (updating the pool's load and last as it goes)."""
    candidates = [team for team in pool.teams if team.pk not in exclude]
    if not candidates:
        return None
    chosen: Team | None = None
    if stage.assign_by == AssignBy.AREA:
        for address in addresses:
            for team in candidates:
                places = [p for p in _AREA_SPLIT.split(team.area) if p]
                if any(place in address for place in places):
                    chosen = team
                    break
            if chosen:
                break
    if chosen is None and stage.assign_by == AssignBy.ROUND_ROBIN:
        ids = [team.pk for team in candidates]
        after = [team for team in candidates if pool.last is not None and team.pk > pool.last]
        chosen = after[0] if after else candidates[0]
        del ids
    if chosen is None:  # by load (also the fallback of area routing)
        chosen = min(candidates, key=lambda team: (pool.load.get(team.pk, 0), team.pk))
    pool.load[chosen.pk] = pool.load.get(chosen.pk, 0) + 1
    pool.last = chosen.pk
    return chosen


def _person_holder(stage: Stage, *, court_id: int, team: Team | None, today: date, cache: dict) -> Any:
    """Return the person a lift stage names: the holding team's leader, the bureau chief, the vice-president."""
    if stage.holder == StageHolder.TEAM_LEADER and team is not None and team.leader_id:
        return team.leader_id
    team_id = team.pk if team is not None and stage.holder == StageHolder.TEAM_LEADER else None
    key = (court_id, stage.holder, team_id)
    if key not in cache:
        holders = role_holders(
            court_id=court_id, role=_HOLDER_ROLE[StageHolder(stage.holder)], today=today, team_id=team_id
        )
        cache[key] = holders[0].pk if holders else None
    return cache[key]


# --- entering a stage ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Move:
    """One case to put into a stage."""

    case: Case
    flow: CaseFlow
    stage: Stage
    edge: StageEdge | None
    entry: str
    previous: StageVisit | None
    sideways_index: int = 0
    prefer_team_id: int | None = None  # the team (and executor) the filing chose, kept when in the pool
    prefer_executor_id: int | None = None


def _open_visits(
    moves: Sequence[_Move], *, at: datetime, calendar: WorkCalendar, pools: dict[int, _Pool] | None = None
) -> list[StageVisit]:
    """
    Open a visit for every move (teams chosen, holders found), copy the holders onto the cases; no audit.

    ``pools`` (by stage id) are the team pools counted by an earlier call, kept up to date, to use again.
    """
    today = localdate(at)
    pools = {} if pools is None else pools
    addresses = _debtor_addresses(
        [m.case.pk for m in moves if m.stage.holder == StageHolder.TEAM and m.stage.assign_by == AssignBy.AREA]
    )
    paused = set(
        ExecutionPeriod.objects.filter(case_id__in=[m.case.pk for m in moves], paused_since__isnull=False).values_list(
            "case_id", flat=True
        )
    )
    visits: list[StageVisit] = []
    holders: dict = {}
    for move in moves:
        stage = move.stage
        team: Team | None = None
        holder = None
        if stage.holder == StageHolder.TEAM:
            pool = pools.get(stage.pk) or pools.setdefault(stage.pk, _pool(stage))
            exclude = {move.previous.team_id} if move.entry == VisitEntry.SIDEWAYS and move.previous else set()
            preferred = next((t for t in pool.teams if t.pk == move.prefer_team_id), None)
            if preferred is not None:
                team, holder = preferred, move.prefer_executor_id
                pool.load[team.pk] = pool.load.get(team.pk, 0) + 1
            else:
                team = _choose(stage, pool, addresses=addresses.get(move.case.pk, ()), exclude=exclude)
        else:
            team = move.previous.team if move.previous is not None else None
            holder = _person_holder(stage, court_id=move.case.court_id, team=team, today=today, cache=holders)
        amount, unit = _limit(stage, move.edge, sideways=move.entry == VisitEntry.SIDEWAYS)
        due_on, warn_on, provisional = _dates(
            starts_on=today, amount=amount, unit=unit, warn_days=stage.warn_days, calendar=calendar
        )
        visits.append(
            StageVisit(
                case=move.case,
                court_id=move.case.court_id,
                stage=stage,
                team=team,
                holder_id=holder,
                entry=move.entry,
                via_edge=move.edge,
                sideways_index=move.sideways_index,
                entered_at=at,
                starts_on=today,
                limit_amount=amount,
                limit_unit=unit,
                due_on=due_on,
                warn_on=warn_on,
                due_provisional=provisional,
                paused_on=today if move.case.pk in paused else None,
                points=stage.points,
            )
        )
    StageVisit.objects.bulk_create(visits, batch_size=2000)  # both databases return the new ids
    for move, visit in zip(moves, visits, strict=True):
        move.flow.current_visit = visit
        move.case.team_id = visit.team_id
        move.case.executor_id = visit.holder_id
        move.case.updated_at = at
    _save_holders(moves, at=at)
    return visits


def _save_holders(moves: Sequence[_Move], *, at: datetime) -> None:
    """Write each moved case's current visit, and its holder (team, executor) onto the case: one statement each."""
    if connection.vendor != "postgresql":
        CaseFlow.objects.bulk_update([move.flow for move in moves], ["current_visit"], batch_size=1000)
        Case.objects.bulk_update([move.case for move in moves], ["team", "executor", "updated_at"], batch_size=1000)
        return
    # ``bulk_update`` writes one CASE WHEN branch per row, compiled in Python and evaluated for every row: its
    # cost grows with the square of the batch (bench/flow_sweep.py). UPDATE … FROM unnest(arrays) is one join.
    case_ids = [move.case.pk for move in moves]
    flow_table, case_table = CaseFlow._meta.db_table, Case._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {flow_table} AS f SET current_visit_id = v.visit_id"  # noqa: S608 - table names from the models
            " FROM unnest(%s::bigint[], %s::bigint[]) AS v(case_id, visit_id) WHERE f.case_id = v.case_id",
            [case_ids, [move.flow.current_visit_id for move in moves]],
        )
        cursor.execute(
            f"UPDATE {case_table} AS c SET team_id = v.team_id, executor_id = v.executor_id, updated_at = %s"  # noqa: S608
            " FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS v(id, team_id, executor_id) WHERE c.id = v.id",
            [at, case_ids, [move.case.team_id for move in moves], [move.case.executor_id for move in moves]],
        )


def _visit_alerts(visits: Sequence[StageVisit], *, at: datetime) -> int:
    """Tell the new holders (in one statement): a leader to assign an executor, a person that a case is theirs."""
    rows: list[AlertDraft] = []
    for visit in visits:
        number = visit.case.number
        if visit.holder_id is not None:
            rows.append(
                AlertDraft(
                    court_id=visit.court_id,
                    kind="flow.case_lifted",
                    case_id=visit.case_id,
                    recipient_id=visit.holder_id,
                    title=f"{number}进入“{visit.stage.name}”，由您办理",
                    body=_due_text(visit),
                    subject_type="flow.stage_visit",
                    subject_id=str(visit.pk),
                    due_on=visit.due_on,
                    dedupe_key=f"visit:{visit.pk}:holder",
                )
            )
        elif visit.team is not None:
            leader_id = visit.team.leader_id
            rows.append(
                AlertDraft(
                    court_id=visit.court_id,
                    kind="flow.assign_executor",
                    case_id=visit.case_id,
                    recipient_id=leader_id,
                    # a team without a leader is assigned by the bureau chief (``visit_assign``)
                    recipient_role="" if leader_id else Role.BUREAU_CHIEF,
                    title=f"{number}进入“{visit.stage.name}”（{visit.team.name}），请指定承办人",
                    body=_due_text(visit),
                    subject_type="flow.stage_visit",
                    subject_id=str(visit.pk),
                    due_on=visit.due_on,
                    dedupe_key=f"visit:{visit.pk}:assign",
                )
            )
    return len(alert_raise_many(alerts=rows, at=at))


def _due_text(visit: StageVisit) -> str:
    if visit.due_on is None:
        return "本段不设期限。"
    return f"本段期限至{visit.due_on.isoformat()}，{visit.warn_on.isoformat()}起预警。"


def _visit_data(visit: StageVisit) -> dict[str, Any]:
    return {
        "stage": visit.stage.code,
        "stage_name": visit.stage.name,
        "team_id": visit.team_id,
        "holder_id": visit.holder_id,
        "due_on": visit.due_on,
        "entry": visit.entry,
        "model_version": visit.stage.model.version if hasattr(visit.stage, "model") else None,
    }


def flow_enter(*, case: Case, actor: Any, at: datetime) -> StageVisit | None:
    """
    Put ``case`` into its court's current routing model (a court without one runs without a flow).

    Called by filing, in the filing's transaction, after the case is triaged. Idempotent: a case already
    in a flow is left where it is.
    """
    model = RoutingModel.objects.filter(court_id=case.court_id, is_current=True).first()
    if model is None or CaseFlow.objects.filter(case=case).exists():
        return None
    edges = list(model.edges.select_related("target", "target__model").all())
    edge = _edge_for(edges, trigger=EdgeTrigger.ENTRY, source_id=None, triage=_triage_class(case))
    if edge is None:  # pragma: no cover - model_problems refuses a model without an entry per class
        raise Conflict(f"流程模型“{model.name}”没有适用于该案件的入口。")
    if (
        case.team_id is not None
        and edge.target.holder == StageHolder.TEAM
        and not edge.target.teams.filter(pk=case.team_id).exists()
    ):
        names = "、".join(edge.target.teams.values_list("name", flat=True))
        raise ValidationFailed(
            f"本院流程模型中，该案件进入“{edge.target.name}”，由{names}承办；所选团队不在其中，请改选或留空由系统分案。",
            fields={"team_id": f"应为{names}之一，或留空"},
        )
    flow = CaseFlow.objects.create(case=case, court_id=case.court_id, model=model, entered_at=at)
    (visit,) = _open_visits(
        [
            _Move(
                case=case,
                flow=flow,
                stage=edge.target,
                edge=edge,
                entry=VisitEntry.ENTRY,
                previous=None,
                prefer_team_id=case.team_id,
                prefer_executor_id=case.executor_id,
            )
        ],
        at=at,
        calendar=work_calendar(),
    )
    record(
        action="flow.case.entered",
        at=at,
        actor=actor,
        court_id=case.court_id,
        case_id=case.pk,
        subject=visit,
        subject_label=case.number,
        data={**_visit_data(visit), "model_version": model.version, "edge": edge.label},
    )
    _visit_alerts([visit], at=at)
    return visit


def flow_enter_bulk(*, cases: Sequence[Case], at: datetime) -> dict[int, StageVisit]:
    """
    Put many newly imported cases of one court into its current model at once (no audit: the caller's).

    Returns the new visit of each case by case id (empty when the court runs without a model).
    """
    if not cases:
        return {}
    court_id = cases[0].court_id
    model = RoutingModel.objects.filter(court_id=court_id, is_current=True).first()
    if model is None:
        return {}
    edges = list(model.edges.select_related("target", "target__model").all())
    flows = CaseFlow.objects.bulk_create(
        [CaseFlow(case=case, court_id=court_id, model=model, entered_at=at) for case in cases], batch_size=2000
    )
    moves = []
    for case, flow in zip(cases, flows, strict=True):
        edge = _edge_for(edges, trigger=EdgeTrigger.ENTRY, source_id=None, triage=_triage_class(case))
        moves.append(
            _Move(
                case=case,
                flow=flow,
                stage=edge.target,
                edge=edge,
                entry=VisitEntry.ENTRY,
                previous=None,
                prefer_team_id=case.team_id,
                prefer_executor_id=case.executor_id,
            )
        )
    visits = _open_visits(moves, at=at, calendar=work_calendar())
    _visit_alerts(visits, at=at)
    return {visit.case_id: visit for visit in visits}


# --- moving on -------------------------------------------------------------------------------------------


def _points_pair(*, old: StageVisit, new: StageVisit | None, at: datetime, reason: str) -> list[PointsEntry]:
    """Return the pair of entries that moves ``old``'s stage points to the next holder (nothing when it has none)."""
    if new is None or not old.points:
        return []
    key = f"timeout:{old.pk}"

    def team_of(visit: StageVisit) -> int | None:
        # a lifted stage is held by a person: its points are that person's, not the team the case came from
        return visit.team_id if visit.stage.holder == StageHolder.TEAM else None

    return [
        PointsEntry(
            court_id=old.court_id,
            case_id=old.case_id,
            visit=old,
            transfer_key=key,
            team_id=team_of(old),
            user_id=old.holder_id,
            points=-old.points,
            reason=f"{reason}（扣减）",
            at=at,
        ),
        PointsEntry(
            court_id=old.court_id,
            case_id=old.case_id,
            visit=new,
            transfer_key=key,
            team_id=team_of(new),
            user_id=new.holder_id,
            points=old.points,
            reason=f"{reason}（加至下一承办）",
            at=at,
        ),
    ]


def _may_move(*, visit: StageVisit, actor: Any, today: date) -> bool:
    if actor is None:
        return False
    if visit.holder_id == actor.pk or (visit.team is not None and visit.team.leader_id == actor.pk):
        return True
    scope = court_scope_for(user=actor, today=today)
    return scope.court is not None and scope.court.pk == visit.court_id and Role.BUREAU_CHIEF in scope.roles


def case_advance(*, case: Case, edge_id: int, actor: Any, at: datetime, note: str = "") -> StageVisit:
    """
    Move ``case`` on from its current stage along the advance edge ``edge_id`` (the holder's decision).

    :raises Conflict: when the case is closed or not in a flow, or the edge does not leave its current stage
    :raises NotAllowed: when ``actor`` neither holds the case, leads its team, nor heads the bureau
    """
    today = localdate(at)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status in _FINISHED:
            raise Conflict(f"案件{locked.number}已结案或已撤回，不能再流转。")
        flow = (
            CaseFlow.objects.select_related("current_visit__stage", "current_visit__team").filter(case=locked).first()
        )
        visit = flow.current_visit if flow else None
        if visit is None or visit.left_at is not None:
            raise Conflict(f"案件{locked.number}不在流程中。")
        edge = (
            StageEdge.objects.select_related("target", "target__model")
            .filter(pk=edge_id, source_id=visit.stage_id, trigger=EdgeTrigger.ADVANCE)
            .first()
        )
        if edge is None:
            raise ValidationFailed("所选流转不是当前流程段的去向。", fields={"edge_id": "不是当前流程段的去向"})
        if edge.triage_class and edge.triage_class != _triage_class(locked):
            raise ValidationFailed(
                f"“{edge.label}”只适用于{TriageClass(edge.triage_class).label}。",
                fields={"edge_id": "不适用于本案的繁简类别"},
            )
        if not _may_move(visit=visit, actor=actor, today=today):
            raise NotAllowed("只有本段承办人、承办团队的团队长或执行局局长可以移送案件。")
        StageVisit.objects.filter(pk=visit.pk).update(left_at=at, exit=VisitExit.ADVANCED)
        (new,) = _open_visits(
            [_Move(case=locked, flow=flow, stage=edge.target, edge=edge, entry=VisitEntry.ADVANCE, previous=visit)],
            at=at,
            calendar=work_calendar(),
        )
        record(
            action="flow.case.advanced",
            at=at,
            actor=actor,
            court_id=locked.court_id,
            case_id=locked.pk,
            subject=new,
            subject_label=locked.number,
            data={
                "from": visit.stage.code,
                "to": edge.target.code,
                "edge": edge.label,
                "note": note.strip(),
                **_visit_data(new),
            },
        )
        _visit_alerts([new], at=at)
    return new


def visit_assign(*, case: Case, executor: Any, actor: Any, at: datetime) -> StageVisit:
    """
    Give ``case``'s current stage to ``executor`` (the team leader's choice within the holding team).

    :raises NotAllowed: unless ``actor`` leads the holding team or heads the bureau
    :raises ValidationFailed: when ``executor`` is not an executor or leader of that team today
    """
    today = localdate(at)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status in _FINISHED:
            raise Conflict(f"案件{locked.number}已结案或已撤回，不能再分案。")
        flow = (
            CaseFlow.objects.select_related("current_visit__stage", "current_visit__team").filter(case=locked).first()
        )
        visit = flow.current_visit if flow else None
        if visit is None or visit.team is None or visit.stage.holder != StageHolder.TEAM:
            raise Conflict("该案件当前不由团队承办，不能指定承办人。")
        if not (visit.team.leader_id == getattr(actor, "pk", None) or _may_move(visit=visit, actor=actor, today=today)):
            raise NotAllowed("只有承办团队的团队长或执行局局长可以指定承办人。")
        executor_id = getattr(executor, "pk", executor)
        members = {
            u.pk
            for role in (Role.EXECUTOR, Role.TEAM_LEADER)
            for u in role_holders(court_id=visit.court_id, role=role, today=today, team_id=visit.team_id)
        }
        if visit.team.leader_id:
            members.add(visit.team.leader_id)
        if executor_id not in members:
            raise ValidationFailed(
                f"承办人须为{visit.team.name}在职的执行员或团队长。", fields={"executor_id": "不是该团队的执行员"}
            )
        before = visit.holder_id
        if before == executor_id:
            return visit
        StageVisit.objects.filter(pk=visit.pk).update(holder_id=executor_id)
        Case.objects.filter(pk=locked.pk).update(executor_id=executor_id, updated_at=at)
        visit.holder_id = executor_id
        record(
            action="flow.case.assigned",
            at=at,
            actor=actor,
            court_id=locked.court_id,
            case_id=locked.pk,
            subject=visit,
            subject_label=locked.number,
            before={"executor_id": before},
            after={"executor_id": executor_id},
            data={"stage": visit.stage.code, "team_id": visit.team_id},
        )
    return visit


@dataclass(frozen=True, slots=True)
class TimeoutOutcome:
    """What the sweep did with the stage visits that ran out of time."""

    sideways: int
    lifted: int
    stuck: int
    points_entries: int
    audit_records: int


def visits_time_out(*, visit_ids: Sequence[int], at: datetime, pools: dict[int, _Pool] | None = None) -> TimeoutOutcome:
    """
    Time out the given open, running stage visits (the sweep, in its transaction): move each case one step.

    Rows another transaction holds are skipped (``SKIP LOCKED`` on PostgreSQL) and taken by the next sweep;
    a visit that was advanced or paused meanwhile no longer matches and is left alone. ``pools``: a dict the
    caller keeps from one call to the next (the sweep's chunks), so that each stage's team loads are counted
    once (a count of every open visit of the stage), then kept up to date, instead of once per call.
    """
    today = localdate(at)
    query = StageVisit.objects.filter(
        pk__in=visit_ids, left_at__isnull=True, paused_on__isnull=True, timed_out_at__isnull=True, due_on__lt=today
    )
    if connection.vendor == "postgresql":
        # the case row too: a move, an assignment or a closing holds it from its start (before it touches
        # the visit), and waiting for it here while it waits for the visit would deadlock the whole sweep
        query = query.select_for_update(skip_locked=True, of=("self", "case"))
    visits = list(query.select_related("stage", "stage__model", "team", "case").order_by("id"))
    pool_sizes: dict[int, set[int]] = {}
    if not visits:
        return TimeoutOutcome(0, 0, 0, 0, 0)
    flows = {flow.pk: flow for flow in CaseFlow.objects.filter(case_id__in=[v.case_id for v in visits])}
    edges_by_model: dict[int, list[StageEdge]] = {}
    moves: list[_Move] = []
    stuck: list[StageVisit] = []
    moved: list[StageVisit] = []
    for visit in visits:
        stage = visit.stage
        model_id = stage.model_id
        if model_id not in edges_by_model:
            edges_by_model[model_id] = list(
                StageEdge.objects.filter(model_id=model_id).select_related("target", "target__model")
            )
        flow = flows[visit.case_id]
        if stage.pk not in pool_sizes:
            pool_sizes[stage.pk] = set(stage.teams.filter(is_active=True).values_list("pk", flat=True))
        if (
            stage.holder == StageHolder.TEAM
            and visit.sideways_index < stage.sideways_max
            and pool_sizes[stage.pk] - {visit.team_id}
        ):
            moves.append(
                _Move(
                    case=visit.case,
                    flow=flow,
                    stage=stage,
                    edge=None,
                    entry=VisitEntry.SIDEWAYS,
                    previous=visit,
                    sideways_index=visit.sideways_index + 1,
                )
            )
            moved.append(visit)
            continue
        edge = _edge_for(
            edges_by_model[model_id], trigger=EdgeTrigger.TIMEOUT, source_id=stage.pk, triage=_triage_class(visit.case)
        )
        if edge is None:
            stuck.append(visit)
            continue
        moves.append(
            _Move(case=visit.case, flow=flow, stage=edge.target, edge=edge, entry=VisitEntry.TIMEOUT, previous=visit)
        )
        moved.append(visit)
    sideways_ids = {m.previous.pk for m in moves if m.entry == VisitEntry.SIDEWAYS}
    StageVisit.objects.filter(pk__in=sideways_ids).update(left_at=at, timed_out_at=at, exit=VisitExit.SIDEWAYS)
    StageVisit.objects.filter(pk__in=[v.pk for v in moved if v.pk not in sideways_ids]).update(
        left_at=at, timed_out_at=at, exit=VisitExit.TIMED_OUT
    )
    StageVisit.objects.filter(pk__in=[v.pk for v in stuck]).update(timed_out_at=at)
    if pools:
        _pools_release(pools, moved)
    new_visits = _open_visits(moves, at=at, calendar=work_calendar(), pools=pools) if moves else []
    points: list[PointsEntry] = []
    entries: list[Entry] = []
    for move, new in zip(moves, new_visits, strict=True):
        old = move.previous
        sideways = move.entry == VisitEntry.SIDEWAYS
        reason = f"“{old.stage.name}”期满未结，" + ("横向移交" if sideways else f"流转至“{new.stage.name}”")
        points.extend(_points_pair(old=old, new=new, at=at, reason=reason))
        entries.append(
            Entry(
                action="flow.case.timed_out",
                at=at,
                court_id=old.court_id,
                case_id=old.case_id,
                subject_type="flow.stagevisit",
                subject_id=str(new.pk),
                subject_label=old.case.number,
                data={
                    "from": old.stage.code,
                    "from_team_id": old.team_id,
                    "from_holder_id": old.holder_id,
                    "due_on": old.due_on,
                    "move": "sideways" if sideways else "timeout",
                    "points": old.points if old.points else 0,
                    **_visit_data(new),
                },
            )
        )
    entries.extend(
        Entry(
            action="flow.stage.overdue",
            at=at,
            court_id=visit.court_id,
            case_id=visit.case_id,
            subject_type="flow.stagevisit",
            subject_id=str(visit.pk),
            subject_label=visit.case.number,
            data={"stage": visit.stage.code, "due_on": visit.due_on, "holder_id": visit.holder_id},
        )
        for visit in stuck
    )
    PointsEntry.objects.bulk_create(points)
    written = record_bulk(entries=entries)
    _visit_alerts(new_visits, at=at)
    alert_raise_many(
        alerts=[
            AlertDraft(
                court_id=visit.court_id,
                kind="flow.stage_overdue",
                case_id=visit.case_id,
                recipient_id=visit.holder_id,
                recipient_role="" if visit.holder_id else Role.BUREAU_CHIEF,
                title=f"{visit.case.number}“{visit.stage.name}”已期满，且无后续流转",
                subject_type="flow.stage_visit",
                subject_id=str(visit.pk),
                due_on=visit.due_on,
                dedupe_key=f"visit:{visit.pk}:stuck",
            )
            for visit in stuck
        ],
        at=at,
    )
    sideways_count = sum(1 for m in moves if m.entry == VisitEntry.SIDEWAYS)
    return TimeoutOutcome(
        sideways=sideways_count,
        lifted=len(moves) - sideways_count,
        stuck=len(stuck),
        points_entries=len(points),
        audit_records=written,
    )


def flow_close(*, case: Case, at: datetime) -> int:
    """End ``case``'s flow when it is closed or withdrawn: the open visit is left; return visits closed."""
    closed = StageVisit.objects.filter(case=case, left_at__isnull=True).update(left_at=at, exit=VisitExit.CLOSED)
    CaseFlow.objects.filter(case=case, ended_at__isnull=True).update(ended_at=at)
    return closed
