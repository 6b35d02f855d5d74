"""
Writes of routing models: loading a preset for a court, saving an edited model as a new version.

Every save runs ``rules.graph.model_problems`` first and writes nothing when it finds a problem. A case
keeps the version it entered with; an edit may carry the cases in flight over to the new version only
when every stage holding them still exists in it (by code) — otherwise it is refused with the stages
and counts that stand in the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.core.errors import Conflict, NotAllowed, ValidationFailed
from zhixing.courts.access import court_scope_for
from zhixing.courts.models import Team
from zhixing.flow.models import CaseFlow, RoutingModel, Stage, StageEdge, StageVisit
from zhixing.flow.presets import preset_data
from zhixing.flow.rules.graph import EdgeSpec, ModelSpec, Problem, StageSpec, model_problems
from zhixing.flow.selectors import may_configure_flow


def flow_configurer_check(*, actor: Any, court: Any, at: datetime) -> None:
    """
    Check that ``actor`` may change ``court``'s routing model and node settings (``None``: the system itself).

    :raises NotAllowed: unless ``actor`` is an administrator or the bureau chief of ``court``
    """
    if actor is None:
        return
    if not may_configure_flow(scope=court_scope_for(user=actor, today=localdate(at)), court_id=court.pk):
        raise NotAllowed("只有本院系统管理员或执行局局长可以修改流程模型和节点设置。")


def _problems_error(problems: Sequence[Problem]) -> ValidationFailed:
    fields: dict[str, str] = {}
    for problem in problems:
        fields.setdefault(problem.where, problem.message)
    return ValidationFailed("流程模型有误：" + "；".join(p.message for p in problems) + "。", fields=fields)


def preset_spec(*, court: Any, code: str) -> tuple[ModelSpec, dict[str, list[int]]]:
    """Return the preset ``code`` as a spec for ``court``, and each stage's pool resolved to the court's teams."""
    data = preset_data(code)
    teams = list(Team.objects.filter(court=court, is_active=True).select_related("kind").order_by("id"))
    stages: list[StageSpec] = []
    pools: dict[str, list[int]] = {}
    for item in data["stages"]:
        kinds = item.get("pool", [])
        chosen = [team for team in teams if team.kind.code in kinds]
        pools[item["code"]] = [team.pk for team in chosen]
        limit = item.get("limit") or [None, "months"]
        sideways = item.get("sideways") or {}
        sideways_limit = sideways.get("limit") or [None, "months"]
        stages.append(
            StageSpec(
                code=item["code"],
                name=item["name"],
                holder=item.get("holder", "team"),
                pool=tuple(team.name for team in chosen),
                assign_by=item.get("assign_by", "load"),
                limit_amount=limit[0],
                limit_unit=limit[1],
                sideways_max=sideways.get("max", 0),
                sideways_limit_amount=sideways_limit[0],
                sideways_limit_unit=sideways_limit[1],
                points=item.get("points", 0),
                is_closing=item.get("is_closing", False),
                warn_days=item.get("warn_days", 5),
            )
        )
    edges = tuple(
        EdgeSpec(
            source=item.get("from", ""),
            target=item["to"],
            trigger=item["trigger"],
            triage_class=item.get("triage_class", ""),
            label=item.get("label", ""),
            limit_amount=(item.get("limit") or [None])[0],
            limit_unit=(item.get("limit") or [None, "months"])[1],
        )
        for item in data["edges"]
    )
    return ModelSpec(
        name=data["name"], stages=tuple(stages), edges=edges, description=data.get("description", "")
    ), pools


def _write(
    *, court: Any, spec: ModelSpec, pools: dict[str, list[int]], preset: str, note: str, actor: Any, at: datetime
) -> RoutingModel:
    version = (RoutingModel.objects.filter(court=court).aggregate(top=Max("version"))["top"] or 0) + 1
    RoutingModel.objects.filter(court=court, is_current=True).update(is_current=False)
    model = RoutingModel.objects.create(
        court=court,
        name=spec.name.strip(),
        preset=preset,
        version=version,
        is_current=True,
        description=spec.description,
        change_note=note[:200],
        created_by=actor,
        created_at=at,
    )
    stages: dict[str, Stage] = {}
    for order, item in enumerate(spec.stages):
        stage = Stage.objects.create(
            model=model,
            code=item.code,
            name=item.name,
            order=order,
            holder=item.holder,
            assign_by=item.assign_by,
            limit_amount=item.limit_amount,
            limit_unit=item.limit_unit,
            sideways_max=item.sideways_max,
            sideways_limit_amount=item.sideways_limit_amount,
            sideways_limit_unit=item.sideways_limit_unit,
            points=item.points,
            warn_days=item.warn_days,
            is_closing=item.is_closing,
        )
        stage.teams.set(pools.get(item.code, []))
        stages[item.code] = stage
    StageEdge.objects.bulk_create(
        StageEdge(
            model=model,
            source=stages.get(edge.source),
            target=stages[edge.target],
            trigger=edge.trigger,
            triage_class=edge.triage_class,
            label=edge.label,
            limit_amount=edge.limit_amount,
            limit_unit=edge.limit_unit,
            order=order,
        )
        for order, edge in enumerate(spec.edges)
    )
    return model


def routing_model_load_preset(*, court: Any, preset: str, actor: Any, at: datetime) -> RoutingModel:
    """
    Load the preset ``preset`` as ``court``'s current routing model (a new version), pools from its teams.

    :raises NotAllowed: unless ``actor`` is an administrator or the bureau chief of ``court``
    :raises ValidationFailed: when the preset does not fit the court (a stage's pool has no team of its kinds)
    """
    flow_configurer_check(actor=actor, court=court, at=at)
    try:
        spec, pools = preset_spec(court=court, code=preset)
    except KeyError as error:
        raise ValidationFailed(str(error.args[0]), fields={"preset": str(error.args[0])}) from error
    problems = model_problems(spec)
    if problems:
        raise _problems_error(problems)
    with transaction.atomic():
        model = _write(
            court=court, spec=spec, pools=pools, preset=preset, note=f"载入预设“{preset}”", actor=actor, at=at
        )
        record(
            action="flow.model.loaded",
            at=at,
            actor=actor,
            court_id=court.pk,
            subject=model,
            data={"preset": preset, "version": model.version, "stages": [s.code for s in spec.stages]},
        )
    return model


def _in_flight(model_ids: Sequence[int]) -> dict[str, int]:
    """Return, per stage code, how many cases are in flight in the given model versions."""
    rows = (
        StageVisit.objects.filter(left_at__isnull=True, stage__model_id__in=model_ids)
        .values("stage__code")
        .annotate(n=Count("id"))
    )
    return {row["stage__code"]: row["n"] for row in rows}


def routing_model_save(
    *,
    court: Any,
    spec: ModelSpec,
    pools: dict[str, list[int]],
    note: str,
    actor: Any,
    at: datetime,
    migrate_in_flight: bool = False,
) -> RoutingModel:
    """
    Save ``spec`` as a new version of ``court``'s routing model; ``pools`` are team ids per stage code.

    With ``migrate_in_flight``, the cases in flight on earlier versions move to the new one (their visits
    keep their dates); refused when one of their stages is missing from the new version.

    :raises ValidationFailed: naming every problem of the model, or a pool team that is not the court's
    :raises NotAllowed: unless ``actor`` is an administrator or the bureau chief of ``court``
    :raises Conflict: when carrying the cases in flight over would strand some of them
    """
    flow_configurer_check(actor=actor, court=court, at=at)
    if not note.strip():
        raise ValidationFailed("请填写修改说明。", fields={"change_note": "请填写修改说明"})
    team_names = dict(Team.objects.filter(court=court, is_active=True).values_list("pk", "name"))
    problems = []
    for code, ids in pools.items():
        strangers = [pk for pk in ids if pk not in team_names]
        if strangers:
            problems.append(Problem(code, "团队池中有不属于本院或已停用的团队"))
    spec = replace(
        spec,
        stages=tuple(
            replace(stage, pool=tuple(team_names.get(pk, str(pk)) for pk in pools.get(stage.code, [])))
            for stage in spec.stages
        ),
    )
    problems.extend(model_problems(spec))
    if problems:
        raise _problems_error(problems)
    with transaction.atomic():
        previous = list(RoutingModel.objects.select_for_update().filter(court=court).values_list("pk", flat=True))
        current = RoutingModel.objects.filter(court=court, is_current=True).first()
        flight = _in_flight(previous) if migrate_in_flight else {}
        codes = {stage.code for stage in spec.stages}
        stranded = {code: n for code, n in flight.items() if code not in codes}
        if stranded:
            detail = "、".join(f"“{code}”{n}件" for code, n in sorted(stranded.items()))
            raise Conflict(
                f"新版本删去了仍有在办案件的流程段（{detail}），不能把在办案件迁移到新版本。",
                fields={"migrate_in_flight": "有在办案件的流程段不能删去"},
            )
        model = _write(
            court=court, spec=spec, pools=pools, preset=current.preset if current else "", note=note, actor=actor, at=at
        )
        migrated = 0
        if migrate_in_flight and flight:
            new_stages = {stage.code: stage.pk for stage in model.stages.all()}
            for code, stage_id in new_stages.items():
                migrated += StageVisit.objects.filter(
                    left_at__isnull=True, stage__model_id__in=previous, stage__code=code
                ).update(stage_id=stage_id)
            CaseFlow.objects.filter(model_id__in=previous, ended_at__isnull=True).update(model=model)
        record(
            action="flow.model.saved",
            at=at,
            actor=actor,
            court_id=court.pk,
            subject=model,
            data={
                "version": model.version,
                "note": note,
                "migrated_cases": migrated,
                "previous_version": current.version if current else None,
            },
        )
    return model
