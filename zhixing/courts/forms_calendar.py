"""Forms of the calendar pages: shape checks only; the rules live in ``zhixing.core.calendar`` and the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.core.calendar import MAX_PERIOD, PeriodUnit
from zhixing.courts.choices import DayKind

_DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("请输入有效的日期，如 2026-10-08。")}


class DateInput(forms.DateInput):
    """A browser date picker."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DueDateForm(forms.Form):
    """The deadline calculator: a start day, a number and a unit."""

    start = forms.DateField(label=_("起算日"), widget=DateInput(), error_messages=_DATE_ERRORS)
    amount = forms.IntegerField(
        label=_("期间"),
        min_value=0,
        error_messages={
            "required": _("请填写期间长度。"),
            "invalid": _("期间长度应为整数。"),
            "min_value": _("期间长度不能为负数。"),
        },
    )
    unit = forms.ChoiceField(
        label=_("单位"),
        choices=[
            (PeriodUnit.NATURAL_DAYS.value, _("自然日")),
            (PeriodUnit.WORKING_DAYS.value, _("工作日")),
            (PeriodUnit.MONTHS.value, _("月")),
        ],
        initial=PeriodUnit.NATURAL_DAYS.value,
        error_messages={"required": _("请选择计算单位。"), "invalid_choice": _("计算单位只能是自然日、工作日或月。")},
    )

    def clean(self) -> dict[str, Any]:
        """Check the length against the unit's limit."""
        data = super().clean() or {}
        unit, amount = data.get("unit"), data.get("amount")
        if unit and amount is not None and amount > MAX_PERIOD[PeriodUnit(unit)]:
            self.add_error("amount", _("期间过长：不能超过%(max)s。") % {"max": MAX_PERIOD[PeriodUnit(unit)]})
        return data


class YearEntryForm(forms.Form):
    """A year's holidays (one range per line) and make-up workdays (one date per line)."""

    holidays = forms.CharField(
        label=_("法定节假日（每行一个假期）"),
        widget=forms.Textarea(
            attrs={"rows": 9, "cols": 48, "placeholder": "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节"}
        ),
        error_messages={"required": _("请填写法定节假日。")},
        max_length=4000,
    )
    makeup_workdays = forms.CharField(
        label=_("调休上班日（每行一个日期，可加名称）"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 32, "placeholder": "2027-02-20 春节"}),
        required=False,
        max_length=2000,
    )
    note = forms.CharField(label=_("依据（如国务院办公厅通知文号）"), required=False, max_length=200)
    confirm = forms.BooleanField(label=_("录入后立即确认生效（将重算所有临时期限）"), required=False)


class DaySetForm(forms.Form):
    """Mark one day as a holiday or a make-up workday."""

    day = forms.DateField(label=_("日期"), widget=DateInput(), error_messages=_DATE_ERRORS)
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices, error_messages={"required": _("请选择类型。")})
    name = forms.CharField(label=_("名称"), max_length=32, error_messages={"required": _("请填写节日名称。")})


class DayRemoveForm(forms.Form):
    """Make one day ordinary again."""

    day = forms.DateField(label=_("日期"), error_messages=_DATE_ERRORS)
