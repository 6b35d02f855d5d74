"""Reads of the flow app (see the private modules)."""

from zhixing.flow.selectors._board import (
    BoardRow,
    battle_chart,
    ledger_entries,
    my_open_nodes,
    points_balances,
    week_bounds,
)
from zhixing.flow.selectors._models import (
    CatalogueRow,
    node_catalogue,
    routing_model_current,
    routing_model_diagram,
    routing_model_versions,
)
from zhixing.flow.selectors._progress import NodeRow, Progress, VisitRow, case_progress

__all__ = [
    "BoardRow",
    "CatalogueRow",
    "NodeRow",
    "Progress",
    "VisitRow",
    "battle_chart",
    "case_progress",
    "ledger_entries",
    "my_open_nodes",
    "node_catalogue",
    "points_balances",
    "routing_model_current",
    "routing_model_diagram",
    "routing_model_versions",
    "week_bounds",
]
