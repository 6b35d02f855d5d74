"""
The checks a routing model must pass before it is saved: pure, on plain descriptions of its rows.

A model is refused, with every reason in Chinese, when a stage cannot reach a closing stage, when a
triage class has no way in, when a time limit or a points value is out of range, or when a sideways
transfer has no other team to go to. The admin page and the preset loader both call ``model_problems``.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

#: The triage classes a case can enter a model with ('' on an edge means any of them).
TRIAGE_CLASSES = ("simple", "complex")
LIMIT_UNITS = ("natural_days", "working_days", "months")
#: The longest stage limit a model may set, per unit (a stage longer than the execution period is a mistake).
MAX_LIMIT = {"natural_days": 366, "working_days": 250, "months": 12}
HOLDERS = ("team", "team_leader", "bureau_chief", "vice_president")


def routing_class(triage_class: str) -> str:
    """Return the class a case is routed by: an unclassified case goes as complex (the careful way)."""
    return "simple" if triage_class == "simple" else "complex"


@dataclass(frozen=True, slots=True)
class StageSpec:
    """One stage, as the model's editor or a preset describes it."""

    code: str
    name: str
    holder: str = "team"
    pool: tuple[str, ...] = ()  # team names (or team-kind codes in a preset)
    assign_by: str = "load"
    limit_amount: int | None = None
    limit_unit: str = "months"
    sideways_max: int = 0
    sideways_limit_amount: int | None = None
    sideways_limit_unit: str = "months"
    points: int = 0
    is_closing: bool = False
    warn_days: int = 5


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    """One edge: entry (source ''), advance or timeout, with the triage class it applies to ('' any)."""

    source: str
    target: str
    trigger: str
    triage_class: str = ""
    label: str = ""
    limit_amount: int | None = None
    limit_unit: str = "months"


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A whole routing model."""

    name: str
    stages: tuple[StageSpec, ...]
    edges: tuple[EdgeSpec, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a model is refused: where (a stage code, an edge, or 'model') and why, in Chinese."""

    where: str
    message: str


@dataclass(slots=True)
class _Index:
    stages: dict[str, StageSpec] = field(default_factory=dict)
    out: dict[str, list[EdgeSpec]] = field(default_factory=lambda: defaultdict(list))


def _limit_problems(where: str, label: str, amount: int | None, unit: str) -> list[Problem]:
    if amount is None:
        return []
    if unit not in LIMIT_UNITS:
        return [Problem(where, f"{label}的计算单位无效")]
    if not 1 <= amount <= MAX_LIMIT[unit]:
        unit_label = {"natural_days": "日", "working_days": "个工作日", "months": "个月"}[unit]
        return [Problem(where, f"{label}应在1至{MAX_LIMIT[unit]}{unit_label}之间")]
    return []


def reachable_to_closing(stages: Sequence[StageSpec], edges: Sequence[EdgeSpec]) -> set[str]:
    """Return the codes of the stages from which some path of advance or timeout edges reaches a closing stage."""
    incoming: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.source:
            incoming[edge.target].append(edge.source)
    done = {stage.code for stage in stages if stage.is_closing}
    queue = deque(done)
    while queue:
        code = queue.popleft()
        for source in incoming[code]:
            if source not in done:
                done.add(source)
                queue.append(source)
    return done


