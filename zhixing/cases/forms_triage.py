"""Forms of triage and case documents: shape checks only; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.cases.choices import TriageClass
from zhixing.cases.rules.triage import ALL_RULES, RULE_LABELS
from zhixing.cases.selectors._documents import CASE_TEMPLATE_CODES


class TriageOverrideForm(forms.Form):
    """A team leader's class for a case, with the reason."""

    result = forms.ChoiceField(
        label=_("调整为"),
        choices=[(c.value, c.label) for c in (TriageClass.SIMPLE, TriageClass.COMPLEX)],
        error_messages={"required": _("请选择简案或繁案。"), "invalid_choice": _("只能调整为简案或繁案。")},
    )
    reason = forms.CharField(
        label=_("调整理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": _("请填写调整理由。"), "max_length": _("调整理由不超过500字。")},
    )


class TriageRuleSetForm(forms.Form):
    """A new version of the court's triage rules."""

    amount_threshold = forms.DecimalField(
        label=_("小额案件标的额上限（元）"),
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("请填写小额案件标的额上限。"),
            "invalid": _("请填写金额数字，如 50000.00。"),
            "min_value": _("小额案件标的额上限应大于零。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
            "max_digits": _("金额过大。"),
            "max_whole_digits": _("金额过大。"),
        },
    )
    enabled_rules = forms.MultipleChoiceField(
        label=_("启用的规则"),
        required=False,
        choices=[(rule.value, RULE_LABELS[rule]) for rule in ALL_RULES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("未知的分流规则：%(value)s。")},
    )
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写生效日期。"), "invalid": _("请输入有效的日期，如 2026-12-01。")},
    )


class DocumentGenerateForm(forms.Form):
    """Which case document to generate."""

    template_code = forms.ChoiceField(
        choices=[(code, code) for code in CASE_TEMPLATE_CODES],
        error_messages={"required": _("请选择要生成的文书。"), "invalid_choice": _("不是可生成的案件文书。")},
    )
