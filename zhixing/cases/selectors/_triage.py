"""Reads of 繁简分流: the court's current rule set, the facts of a case, and the case's triage panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import Http404

from zhixing.cases.choices import CaseStatus, DebtorAttitude, PartyRole, TriageClass
from zhixing.cases.models import Case, CaseParty, CaseTriage, Preservation, TriageRuleSet
from zhixing.cases.rules.triage import ALL_RULES, DEFAULT_AMOUNT_THRESHOLD, RULE_LABELS, TriageFacts
from zhixing.core.money import format_amount
from zhixing.courts.access import CourtScope
from zhixing.courts.rules import Capability

#: The statuses of a case that is still open (串案 counts only these).
OPEN_STATUSES = (CaseStatus.FILED, CaseStatus.DEFERRED, CaseStatus.IN_EXECUTION, CaseStatus.SUSPENDED)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSetView:
    """A court's rule set as used and shown: a stored version, or the built-in default (``id`` None)."""

    id: int | None
    version: int | None
    effective_from: date | None
    amount_threshold: Decimal
    enabled_rules: tuple[str, ...]
    created_by: str
    created_at: datetime | None

    @property
    def is_default(self) -> bool:
        """Return whether this is the built-in default, not a version the court set."""
        return self.id is None

    @property
    def label(self) -> str:
        """Return how the page names it: ``第3版（2026年12月1日起）`` or ``系统默认规则``."""
        if self.version is None or self.effective_from is None:
            return "系统默认规则（本院尚未设置）"
        on = self.effective_from
        return f"第{self.version}版（{on.year}年{on.month}月{on.day}日起施行）"

    @property
    def rules(self) -> list[tuple[str, str, bool]]:
        """Return (code, Chinese name, enabled) for every rule, in the decision's order."""
        return [(str(rule), RULE_LABELS[rule], str(rule) in self.enabled_rules) for rule in ALL_RULES]


DEFAULT_RULE_SET = RuleSetView(
    id=None,
    version=None,
    effective_from=None,
    amount_threshold=DEFAULT_AMOUNT_THRESHOLD,
    enabled_rules=tuple(str(rule) for rule in ALL_RULES),
    created_by="系统",
    created_at=None,
)


def _view(row: TriageRuleSet) -> RuleSetView:
    by = row.created_by
    return RuleSetView(
        id=row.pk,
        version=row.version,
        effective_from=row.effective_from,
        amount_threshold=row.amount_threshold,
        enabled_rules=tuple(row.enabled_rules),
        created_by=(by.get_full_name() or by.get_username()) if by is not None else "系统",
        created_at=row.created_at,
    )


def triage_rule_set_current(*, court: Any, on: date) -> RuleSetView:
    """
    Return the rule set ``court`` applies on ``on``: the version in force that day, else the built-in default.

    The version in force is the one with the latest ``effective_from`` not after ``on`` (the higher
    version when two start the same day). The default (every rule, 50,000.00 元) is labelled as such.
    """
    row = (
        TriageRuleSet.objects.filter(court=court, effective_from__lte=on)
        .select_related("created_by")
        .order_by("-effective_from", "-version")
        .first()
    )
    return DEFAULT_RULE_SET if row is None else _view(row)


def triage_rule_set_list(*, court: Any) -> list[RuleSetView]:
    """Return every version ``court`` has set, newest version first."""
    rows = TriageRuleSet.objects.filter(court=court).select_related("created_by").order_by("-version")
    return [_view(row) for row in rows]


