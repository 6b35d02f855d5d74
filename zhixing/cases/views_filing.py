"""
The filing page (立案) and the assignment fragment (分案).

``/cases/file/`` shows the case fields, the parties, agents, preservations and limitation events, and
the asset-verification gate; a refused filing comes back with every problem next to its field and
everything the clerk typed still in place. ``/cases/<id>/assign/`` takes a team leader's choice.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhixing.cases import selectors, services
from zhixing.cases.forms import SECTIONS, CaseAssignForm, FilingForms, attach_problems, filing_forms, filing_input
from zhixing.core.errors import ApplicationError
from zhixing.courts.access import staff_required
from zhixing.courts.rules import Capability


def _require_own_court(request: HttpRequest) -> None:
    if not request.scope.may_write(getattr(request.scope.court, "pk", None)):
        raise PermissionDenied("您的角色无权在本院立案。")


@require_http_methods(["GET", "POST"])
@staff_required(Capability.FILE_CASES)
def case_file(request: HttpRequest) -> HttpResponse:
    """File a case in the clerk's own court; on success go to the case page."""
    _require_own_court(request)
    now = timezone.now()
    defaults = selectors.case_filing_defaults(scope=request.scope, today=timezone.localdate(now))
    choices = {"teams": defaults.teams, "executors": defaults.executors}
    if request.method == "GET":
        return _page(request, filing_forms(**choices))
    add_row = request.POST.get("add_row", "")
    forms_ = filing_forms(request.POST, add_row=add_row, **choices)
    if add_row in SECTIONS:
        return _page(request, forms_, show_errors=False)
    if not forms_.is_valid():
        return _page(request, forms_, status=400)
    data = filing_input(forms_)
    try:
        case = services.case_file(court=request.scope.court, data=data, actor=request.user, at=now)
    except ApplicationError as error:
        attach_problems(forms_, dict(error.fields) or {"": error.message})
        return _page(request, forms_, status=error.status)
    return redirect("cases:case_detail", case_id=case.pk)


_CASE_FIELDS = (
    "type_code",
    "application_received_on",
    "amount_claimed",
    "costs",
    "basis_issuing_body",
    "basis_document_number",
    "basis_kind",
    "basis_effective_on",
    "basis_performance_due_on",
    "basis_obligations",
    "trial_case_number",
    "debtor_attitude",
    "team_id",
    "executor_id",
)
_GATE_FIELDS = ("defer", "deferral_reason", "consent_on", "consent_evidence")


def _page(request: HttpRequest, forms_: FilingForms, *, status: int = 200, show_errors: bool = True) -> HttpResponse:
    sections = [(prefix, label, forms_.sets[prefix]) for prefix, (_form, _rows, label) in SECTIONS.items()]
    context = {
        "forms": forms_,
        "form": forms_.case,
        "sections": sections,
        "case_fields": _CASE_FIELDS,
        "gate_fields": _GATE_FIELDS,
        "show_errors": show_errors and forms_.case.is_bound,
        "has_errors": status >= 400,
    }
    return render(request, "cases/filing/file.html", context, status=status)


@require_POST
@staff_required(Capability.LEAD_TEAM)
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    """Set the team and executor of a case (a team leader or the bureau chief of its court)."""
    case = selectors.case_get(scope=request.scope, case_id=case_id)
    if not request.scope.may_write(case.court_id):
        raise PermissionDenied("您对该法院的数据只有查看权限。")
    now = timezone.now()
    defaults = selectors.case_filing_defaults(scope=request.scope, today=timezone.localdate(now))
    form = CaseAssignForm(request.POST, teams=defaults.teams, executors=defaults.executors)
    status = 400
    if form.is_valid():
        try:
            case = services.case_assign(
                case=case,
                team=form.cleaned_data["team_id"],
                executor=form.cleaned_data["executor_id"],
                actor=request.user,
                at=now,
            )
        except ApplicationError as error:
            for name, message in error.fields.items():
                form.add_error(name if name in form.fields else None, message)
            if not error.fields:
                form.add_error(None, error.message)
            status = error.status
        else:
            if not request.headers.get("HX-Request"):
                return redirect("cases:case_detail", case_id=case.pk)
            status = 200
    context = {"case": case, "form": form, "saved": status == 200}
    return render(request, "cases/filing/assign.html", context, status=status)
