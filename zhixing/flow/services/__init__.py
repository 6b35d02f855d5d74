"""Writes of the flow app: every function is atomic (or runs in its caller's transaction) and audited."""

from zhixing.flow.services._bulk import flow_file_bulk
from zhixing.flow.services._digest import digest_raise
from zhixing.flow.services._models import preset_spec, routing_model_load_preset, routing_model_save
from zhixing.flow.services._nodes import (
    AnchorOutcome,
    node_anchor_record,
    node_complete,
    node_evidence_document,
    node_rule,
)
from zhixing.flow.services._period import period_extension_apply, period_extension_request
from zhixing.flow.services._routing import TimeoutOutcome, case_advance, flow_close, flow_enter, visit_assign
from zhixing.flow.services._settings import court_node_setting_set, ledger_entry_review, weekly_target_set
from zhixing.flow.services._sweep import SweepReport, flow_sweep

__all__ = [
    "AnchorOutcome",
    "SweepReport",
    "TimeoutOutcome",
    "case_advance",
    "court_node_setting_set",
    "digest_raise",
    "flow_close",
    "flow_enter",
    "flow_file_bulk",
    "flow_sweep",
    "ledger_entry_review",
    "node_anchor_record",
    "node_complete",
    "node_evidence_document",
    "node_rule",
    "period_extension_apply",
    "period_extension_request",
    "preset_spec",
    "routing_model_load_preset",
    "routing_model_save",
    "visit_assign",
    "weekly_target_set",
]
