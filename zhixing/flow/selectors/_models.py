"""Reads of routing models and the node catalogue: the current model, its diagram, a court's node settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhixing.flow.choices import EdgeTrigger, StageHolder
from zhixing.flow.models import CourtNodeSetting, NodeType, RoutingModel, Stage, StageEdge


def routing_model_current(*, court_id: int) -> RoutingModel | None:
    """Return the court's current routing model (None when it runs without one)."""
    return RoutingModel.objects.filter(court_id=court_id, is_current=True).first()


def routing_model_versions(*, court_id: int) -> list[RoutingModel]:
    """Return every version of the court's model, newest first."""
    return list(RoutingModel.objects.filter(court_id=court_id).select_related("created_by").order_by("-version"))


_UNIT_TEXT = {"natural_days": "日", "working_days": "个工作日", "months": "个月"}


def _limit_text(amount: int | None, unit: str) -> str:
    if amount is None:
        return "不设期限"
    return f"{amount}{_UNIT_TEXT[unit]}"


def routing_model_diagram(*, model: RoutingModel) -> dict[str, Any]:
    """
    Return the model drawn from its rows, as ECharts ``graph`` data.

    Nodes (stages) are placed left to right by their distance from the entry; links (edges) are labelled
    with how a case moves.
    """
    stages = list(Stage.objects.filter(model=model).prefetch_related("teams").order_by("order", "id"))
    edges = list(StageEdge.objects.filter(model=model).order_by("order", "id"))
    depth: dict[int, int] = {}
    frontier = [e.target_id for e in edges if e.trigger == EdgeTrigger.ENTRY]
    for stage_id in frontier:
        depth[stage_id] = 0
    while frontier:
        nxt = []
        for stage_id in frontier:
            for edge in edges:
                if edge.source_id == stage_id and edge.target_id not in depth:
                    depth[edge.target_id] = depth[stage_id] + 1
                    nxt.append(edge.target_id)
        frontier = nxt
    rows: dict[int, int] = {}
    nodes = [
        {
            "name": "入口",
            "id": "entry",
            "x": 0,
            "y": 0,
            "symbol": "circle",
            "symbolSize": 30,
            "category": "entry",
            "value": "立案后进入流程",
        }
    ]
    for stage in stages:
        level = depth.get(stage.pk, max(depth.values(), default=0) + 1) + 1
        row = rows.get(level, 0)
        rows[level] = row + 1
        holder = (
            "、".join(t.name for t in stage.teams.all())
            if stage.holder == StageHolder.TEAM
            else stage.get_holder_display()
        )
        detail = f"{holder}；期限{_limit_text(stage.limit_amount, stage.limit_unit)}；积分{stage.points}"
        if stage.sideways_max:
            sideways = _limit_text(stage.sideways_limit_amount, stage.sideways_limit_unit)
            detail += f"；期满可横向移交{stage.sideways_max}次（{sideways}）"
        nodes.append(
            {
                "name": stage.name,
                "id": str(stage.pk),
                "x": level * 220,
                "y": row * 110,
                "symbolSize": 70 if stage.is_closing else 60,
                "category": "closing"
                if stage.is_closing
                else ("lift" if stage.holder != StageHolder.TEAM else "stage"),
                "value": detail,
            }
        )
    links = []
    for edge in edges:
        label = edge.label or edge.get_trigger_display()
        if edge.triage_class:
            label += "（简案）" if edge.triage_class == "simple" else "（繁案）"
        if edge.limit_amount is not None:
            label += f"，{_limit_text(edge.limit_amount, edge.limit_unit)}"
        links.append(
            {
                "source": str(edge.source_id) if edge.source_id else "entry",
                "target": str(edge.target_id),
                "trigger": edge.trigger,
                "label": label,
                "lineStyle": {"type": "dashed" if edge.trigger == EdgeTrigger.TIMEOUT else "solid"},
            }
        )
    return {"nodes": nodes, "links": links, "categories": ["entry", "stage", "lift", "closing"]}


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    """A node of the catalogue with the court's own setting."""

    node_type: NodeType
    setting: CourtNodeSetting | None

    @property
    def amount(self) -> int:
        """Return the period the court applies."""
        if self.setting is not None and self.setting.amount is not None:
            return self.setting.amount
        return self.node_type.amount

    @property
    def warn_days(self) -> int:
        """Return the warning lead the court applies."""
        if self.setting is not None and self.setting.warn_days is not None:
            return self.setting.warn_days
        return self.node_type.warn_days


def node_catalogue(*, court_id: int) -> list[CatalogueRow]:
    """Return the current node catalogue with ``court_id``'s settings (two queries)."""
    settings = {s.code: s for s in CourtNodeSetting.objects.filter(court_id=court_id)}
    return [CatalogueRow(t, settings.get(t.code)) for t in NodeType.objects.filter(is_current=True)]
