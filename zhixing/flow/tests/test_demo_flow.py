"""
The demo as ``make run`` seeds it, with the demo date fixed.

Courts (seed_demo), routing models (seed_demo_flow), a living docket (seed_demo_cases): cases in several
stages, work on record, overdue nodes, alerts, the ledger, points; and seeding again changes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Sum

from zhixing.audit.verify import chain_verify
from zhixing.cases.models import Case
from zhixing.core.models import Alert
from zhixing.courts.models import Court, Membership
from zhixing.flow.models import (
    CaseFlow,
    ExecutionPeriod,
    NodeInstance,
    OverdueLedgerEntry,
    PointsEntry,
    RoutingModel,
    StageVisit,
)
from zhixing.flow.selectors import case_progress

DEMO_DAY = date(2026, 11, 23)
PRESETS = {"豫0825": "wenxian", "豫0823": "spc-segmented", "鲁1329": "linshu"}


def _seed() -> None:
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    call_command("seed_demo_flow", verbosity=0)
    call_command("seed_demo_cases", cases=60, today=DEMO_DAY, verbosity=0)


def _state() -> dict[str, object]:
    """Everything seeding writes, counted (and the audit log by its last record)."""
    audit = apps.get_model("audit", "AuditRecord")
    counted = {
        model.__name__: model.objects.count()
        for model in (
            Case,
            CaseFlow,
            StageVisit,
            NodeInstance,
            ExecutionPeriod,
            OverdueLedgerEntry,
            PointsEntry,
            RoutingModel,
            Alert,
        )
    }
    counted["done"] = NodeInstance.objects.filter(status="done").count()
    counted["audit"] = list(audit.objects.values("chain").annotate(n=Count("id")).order_by("chain"))
    return counted


@pytest.fixture
def seeded(db):
    from zhixing.flow.catalogue import catalogue_sync
    from zhixing.flow.models import NodeType

    catalogue_sync(NodeType)
    _seed()
    return {court.code: court for court in Court.objects.filter(code__in=PRESETS)}


def test_every_demo_court_has_its_model_and_cases_in_several_stages(seeded):
    for code, court in seeded.items():
        model = RoutingModel.objects.get(court=court, is_current=True)
        assert (model.preset, model.version) == (PRESETS[code], 1)
        assert Case.objects.filter(court=court).count() == 60
        stages = set(StageVisit.objects.filter(court=court, left_at__isnull=True).values_list("stage__code", flat=True))
        assert len(stages) >= 2, (code, stages)
        # every open case is in the flow; a closed or withdrawn one has left it
        open_cases = Case.objects.filter(court=court).exclude(status__in=("closed", "withdrawn"))
        assert StageVisit.objects.filter(court=court, left_at__isnull=True).count() == open_cases.count()
        assert not StageVisit.objects.filter(court=court, left_at__isnull=True, case__status="closed").exists()
    # the stages a case can reach by one timeout are on screen
    assert {"kuaizhi", "puzhi"} <= set(
        StageVisit.objects.filter(court=seeded["豫0825"], left_at__isnull=True).values_list("stage__code", flat=True)
    )
    assert "chakong" in set(
        StageVisit.objects.filter(court=seeded["豫0823"], left_at__isnull=True).values_list("stage__code", flat=True)
    )


def test_the_docket_has_work_on_record_overdue_nodes_alerts_ledger_entries_and_points(seeded):
    for code, court in seeded.items():
        inquiries = NodeInstance.objects.filter(court=court, key="network_inquiry")
        done = list(inquiries.filter(status="done").select_related("case", "completed_by"))
        old = inquiries.filter(due_on__lt=DEMO_DAY).exclude(status="cancelled").count()
        assert len(done) > old / 2, (code, len(done), old)  # most of the inquiries that fell due are on record
        for node in done:
            assert node.evidence_kind == "note"
            assert len(node.evidence_note) >= 10
            assert node.completed_at.date() > node.anchor_on or node.evidence_note.startswith("补录：")
            roles = set(Membership.objects.filter(court=court, user=node.completed_by).values_list("role", flat=True))
            assert roles & {"executor", "team_leader"}, node.completed_by
        assert any(node.completed_at.date() > node.due_on for node in done)  # some late, as on a real docket
        notices = NodeInstance.objects.filter(court=court, key="execution_notice", status="done")
        assert notices.count() >= 1
        assert all(node.evidence_kind == "document" for node in notices)

        assert NodeInstance.objects.filter(court=court, status="open", overdue_at__isnull=False).exists()
        assert Alert.objects.filter(court=court, kind="flow.node_overdue").exists()
        assert Alert.objects.filter(court=court, kind="flow.assign_executor").exists()
        # cases received more than six months before the demo day and still open are in the ledger
        entries = OverdueLedgerEntry.objects.filter(court=court).select_related("case")
        assert entries.exists()
        assert all(entry.case.application_received_on < date(2026, 5, 23) for entry in entries)
        assert all(entry.case.status not in ("closed", "withdrawn") for entry in entries)
        assert Alert.objects.filter(court=court, kind="flow.overdue_ledger").count() == entries.count()
        # stages that ran out moved their points on: the ledger balances
        assert PointsEntry.objects.filter(court=court).exists()
        assert PointsEntry.objects.filter(court=court).aggregate(s=Sum("points"))["s"] == 0
    assert chain_verify().ok


def test_a_case_progress_table_tells_its_story(seeded):
    node = (
        NodeInstance.objects.filter(court=seeded["鲁1329"], key="network_inquiry", status="done")
        .select_related("case")
        .order_by("-case__filed_on")
        .first()
    )
    progress = case_progress(case=node.case, today=DEMO_DAY)
    row = next(r for r in progress.nodes if r.key == "network_inquiry")
    assert row.state in ("done", "done_late")
    assert row.evidence == node.evidence_note
    assert (progress.in_flow, progress.model_version) == (True, 1)
    assert progress.visits
    assert progress.period is not None


def test_seeding_again_changes_nothing(seeded):
    before = _state()
    _seed()
    assert _state() == before
