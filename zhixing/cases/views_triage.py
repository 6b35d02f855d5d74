"""
Triage and documents on the case: htmx fragments the case page includes, and the court's rule-set page.

``GET /cases/<id>/triage/`` and ``GET /cases/<id>/documents/`` return the fragments on their own; the
POSTs answer with the fragment re-rendered (400 with the messages when refused, nothing changed).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases import selectors, services
from zhixing.cases.forms_triage import DocumentGenerateForm, TriageOverrideForm, TriageRuleSetForm
from zhixing.core.errors import ApplicationError
from zhixing.courts.access import staff_required
from zhixing.courts.rules import Capability


def _triage_fragment(request: HttpRequest, case: Any, *, form: Any = None, status: int = 200) -> HttpResponse:
    panel = selectors.case_triage_panel(scope=request.scope, case=case)
    context = {"panel": panel, "override_form": form or TriageOverrideForm()}
    return render(request, "cases/partials/triage.html", context, status=status)


@require_GET
@staff_required()
def case_triage(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show the triage panel of a case: its class, the rules that fired, the rule-set version, the history."""
    case = selectors.case_get(scope=request.scope, case_id=case_id)
    return _triage_fragment(request, case)


@require_POST
@staff_required(Capability.LEAD_TEAM)
def case_triage_override(request: HttpRequest, case_id: int) -> HttpResponse:
    """Set the class of a case by a team leader of its court, with the reason."""
    case = selectors.case_get(scope=request.scope, case_id=case_id)
    if not request.scope.may_write(case.court_id):
        raise PermissionDenied("您对该法院的数据只有查看权限。")
    form = TriageOverrideForm(request.POST)
    if not form.is_valid():
        return _triage_fragment(request, case, form=form, status=400)
    try:
        services.case_triage_override(
            case=case,
            result=form.cleaned_data["result"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
            at=timezone.now(),
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _triage_fragment(request, case, form=form, status=error.status)
    return _triage_fragment(request, case)


def _rules_page(request: HttpRequest, *, form: Any, status: int = 200) -> HttpResponse:
    court = request.scope.court
    context = {
        "current": selectors.triage_rule_set_current(court=court, on=timezone.localdate()),
        "versions": selectors.triage_rule_set_list(court=court),
        "form": form,
    }
    return render(request, "cases/triage_rules.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required(Capability.APPROVE)
def triage_rules(request: HttpRequest) -> HttpResponse:
    """Show the court's triage rules (the one in force, every version); a POST sets a new version."""
    if request.method != "POST":
        current = selectors.triage_rule_set_current(court=request.scope.court, on=timezone.localdate())
        initial = {
            "amount_threshold": current.amount_threshold,
            "enabled_rules": list(current.enabled_rules),
            "effective_from": timezone.localdate(),
        }
        return _rules_page(request, form=TriageRuleSetForm(initial=initial))
    if not request.scope.may_write(request.scope.court.pk):
        raise PermissionDenied("您对该法院的数据只有查看权限。")
    form = TriageRuleSetForm(request.POST)
    if not form.is_valid():
        return _rules_page(request, form=form, status=400)
    data = form.cleaned_data
    try:
        row = services.triage_rule_set_change(
            court=request.scope.court,
            amount_threshold=data["amount_threshold"],
            enabled_rules=list(data["enabled_rules"]),
            effective_from=data["effective_from"],
            actor=request.user,
            at=timezone.now(),
        )
    except ApplicationError as error:
        for field, problem in error.fields.items():
            form.add_error(field if field in form.fields else None, problem)
        if not error.fields:
            form.add_error(None, error.message)
        return _rules_page(request, form=form, status=error.status)
    messages.success(request, f"已设置繁简分流规则第{row.version}版，自{row.effective_from:%Y-%m-%d}起施行。")
    return redirect("cases:triage_rules")


def _documents_fragment(request: HttpRequest, case: Any, *, error: str = "", status: int = 200) -> HttpResponse:
    panel = selectors.case_documents_panel(scope=request.scope, case=case)
    return render(request, "cases/partials/documents.html", {"panel": panel, "error": error}, status=status)


@require_GET
@staff_required()
def case_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show the documents of a case, with buttons to generate each notice."""
    case = selectors.case_get(scope=request.scope, case_id=case_id)
    return _documents_fragment(request, case)


@require_POST
@staff_required()
def case_document_generate(request: HttpRequest, case_id: int) -> HttpResponse:
    """Generate a notice for the case (filing clerks and executors of its court)."""
    scope = request.scope
    if not (scope.can(Capability.FILE_CASES) or scope.can(Capability.EXECUTE_CASES)):
        raise PermissionDenied("您的角色无权生成案件文书。")
    case = selectors.case_get(scope=scope, case_id=case_id)
    if not scope.may_write(case.court_id):
        raise PermissionDenied("您对该法院的数据只有查看权限。")
    form = DocumentGenerateForm(request.POST)
    if not form.is_valid():
        return _documents_fragment(request, case, error="；".join(form.errors.get("template_code", [])), status=400)
    try:
        services.case_document_generate(
            case=case, template_code=form.cleaned_data["template_code"], actor=request.user, at=timezone.now()
        )
    except ApplicationError as error:
        return _documents_fragment(request, case, error=error.message, status=error.status)
    return _documents_fragment(request, case)
