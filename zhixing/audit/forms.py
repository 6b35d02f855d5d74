"""Filters of the audit record list (page and API share the rules through the selector)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.audit.actions import ACTIONS
from zhixing.audit.selectors import cursor_decode


class RecordFilterForm(forms.Form):
    """Which records to list: court, action, actor, case, a date range, and the page cursor."""

    court = forms.TypedChoiceField(label=_("法院"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("行为"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False, max_length=64, help_text=_("姓名或用户编号"))
    case = forms.IntegerField(label=_("案件编号"), required=False, min_value=1, max_value=2**63 - 1)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    cursor = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, courts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", _("全部可查看的法院")), *courts]
        self.fields["action"].choices = [("", _("全部行为")), *sorted(ACTIONS.items(), key=lambda item: item[0])]

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
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def selector_filters(self) -> dict[str, Any]:
        """Return the valid filters as ``record_list`` arguments (local dates become a half-open range)."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()

        def start_of(day: Any) -> datetime | None:
            return datetime.combine(day, time.min, tzinfo=zone) if day else None

        return {
            "court_id": data.get("court"),
            "action": data.get("action") or None,
            "actor": (data.get("actor") or "").strip() or None,
            "case_id": data.get("case"),
            "from_at": start_of(data.get("date_from")),
            "to_at": start_of(data["date_to"] + timedelta(days=1)) if data.get("date_to") else None,
            "cursor": data.get("cursor") or None,
        }
