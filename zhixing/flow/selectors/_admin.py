"""
Reads behind the supervision and configuration pages of flow.

Each page asks one function here: the battle chart (挂图作战) with its target form's choices, the
超6个月 ledger a page at a time, the routing model with its diagram and history, the model editor's
initial rows, and the node catalogue with the court's own settings. Who may change what is answered
here too (``may_configure_flow``, ``may_review_ledger``), so that the pages and the services agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from zhixing.cases.choices import CaseStatus
from zhixing.courts.access import CourtScope, scoped_get
from zhixing.courts.choices import Role
from zhixing.courts.models import Court, Membership, Team
from zhixing.courts.rules import Capability
from zhixing.documents.catalogue import TEMPLATES
from zhixing.flow.choices import LedgerStatus, LimitUnit, StageHolder
from zhixing.flow.models import (
    CourtNodeSetting,
    NodeType,
    OverdueLedgerEntry,
    RoutingModel,
    Stage,
    StageEdge,
    StageVisit,
)
from zhixing.flow.presets import PRESETS, preset_data
from zhixing.flow.selectors._board import BoardRow, battle_chart, ledger_entries, week_bounds
from zhixing.flow.selectors._models import routing_model_diagram, routing_model_versions

#: The roles that review and report ledger entries (as ``services.ledger_entry_review`` checks).
LEDGER_REVIEWERS = frozenset({Role.SUPERVISOR, Role.REVIEWER, Role.BUREAU_CHIEF})
#: The most ledger rows one page shows.
LEDGER_PAGE_SIZE = 50

_SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The statuses of a case still being worked on (as ``battle_chart`` counts them).
_OPEN_STATUSES = (CaseStatus.FILED, CaseStatus.IN_EXECUTION, CaseStatus.SUSPENDED, CaseStatus.DEFERRED)


def _period_text(amount: int | None, unit: str) -> str:
    """Return a period as the pages show it: ``10日``, ``3个月``, ``届满前1日`` (a negative amount counts back)."""
    if amount is None:
        return gettext("不设期限")
    text = str(LimitUnit(unit).label)
    if amount < 0:
        return gettext("届满前%(amount)s%(unit)s") % {"amount": -amount, "unit": text}
    return f"{amount}{text}"


# --- who may do what -----------------------------------------------------------------------------


def may_configure_flow(*, scope: CourtScope, court_id: int | None) -> bool:
    """Return whether ``scope`` may change court ``court_id``'s routing model and node settings (admin, chief)."""
    if scope.court is None or court_id != scope.court.pk or not scope.may_write(court_id):
        return False
    return scope.can(Capability.MANAGE_STAFF) or Role.BUREAU_CHIEF in scope.roles


def may_review_ledger(*, scope: CourtScope, court_id: int | None) -> bool:
    """Return whether ``scope`` may review or report the ledger entries of court ``court_id``."""
    if scope.court is None or court_id != scope.court.pk or not scope.may_write(court_id):
        return False
    return bool(LEDGER_REVIEWERS & set(scope.roles))


def _target_teams(*, scope: CourtScope, court_id: int) -> list[Team]:
    """Return the teams of ``court_id`` whose weekly targets ``scope`` may set (leaders: their own; chief: all)."""
    if scope.court is None or scope.court.pk != court_id or not scope.may_write(court_id):
        return []
    teams = Team.objects.filter(court_id=court_id, is_active=True).order_by("kind__sort_order", "id")
    if Role.BUREAU_CHIEF in scope.roles:
        return list(teams)
    if Role.TEAM_LEADER in scope.roles:
        return list(teams.filter(leader_id=scope.user_id))
    return []


# --- the court a page shows -------------------------------------------------------------------


def readable_courts(*, scope: CourtScope) -> list[tuple[int, str]]:
    """Return the courts ``scope`` may read, as (id, name), from the top of the hierarchy down."""
    return list(
        Court.objects.filter(pk__in=sorted(scope.readable_court_ids)).order_by("path").values_list("pk", "name")
    )


def _court(*, scope: CourtScope, court_id: int | None) -> Court:
    """
    Return the court a page shows: ``court_id`` when given (one the person may read), else their own.

    :raises Http404: for a court the person may not read
    """
    if scope.court is None:
        raise Http404(gettext("您没有在职的法院角色。"))
    if court_id is None or court_id == scope.court.pk:
        return scope.court
    return scoped_get(Court.objects.all(), scope=scope, pk=court_id, court_field="pk")


# --- the battle chart (挂图作战) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamBoard:
    """One team of the battle chart: its totals and its executors' lines."""

    team_id: int
    name: str
    total: BoardRow
    executors: list[BoardRow]