def model_problems(spec: ModelSpec) -> list[Problem]:
    """Return every reason ``spec`` cannot be saved (empty when it can)."""
    problems: list[Problem] = []
    index = _Index()
    if not spec.name.strip():
        problems.append(Problem("model", "请填写流程模型名称"))
    for stage in spec.stages:
        where = stage.code or "model"
        if not stage.code.strip() or not stage.name.strip():
            problems.append(Problem(where, "每个流程段都要有代码和名称"))
            continue
        if stage.code in index.stages:
            problems.append(Problem(where, f"流程段代码“{stage.code}”重复"))
            continue
        index.stages[stage.code] = stage
        if stage.holder not in HOLDERS:
            problems.append(Problem(where, f"“{stage.name}”的承办方式无效"))
        if stage.holder == "team" and not stage.pool:
            problems.append(Problem(where, f"“{stage.name}”没有团队池：至少要有一个团队"))
        if stage.sideways_max and stage.holder != "team":
            problems.append(Problem(where, f"“{stage.name}”由个人承办，不能横向移交"))
        if stage.sideways_max and len(stage.pool) < 2:
            problems.append(Problem(where, f"“{stage.name}”设置了横向移交，但团队池中只有一个团队，无处移交"))
        if stage.sideways_max < 0 or stage.sideways_max > 5:
            problems.append(Problem(where, f"“{stage.name}”的横向移交次数应在0至5之间"))
        if stage.sideways_max and stage.sideways_limit_amount is None:
            problems.append(Problem(where, f"“{stage.name}”设置了横向移交，请填写移交后的办理期限"))
        if not stage.is_closing and stage.limit_amount is None:
            problems.append(Problem(where, f"“{stage.name}”没有办理期限：除结案段外，每段都要有期限"))
        problems.extend(_limit_problems(where, f"“{stage.name}”的办理期限", stage.limit_amount, stage.limit_unit))
        problems.extend(
            _limit_problems(
                where, f"“{stage.name}”横向移交后的期限", stage.sideways_limit_amount, stage.sideways_limit_unit
            )
        )
        if not 0 <= stage.points <= 1000:
            problems.append(Problem(where, f"“{stage.name}”的积分应在0至1000之间"))
        if not 0 <= stage.warn_days <= 60:
            problems.append(Problem(where, f"“{stage.name}”的预警提前天数应在0至60之间"))
    if not any(stage.is_closing for stage in index.stages.values()):
        problems.append(Problem("model", "模型没有结案段：至少要有一个流程段标为结案段"))
    timeouts: dict[tuple[str, str], int] = defaultdict(int)
    for edge in spec.edges:
        where = f"{edge.source or '入口'}→{edge.target}"
        if edge.trigger not in ("entry", "advance", "timeout"):
            problems.append(Problem(where, "流转方式无效"))
            continue
        if edge.target not in index.stages:
            problems.append(Problem(where, f"去向流程段“{edge.target}”不存在"))
            continue
        if edge.trigger == "entry":
            if edge.source:
                problems.append(Problem(where, "入口不能有来源流程段"))
        elif edge.source not in index.stages:
            problems.append(Problem(where, f"来源流程段“{edge.source}”不存在"))
            continue
        elif edge.source == edge.target:
            problems.append(Problem(where, "流转不能回到同一流程段（同段内换团队请用横向移交）"))
        if edge.triage_class and edge.triage_class not in TRIAGE_CLASSES:
            problems.append(Problem(where, "适用的繁简类别无效"))
        if edge.trigger == "timeout":
            for cls in (edge.triage_class,) if edge.triage_class else TRIAGE_CLASSES:
                timeouts[(edge.source, cls)] += 1
                if timeouts[(edge.source, cls)] == 2:
                    problems.append(Problem(where, f"“{edge.source}”期满流转的去向不唯一"))
        if edge.source and index.stages[edge.source].is_closing and edge.trigger == "timeout":
            problems.append(Problem(where, "结案段不自动流转"))
        problems.extend(_limit_problems(where, "该流转设定的期限", edge.limit_amount, edge.limit_unit))
        if edge.source:
            index.out[edge.source].append(edge)
    for cls in TRIAGE_CLASSES:
        entries = [e for e in spec.edges if e.trigger == "entry" and e.triage_class in ("", cls)]
        if not entries:
            label = "简案" if cls == "simple" else "繁案"
            problems.append(Problem("model", f"{label}没有入口：请为它设置进入流程的第一段"))
        elif len(entries) > 1:
            label = "简案" if cls == "simple" else "繁案"
            problems.append(Problem("model", f"{label}的入口不唯一"))
    reaching = reachable_to_closing(tuple(index.stages.values()), spec.edges)
    for code, stage in index.stages.items():
        if code not in reaching:
            problems.append(Problem(code, f"“{stage.name}”到达不了任何结案段：案件进入后将无法办结"))
    return problems
