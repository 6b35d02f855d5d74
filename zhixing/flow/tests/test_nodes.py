"""
Every node of DOMAIN.md's table: created at its anchor with its exact dates, completed only as the rule says.

Dates are chosen around the 2026 holidays (劳动节 1–5 May) so that the last-day rule shows where it applies.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from zhixing.cases.choices import CaseStatus
from zhixing.cases.services import case_document_generate, case_transition
from zhixing.core.errors import Conflict, NotAllowed, ValidationFailed
from zhixing.flow.models import CourtNodeSetting, NodeInstance, NodeType
from zhixing.flow.services import court_node_setting_set, node_anchor_record, node_complete

from .conftest import moment

APPLIED = date(2026, 3, 2)  # Monday
FILED = date(2026, 3, 5)  # Thursday


def _nodes(case) -> dict[str, NodeInstance]:
    return {node.key: node for node in NodeInstance.objects.filter(case=case).select_related("node_type")}


def _data(rows: list[dict]) -> list[dict]:
    """Return the parsed payloads of audit rows (what the service recorded, with before/after)."""
    return [json.loads(row["data"]) for row in rows]


def _dates(node: NodeInstance) -> tuple[date, date, date]:
    return node.anchor_on, node.due_on, node.warn_on


@pytest.fixture
def wenxian(demo, load_preset):
    load_preset("豫0825", "wenxian")
    return demo["豫0825"]


@pytest.fixture
def case(wenxian, file):
    return file("豫0825", "wx_lian", on=FILED, application_received_on=APPLIED)


def test_filing_creates_the_nodes_of_the_application_and_the_filing_with_their_exact_dates(case, staff):
    nodes = _nodes(case)
    assert set(nodes) == {
        "filing",
        "execution_notice",
        "network_inquiry",
        "termination_prep",
        "execution_period",
        "review_submission",
    }
    # 立案: 7 days from the application (2 March → 9 March), done by the filing itself
    filing = nodes["filing"]
    assert _dates(filing) == (APPLIED, date(2026, 3, 9), date(2026, 3, 7))
    assert (filing.status, filing.completed_at, filing.completed_by) == ("done", moment(FILED), staff("wx_lian"))
    assert (filing.evidence_kind, filing.evidence_note) == ("none", "立案登记")
    # 执行通知书和报告财产令: 10 days from receiving the application
    assert _dates(nodes["execution_notice"]) == (APPLIED, date(2026, 3, 12), date(2026, 3, 9))
    # 网络查控: 5 days from filing
    assert _dates(nodes["network_inquiry"]) == (FILED, date(2026, 3, 10), date(2026, 3, 8))
    # 终本材料: 3 months from filing (5 June, a Friday)
    assert _dates(nodes["termination_prep"]) == (FILED, date(2026, 6, 5), date(2026, 5, 29))
    # 执行期限: 6 months from filing, 5 September is a Saturday → Monday 7 September
    period = nodes["execution_period"]
    assert _dates(period) == (FILED, date(2026, 9, 7), date(2026, 8, 23))
    assert (period.amount, period.unit) == (6, "months")
    # 评查: one month before the period ends, warned 7 days before that
    review = nodes["review_submission"]
    assert _dates(review) == (date(2026, 9, 7), date(2026, 8, 7), date(2026, 7, 31))
    assert all(node.node_type.version == 1 and not node.court_tightened for node in nodes.values())
    assert {key for key, node in nodes.items() if node.status == "open"} == set(nodes) - {"filing"}


def test_a_non_litigation_basis_runs_three_months_and_the_review_date_counts_back_over_may_day(wenxian, file):
    case = file(
        "豫0825",
        "wx_lian",
        on=FILED,
        application_received_on=APPLIED,
        basis_kind="non_litigation",
        basis_issuing_body="焦作仲裁委员会",
        basis_document_number="（2026）焦仲裁字第12号",
    )
    nodes = _nodes(case)
    assert (nodes["execution_period"].amount, nodes["execution_period"].due_on) == (3, date(2026, 6, 5))
    # 5 May is in the 劳动节 holiday: a step to be taken before a date moves back to Thursday 30 April
    assert _dates(nodes["review_submission"]) == (date(2026, 6, 5), date(2026, 4, 30), date(2026, 4, 23))
    case.refresh_from_db()
    assert case.execution_period.ends_on == date(2026, 6, 5)


def test_a_clue_gets_seven_days_or_three_when_urgent_and_recording_it_twice_creates_one_node(case, audit_rows):
    at = moment(date(2026, 3, 16))
    first = node_anchor_record(case_id=case.pk, trigger="clue_received", ref="线索-1", at=at)
    assert first.nodes_created == ("clue_check:线索-1",)
    again = node_anchor_record(case_id=case.pk, trigger="clue_received", ref="线索-1", at=moment(date(2026, 3, 17)))
    assert again.nodes_created == ()
    urgent = node_anchor_record(case_id=case.pk, trigger="clue_received", ref="线索-2", urgent=True, at=at)
    assert urgent.nodes_created == ("clue_check:线索-2",)
    nodes = _nodes(case)
    normal, hurried = nodes["clue_check:线索-1"], nodes["clue_check:线索-2"]
    assert _dates(normal) == (date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 21))
    assert (normal.amount, normal.urgent) == (7, False)
    assert _dates(hurried) == (date(2026, 3, 16), date(2026, 3, 19), date(2026, 3, 17))
    assert (hurried.amount, hurried.urgent) == (3, True)
    assert NodeInstance.objects.filter(case=case, key__startswith="clue_check").count() == 2
    recorded = [d["nodes"] for d in _data(audit_rows("flow.anchor.recorded")) if d["trigger"] == "clue_received"]
    assert recorded == [["clue_check:线索-1"], [], ["clue_check:线索-2"]]


def test_a_repeated_event_without_its_reference_is_refused_and_records_nothing(case, audit_rows):
    before = len(audit_rows())
    with pytest.raises(ValidationFailed, match="须注明是哪一项"):
        node_anchor_record(case_id=case.pk, trigger="clue_received", at=moment(date(2026, 3, 16)))
    assert len(audit_rows()) == before
    assert not NodeInstance.objects.filter(case=case, key__startswith="clue_check").exists()


def test_the_reference_price_and_the_funds_run_thirty_days_with_the_last_day_rule(case):
    node_anchor_record(case_id=case.pk, trigger="property_seized", ref="查封-7", at=moment(date(2026, 3, 20)))
    node_anchor_record(case_id=case.pk, trigger="funds_received", ref="案款-3", at=moment(date(2026, 4, 1)))
    nodes = _nodes(case)
    # 20 March + 30 days = Sunday 19 April → Monday 20 April
    assert _dates(nodes["reference_price:查封-7"]) == (date(2026, 3, 20), date(2026, 4, 20), date(2026, 4, 15))
    # 1 April + 30 days = 1 May, 劳动节 (1–5 May) → Wednesday 6 May
    assert _dates(nodes["funds_disbursement:案款-3"]) == (date(2026, 4, 1), date(2026, 5, 6), date(2026, 5, 1))


def test_completion_is_refused_without_evidence_by_the_wrong_role_and_twice(case, staff, audit_rows):
    node = _nodes(case)["network_inquiry"]
    at = moment(date(2026, 3, 9))
    before = len(audit_rows())
    with pytest.raises(ValidationFailed, match="不少于10个字"):
        node_complete(node_id=node.pk, actor=staff("wx_chakong"), at=at, note="已查")
    with pytest.raises(NotAllowed, match="应由执行员、团队长完成"):
        node_complete(
            node_id=node.pk, actor=staff("wx_lian"), at=at, note="通过总对总系统发起网络查控，查询存款、车辆、不动产"
        )
    # a person of another court holds no role here
    with pytest.raises(NotAllowed):
        node_complete(
            node_id=node.pk,
            actor=staff("ls_jingzhi1"),
            at=at,
            note="通过总对总系统发起网络查控，查询存款、车辆、不动产",
        )
    node.refresh_from_db()
    assert (node.status, node.completed_at, node.completed_by_id, node.evidence_note) == ("open", None, None, "")
    assert len(audit_rows()) == before

    done = node_complete(
        node_id=node.pk, actor=staff("wx_chakong"), at=at, note="通过总对总系统发起网络查控，查询存款、车辆、不动产"
    )
    assert (done.status, done.completed_at, done.completed_by, done.evidence_kind) == (
        "done",
        at,
        staff("wx_chakong"),
        "note",
    )
    (row,) = _data(audit_rows("flow.node.completed"))
    assert (row["key"], row["late"], row["evidence"]) == ("network_inquiry", False, "note")
    with pytest.raises(Conflict, match="已完成，不能重复办理"):
        node_complete(
            node_id=node.pk, actor=staff("wx_chakong"), at=moment(date(2026, 3, 10)), note="再次登记网络查控的情况说明"
        )
    node.refresh_from_db()
    assert node.completed_at == at
    assert len(audit_rows("flow.node.completed")) == 1


def test_a_late_completion_is_recorded_as_late(case, staff, audit_rows):
    node = _nodes(case)["network_inquiry"]
    node_complete(node_id=node.pk, actor=staff("wx_chakong"), at=moment(date(2026, 3, 11)), measure_ref="冻结-2026-001")
    (row,) = _data(audit_rows("flow.node.completed"))
    assert (row["late"], row["evidence"], row["measure"]) == (True, "measure", "冻结-2026-001")


def test_no_node_of_a_closed_case_can_be_completed(case, staff, audit_rows):
    clerk = staff("wx_lian")
    case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=clerk, at=moment(date(2026, 3, 6)), reason="移送执行")
    case_transition(
        case=case, to=CaseStatus.CLOSED, actor=clerk, at=moment(date(2026, 3, 8)), reason="被执行人已全部履行"
    )
    nodes = _nodes(case)
    assert {key: node.status for key, node in nodes.items()} == {
        "filing": "done",
        "execution_notice": "cancelled",
        "network_inquiry": "cancelled",
        "termination_prep": "cancelled",
        "execution_period": "done",
        "review_submission": "cancelled",
    }
    assert nodes["network_inquiry"].cancelled_reason == "案件已结案"
    before = len(audit_rows())
    with pytest.raises(Conflict, match="已结案或已撤回"):
        node_complete(
            node_id=nodes["network_inquiry"].pk, actor=staff("wx_chakong"), at=moment(date(2026, 3, 9)),
            note="通过总对总系统发起网络查控，查询存款、车辆、不动产",
        )  # fmt: skip
    with pytest.raises(Conflict):
        node_anchor_record(case_id=case.pk, trigger="clue_received", ref="线索-9", at=moment(date(2026, 3, 9)))
    assert len(audit_rows()) == before
    assert NodeInstance.objects.get(pk=nodes["network_inquiry"].pk).status == "cancelled"


def test_the_notice_node_completes_only_when_both_documents_exist(case, staff, audit_rows):
    executor = staff("wx_chakong")
    node = _nodes(case)["execution_notice"]
    (notice,) = case_document_generate(
        case=case, template_code="execution_notice", actor=executor, at=moment(date(2026, 3, 6))
    )
    node.refresh_from_db()
    assert node.status == "open"
    # a work note is no evidence for a document node, and one of the two documents is not enough
    with pytest.raises(ValidationFailed, match="须以文书为凭据"):
        node_complete(
            node_id=node.pk, actor=executor, at=moment(date(2026, 3, 6)), note="已经邮寄送达执行通知书给被执行人"
        )
    with pytest.raises(ValidationFailed, match="还缺少：报告财产令"):
        node_complete(node_id=node.pk, actor=executor, at=moment(date(2026, 3, 6)), document_id=notice.pk)
    assert audit_rows("flow.node.completed") == []

    (order,) = case_document_generate(
        case=case, template_code="property_report_order", actor=executor, at=moment(date(2026, 3, 7))
    )
    node.refresh_from_db()
    assert (node.status, node.completed_at, node.completed_by, node.evidence_kind, node.evidence_document_id) == (
        "done",
        moment(date(2026, 3, 7)),
        executor,
        "document",
        order.pk,
    )
    (row,) = _data(audit_rows("flow.node.completed"))
    assert row == {
        "node": "execution_notice",
        "key": "execution_notice",
        "due_on": "2026-03-12",
        "late": False,
        "evidence": "document",
        "document_id": order.pk,
        "automatic": True,
    }


def test_a_tighter_court_setting_applies_to_new_nodes_only_and_a_looser_one_is_refused(
    wenxian, case, file, staff, audit_rows
):
    admin = staff("wx_admin")
    before = len(audit_rows())
    with pytest.raises(ValidationFailed, match="法定期限为10日，本院只能设定更短的期限"):
        court_node_setting_set(
            court=wenxian, code="execution_notice", amount=15, warn_days=None, actor=admin, at=moment(date(2026, 3, 6))
        )
    assert not CourtNodeSetting.objects.exists()
    assert len(audit_rows()) == before

    setting = court_node_setting_set(
        court=wenxian, code="execution_notice", amount=3, warn_days=1, actor=admin, at=moment(date(2026, 3, 6))
    )
    assert (setting.amount, setting.warn_days, setting.changed_by) == (3, 1, admin)
    (row,) = _data(audit_rows("flow.node_setting.changed"))
    assert (row["before"], row["after"]) == ({"amount": None, "warn_days": None}, {"amount": 3, "warn_days": 1})

    old = NodeInstance.objects.get(case=case, key="execution_notice")
    assert (old.amount, old.due_on, old.warn_on, old.court_tightened) == (
        10,
        date(2026, 3, 12),
        date(2026, 3, 9),
        False,
    )
    new_case = file(
        "豫0825", "wx_lian", on=date(2026, 3, 10), application_received_on=date(2026, 3, 9),
        basis_document_number="（2025）豫0825民初200号",
    )  # fmt: skip
    new = NodeInstance.objects.get(case=new_case, key="execution_notice")
    assert (new.amount, new.due_on, new.warn_on, new.court_tightened) == (3, date(2026, 3, 12), date(2026, 3, 11), True)
    # the other court is untouched
    other = file("鲁1329", "ls_lian", on=date(2026, 3, 10), application_received_on=date(2026, 3, 9))
    assert NodeInstance.objects.get(case=other, key="execution_notice").due_on == date(2026, 3, 19)


def test_a_node_keeps_the_rule_version_it_was_created_with(wenxian, case, file):
    v1 = NodeType.objects.get(code="network_inquiry", is_current=True)
    NodeType.objects.filter(pk=v1.pk).update(is_current=False)
    fields = {f.name: getattr(v1, f.name) for f in NodeType._meta.concrete_fields if f.name not in ("id", "version")}
    v2 = NodeType.objects.create(**{**fields, "version": 2, "is_current": True, "amount": 3})
    old = NodeInstance.objects.get(case=case, key="network_inquiry")
    assert (old.node_type_id, old.amount, old.due_on, old.warn_on) == (v1.pk, 5, date(2026, 3, 10), date(2026, 3, 8))
    later = file(
        "豫0825", "wx_lian", on=date(2026, 3, 10), application_received_on=date(2026, 3, 9),
        basis_document_number="（2025）豫0825民初300号",
    )  # fmt: skip
    new = NodeInstance.objects.get(case=later, key="network_inquiry")
    assert (new.node_type_id, new.amount, new.due_on) == (v2.pk, 3, date(2026, 3, 13))
    old.refresh_from_db()
    assert (old.node_type_id, old.amount, old.due_on, old.warn_on) == (v1.pk, 5, date(2026, 3, 10), date(2026, 3, 8))
