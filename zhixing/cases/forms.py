"""
Forms of filing (立案) and assignment: shape checks and parsing only; every rule is in the services.

The filing page is one :class:`CaseFilingForm` and five formsets (applicants, debtors, agents,
preservations, limitation events). :func:`filing_input` turns the valid forms into a
:class:`~zhixing.cases.inputs.CaseFilingInput`, remembering which row became which index, so that
:func:`attach_problems` can show each problem of the service (``debtors[1].id_number``) next to the
field it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.cases.choices import (
    BasisKind,
    CaseType,
    ControlKind,
    DebtorAttitude,
    LimitationEventKind,
    PartyKind,
    PartyRole,
)
from zhixing.cases.inputs import (
    AgentInput,
    CaseFilingInput,
    DeferralInput,
    LimitationEventInput,
    PartyInput,
    PreservationInput,
)
from zhixing.core.money import InvalidAmount, parse_amount

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_REQUIRED = "请填写{}"


def _date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=_DATE,
        error_messages={"required": _REQUIRED.format(label), "invalid": f"{label}不是有效日期（格式：2026-11-23）"},
    )


def _text_field(label: str, *, max_length: int, required: bool = False, rows: int = 0) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={"required": _REQUIRED.format(label), "max_length": f"{label}不能超过{max_length}个字"},
    )


def _choice_field(label: str, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=([("", "——")] if not required else []) + list(choices),
        required=required,
        error_messages={"required": f"请选择{label}", "invalid_choice": f"{label}的选项无效"},
    )


def _amount(value: str, label: str) -> Decimal:
    try:
        return parse_amount(value)
    except InvalidAmount as error:
        raise forms.ValidationError(f"{label}：{error.message}") from error


class CaseFilingForm(forms.Form):
    """The case fields of a filing, its team and executor, and the asset-verification gate."""

    type_code = _choice_field(_("案件类型"), CaseType.choices)
    application_received_on = _date_field("收到申请日期")
    amount_claimed = _text_field("申请执行标的额（元）", max_length=40, required=True)
    costs = _text_field("执行费用（元）", max_length=40)
    basis_issuing_body = _text_field("执行依据作出机关", max_length=100, required=True)
    basis_document_number = _text_field("执行依据文书号", max_length=100, required=True)
    basis_kind = _choice_field("执行依据类别", BasisKind.choices)
    basis_effective_on = _date_field("执行依据生效日期")
    basis_performance_due_on = _date_field("履行期限届满日期", required=False)
    basis_obligations = _text_field("执行依据确定的义务", max_length=5000, required=True, rows=3)
    trial_case_number = _text_field("原审案号", max_length=64)
    debtor_attitude = _choice_field("被执行人履行态度", DebtorAttitude.choices)
    team_id = forms.TypedChoiceField(label="承办团队", required=False, coerce=int, empty_value=None)
    executor_id = forms.TypedChoiceField(label="承办人", required=False, coerce=int, empty_value=None)
    defer = forms.BooleanField(label="未发现可供执行的财产，经申请执行人同意暂缓立案", required=False)
    deferral_reason = _text_field("暂缓立案的理由", max_length=5000, rows=2)
    consent_on = _date_field("申请执行人同意日期", required=False)
    consent_evidence = _text_field("申请执行人同意的证明", max_length=200)

    def __init__(self, *args: Any, teams: Any = (), executors: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_id"].choices = [("", "（暂不指定）"), *teams]
        self.fields["executor_id"].choices = [("", "（暂不指定）"), *executors]
        self.fields["type_code"].initial = CaseType.FIRST_ENFORCEMENT
        self.fields["debtor_attitude"].initial = DebtorAttitude.UNKNOWN

    def clean_amount_claimed(self) -> Decimal:
        return _amount(self.cleaned_data["amount_claimed"], "申请执行标的额")

    def clean_costs(self) -> Decimal:
        text = self.cleaned_data.get("costs", "")
        return _amount(text, "执行费用") if text.strip() else Decimal("0.00")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("defer"):
            for name, label in (
                ("deferral_reason", "暂缓立案的理由"),
                ("consent_on", "申请执行人同意日期"),
                ("consent_evidence", "申请执行人同意的证明"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"暂缓立案须填写{label}")
        return data


class _RowForm(forms.Form):
    """A row of a formset; a row left entirely blank is skipped."""

    def is_blank(self) -> bool:
        if not self.is_bound:
            return True
        return not any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name, bound_field in self.fields.items()
            if not isinstance(bound_field, forms.BooleanField | forms.ChoiceField)
        )

    def full_clean(self) -> None:
        if self.is_blank():
            self.cleaned_data = {}
            self._errors = forms.utils.ErrorDict()
            return
        super().full_clean()


class PartyForm(_RowForm):
    """A party: 自然人 with 身份证号, or a unit with 统一社会信用代码."""

    kind = _choice_field("当事人类型", PartyKind.choices)
    name = _text_field("姓名或名称", max_length=100, required=True)
    id_number = _text_field("身份证号", max_length=32)
    credit_code = _text_field("统一社会信用代码", max_length=32)
    phone = _text_field("联系电话", max_length=32)
    address = _text_field("住所地", max_length=200)
    legal_representative = _text_field("法定代表人", max_length=50)
    employer = _text_field("工作单位", max_length=100)
    is_public_servant = forms.BooleanField(label="公职人员", required=False)

    def party_input(self) -> PartyInput:
        data = self.cleaned_data
        return PartyInput(
            kind=data["kind"],
            name=data["name"],
            id_number=data["id_number"],
            credit_code=data["credit_code"],
            phone=data["phone"],
            address=data["address"],
            legal_representative=data["legal_representative"],
            employer=data["employer"],
            is_public_servant=data["is_public_servant"],
        )


class AgentForm(PartyForm):
    """A 委托代理人 and whom they represent (申请执行人 or 被执行人, by number on this page)."""

    principal_role = _choice_field(
        "被代理人",
        [(PartyRole.APPLICANT.value, PartyRole.APPLICANT.label), (PartyRole.DEBTOR.value, PartyRole.DEBTOR.label)],
    )
    principal_number = forms.IntegerField(
        label="被代理人序号",
        min_value=1,
        error_messages={
            "required": "请填写被代理人序号",
            "invalid": "被代理人序号应为数字",
            "min_value": "被代理人序号从1开始",
        },
    )


class PreservationForm(_RowForm):
    """A preservation (保全) of the trial carried into enforcement."""

    kind = _choice_field("措施", ControlKind.choices)
    property_description = _text_field("财产", max_length=200, required=True)
    location = _text_field("财产所在地或协助单位", max_length=200, required=True)
    active_from = _date_field("起始日期")
    active_to = _date_field("届满日期（不含）")
    amount = _text_field("保全金额或价值（元）", max_length=40)
    ruling_number = _text_field("保全裁定书号", max_length=100)

    def clean_amount(self) -> Decimal | None:
        text = self.cleaned_data.get("amount", "")
        return _amount(text, "保全金额") if text.strip() else None


class LimitationEventForm(_RowForm):
    """An event that suspends or interrupts the two-year application period, with its evidence."""

    kind = _choice_field("类型", LimitationEventKind.choices)
    occurred_on = _date_field("发生日期")
    reason = _text_field("事由", max_length=200, required=True)
    evidence = _text_field("证据", max_length=200, required=True)


#: The formsets of the filing page: prefix → (form, rows shown at first, Chinese name).
SECTIONS: dict[str, tuple[type[_RowForm], int, str]] = {
    "applicants": (PartyForm, 1, "申请执行人"),
    "debtors": (PartyForm, 1, "被执行人"),
    "agents": (AgentForm, 1, "委托代理人"),
    "preservations": (PreservationForm, 1, "审理阶段的保全措施"),
    "limitation_events": (LimitationEventForm, 1, "申请执行时效中止、中断事由"),
}
MAX_ROWS = 50


def _formset(prefix: str, data: Any) -> forms.BaseFormSet:
    form, initial_rows, _label = SECTIONS[prefix]
    formset_class = forms.formset_factory(form, extra=initial_rows, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
    return formset_class(data, prefix=prefix)


@dataclass
class FilingForms:
    """The bound or blank forms of the filing page."""

    case: CaseFilingForm
    sets: dict[str, forms.BaseFormSet]
    #: per section, the formset row of each input index (blank rows are skipped)
    rows: dict[str, list[int]] = field(default_factory=dict)
    #: problems that belong to a whole section ("至少需要一名被执行人")
    section_errors: dict[str, str] = field(default_factory=dict)

    def is_valid(self) -> bool:
        valid = self.case.is_valid()
        for formset in self.sets.values():
            valid = formset.is_valid() and valid
        return valid


def filing_forms(data: Any = None, *, teams: Any = (), executors: Any = (), add_row: str = "") -> FilingForms:
    """
    Return the filing forms, bound to ``data`` when given.

    ``add_row`` names a section that gets one more blank row (the “增加一行” button), keeping all input.
    """
    if data is not None and add_row in SECTIONS:
        data = data.copy()
        key = f"{add_row}-TOTAL_FORMS"
        try:
            data[key] = str(min(int(data.get(key, "0")) + 1, MAX_ROWS))
        except ValueError:
            data[key] = "1"
    return FilingForms(
        case=CaseFilingForm(data, teams=teams, executors=executors),
        sets={prefix: _formset(prefix, data) for prefix in SECTIONS},
    )


def filing_input(forms_: FilingForms) -> CaseFilingInput:
    """Return the input of the valid ``forms_`` (blank rows skipped, their positions remembered)."""
    rows: dict[str, list[Any]] = {}
    for prefix, formset in forms_.sets.items():
        used = [index for index, form in enumerate(formset.forms) if not form.is_blank()]
        forms_.rows[prefix] = used
        rows[prefix] = [formset.forms[index] for index in used]
    data = forms_.case.cleaned_data
    deferral = None
    if data["defer"]:
        deferral = DeferralInput(
            reason=data["deferral_reason"], consent_on=data["consent_on"], consent_evidence=data["consent_evidence"]
        )
    return CaseFilingInput(
        type_code=data["type_code"],
        application_received_on=data["application_received_on"],
        amount_claimed=data["amount_claimed"],
        costs=data["costs"],
        basis_issuing_body=data["basis_issuing_body"],
        basis_document_number=data["basis_document_number"],
        basis_effective_on=data["basis_effective_on"],
        basis_performance_due_on=data["basis_performance_due_on"],
        basis_kind=data["basis_kind"],
        basis_obligations=data["basis_obligations"],
        trial_case_number=data["trial_case_number"],
        debtor_attitude=data["debtor_attitude"],
        team_id=data["team_id"],
        executor_id=data["executor_id"],
        applicants=tuple(form.party_input() for form in rows["applicants"]),
        debtors=tuple(form.party_input() for form in rows["debtors"]),
        agents=tuple(
            AgentInput(
                agent=form.party_input(),
                principal_role=form.cleaned_data["principal_role"],
                principal_index=form.cleaned_data["principal_number"] - 1,
            )
            for form in rows["agents"]
        ),
        preservations=tuple(
            PreservationInput(
                kind=form.cleaned_data["kind"],
                property_description=form.cleaned_data["property_description"],
                location=form.cleaned_data["location"],
                active_from=form.cleaned_data["active_from"],
                active_to=form.cleaned_data["active_to"],
                amount=form.cleaned_data["amount"],
                ruling_number=form.cleaned_data["ruling_number"],
            )
            for form in rows["preservations"]
        ),
        limitation_events=tuple(
            LimitationEventInput(
                kind=form.cleaned_data["kind"],
                occurred_on=form.cleaned_data["occurred_on"],
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"],
            )
            for form in rows["limitation_events"]
        ),
        deferral=deferral,
    )


_PATH = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>.+))?$")
#: Input field names that the page spells differently.
_RENAMED = {
    "deferral.reason": "deferral_reason",
    "deferral.consent_on": "consent_on",
    "deferral.consent_evidence": "consent_evidence",
    "principal_index": "principal_number",
}


def attach_problems(forms_: FilingForms, fields: dict[str, str]) -> None:
    """Show each problem ``{path: message}`` of the service next to the field it names."""
    for path, message in fields.items():
        match = _PATH.match(path)
        section = match["section"] if match else ""
        if section in forms_.sets:
            if match["index"] is None:
                forms_.section_errors[section] = message
                continue
            index = int(match["index"])
            used = forms_.rows.get(section, [])
            if index >= len(used):
                forms_.section_errors[section] = message
                continue
            form = forms_.sets[section].forms[used[index]]
            name = (match["rest"] or "").removeprefix("agent.")
            name = _RENAMED.get(name, name)
        else:
            form, name = forms_.case, _RENAMED.get(path, path)
        form.add_error(name if name in form.fields else None, message)


class CaseAssignForm(forms.Form):
    """Manual assignment (分案): a team and an executor of the case's court."""

    team_id = forms.TypedChoiceField(
        label="承办团队", coerce=int, error_messages={"required": "请选择承办团队", "invalid_choice": "承办团队无效"}
    )
    executor_id = forms.TypedChoiceField(
        label="承办人", coerce=int, error_messages={"required": "请选择承办人", "invalid_choice": "承办人无效"}
    )

    def __init__(self, *args: Any, teams: Any = (), executors: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team_id"].choices = [("", "——"), *teams]
        self.fields["executor_id"].choices = [("", "——"), *executors]
