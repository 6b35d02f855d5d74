"""
Writes of 繁简分流: running the rules on a case, a team leader's override, and a court's new rule set.

When a decision stands:

- ``case_triage_run`` decides by the court's rules in force that day. It records a new
  ``CaseTriage`` row (and an audit entry) only when the facts or the rule set differ from those of
  the case's latest decision; otherwise it returns that decision unchanged. Filing calls it once;
  the assets issue calls it again with ``assets_found_amount`` after the first inquiry.
- ``case_triage_override`` records a team leader's class with the reason, on the same facts. It
  stands until a team leader overrides again, or until a run finds changed facts (the assets issue
  re-running triage with what the inquiry found): a run on unchanged facts keeps the override.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.cases.choices import TriageClass
from zhixing.cases.models import Case, CaseTriage, TriageRuleSet
from zhixing.cases.rules.triage import enabled_rules_problem, triage_decide
from zhixing.cases.selectors import case_triage_facts, triage_rule_set_current
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.core.money import MAX_AMOUNT


def _latest(case: Case) -> CaseTriage | None:
    return CaseTriage.objects.filter(case=case).order_by("-decided_at", "-id").first()


def _set_class(case: Case, result: str, at: datetime) -> None:
    case.triage_class, case.updated_at = result, at
    case.save(update_fields=["triage_class", "updated_at"])


@transaction.atomic
def case_triage_run(*, case: Case, actor: Any, at: datetime, assets_found_amount: Decimal | None = None) -> CaseTriage:
    """
    Classify ``case`` by its court's rules in force on the day of ``at`` and set ``Case.triage_class``.

    The case row is locked first, so a run and an override of one case never interleave. A new
    decision is recorded (``cases.triage.decided``) only when the facts or the rule set changed
    since the latest decision; otherwise the latest decision (a run's or an override) is returned.
    ``assets_found_amount`` is the first inquiry's result, passed by the assets issue; until then
    the ``assets_cover_claim`` rule has no input and does not fire.
    """
    Case.objects.select_for_update().only("pk").get(pk=case.pk)
    on = localdate(at)
    rule_set = triage_rule_set_current(court=case.court, on=on)
    facts = case_triage_facts(case=case, rule_set=rule_set, on=on, assets_found_amount=assets_found_amount)
    facts_json = facts.as_json()
    latest = _latest(case)
    if latest is not None and latest.facts == facts_json and latest.rule_set_id == rule_set.id:
        return latest
    decision = triage_decide(facts)
    fired = [rule.as_json() for rule in decision.fired]
    before = case.triage_class
    triage = CaseTriage.objects.create(
        case=case,
        rule_set_id=rule_set.id,
        result=decision.result,
        fired_rules=fired,
        facts=facts_json,
        decided_by=actor,
        decided_at=at,
    )
    _set_class(case, decision.result, at)
    record(
        action="cases.triage.decided",
        at=at,
        actor=actor,
        subject=case,
        case_id=case.pk,
        before={"triage_class": before},
        after={"triage_class": decision.result},
        data={
            "rule_set_version": rule_set.version,
            "fired": [rule["code"] for rule in fired],
            "facts": facts_json,
        },
    )
    return triage


@transaction.atomic
def case_triage_override(*, case: Case, result: str, reason: str, actor: Any, at: datetime) -> CaseTriage:
    """
    Set ``case``'s class to ``result`` by a team leader's decision, with the reason, keeping the facts.

    The caller checks that ``actor`` leads a team in the case's court. The override carries the facts
    and rule set of the latest decision, so that a later run on the same facts keeps it.

    :raises ValidationFailed: for a missing reason, a class other than 简案/繁案, or the class the case already has
    """
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if result not in (TriageClass.SIMPLE, TriageClass.COMPLEX):
        errors["result"] = "请选择简案或繁案"
    if not reason:
        errors["reason"] = "请填写调整分流结果的理由"
    if errors:
        raise ValidationFailed("无法调整繁简分流：" + "；".join(errors.values()) + "。", fields=errors)
    current = Case.objects.select_for_update().only("triage_class").get(pk=case.pk).triage_class
    if current == result:
        message = f"案件{case.number}已是{TriageClass(result).label}，无需调整"
        raise ValidationFailed(message + "。", fields={"result": message})
    latest = _latest(case)
    triage = CaseTriage.objects.create(
        case=case,
        rule_set_id=latest.rule_set_id if latest is not None else None,
        result=result,
        fired_rules=list(latest.fired_rules) if latest is not None else [],
        facts=dict(latest.facts) if latest is not None else {},
        is_override=True,
        override_reason=reason,
        decided_by=actor,
        decided_at=at,
    )
    _set_class(case, result, at)
    record(
        action="cases.triage.overridden",
        at=at,
        actor=actor,
        subject=case,
        case_id=case.pk,
        before={"triage_class": current},
        after={"triage_class": result},
        data={"reason": reason},
    )
    return triage


def _rule_set_errors(*, amount_threshold: Any, enabled_rules: Any, effective_from: Any, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not isinstance(amount_threshold, Decimal) or not amount_threshold.is_finite():
        errors["amount_threshold"] = "小额案件标的额上限应为金额数字"
    elif amount_threshold <= 0:
        errors["amount_threshold"] = "小额案件标的额上限应大于零"
    elif amount_threshold > MAX_AMOUNT:
        errors["amount_threshold"] = "小额案件标的额上限过大"
    elif amount_threshold != amount_threshold.quantize(Decimal("0.01")):
        errors["amount_threshold"] = "小额案件标的额上限最多保留两位小数"
    if not isinstance(enabled_rules, list | tuple) or not all(isinstance(c, str) for c in enabled_rules):
        errors["enabled_rules"] = "启用的规则应为规则代码的列表"
    elif problem := enabled_rules_problem(list(enabled_rules)):
        errors["enabled_rules"] = problem
    if not isinstance(effective_from, date) or isinstance(effective_from, datetime):
        errors["effective_from"] = "请填写生效日期"
    elif effective_from < today:
        errors["effective_from"] = "生效日期不能早于今天：已作出的分流按当时的规则，不能追溯修改"
    return errors


def triage_rule_set_change(
    *,
    court: Any,
    amount_threshold: Decimal,
    enabled_rules: list[str],
    effective_from: date,
    actor: Any,
    at: datetime,
) -> TriageRuleSet:
    """
    Set a new version of ``court``'s triage rules, in force from ``effective_from`` (today or later).

    Earlier versions are kept: each decision names the version it was made under. The caller checks
    that ``actor`` may approve in ``court``.

    :raises ValidationFailed: naming each bad field in Chinese (nothing is saved)
    :raises Conflict: when someone else set a version at the same moment
    """
    errors = _rule_set_errors(
        amount_threshold=amount_threshold,
        enabled_rules=enabled_rules,
        effective_from=effective_from,
        today=localdate(at),
    )
    if errors:
        raise ValidationFailed("繁简分流规则有误：" + "；".join(errors.values()) + "。", fields=errors)
    rules = list(enabled_rules)
    try:
        with transaction.atomic():
            previous = TriageRuleSet.objects.filter(court=court).order_by("-version").first()
            version = (TriageRuleSet.objects.filter(court=court).aggregate(v=Max("version"))["v"] or 0) + 1
            row = TriageRuleSet.objects.create(
                court=court,
                version=version,
                effective_from=effective_from,
                amount_threshold=amount_threshold,
                enabled_rules=rules,
                created_by=actor,
                created_at=at,
            )
            record(
                action="cases.triage_rules.changed",
                at=at,
                actor=actor,
                court_id=court.pk,
                subject=row,
                before=(
                    {"amount_threshold": previous.amount_threshold, "enabled_rules": previous.enabled_rules}
                    if previous is not None
                    else None
                ),
                after={"amount_threshold": amount_threshold, "enabled_rules": rules},
                data={"version": version, "effective_from": effective_from},
            )
    except IntegrityError as error:
        raise Conflict("其他人刚刚设置了新的分流规则，请刷新页面后重试。") from error
    return row
