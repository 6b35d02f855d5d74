"""
Calendar pages.

The years in the table with a month grid, a deadline calculator for every staff member, and (for
administrators) entering, editing and confirming a year's holidays.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.calendar import MAX_YEAR, MIN_YEAR, PeriodUnit
from zhixing.core.errors import ApplicationError
from zhixing.courts import selectors, services
from zhixing.courts.access import staff_required
from zhixing.courts.choices import DayKind
from zhixing.courts.forms_calendar import DayRemoveForm, DaySetForm, DueDateForm, YearEntryForm
from zhixing.courts.rules import Capability


def _year_param(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


@require_GET
@staff_required()
def calendar_overview(request: HttpRequest) -> HttpResponse:
    """Show the years in the table, a year's month grid and the warnings; an htmx request gets the grid only."""
    today = timezone.localdate()
    year = _year_param(request.GET.get("year"), today.year)
    context: dict[str, Any] = {
        "year": year,
        "months": selectors.calendar_month_grid(year=year),
        "covered": selectors.calendar_year_get(year=year) is not None,
        "may_edit": request.scope.can(Capability.EDIT_CALENDAR),
    }
    if request.htmx:
        return render(request, "courts/calendar/partials/month_grid.html", context)
    context |= {
        "warnings": selectors.calendar_warnings(today=today),
        "rows": selectors.calendar_year_list(today=today),
        "year_choices": range(today.year + 2, MIN_YEAR + 3, -1),
    }
    return render(request, "courts/calendar/overview.html", context)


@require_GET
@staff_required()
def calendar_due_date(request: HttpRequest) -> HttpResponse:
    """Compute a due date from a start day, a length and a unit, with the reasons; htmx gets the result only."""
    form = DueDateForm(request.GET or None)
    quote = None
    if form.is_valid():
        data = form.cleaned_data
        quote = selectors.due_date_quote(start=data["start"], amount=data["amount"], unit=PeriodUnit(data["unit"]))
    context = {"form": form, "quote": quote, "unit_labels": selectors.UNIT_LABELS}
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.htmx:
        return render(request, "courts/calendar/partials/due_date_result.html", context, status=status)
    return render(request, "courts/calendar/due_date.html", context, status=status)


def _year_or_404(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(f"年度应在{MIN_YEAR}至{MAX_YEAR}之间。")
    return year


def _edit_page(
    request: HttpRequest,
    year: int,
    *,
    entry_form: YearEntryForm | None = None,
    day_form: DaySetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    confirmed = selectors.calendar_year_get(year=year)
    days = selectors.calendar_days_of_year(year=year)
    if entry_form is None:
        holidays_text, makeup_text = selectors.calendar_year_entry_text(year=year)
        entry_form = YearEntryForm(initial={"holidays": holidays_text, "makeup_workdays": makeup_text})
    context = {
        "year": year,
        "confirmed": confirmed,
        "days": days,
        "has_holidays": any(d.kind == DayKind.HOLIDAY for d in days),
        "entry_form": entry_form,
        "day_form": day_form or DaySetForm(),
        "months": selectors.calendar_month_grid(year=year),
    }
    return render(request, "courts/calendar/year_edit.html", context, status=status)


@staff_required(Capability.EDIT_CALENDAR)
def calendar_year_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Show a year's days for editing; a POST stores the typed holidays and make-up days (and may confirm)."""
    year = _year_or_404(year)
    if request.method != "POST":
        return _edit_page(request, year)
    form = YearEntryForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, year, entry_form=form, status=400)
    data = form.cleaned_data
    try:
        result = services.calendar_year_enter(
            year=year,
            holidays_text=data["holidays"],
            makeup_text=data["makeup_workdays"],
            note=data["note"],
            confirm=data["confirm"],
            actor=request.user,
            at=timezone.now(),
        )
    except ApplicationError as error:
        for field, problems in error.fields.items():
            target = field if field in form.fields else None
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(target, problem)
        if not error.fields:
            form.add_error(None, error.message)
        return _edit_page(request, year, entry_form=form, status=error.status)
    text = f"已保存{year}年的{result.holidays}个节假日和{result.makeup_workdays}个调休上班日。"
    if result.confirmed:
        text += f"已确认生效，重算临时期限{sum(result.recomputed.values())}个。"
    else:
        text += "确认生效前，期限仍按周末计算（临时）。"
    messages.success(request, text)
    return redirect("courts:calendar_year_edit", year=year)


@require_POST
@staff_required(Capability.EDIT_CALENDAR)
def calendar_year_confirm(request: HttpRequest, year: int) -> HttpResponse:
    """Make a year's entered days effective and recompute the provisional dates."""
    year = _year_or_404(year)
    try:
        counts = services.calendar_year_confirm(
            year=year, note=request.POST.get("note", ""), actor=request.user, at=timezone.now()
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("courts:calendar_year_edit", year=year)
    messages.success(request, f"{year}年节假日已确认生效，重算临时期限{sum(counts.values())}个。")
    return redirect("courts:calendar_year_edit", year=year)


@require_POST
@staff_required(Capability.EDIT_CALENDAR)
def calendar_day_set(request: HttpRequest, year: int) -> HttpResponse:
    """Mark one day of the year as a holiday or a make-up workday."""
    year = _year_or_404(year)
    form = DaySetForm(request.POST)
    if form.is_valid() and form.cleaned_data["day"].year != year:
        form.add_error("day", f"日期不在{year}年内。")
    if not form.is_valid():
        return _edit_page(request, year, day_form=form, status=400)
    data = form.cleaned_data
    try:
        services.calendar_day_set(
            day=data["day"], kind=DayKind(data["kind"]), name=data["name"], actor=request.user, at=timezone.now()
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _edit_page(request, year, day_form=form, status=error.status)
    messages.success(request, f"已将{data['day']:%Y-%m-%d}设为{DayKind(data['kind']).label}。")
    return redirect("courts:calendar_year_edit", year=year)


@require_POST
@staff_required(Capability.EDIT_CALENDAR)
def calendar_day_remove(request: HttpRequest, year: int) -> HttpResponse:
    """Make one day of the year ordinary again."""
    year = _year_or_404(year)
    form = DayRemoveForm(request.POST)
    day: date | None = form.cleaned_data["day"] if form.is_valid() else None
    if day is None or day.year != year:
        messages.error(request, f"请指定{year}年内的日期。")
        return redirect("courts:calendar_year_edit", year=year)
    try:
        services.calendar_day_remove(day=day, actor=request.user, at=timezone.now())
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("courts:calendar_year_edit", year=year)
    messages.success(request, f"已撤销{day:%Y-%m-%d}的节假日/调休设置。")
    return redirect("courts:calendar_year_edit", year=year)