@dataclass(frozen=True, slots=True, kw_only=True)
class BattleChartPage:
    """Everything the battle chart page shows."""

    court: Court
    courts: list[tuple[int, str]]
    week_start: date
    week_end: date
    previous_week: date
    next_week: date
    teams: list[TeamBoard]
    chart: dict[str, list[Any]]
    target_teams: list[tuple[int, str]]
    target_executors: list[tuple[str, list[tuple[int, str]]]]

    @property
    def may_set_targets(self) -> bool:
        """Return whether the person may set a target for at least one team."""
        return bool(self.target_teams)


def _team_members(*, team_ids: list[int], today: date) -> dict[int, list[tuple[int, str]]]:
    """Return the executors and leaders of each team today, as (id, name)."""
    rows = (
        Membership.objects.filter(
            team_id__in=team_ids,
            role__in=[Role.EXECUTOR, Role.TEAM_LEADER],
            active_from__lte=today,
            user__is_active=True,
        )
        .exclude(active_to__lte=today)
        .order_by("team_id", "user_id")
        .values_list("team_id", "user_id", "user__name")
    )
    members: dict[int, list[tuple[int, str]]] = {}
    for team_id, user_id, name in rows:
        if (user_id, name) not in members.setdefault(team_id, []):
            members[team_id].append((user_id, name))
    return members


def battle_chart_page(*, scope: CourtScope, court_id: int | None, week_of: date, today: date) -> BattleChartPage:
    """
    Return the battle chart of ``week_of``'s week for the court shown, with the target form's choices.

    :raises Http404: for a court ``scope`` may not read
    """
    court = _court(scope=scope, court_id=court_id)
    monday, next_monday = week_bounds(week_of)
    rows = battle_chart(court_id=court.pk, week_of=monday, today=today)
    teams: list[TeamBoard] = []
    for row in rows:
        if row.executor_id is None:
            teams.append(TeamBoard(team_id=row.team_id, name=row.team, total=row, executors=[]))
        else:
            teams[-1].executors.append(row)
    target_teams = _target_teams(scope=scope, court_id=court.pk)
    members = _team_members(team_ids=[team.pk for team in target_teams], today=today)
    return BattleChartPage(
        court=court,
        courts=readable_courts(scope=scope),
        week_start=monday,
        week_end=next_monday - timedelta(days=1),
        previous_week=monday - timedelta(days=7),
        next_week=next_monday,
        teams=teams,
        chart={
            "teams": [team.name for team in teams],
            "targets": [team.total.target or 0 for team in teams],
            "closed": [team.total.closed for team in teams],
        },
        target_teams=[(team.pk, team.name) for team in target_teams],
        target_executors=[(team.name, members.get(team.pk, [])) for team in target_teams if members.get(team.pk)],
    )


# --- the 超6个月未执结 ledger --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerLine:
    """One ledger entry as the page shows it: days past the six months, and whether the person may review it."""

    entry: OverdueLedgerEntry
    days_over: int | None
    may_review: bool

    @property
    def next_statuses(self) -> list[tuple[str, str]]:
        """Return the statuses the entry may move to next (评查 before 报备)."""
        order = [LedgerStatus.OPEN, LedgerStatus.REVIEWED, LedgerStatus.REPORTED]
        if self.entry.status not in order:
            return []
        return [(s.value, str(s.label)) for s in order[order.index(LedgerStatus(self.entry.status)) + 1 :]]


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerSheet:
    """One page of the ledger of the courts the person may read."""

    rows: list[LedgerLine]
    page: Page
    count: int
    courts: int = 1
    statuses: list[tuple[str, str]] = field(default_factory=list)


def _ledger_line(*, scope: CourtScope, entry: OverdueLedgerEntry, today: date) -> LedgerLine:
    days = None if entry.status == LedgerStatus.CLOSED else (today - entry.due_on).days
    return LedgerLine(entry=entry, days_over=days, may_review=may_review_ledger(scope=scope, court_id=entry.court_id))


def ledger_sheet(*, scope: CourtScope, status: str, page_number: int, today: date) -> LedgerSheet:
    """Return page ``page_number`` of the 超6个月 ledger of every court ``scope`` may read, oldest due first."""
    query = ledger_entries(court_ids=scope.readable_court_ids, status=status)
    page = Paginator(query, LEDGER_PAGE_SIZE).get_page(page_number)
    return LedgerSheet(
        rows=[_ledger_line(scope=scope, entry=entry, today=today) for entry in page.object_list],
        page=page,
        count=page.paginator.count,
        courts=len(scope.readable_court_ids),
        statuses=[(s.value, str(s.label)) for s in LedgerStatus],
    )


