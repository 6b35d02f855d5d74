"""The workbench list's filter form: input shape only; the selector decides what each filter means."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.cases.choices import CaseStatus, CaseType, TriageClass
from zhixing.cases.selectors import CaseFilters, cursor_decode

_DATE = {"type": "date"}


class CaseFilterForm(forms.Form):
    """Which cases to list: 案号, party, status, type, class, team, executor, amounts, filing dates, overdue."""

    number = forms.CharField(label=_("案号"), required=False, max_length=40, help_text=_("完整案号、前缀或案件编号"))
    party = forms.CharField(
        label=_("当事人"), required=False, max_length=100, help_text=_("姓名/名称（前缀）或身份证号")
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    type_code = forms.ChoiceField(label=_("类型"), required=False)
    triage_class = forms.ChoiceField(label=_("繁简"), required=False)
    team = forms.TypedChoiceField(label=_("承办团队"), required=False, coerce=int, empty_value=None)
    executor = forms.TypedChoiceField(label=_("承办人"), required=False, coerce=int, empty_value=None)
    amount_min = forms.DecimalField(
        label=_("标的额不低于"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("标的额不高于"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    filed_from = forms.DateField(label=_("立案日期自"), required=False, widget=forms.DateInput(attrs=_DATE))
    filed_to = forms.DateField(label=_("立案日期至"), required=False, widget=forms.DateInput(attrs=_DATE))
    overdue = forms.BooleanField(label=_("仅超期"), required=False)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(
        self, *args: Any, teams: list[tuple[int, str]], executors: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部状态")), *CaseStatus.choices]
        self.fields["type_code"].choices = [("", _("全部类型")), *CaseType.choices]
        self.fields["triage_class"].choices = [("", _("全部")), *TriageClass.choices]
        self.fields["team"].choices = [("", _("全部团队")), *teams]
        self.fields["executor"].choices = [("", _("全部承办人")), *executors]

    def clean_cursor(self) -> str:
        cursor = self.cleaned_data["cursor"].strip()
        if cursor:
            try:
                cursor_decode(cursor=cursor)
            except ValueError as error:
                raise forms.ValidationError(_("翻页参数无效，请从第一页重新查看。")) from error
        return cursor

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("标的额上限不能低于下限。"))
        start, end = data.get("filed_from"), data.get("filed_to")
        if start and end and start > end:
            self.add_error("filed_to", _("立案日期止日不能早于起日。"))
        return data

    def filters(self, *, today: date) -> CaseFilters:
        """Return the valid filters for ``case_list`` (overdue is judged on ``today``)."""
        data = self.cleaned_data
        return CaseFilters(
            number=data.get("number", "").strip(),
            party=data.get("party", "").strip(),
            status=data.get("status") or "",
            type_code=data.get("type_code") or "",
            triage_class=data.get("triage_class") or "",
            team_id=data.get("team"),
            executor_id=data.get("executor"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            filed_from=data.get("filed_from"),
            filed_to=data.get("filed_to"),
            overdue_on=today if data.get("overdue") else None,
        )
