"""
Supervision pages of flow: the weekly battle chart (挂图作战) and the 超6个月未执结 ledger.

``/flow/board/`` shows a court's week (``?week=2026-11-23``, ``?court=<id>`` for supervisors) and lets
team leaders and the bureau chief set targets; ``/flow/ledger/`` lists the ledger of the readable courts a
page at a time, exports it as .xlsx, and records each entry's review or report (an htmx row swap).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import ApplicationError
from zhixing.courts.access import staff_required
from zhixing.courts.rules import Capability
from zhixing.flow import selectors, services
from zhixing.flow.export import LedgerExportTooLarge, ledger_export
from zhixing.flow.forms_board import CourtWeekForm, LedgerFilterForm, LedgerReviewForm, WeeklyTargetForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Service error fields → the form's fields.
_TARGET_FIELDS = {"team_id": "team", "team": "team", "executor": "executor", "target": "target"}


def _add_errors(form: Any, error: ApplicationError, *, aliases: dict[str, str] | None = None) -> None:
    """Show a refused command's messages next to the fields they name (the rest above the form)."""
    placed = False
    for key, problem in error.fields.items():
        name = (aliases or {}).get(key, key)
        if name in form.fields:
            form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


# --- the battle chart -----------------------------------------------------------------------------


def _week_and_court(form: CourtWeekForm, *, today: date) -> tuple[int | None, date]:
    if form.is_bound and form.is_valid():
        return form.cleaned_data["court"], form.cleaned_data["week"] or today
    return None, today


def _board_response(
    request: HttpRequest, *, page: Any, filters: CourtWeekForm, target_form: Any = None, status: int = 200
) -> HttpResponse:
    if target_form is None and page.may_set_targets:
        target_form = WeeklyTargetForm(
            initial={"week": page.week_start}, teams=page.target_teams, executors=page.target_executors
        )
    court_query = {} if page.court.pk == request.scope.court.pk else {"court": page.court.pk}
    context = {
        "page": page,
        "filters": filters,
        "target_form": target_form,
        "previous_query": urlencode({**court_query, "week": page.previous_week.isoformat()}),
        "next_query": urlencode({**court_query, "week": page.next_week.isoformat()}),
    }
    return render(request, "flow/board/board.html", context, status=status)


@require_GET
@staff_required(Capability.VIEW_COURT)
def board(request: HttpRequest) -> HttpResponse:
    """Show the week's closing targets and progress per team and executor, with a chart of target vs closed."""
    today = timezone.localdate()
    filters = CourtWeekForm(request.GET or None)
    court_id, week_of = _week_and_court(filters, today=today)
    page = selectors.battle_chart_page(scope=request.scope, court_id=court_id, week_of=week_of, today=today)
    invalid = filters.is_bound and not filters.is_valid()
    return _board_response(request, page=page, filters=filters, status=400 if invalid else 200)


@require_POST
@staff_required(Capability.LEAD_TEAM)
def board_target(request: HttpRequest) -> HttpResponse:
    """Set the week's closing target of a team or one executor (the team's leader or the bureau chief)."""
    today = timezone.localdate()
    filters = CourtWeekForm({"week": request.POST.get("week", "")})
    week_of = _week_and_court(filters, today=today)[1]
    page = selectors.battle_chart_page(scope=request.scope, court_id=None, week_of=week_of, today=today)
    if not page.may_set_targets:
        raise PermissionDenied(_("只有团队长或执行局局长可以设定结案目标。"))
    form = WeeklyTargetForm(request.POST, teams=page.target_teams, executors=page.target_executors)
    if not form.is_valid():
        return _board_response(request, page=page, filters=filters, target_form=form, status=400)
    data = form.cleaned_data
    try:
        row = services.weekly_target_set(
            court=request.scope.court,
            team=data["team"],
            executor=data["executor"],
            week_of=data["week"],
            target=data["target"],
            actor=request.user,
            at=timezone.now(),
        )
    except ApplicationError as error:
        _add_errors(form, error, aliases=_TARGET_FIELDS)
        return _board_response(request, page=page, filters=filters, target_form=form, status=error.status)
    done = _("已设定%(week)s当周的结案目标：%(target)s件。") % {"week": row.week_start, "target": row.target}
    messages.success(request, done)
    return redirect(f"{reverse('flow:board')}?{urlencode({'week': row.week_start.isoformat()})}")


