"""Calendar pages: the years in the table, and (for administrators) entering a year's holidays."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhixing.courts import selectors
from zhixing.courts.access import staff_required


@staff_required()
def calendar_overview(request: HttpRequest) -> HttpResponse:
    """Show which years' holidays are in the table and warn about the ones missing."""
    today = timezone.localdate()
    return render(request, "courts/calendar/overview.html", {"warnings": selectors.calendar_warnings(today=today)})
