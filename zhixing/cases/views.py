"""
Workbench pages of cases.

The filtered list (and its htmx rows), "my cases", the case page, the audited reveal of a party's
full ID number, and the Excel export of the current list.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhixing.cases import selectors, services
from zhixing.cases.export import ExportTooLarge, case_list_export
from zhixing.cases.forms_list import CaseFilterForm
from zhixing.core.errors import ValidationFailed
from zhixing.courts.access import staff_required
from zhixing.courts.rules import Capability

#: The list counts matches up to this many and then shows "10,000+".
COUNT_CAP = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form(request: HttpRequest) -> CaseFilterForm:
    options = selectors.case_filter_options(scope=request.scope)
    return CaseFilterForm(request.GET or None, teams=options.teams, executors=options.executors)


def _query_without(request: HttpRequest, *names: str) -> QueryDict:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query


def _list(request: HttpRequest, *, title: str, mine: bool) -> HttpResponse:
    form = _form(request)
    today = timezone.localdate()
    page = None
    if not request.GET or form.is_valid():
        filters = form.filters(today=today) if request.GET else selectors.CaseFilters()
        if mine:
            filters = selectors.CaseFilters.of({**_fields(filters), "executor_id": request.user.pk})
        cursor = form.cleaned_data.get("cursor") if request.GET else None
        page = selectors.case_list(
            scope=request.scope,
            filters=filters,
            after=cursor or None,
            today=today,
            count_cap=None if cursor else COUNT_CAP,
        )
    next_query = None
    if page is not None and page.next_cursor:
        query = _query_without(request)
        query["cursor"] = page.next_cursor
        next_query = query.urlencode()
    context = {
        "title": title,
        "mine": mine,
        "form": form,
        "page": page,
        "next_query": next_query,
        "export_query": _query_without(request, "cursor").urlencode(),
        "count_cap": COUNT_CAP,
    }
    if request.htmx and request.htmx.target == "case-more":
        return render(request, "cases/partials/case_rows.html", context)
    return render(request, "cases/case_list.html", context)


def _fields(filters: selectors.CaseFilters) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in filters.__dataclass_fields__}


@staff_required(Capability.VIEW_COURT)
def case_list(request: HttpRequest) -> HttpResponse:
    """List the readable courts' cases, newest filing first, filtered, a keyset page at a time."""
    return _list(request, title=_("案件"), mine=False)


@staff_required(Capability.EXECUTE_CASES)
def my_cases(request: HttpRequest) -> HttpResponse:
    """List the cases the person handles (承办人), with the same filters."""
    return _list(request, title=_("我的案件"), mine=True)


@staff_required(Capability.VIEW_COURT)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show one case: header, masked parties with 串案, basis, preservations, panels, history and timeline."""
    detail = selectors.case_detail(scope=request.scope, case_id=case_id, today=timezone.localdate())
    return render(
        request,
        "cases/case_detail.html",
        {"detail": detail, "case": detail.case, "can_reveal": request.scope.can(Capability.REVEAL_IDENTITY)},
    )


@never_cache
@require_POST
@staff_required(Capability.REVEAL_IDENTITY)
def party_reveal(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    """Show a party's full 身份证号 once (audited); the page is never cached."""
    try:
        number = services.party_identity_reveal(
            scope=request.scope, party_id=party_id, actor=request.user, at=timezone.now()
        )
        error = None
    except ValidationFailed as failure:
        number, error = None, failure.message
    template = "cases/partials/revealed_id.html" if request.htmx else "cases/revealed_id.html"
    return render(request, template, {"number": number, "error": error, "case_id": case_id})


@staff_required(Capability.VIEW_COURT)
def case_export(request: HttpRequest) -> HttpResponse:
    """Download the current filtered list as .xlsx (masked numbers, at most 50,000 rows, audited)."""
    form = _form(request)
    if request.GET and not form.is_valid():
        return render(request, "cases/case_list.html", {"title": _("案件"), "form": form, "page": None}, status=400)
    filters = form.filters(today=timezone.localdate()) if request.GET else selectors.CaseFilters()
    try:
        export = case_list_export(scope=request.scope, filters=filters, actor=request.user, at=timezone.now())
    except ExportTooLarge as refusal:
        context = {"title": _("案件"), "form": form, "page": None, "export_error": refusal.message}
        return render(request, "cases/case_list.html", context, status=400)
    response = HttpResponse(export.content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.file_name)
    return response
