"""Triage services: running the rules on a case, overriding, the court's rule-set versions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhixing.cases.choices import CaseStatus, ControlKind, DebtorAttitude, PartyKind, TriageClass
from zhixing.cases.models import Case, CaseTriage, Preservation, TriageRuleSet
from zhixing.cases.selectors import triage_rule_set_current
from zhixing.cases.services import (
    case_transition,
    case_triage_override,
    case_triage_run,
    party_register,
    triage_rule_set_change,
)
from zhixing.core.errors import ValidationFailed
from zhixing.courts.choices import Role


def preserve(case, amount, *, active_to=date(2027, 6, 1), at=None):
    return Preservation.objects.create(
        case=case,
        kind=ControlKind.FREEZE,
        property_description="银行存款",
        location="温县农商行",
        amount=amount,
        active_from=date(2026, 6, 1),
        active_to=active_to,
        created_at=at or case.created_at,
    )


def test_run_records_decision_and_sets_class(courts, file_case, at, audit_rows):
    case = file_case(courts.wenxian)
    preserve(case, Decimal("120000.00"))
    preserve(case, None)
    triage = case_triage_run(case=case, actor=None, at=at)
    case.refresh_from_db()
    assert case.triage_class == TriageClass.SIMPLE
    assert triage.result == TriageClass.SIMPLE
    assert triage.rule_set is None
    assert triage.fired_rules == [
        {
            "code": "preservation_covers_claim",
            "label": "诉讼保全财产足以清偿标的",
            "explanation": "保全财产 120,000.00 元足以清偿标的 100,000.00 元",
            "simplifies": True,
        }
    ]
    assert triage.facts["preserved_amount"] == "120000.00"
    assert triage.facts["assets_found_amount"] is None
    rows = audit_rows("cases.triage.decided")
    assert len(rows) == 1
    assert rows[0]["case_id"] == case.pk


def test_expired_preservation_does_not_count(courts, file_case, at):
    case = file_case(courts.wenxian)
    preserve(case, Decimal("500000.00"), active_to=date(2026, 11, 23))
    triage = case_triage_run(case=case, actor=None, at=at)
    assert triage.facts["preserved_amount"] == "0.00"
    assert triage.result == TriageClass.COMPLEX


def test_debtor_other_open_cases_in_same_court_only(courts, file_case, at, debtor):
    first = file_case(courts.wenxian)
    file_case(courts.wuzhi)  # another court: not counted
    closed = file_case(courts.wenxian)
    case_transition(case=closed, to=CaseStatus.DEFERRED, actor=None, at=at, reason="暂缓")
    case_transition(case=closed, to=CaseStatus.WITHDRAWN, actor=None, at=at, reason="撤回申请")
    other = party_register(kind=PartyKind.NATURAL_PERSON, name="李四", actor=None, at=at)
    file_case(courts.wenxian, debtors=[other])  # a different debtor: not counted
    case = file_case(courts.wenxian, amount_claimed=Decimal("1000.00"))
    triage = case_triage_run(case=case, actor=None, at=at)
    assert triage.facts["other_open_cases_of_debtors"] == 1
    assert triage.result == TriageClass.COMPLEX
    assert [rule["code"] for rule in triage.fired_rules] == ["amount_under_threshold", "debtor_has_other_cases"]
    assert first.pk != case.pk


def test_run_query_count_does_not_grow_with_rows(courts, file_case, at):
    case = file_case(courts.wenxian)
    for n in range(5):
        preserve(case, Decimal(n))
    for _ in range(3):
        file_case(courts.wenxian)
    with CaptureQueriesContext(connection) as queries:
        case_triage_run(case=case, actor=None, at=at)
    first = len(queries)
    case.debtor_attitude = DebtorAttitude.PAYING
    case.save(update_fields=["debtor_attitude"])
    for n in range(5):
        preserve(case, Decimal(n))
    file_case(courts.wenxian)
    with CaptureQueriesContext(connection) as queries:
        case_triage_run(case=case, actor=None, at=at)
    assert len(queries) == first


def test_rerun_on_same_facts_records_nothing(courts, file_case, at, audit_rows):
    case = file_case(courts.wenxian)
    first = case_triage_run(case=case, actor=None, at=at)
    again = case_triage_run(case=case, actor=None, at=at + timedelta(hours=1))
    assert again.pk == first.pk
    assert CaseTriage.objects.filter(case=case).count() == 1
    assert len(audit_rows("cases.triage.decided")) == 1


def test_rerun_with_assets_found_records_new_decision(courts, file_case, at):
    case = file_case(courts.wenxian)
    case_triage_run(case=case, actor=None, at=at)
    triage = case_triage_run(case=case, actor=None, at=at, assets_found_amount=Decimal("100000.00"))
    case.refresh_from_db()
    assert case.triage_class == TriageClass.SIMPLE
    assert [rule["code"] for rule in triage.fired_rules] == ["assets_cover_claim"]
    assert CaseTriage.objects.filter(case=case).count() == 2


def test_override_records_reason_and_audits(courts, file_case, at, make_staff, audit_rows):
    leader = make_staff(courts.wenxian, Role.TEAM_LEADER)
    case = file_case(courts.wenxian)
    run = case_triage_run(case=case, actor=None, at=at)
    triage = case_triage_override(
        case=case, result=TriageClass.SIMPLE, reason=" 被执行人已当庭表示一次性履行 ", actor=leader, at=at
    )
    case.refresh_from_db()
    assert case.triage_class == TriageClass.SIMPLE
    assert triage.is_override is True
    assert triage.override_reason == "被执行人已当庭表示一次性履行"
    assert triage.facts == run.facts
    rows = audit_rows("cases.triage.overridden")
    assert len(rows) == 1
    assert rows[0]["actor_id"] == leader.pk
    assert '"before":{"triage_class":"complex"}' in rows[0]["data"]
    assert '"after":{"triage_class":"simple"}' in rows[0]["data"]


def test_override_stands_on_rerun_with_same_facts_until_facts_change(courts, file_case, at):
    case = file_case(courts.wenxian)
    case_triage_run(case=case, actor=None, at=at)
    override = case_triage_override(case=case, result=TriageClass.SIMPLE, reason="配合", actor=None, at=at)
    assert case_triage_run(case=case, actor=None, at=at).pk == override.pk
    case.refresh_from_db()
    assert case.triage_class == TriageClass.SIMPLE
    case_triage_run(case=case, actor=None, at=at, assets_found_amount=Decimal("10.00"))
    case.refresh_from_db()
    assert case.triage_class == TriageClass.COMPLEX


@pytest.mark.parametrize(
    ("result", "reason", "fields"),
    [
        (TriageClass.SIMPLE, "  ", {"reason": "请填写调整分流结果的理由"}),
        (TriageClass.UNCLASSIFIED, "理由", {"result": "请选择简案或繁案"}),
        (TriageClass.COMPLEX, "理由", {"result": "案件（2026）豫0825执1号已是繁案，无需调整"}),
    ],
)
def test_override_refused_changes_nothing(courts, file_case, at, audit_rows, result, reason, fields):
    case = file_case(courts.wenxian)
    case_triage_run(case=case, actor=None, at=at)
    with pytest.raises(ValidationFailed) as error:
        case_triage_override(case=case, result=result, reason=reason, actor=None, at=at)
    assert error.value.fields == fields
    case.refresh_from_db()
    assert case.triage_class == TriageClass.COMPLEX
    assert CaseTriage.objects.filter(case=case).count() == 1
    assert audit_rows("cases.triage.overridden") == []


def test_default_rule_set_is_labelled(courts):
    current = triage_rule_set_current(court=courts.wenxian, on=date(2026, 11, 23))
    assert current.is_default is True
    assert current.label == "系统默认规则（本院尚未设置）"
    assert current.amount_threshold == Decimal("50000.00")
    assert len(current.enabled_rules) == 5


def test_rule_set_change_versions_and_applies_from_date(courts, make_staff, at, audit_rows):
    chief = make_staff(courts.wenxian, Role.BUREAU_CHIEF)
    first = triage_rule_set_change(
        court=courts.wenxian,
        amount_threshold=Decimal("30000.00"),
        enabled_rules=["amount_under_threshold"],
        effective_from=date(2026, 11, 23),
        actor=chief,
        at=at,
    )
    second = triage_rule_set_change(
        court=courts.wenxian,
        amount_threshold=Decimal("80000.00"),
        enabled_rules=["amount_under_threshold", "debtor_cooperative"],
        effective_from=date(2026, 12, 1),
        actor=chief,
        at=at,
    )
    assert (first.version, second.version) == (1, 2)
    today = triage_rule_set_current(court=courts.wenxian, on=date(2026, 11, 30))
    assert (today.version, today.amount_threshold, today.label) == (
        1,
        Decimal("30000.00"),
        "第1版（2026年11月23日起施行）",
    )
    assert triage_rule_set_current(court=courts.wenxian, on=date(2026, 12, 1)).version == 2
    assert triage_rule_set_current(court=courts.wuzhi, on=date(2026, 12, 1)).is_default
    assert [row["court_id"] for row in audit_rows("cases.triage_rules.changed")] == [courts.wenxian.pk] * 2


def test_run_uses_the_court_rule_set(courts, file_case, make_staff, at):
    triage_rule_set_change(
        court=courts.wenxian,
        amount_threshold=Decimal("100000.00"),
        enabled_rules=["amount_under_threshold"],
        effective_from=date(2026, 11, 23),
        actor=None,
        at=at,
    )
    case = file_case(courts.wenxian)
    triage = case_triage_run(case=case, actor=None, at=at)
    assert triage.rule_set.version == 1
    assert triage.result == TriageClass.SIMPLE
    assert triage.fired_rules[0]["explanation"] == "标的额 100,000.00 元不超过本院小额标准 100,000.00 元"


@pytest.mark.parametrize(
    ("threshold", "rules", "effective", "field"),
    [
        (Decimal("0"), [], date(2026, 12, 1), "amount_threshold"),
        (Decimal("1.001"), [], date(2026, 12, 1), "amount_threshold"),
        ("50000", [], date(2026, 12, 1), "amount_threshold"),
        (Decimal("1"), ["nope"], date(2026, 12, 1), "enabled_rules"),
        (Decimal("1"), [], date(2026, 11, 22), "effective_from"),
        (Decimal("1"), [], None, "effective_from"),
    ],
)
def test_rule_set_change_refused_saves_nothing(courts, at, audit_rows, threshold, rules, effective, field):
    with pytest.raises(ValidationFailed) as error:
        triage_rule_set_change(
            court=courts.wenxian,
            amount_threshold=threshold,
            enabled_rules=rules,
            effective_from=effective,
            actor=None,
            at=at,
        )
    assert list(error.value.fields) == [field]
    assert TriageRuleSet.objects.count() == 0
    assert audit_rows("cases.triage_rules.changed") == []


def test_case_model_untouched_by_facts(courts, file_case, at):
    case = file_case(courts.wenxian)
    before = Case.objects.values("amount_claimed", "status").get(pk=case.pk)
    case_triage_run(case=case, actor=None, at=at)
    assert Case.objects.values("amount_claimed", "status").get(pk=case.pk) == before
