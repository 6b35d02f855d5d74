"""Forms of the supervision pages (battle chart, 超6个月 ledger): input shape only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.flow.choices import LedgerStatus

_DATE = {"type": "date"}


class CourtChoiceForm(forms.Form):
    """Which court a page shows (optional: the person's own; the selector refuses a court they may not read)."""

    court = forms.IntegerField(
        label=_("法院"), required=False, min_value=1, error_messages={"invalid": _("法院参数无效。")}
    )


class CourtWeekForm(CourtChoiceForm):
    """Which court and which week the battle chart shows (both optional: the person's court, this week)."""

    week = forms.DateField(
        label=_("周次（任选该周一天）"),
        required=False,
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        error_messages={"invalid": _("请输入有效的日期，如 2026-11-23。")},
    )


class WeeklyTargetForm(forms.Form):
    """The week's closing target for a team, or for one executor of it."""

    team = forms.TypedChoiceField(
        label=_("团队"),
        coerce=int,
        error_messages={"required": _("请选择团队。"), "invalid_choice": _("您不能为该团队设定目标。")},
    )
    executor = forms.TypedChoiceField(
        label=_("执行员"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("不选则为整个团队的目标"),
        error_messages={"invalid_choice": _("不是可选的执行员。")},
    )
    target = forms.IntegerField(
        label=_("本周结案目标（件）"),
        min_value=0,
        max_value=500,
        error_messages={
            "required": _("请填写结案目标。"),
            "invalid": _("请填写整数件数。"),
            "min_value": _("结案目标不能为负数。"),
            "max_value": _("结案目标不超过500件。"),
        },
    )
    week = forms.DateField(
        widget=forms.HiddenInput, error_messages={"required": _("缺少周次。"), "invalid": _("周次无效。")}
    )

    def __init__(
        self,
        *args: Any,
        teams: list[tuple[int, str]],
        executors: list[tuple[str, list[tuple[int, str]]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("请选择")), *teams]
        self.fields["executor"].choices = [("", _("整个团队")), *executors]


class LedgerFilterForm(forms.Form):
    """Which ledger entries to list: by status, a page at a time."""

    status = forms.ChoiceField(label=_("状态"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部状态")), *LedgerStatus.choices]
        self.fields["status"].error_messages["invalid_choice"] = _("未知的台帐状态。")


class LedgerReviewForm(forms.Form):
    """The review (逐案评查) or the report to the upper court (逐案报备) of one ledger entry."""

    status = forms.ChoiceField(
        label=_("办理结果"),
        choices=[
            (LedgerStatus.REVIEWED.value, LedgerStatus.REVIEWED.label),
            (LedgerStatus.REPORTED.value, LedgerStatus.REPORTED.label),
        ],
        error_messages={"required": _("请选择办理结果。"), "invalid_choice": _("只能记为已评查或已报备。")},
    )
    note = forms.CharField(
        label=_("评查意见或报备情况"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请填写评查意见或报备情况。"), "max_length": _("不超过2000字。")},
    )