def case_triage_facts(
    *, case: Case, rule_set: RuleSetView, on: date, assets_found_amount: Decimal | None = None
) -> TriageFacts:
    """
    Gather the facts of ``case`` for triage on ``on`` in two queries, whatever the number of rows.

    - the preserved amount: the sum of the case's preservations that have an amount and are still in
      force on ``on`` (an expired 保全 secures nothing);
    - the debtors' other open cases: the distinct other cases of the same court, not closed or
      withdrawn, in which any debtor of ``case`` is a debtor (串案), counted by one query.
    """
    preserved = Preservation.objects.filter(case=case, amount__isnull=False, active_to__gt=on).aggregate(
        total=Sum("amount")
    )["total"]
    debtors = CaseParty.objects.filter(case=case, role=PartyRole.DEBTOR).values("party_id")
    others = (
        Case.objects.filter(
            court_id=case.court_id,
            status__in=OPEN_STATUSES,
            case_parties__role=PartyRole.DEBTOR,
            case_parties__party_id__in=debtors,
        )
        .exclude(pk=case.pk)
        .values("pk")
        .distinct()
        .count()
    )
    return TriageFacts(
        amount_claimed=case.amount_claimed,
        amount_threshold=rule_set.amount_threshold,
        preserved_amount=preserved if preserved is not None else Decimal("0.00"),
        debtor_attitude=case.debtor_attitude,
        assets_found_amount=assets_found_amount,
        other_open_cases_of_debtors=others,
        enabled_rules=frozenset(rule_set.enabled_rules),
    )


_FACT_LABELS = (
    ("amount_claimed", "申请执行标的额（元）"),
    ("amount_threshold", "本院小额标准（元）"),
    ("preserved_amount", "在保全的财产（元）"),
    ("debtor_attitude", "被执行人履行态度"),
    ("assets_found_amount", "首次查控发现的财产（元）"),
    ("other_open_cases_of_debtors", "被执行人在本院的其他未结案件（件）"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageEntry:
    """One triage decision as the panel shows it."""

    id: int
    result: str
    result_label: str
    fired: list[dict[str, Any]]
    facts: list[tuple[str, str]]
    rule_set_label: str
    is_override: bool
    override_reason: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TriagePanel:
    """The triage panel of a case: its class, the current decision and its reasons, the history, who may override."""

    case_id: int
    case_number: str
    triage_class: str
    triage_class_label: str
    current: TriageEntry | None
    history: list[TriageEntry]
    can_override: bool
    override_choices: list[tuple[str, str]]


def _fact_text(key: str, value: Any) -> str:
    if value is None:
        return "尚未查询" if key == "assets_found_amount" else "—"
    if key == "debtor_attitude":
        return str(DebtorAttitude(value).label) if value in DebtorAttitude.values else str(value)
    if key in ("amount_claimed", "amount_threshold", "preserved_amount", "assets_found_amount"):
        return format_amount(Decimal(value))
    return str(value)


def _rule_set_label(row: CaseTriage) -> str:
    if row.rule_set is None:
        return DEFAULT_RULE_SET.label
    return _view(row.rule_set).label


def _entry(row: CaseTriage) -> TriageEntry:
    by = row.decided_by
    facts = row.facts or {}
    return TriageEntry(
        id=row.pk,
        result=row.result,
        result_label=str(TriageClass(row.result).label),
        fired=list(row.fired_rules or []),
        facts=[(label, _fact_text(key, facts.get(key))) for key, label in _FACT_LABELS if key in facts],
        rule_set_label=_rule_set_label(row),
        is_override=row.is_override,
        override_reason=row.override_reason,
        decided_by=(by.get_full_name() or by.get_username()) if by is not None else "系统",
        decided_at=row.decided_at,
    )


def case_triage_panel(*, scope: CourtScope, case: Case) -> TriagePanel:
    """
    Return the triage panel of ``case`` for ``scope`` (one query for the history, whatever its length).

    Team leaders (``LEAD_TEAM``) of the case's own court may override.

    :raises Http404: when ``scope`` may not read the case
    """
    if not scope.may_read(case.court_id):
        raise Http404("未找到该案件，或您无权查看。")
    rows = list(
        CaseTriage.objects.filter(case=case).select_related("rule_set", "decided_by").order_by("-decided_at", "-id")
    )
    history = [_entry(row) for row in rows]
    return TriagePanel(
        case_id=case.pk,
        case_number=case.number,
        triage_class=case.triage_class,
        triage_class_label=str(TriageClass(case.triage_class).label),
        current=history[0] if history else None,
        history=history,
        can_override=scope.can(Capability.LEAD_TEAM) and scope.may_write(case.court_id),
        override_choices=[(c.value, str(c.label)) for c in (TriageClass.SIMPLE, TriageClass.COMPLEX)],
    )
