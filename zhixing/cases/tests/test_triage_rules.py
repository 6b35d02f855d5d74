"""The pure triage rules: each rule with its numbers, the decision, and monotonic properties (Hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhixing.cases.choices import DebtorAttitude, TriageClass
from zhixing.cases.rules.triage import (
    ALL_RULES,
    SIMPLIFYING,
    TriageFacts,
    TriageRule,
    enabled_rules_problem,
    triage_decide,
)


def facts(**overrides: object) -> TriageFacts:
    fields: dict[str, object] = {
        "amount_claimed": Decimal("100000.00"),
        "amount_threshold": Decimal("50000.00"),
        "preserved_amount": Decimal("0.00"),
        "debtor_attitude": DebtorAttitude.UNKNOWN,
        "assets_found_amount": None,
        "other_open_cases_of_debtors": 0,
    }
    fields.update(overrides)
    return TriageFacts(**fields)


def codes(decision) -> list[str]:
    return [str(rule.code) for rule in decision.fired]


def test_no_rule_fires_complex():
    decision = triage_decide(facts())
    assert decision.result == TriageClass.COMPLEX
    assert decision.fired == ()


def test_preservation_covers_claim_explains_numbers():
    decision = triage_decide(facts(preserved_amount=Decimal("120000.00")))
    assert decision.result == TriageClass.SIMPLE
    assert codes(decision) == ["preservation_covers_claim"]
    assert decision.fired[0].label == "诉讼保全财产足以清偿标的"
    assert decision.fired[0].explanation == "保全财产 120,000.00 元足以清偿标的 100,000.00 元"


def test_preservation_just_short_does_not_fire():
    assert codes(triage_decide(facts(preserved_amount=Decimal("99999.99")))) == []


def test_amount_under_threshold_inclusive():
    decision = triage_decide(facts(amount_claimed=Decimal("50000.00")))
    assert codes(decision) == ["amount_under_threshold"]
    assert decision.fired[0].explanation == "标的额 50,000.00 元不超过本院小额标准 50,000.00 元"
    assert codes(triage_decide(facts(amount_claimed=Decimal("50000.01")))) == []


def test_debtor_cooperative_or_paying():
    for attitude, label in ((DebtorAttitude.COOPERATIVE, "愿意配合履行"), (DebtorAttitude.PAYING, "已在履行")):
        decision = triage_decide(facts(debtor_attitude=attitude))
        assert decision.result == TriageClass.SIMPLE
        assert decision.fired[0].explanation == f"被执行人履行态度：{label}"
    assert codes(triage_decide(facts(debtor_attitude=DebtorAttitude.EVASIVE))) == []


def test_assets_cover_claim_only_when_known():
    assert codes(triage_decide(facts(assets_found_amount=None))) == []
    decision = triage_decide(facts(assets_found_amount=Decimal("100000.00")))
    assert codes(decision) == ["assets_cover_claim"]
    assert decision.fired[0].explanation == "首次查控发现财产 100,000.00 元足以清偿标的 100,000.00 元"


def test_other_cases_make_complex_even_when_simplifying_rules_fire():
    decision = triage_decide(
        facts(
            preserved_amount=Decimal("200000.00"), debtor_attitude=DebtorAttitude.PAYING, other_open_cases_of_debtors=2
        )
    )
    assert decision.result == TriageClass.COMPLEX
    assert codes(decision) == ["preservation_covers_claim", "debtor_cooperative", "debtor_has_other_cases"]
    assert decision.fired[-1].simplifies is False
    assert decision.fired[-1].explanation == "被执行人在本院另有 2 件未结执行案件，串案一并按繁案办理"


def test_disabled_rules_never_fire():
    decision = triage_decide(
        facts(
            preserved_amount=Decimal("200000.00"),
            other_open_cases_of_debtors=1,
            enabled_rules=frozenset({"amount_under_threshold"}),
        )
    )
    assert decision.fired == ()
    assert decision.result == TriageClass.COMPLEX


def test_zero_claim_is_not_covered_or_small():
    decision = triage_decide(facts(amount_claimed=Decimal("0.00"), assets_found_amount=Decimal("0.00")))
    assert decision.fired == ()


def test_facts_as_json():
    assert facts(assets_found_amount=Decimal("5")).as_json() == {
        "amount_claimed": "100000.00",
        "amount_threshold": "50000.00",
        "preserved_amount": "0.00",
        "debtor_attitude": "unknown",
        "assets_found_amount": "5.00",
        "other_open_cases_of_debtors": 0,
        "enabled_rules": sorted(str(r) for r in ALL_RULES),
    }


def test_enabled_rules_problem():
    assert enabled_rules_problem(["amount_under_threshold"]) is None
    assert enabled_rules_problem([]) is None
    assert enabled_rules_problem(["nope"]) == "未知的分流规则：nope"
    assert enabled_rules_problem(["debtor_cooperative", "debtor_cooperative"]) == "分流规则重复"


# --- Properties ---------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
rule_sets = st.frozensets(st.sampled_from([str(r) for r in TriageRule]))
any_facts = st.builds(
    TriageFacts,
    amount_claimed=amounts,
    amount_threshold=amounts,
    preserved_amount=amounts,
    debtor_attitude=st.sampled_from(list(DebtorAttitude)),
    assets_found_amount=st.none() | amounts,
    other_open_cases_of_debtors=st.integers(min_value=0, max_value=50),
    enabled_rules=rule_sets,
)


@given(any_facts, amounts)
def test_more_preserved_never_turns_simple_into_complex(base, extra):
    if triage_decide(base).result == TriageClass.SIMPLE:
        raised = replace(base, preserved_amount=base.preserved_amount + extra)
        assert triage_decide(raised).result == TriageClass.SIMPLE


@given(any_facts, amounts)
def test_more_assets_found_never_turns_simple_into_complex(base, found):
    if triage_decide(base).result == TriageClass.SIMPLE:
        known = found if base.assets_found_amount is None else base.assets_found_amount + found
        assert triage_decide(replace(base, assets_found_amount=known)).result == TriageClass.SIMPLE


@given(any_facts, amounts)
def test_higher_threshold_never_turns_simple_into_complex(base, extra):
    if triage_decide(base).result == TriageClass.SIMPLE:
        raised = replace(base, amount_threshold=base.amount_threshold + extra)
        assert triage_decide(raised).result == TriageClass.SIMPLE


@given(any_facts, st.integers(min_value=0, max_value=50))
def test_more_other_cases_never_turns_complex_into_simple(base, extra):
    if triage_decide(base).result == TriageClass.COMPLEX:
        more = replace(base, other_open_cases_of_debtors=base.other_open_cases_of_debtors + extra)
        assert triage_decide(more).result == TriageClass.COMPLEX


@given(any_facts, st.sampled_from(sorted(SIMPLIFYING)))
def test_disabling_a_simplifying_rule_never_turns_complex_into_simple(base, rule):
    if triage_decide(base).result == TriageClass.COMPLEX:
        fewer = replace(base, enabled_rules=base.enabled_rules - {str(rule)})
        assert triage_decide(fewer).result == TriageClass.COMPLEX


@given(any_facts)
def test_result_is_exactly_the_documented_rule(base):
    decision = triage_decide(base)
    simplifying = [f for f in decision.fired if f.simplifies]
    complicating = [f for f in decision.fired if not f.simplifies]
    expected = TriageClass.SIMPLE if simplifying and not complicating else TriageClass.COMPLEX
    assert decision.result == expected
    assert all(str(f.code) in base.enabled_rules for f in decision.fired)
