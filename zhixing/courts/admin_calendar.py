"""
Django admin for the holiday table: read-only.

Years and days are entered, edited and confirmed on the calendar pages (``courts:calendar``), whose
services audit every change and recompute the dates that depend on a year.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from zhixing.courts.models import CalendarDay, CalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    """List and view only: writes go through the calendar services."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "source", "entered_by", "entered_at", "note"]
    list_filter = ["source"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "day"