# --- the 超6个月未执结 ledger ------------------------------------------------------------------------


def _ledger_filters(form: LedgerFilterForm) -> tuple[str, int]:
    if form.is_bound and form.is_valid():
        return form.cleaned_data["status"] or "", form.cleaned_data["page"] or 1
    return "", 1


def _ledger_response(
    request: HttpRequest,
    *,
    form: LedgerFilterForm,
    export_error: str = "",
    review: tuple[int, LedgerReviewForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    status_filter, page_number = _ledger_filters(form)
    sheet = selectors.ledger_sheet(
        scope=request.scope, status=status_filter, page_number=page_number, today=timezone.localdate()
    )
    base = {"status": status_filter} if status_filter else {}
    context = {
        "sheet": sheet,
        "form": form,
        "export_error": export_error,
        "review_entry_id": review[0] if review else None,
        "review_form": review[1] if review else None,
        "export_query": urlencode(base),
        "previous_query": urlencode({**base, "page": sheet.page.previous_page_number()})
        if sheet.page.has_previous()
        else "",
        "next_query": urlencode({**base, "page": sheet.page.next_page_number()}) if sheet.page.has_next() else "",
    }
    return render(request, "flow/board/ledger.html", context, status=status)


@require_GET
@staff_required(Capability.VIEW_COURT)
def ledger(request: HttpRequest) -> HttpResponse:
    """List the 超6个月未执结 ledger of the readable courts, oldest due first, filtered by status, 50 a page."""
    form = LedgerFilterForm(request.GET or None)
    return _ledger_response(request, form=form, status=400 if form.is_bound and not form.is_valid() else 200)


@require_GET
@staff_required(Capability.VIEW_COURT)
def ledger_export_xlsx(request: HttpRequest) -> HttpResponse:
    """Download the filtered ledger as .xlsx (dates as dates, at most 20,000 entries, audited)."""
    form = LedgerFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _ledger_response(request, form=form, status=400)
    status_filter, _page = _ledger_filters(form)
    try:
        export = ledger_export(scope=request.scope, status=status_filter, actor=request.user, at=timezone.now())
    except LedgerExportTooLarge as refusal:
        return _ledger_response(request, form=form, export_error=refusal.message, status=400)
    response = HttpResponse(export.content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.file_name)
    return response


def _review_response(request: HttpRequest, *, line: Any, form: Any = None, status: int = 200) -> HttpResponse:
    if request.htmx:
        context = {"line": line, "review_form": form}
        return render(request, "flow/board/partials/ledger_row.html", context, status=status)
    if status >= 400:  # without htmx: the whole list again, the row's form with its messages and the note typed
        return _ledger_response(request, form=LedgerFilterForm(), review=(line.entry.pk, form), status=status)
    return redirect("flow:ledger")


@require_POST
@staff_required(Capability.VIEW_COURT)
def ledger_review(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Record the review (逐案评查) or the report (逐案报备) of one entry; answer htmx with the row re-rendered."""
    line = selectors.ledger_line(scope=request.scope, entry_id=entry_id, today=timezone.localdate())
    if not line.may_review:
        raise PermissionDenied(_("只有本院监管人员、评查人员或执行局局长可以办理台帐。"))
    form = LedgerReviewForm(request.POST)
    if not form.is_valid():
        return _review_response(request, line=line, form=form, status=400)
    try:
        entry = services.ledger_entry_review(
            entry_id=line.entry.pk,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            actor=request.user,
            at=timezone.now(),
        )
    except ApplicationError as error:
        _add_errors(form, error)
        return _review_response(request, line=line, form=form, status=error.status)
    if not request.htmx:
        messages.success(request, _("已记录%(number)s的台帐办理情况。") % {"number": entry.case.number})
    return _review_response(request, line=replace(line, entry=entry))