def ledger_line(*, scope: CourtScope, entry_id: int, today: date) -> LedgerLine:
    """
    Return one ledger entry of a court ``scope`` may read.

    :raises Http404: when it does not exist or lies outside the readable courts
    """
    entry = scoped_get(
        OverdueLedgerEntry.objects.select_related("case", "case__team", "case__executor", "court", "reviewed_by"),
        scope=scope,
        pk=entry_id,
    )
    return _ledger_line(scope=scope, entry=entry, today=today)


# --- the routing model ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StageRow:
    """A stage of the model as the stages table shows it."""

    stage: Stage
    pool: str
    limit: str
    sideways: str
    in_flight: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeRow:
    """An edge of the model as the edges table shows it."""

    edge: StageEdge
    source: str
    target: str
    triage: str
    limit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PresetChoice:
    """A preset a court without a model may load."""

    code: str
    name: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelOverview:
    """The routing model page: the current model drawn and tabled, its history, the presets."""

    court: Court
    courts: list[tuple[int, str]]
    model: RoutingModel | None
    diagram: dict[str, Any] | None
    stages: list[StageRow]
    edges: list[EdgeRow]
    versions: list[RoutingModel]
    presets: list[PresetChoice]
    may_edit: bool


def _in_flight(*, court_id: int) -> dict[str, int]:
    """Return, per stage code, how many cases are in flight in any version of the court's model."""
    rows = (
        StageVisit.objects.filter(court_id=court_id, left_at__isnull=True)
        .values("stage__code")
        .annotate(n=Count("id"))
        .values_list("stage__code", "n")
    )
    return dict(rows)


_TRIAGE_TEXT = {"": gettext_lazy("不限"), "simple": gettext_lazy("简案"), "complex": gettext_lazy("繁案")}


def presets_available() -> list[PresetChoice]:
    """Return the presets shipped with the system."""
    return [
        PresetChoice(code=code, name=preset_data(code)["name"], description=preset_data(code).get("description", ""))
        for code in PRESETS
    ]


