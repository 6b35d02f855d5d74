"""
繁简分流: which new cases go to the fast track (简案快执) and which to the full teams (繁案精执). Pure.

Basis: the practice of the demo courts — 温县法院 “简案快执、普案分段”: money cases that the first
inquiry shows can be paid in full go to the 快执组 (seed 002); 临沭法院 “审执衔接、简案速执”: the
速执团队 screens new cases for “已采取保全措施、被执行人高度配合” (seed 004, 二.2). 《人民法院第五个
五年改革纲要（2019—2023）》 asks for 执行案件繁简分流. The rules and the court's amount threshold are
data (``TriageRuleSet``); this module only decides from the facts it is given.

The decision, exactly (transparent, so that the page can show it):

- a **simplifying** rule speaks for the fast track: ``preservation_covers_claim``,
  ``amount_under_threshold``, ``debtor_cooperative``, ``assets_cover_claim``;
- a **complicating** rule speaks against it: ``debtor_has_other_cases`` (串案). A debtor with other
  open cases in the same court is handled with those cases on the complex track, by one team, so
  that controls, distributions among creditors and sanctions are not decided in two places;
- the result is **simple** when at least one enabled simplifying rule fires and no enabled
  complicating rule fires; otherwise it is **complex**. A disabled rule never fires.

A claim of 0.00 is a non-monetary obligation (行为类执行, e.g. 腾房): none of the amount rules speak for
it. “Under the threshold” means not above it (the threshold is the court's 小额案件标的额上限).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from zhixing.cases.choices import DebtorAttitude, TriageClass
from zhixing.core.money import format_amount


class TriageRule(StrEnum):
    """A rule of 繁简分流, by its stable code."""

    PRESERVATION_COVERS_CLAIM = "preservation_covers_claim"
    AMOUNT_UNDER_THRESHOLD = "amount_under_threshold"
    DEBTOR_COOPERATIVE = "debtor_cooperative"
    ASSETS_COVER_CLAIM = "assets_cover_claim"
    DEBTOR_HAS_OTHER_CASES = "debtor_has_other_cases"


#: The Chinese name of each rule, as the page and the rule-set form show it.
RULE_LABELS: Final[dict[TriageRule, str]] = {
    TriageRule.PRESERVATION_COVERS_CLAIM: "诉讼保全财产足以清偿标的",
    TriageRule.AMOUNT_UNDER_THRESHOLD: "小额案件（标的额不超过本院标准）",
    TriageRule.DEBTOR_COOPERATIVE: "被执行人愿意配合或已在履行",
    TriageRule.ASSETS_COVER_CLAIM: "首次查控发现的财产足以清偿标的",
    TriageRule.DEBTOR_HAS_OTHER_CASES: "被执行人在本院另有未结案件（串案）",
}
SIMPLIFYING: Final = frozenset(
    {
        TriageRule.PRESERVATION_COVERS_CLAIM,
        TriageRule.AMOUNT_UNDER_THRESHOLD,
        TriageRule.DEBTOR_COOPERATIVE,
        TriageRule.ASSETS_COVER_CLAIM,
    }
)
COMPLICATING: Final = frozenset({TriageRule.DEBTOR_HAS_OTHER_CASES})
ALL_RULES: Final[tuple[TriageRule, ...]] = tuple(TriageRule)
#: The built-in rule set of a court that has not set its own: every rule on, 小额 up to 50,000.00 元.
DEFAULT_AMOUNT_THRESHOLD: Final = Decimal("50000.00")
_COOPERATIVE: Final = frozenset({DebtorAttitude.COOPERATIVE, DebtorAttitude.PAYING})


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageFacts:
    """
    What triage decides on.

    ``preserved_amount`` is the sum of the carried preservations that have an amount;
    ``assets_found_amount`` stays ``None`` until the assets issue re-runs triage with the first
    inquiry's result; ``other_open_cases_of_debtors`` counts the other open cases in the same court
    in which any of this case's debtors is a debtor.
    """

    amount_claimed: Decimal
    amount_threshold: Decimal
    preserved_amount: Decimal
    debtor_attitude: str
    assets_found_amount: Decimal | None
    other_open_cases_of_debtors: int
    enabled_rules: frozenset[str] = field(default_factory=lambda: frozenset(ALL_RULES))

    def as_json(self) -> dict[str, Any]:
        """Return the facts as stored with the decision (amounts as text, rules sorted)."""
        return {
            "amount_claimed": f"{self.amount_claimed:.2f}",
            "amount_threshold": f"{self.amount_threshold:.2f}",
            "preserved_amount": f"{self.preserved_amount:.2f}",
            "debtor_attitude": str(self.debtor_attitude),
            "assets_found_amount": None if self.assets_found_amount is None else f"{self.assets_found_amount:.2f}",
            "other_open_cases_of_debtors": self.other_open_cases_of_debtors,
            "enabled_rules": sorted(str(rule) for rule in self.enabled_rules),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FiredRule:
    """A rule that fired: its code, Chinese name, the sentence with the numbers, and which way it pushes."""

    code: TriageRule
    label: str
    explanation: str
    simplifies: bool

    def as_json(self) -> dict[str, Any]:
        """Return the rule as stored with the decision."""
        return {
            "code": str(self.code),
            "label": self.label,
            "explanation": self.explanation,
            "simplifies": self.simplifies,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageDecision:
    """The class and every rule that fired, simplifying ones first, in the order of ``ALL_RULES``."""

    result: TriageClass
    fired: tuple[FiredRule, ...]


def _yuan(amount: Decimal) -> str:
    return f"{format_amount(amount)} 元"


def _fire(rule: TriageRule, explanation: str) -> FiredRule:
    return FiredRule(code=rule, label=RULE_LABELS[rule], explanation=explanation, simplifies=rule in SIMPLIFYING)


def _explanation(rule: TriageRule, facts: TriageFacts) -> str | None:
    """Return why ``rule`` fires on ``facts`` (with the numbers), or ``None`` when it does not."""
    claim = facts.amount_claimed
    monetary = claim > 0
    if rule is TriageRule.PRESERVATION_COVERS_CLAIM:
        if monetary and facts.preserved_amount >= claim:
            return f"保全财产 {format_amount(facts.preserved_amount)} 元足以清偿标的 {_yuan(claim)}"
        return None
    if rule is TriageRule.AMOUNT_UNDER_THRESHOLD:
        if monetary and claim <= facts.amount_threshold:
            return f"标的额 {_yuan(claim)}不超过本院小额标准 {_yuan(facts.amount_threshold)}"
        return None
    if rule is TriageRule.DEBTOR_COOPERATIVE:
        if facts.debtor_attitude in _COOPERATIVE:
            return f"被执行人履行态度：{DebtorAttitude(facts.debtor_attitude).label}"
        return None
    if rule is TriageRule.ASSETS_COVER_CLAIM:
        found = facts.assets_found_amount
        if monetary and found is not None and found >= claim:
            return f"首次查控发现财产 {format_amount(found)} 元足以清偿标的 {_yuan(claim)}"
        return None
    # TriageRule.DEBTOR_HAS_OTHER_CASES
    if facts.other_open_cases_of_debtors > 0:
        return f"被执行人在本院另有 {facts.other_open_cases_of_debtors} 件未结执行案件，串案一并按繁案办理"
    return None


def triage_decide(facts: TriageFacts) -> TriageDecision:
    """
    Classify a case as simple or complex from ``facts``, naming every enabled rule that fired.

    Simple when an enabled simplifying rule fires and no enabled complicating rule fires; complex
    otherwise (see the module's docstring). Never returns ``UNCLASSIFIED``.
    """
    fired = tuple(
        _fire(rule, explanation)
        for rule in ALL_RULES
        if rule in facts.enabled_rules and (explanation := _explanation(rule, facts)) is not None
    )
    simple = any(f.simplifies for f in fired) and not any(not f.simplifies for f in fired)
    return TriageDecision(result=TriageClass.SIMPLE if simple else TriageClass.COMPLEX, fired=fired)


def enabled_rules_problem(codes: list[str] | tuple[str, ...]) -> str | None:
    """Return why ``codes`` is not a valid list of enabled rules (unknown or repeated codes), or ``None``."""
    known = {rule.value for rule in TriageRule}
    unknown = [code for code in codes if code not in known]
    if unknown:
        return "未知的分流规则：" + "、".join(unknown)
    if len(set(codes)) != len(codes):
        return "分流规则重复"
    return None
