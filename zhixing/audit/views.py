"""Workbench pages of the audit log: the record list with its filters, one record, and verification."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhixing.audit import selectors
from zhixing.audit.forms import RecordFilterForm
from zhixing.audit.tasks import audit_verify_task
from zhixing.courts import selectors as court_selectors
from zhixing.courts.access import CourtScope, staff_required
from zhixing.courts.rules import Capability


def _court_names(scope: CourtScope) -> dict[int, str]:
    return dict(court_selectors.court_list(scope=scope).values_list("pk", "name"))


@staff_required(Capability.VIEW_AUDIT)
def record_list(request: HttpRequest) -> HttpResponse:
    """List the records of the courts the person may read, newest first, filtered, a page at a time."""
    names = _court_names(request.scope)
    form = RecordFilterForm(request.GET or None, courts=list(names.items()))
    page = None
    if not request.GET or form.is_valid():
        filters = form.selector_filters() if request.GET else {}
        page = selectors.record_list(scope=request.scope, **filters)
    next_query = None
    if page is not None and page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        next_query = query.urlencode()
    first_query = request.GET.copy()
    first_query.pop("cursor", None)
    return render(
        request,
        "audit/record_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(row, names.get(row.court_id)) for row in page.rows] if page is not None else [],
            "next_query": next_query,
            "first_query": first_query.urlencode(),
            "is_later_page": bool(request.GET.get("cursor")),
            "verification": selectors.verification_last(scope=request.scope),
        },
    )


@staff_required(Capability.VIEW_AUDIT)
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    """Show one record in full, with its hashes."""
    row = selectors.record_get(scope=request.scope, record_id=record_id)
    court_name = _court_names(request.scope).get(row.court_id)
    return render(request, "audit/record_detail.html", {"row": row, "court_name": court_name})


@require_POST
@staff_required(Capability.VIEW_AUDIT)
def verify_now(request: HttpRequest) -> HttpResponse:
    """Start a verification of every chain now (it runs in process in the embedded mode, else on a worker)."""
    actor_id = request.user.pk
    transaction.on_commit(lambda: audit_verify_task.delay(actor_id=actor_id))
    messages.success(request, _("已发起审计链校验，结果见“最近一次校验”。"))
    return HttpResponseRedirect(reverse("audit:record_list"))