def routing_model_overview(*, scope: CourtScope, court_id: int | None) -> ModelOverview:
    """
    Return the court's current routing model with its diagram, stages, edges and versions.

    :raises Http404: for a court ``scope`` may not read
    """
    court = _court(scope=scope, court_id=court_id)
    model = RoutingModel.objects.filter(court=court, is_current=True).select_related("created_by").first()
    stages: list[StageRow] = []
    edges: list[EdgeRow] = []
    diagram = None
    if model is not None:
        diagram = routing_model_diagram(model=model)
        flight = _in_flight(court_id=court.pk)
        names = {}
        for stage in Stage.objects.filter(model=model).prefetch_related("teams").order_by("order", "id"):
            names[stage.pk] = stage.name
            pool = (
                "、".join(team.name for team in stage.teams.all())
                if stage.holder == StageHolder.TEAM
                else str(stage.get_holder_display())
            )
            sideways = ""
            if stage.sideways_max:
                limit = _period_text(stage.sideways_limit_amount, stage.sideways_limit_unit)
                sideways = gettext("%(times)s次，每次%(limit)s") % {"times": stage.sideways_max, "limit": limit}
            stages.append(
                StageRow(
                    stage=stage,
                    pool=pool,
                    limit=_period_text(stage.limit_amount, stage.limit_unit),
                    sideways=sideways,
                    in_flight=flight.get(stage.code, 0),
                )
            )
        edges = [
            EdgeRow(
                edge=edge,
                source=names.get(edge.source_id, "") if edge.source_id else gettext("入口（立案后）"),
                target=names.get(edge.target_id, ""),
                triage=str(_TRIAGE_TEXT.get(edge.triage_class, edge.triage_class)),
                limit="" if edge.limit_amount is None else _period_text(edge.limit_amount, edge.limit_unit),
            )
            for edge in StageEdge.objects.filter(model=model).order_by("order", "id")
        ]
    return ModelOverview(
        court=court,
        courts=readable_courts(scope=scope),
        model=model,
        diagram=diagram,
        stages=stages,
        edges=edges,
        versions=routing_model_versions(court_id=court.pk),
        presets=presets_available() if model is None else [],
        may_edit=may_configure_flow(scope=scope, court_id=court.pk),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelEditor:
    """The model editor's starting point: the current model as rows of plain values, and the court's teams."""

    court: Court
    model: RoutingModel | None
    name: str
    description: str
    stages: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    teams: list[tuple[int, str]]
    in_flight: dict[str, int]


def routing_model_editor(*, scope: CourtScope) -> ModelEditor:
    """Return the person's court's current model as the editor's initial rows, with the court's active teams."""
    court = _court(scope=scope, court_id=None)
    model = RoutingModel.objects.filter(court=court, is_current=True).first()
    stages: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    if model is not None:
        codes = {}
        for stage in Stage.objects.filter(model=model).prefetch_related("teams").order_by("order", "id"):
            codes[stage.pk] = stage.code
            stages.append(
                {
                    "code": stage.code,
                    "name": stage.name,
                    "holder": stage.holder,
                    "pool": [str(team.pk) for team in stage.teams.all()],
                    "assign_by": stage.assign_by,
                    "limit_amount": stage.limit_amount,
                    "limit_unit": stage.limit_unit,
                    "sideways_max": stage.sideways_max,
                    "sideways_limit_amount": stage.sideways_limit_amount,
                    "sideways_limit_unit": stage.sideways_limit_unit,
                    "points": stage.points,
                    "warn_days": stage.warn_days,
                    "is_closing": stage.is_closing,
                }
            )
        edges = [
            {
                "source": codes.get(edge.source_id, "") if edge.source_id else "",
                "target": codes[edge.target_id],
                "trigger": edge.trigger,
                "triage_class": edge.triage_class,
                "label": edge.label,
                "limit_amount": edge.limit_amount,
                "limit_unit": edge.limit_unit,
            }
            for edge in StageEdge.objects.filter(model=model).order_by("order", "id")
        ]
    teams = Team.objects.filter(court=court, is_active=True).order_by("kind__sort_order", "id")
    return ModelEditor(
        court=court,
        model=model,
        name=model.name if model else "",
        description=model.description if model else "",
        stages=stages,
        edges=edges,
        teams=list(teams.values_list("pk", "name")),
        in_flight=_in_flight(court_id=court.pk),
    )


# --- the node catalogue ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueLine:
    """A node of the catalogue with the court's own setting, as the catalogue page shows it."""

    node_type: NodeType
    setting: CourtNodeSetting | None
    completed_by: list[str]
    evidence: str
    law_period: str
    court_period: str
    warn_days: int
    is_tightened: bool

    @property
    def code(self) -> str:
        """Return the node's code."""
        return self.node_type.code


@dataclass(frozen=True, slots=True, kw_only=True)
class CataloguePage:
    """The node catalogue page."""

    court: Court
    courts: list[tuple[int, str]]
    rows: list[CatalogueLine]
    may_edit: bool


def _catalogue_line(node_type: NodeType, setting: CourtNodeSetting | None) -> CatalogueLine:
    amount = setting.amount if setting is not None and setting.amount is not None else node_type.amount
    warn = setting.warn_days if setting is not None and setting.warn_days is not None else node_type.warn_days
    evidence = str(node_type.get_evidence_display())
    documents = [TEMPLATES[code].title if code in TEMPLATES else code for code in node_type.evidence_documents]
    if documents:
        evidence += "：" + "、".join(documents)
    law = _period_text(node_type.amount, node_type.unit)
    if node_type.urgent_amount is not None:
        urgent = _period_text(node_type.urgent_amount, node_type.unit)
        law += gettext("（紧急时%(period)s）") % {"period": urgent}
    return CatalogueLine(
        node_type=node_type,
        setting=setting,
        completed_by=[str(Role(code).label) if code in Role.values else code for code in node_type.completed_by],
        evidence=evidence,
        law_period=law,
        court_period=_period_text(amount, node_type.unit),
        warn_days=warn,
        is_tightened=setting is not None and setting.amount is not None,
    )


def node_catalogue_page(*, scope: CourtScope, court_id: int | None) -> CataloguePage:
    """
    Return every current node of the catalogue with the shown court's periods and warning leads.

    :raises Http404: for a court ``scope`` may not read
    """
    court = _court(scope=scope, court_id=court_id)
    settings = {s.code: s for s in CourtNodeSetting.objects.filter(court=court).select_related("changed_by")}
    rows = [_catalogue_line(t, settings.get(t.code)) for t in NodeType.objects.filter(is_current=True)]
    return CataloguePage(
        court=court,
        courts=readable_courts(scope=scope),
        rows=rows,
        may_edit=may_configure_flow(scope=scope, court_id=court.pk),
    )


def node_catalogue_line(*, scope: CourtScope, code: str) -> CatalogueLine | None:
    """Return one current node with the person's court's setting (None for an unknown code)."""
    court = _court(scope=scope, court_id=None)
    node_type = NodeType.objects.filter(code=code, is_current=True).first()
    if node_type is None:
        return None
    setting = CourtNodeSetting.objects.filter(court=court, code=code).select_related("changed_by").first()
    return _catalogue_line(node_type, setting)
