"""
Pages about one case and one person's work: the progress table (执行进度表) and its actions, alerts, approvals.

``GET /flow/cases/<id>/progress/`` is the htmx panel the case page loads (a full page without htmx); its
POSTs answer with the panel re-rendered — with the service's Chinese message and the typed input kept
when refused (400/403/409, nothing changed). The inbox, today's work and the approvals are pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhixing.cases.choices import CaseStatus
from zhixing.cases.models import Case
from zhixing.core import services as core_services
from zhixing.core.errors import ApplicationError
from zhixing.core.models import Alert, Approval
from zhixing.courts.access import CourtScope, scoped_get, staff_required
from zhixing.courts.rules import Capability
from zhixing.flow import selectors, services
from zhixing.flow.forms_case import (
    ApprovalDecideForm,
    CaseAdvanceForm,
    InboxFilterForm,
    NodeCompleteForm,
    PeriodEventForm,
    PeriodExtensionForm,
    VisitAssignForm,
)
from zhixing.flow.models import ExecutionPeriod

PANEL = "flow/case/partials/progress.html"
PANEL_PAGE = "flow/case/progress_page.html"


def _case(request: HttpRequest, case_id: int, *, write: bool = False) -> Case:
    # another court's case is a 404; a case of a court the person only reads is a 403 for a write
    queryset = Case.objects.select_related("court", "team", "executor")
    return scoped_get(queryset, scope=request.scope, pk=case_id, write=write)


def _roles(scope: CourtScope) -> frozenset[str]:
    return frozenset(str(role) for role in scope.roles)


def _apply_error(form: Form | None, error: ApplicationError) -> None:
    """Put the service's field messages on the form's fields (the general message is shown above the panel)."""
    if form is None:
        return
    for name, problem in error.fields.items():
        if name in form.fields:
            form.add_error(name, str(problem))


# --- the progress panel ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Abilities:
    """Which of the panel's actions to show the person (the services refuse the others anyway)."""

    complete: bool
    advance: bool
    assign: bool
    extend: bool
    record: bool


def _abilities(request: HttpRequest, case: Case) -> _Abilities:
    scope: CourtScope = request.scope
    writes = scope.may_write(case.court_id) and case.status not in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
    executes, leads = scope.can(Capability.EXECUTE_CASES), scope.can(Capability.LEAD_TEAM)
    return _Abilities(
        complete=writes and executes,
        advance=writes and (leads or case.executor_id == request.user.pk),
        assign=writes and leads,
        extend=writes and (executes or leads),
        record=writes and (executes or leads),
    )


@dataclass(frozen=True, slots=True)
class _NodeLine:
    """A node of the table with the form that completes it (None when it cannot be completed by the person)."""

    node: Any
    form: NodeCompleteForm | None


def _panel(
    request: HttpRequest,
    case: Case,
    *,
    today: date,
    bound: dict[str, Any] | None = None,
    error: str = "",
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render the panel; ``bound`` holds the submitted form (by action) so nothing typed is lost."""
    bound = bound or {}
    panel = selectors.case_progress_panel(case=case, today=today)
    can = _abilities(request, case)
    current = panel.current
    documents = panel.documents
    lines = []
    for node in panel.nodes:
        form = None
        if can.complete and node.row.can_complete:
            form = bound.get(f"node-{node.row.id}") or NodeCompleteForm(
                documents=documents, auto_id=f"node-{node.row.id}-%s"
            )
        lines.append(_NodeLine(node=node, form=form))
    context = {
        "panel": panel,
        "progress": panel.progress,
        "case": case,
        "current": current,
        "lines": lines,
        "can": can,
        "error": error,
        "message": message,
        "advance_form": (bound.get("advance") or CaseAdvanceForm(edges=current.advance_edges))
        if can.advance and current.advance_edges
        else None,
        "assign_form": (
            bound.get("assign")
            or VisitAssignForm(people=current.team_members, initial={"executor_id": current.holder_id})
        )
        if can.assign and current.team_id
        else None,
        "extension_form": (bound.get("extension") or PeriodExtensionForm())
        if can.extend and panel.progress.period is not None and not panel.has_pending_extension
        else None,
        "event_form": (bound.get("event") or PeriodEventForm(initial={"on": today}))
        if can.record and panel.progress.period is not None
        else None,
    }
    return render(request, PANEL if request.htmx else PANEL_PAGE, context, status=status)


def _local(at: datetime) -> date:
    return timezone.localdate(at)


@require_GET
@staff_required()
def case_progress(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show the progress table of a case: model, stages, execution period, every node; with its actions."""
    case = _case(request, case_id)
    return _panel(request, case, today=timezone.localdate())


@require_POST
@staff_required(Capability.ACT)
def node_complete(request: HttpRequest, case_id: int, node_id: int) -> HttpResponse:
    """Complete a node of the case with its evidence (executors and team leaders of the court, as the node says)."""
    at = timezone.now()
    case = _case(request, case_id, write=True)
    node = selectors.node_get(scope=request.scope, node_id=node_id)
    if node.case_id != case.pk:
        raise Http404(_("该节点不属于本案。"))
    documents = selectors.case_document_choices(case=case)
    form = NodeCompleteForm(request.POST, documents=documents, auto_id=f"node-{node_id}-%s")
    bound = {f"node-{node_id}": form}
    if not form.is_valid():
        return _panel(request, case, today=_local(at), bound=bound, error=_("请检查填写的内容。"), status=400)
    try:
        done = services.node_complete(
            node_id=node_id,
            actor=request.user,
            at=at,
            document_id=form.cleaned_data["document_id"],
            measure_ref=form.cleaned_data["measure_ref"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as refusal:
        _apply_error(form, refusal)
        return _panel(request, case, today=_local(at), bound=bound, error=refusal.message, status=refusal.status)
    return _panel(request, case, today=_local(at), message=_("已完成“%(node)s”。") % {"node": done.node_type.name})


@require_POST
@staff_required(Capability.ACT)
def case_advance(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move the case on from its current stage (the holder, the team's leader or the bureau chief)."""
    at = timezone.now()
    case = _case(request, case_id, write=True)
    edges = selectors.case_current_stage(case=case, today=_local(at)).advance_edges
    form = CaseAdvanceForm(request.POST, edges=edges)
    if not form.is_valid():
        return _panel(
            request, case, today=_local(at), bound={"advance": form}, error=_("请检查填写的内容。"), status=400
        )
    try:
        visit = services.case_advance(
            case=case, edge_id=form.cleaned_data["edge_id"], actor=request.user, at=at, note=form.cleaned_data["note"]
        )
    except ApplicationError as refusal:
        _apply_error(form, refusal)
        return _panel(
            request, case, today=_local(at), bound={"advance": form}, error=refusal.message, status=refusal.status
        )
    case.refresh_from_db()
    return _panel(request, case, today=_local(at), message=_("已移送至“%(stage)s”。") % {"stage": visit.stage.name})


@require_POST
@staff_required(Capability.LEAD_TEAM)
def visit_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    """Give the case's current stage to an executor of the holding team (its leader or the bureau chief)."""
    at = timezone.now()
    case = _case(request, case_id, write=True)
    people = selectors.case_current_stage(case=case, today=_local(at)).team_members
    form = VisitAssignForm(request.POST, people=people)
    if not form.is_valid():
        return _panel(
            request, case, today=_local(at), bound={"assign": form}, error=_("请检查填写的内容。"), status=400
        )
    executor = next(person for person in people if person.pk == form.cleaned_data["executor_id"])
    try:
        services.visit_assign(case=case, executor=executor, actor=request.user, at=at)
    except ApplicationError as refusal:
        _apply_error(form, refusal)
        return _panel(
            request, case, today=_local(at), bound={"assign": form}, error=refusal.message, status=refusal.status
        )
    case.refresh_from_db()
    name = executor.name or executor.username
    return _panel(request, case, today=_local(at), message=_("已指定%(name)s承办。") % {"name": name})


@require_POST
@staff_required(Capability.ACT)
def period_extension(request: HttpRequest, case_id: int) -> HttpResponse:
    """Apply for a 3-month extension of the case's execution period (to the president's approval)."""
    at = timezone.now()
    case = _case(request, case_id, write=True)
    form = PeriodExtensionForm(request.POST)
    if not form.is_valid():
        return _panel(
            request, case, today=_local(at), bound={"extension": form}, error=_("请检查填写的内容。"), status=400
        )
    try:
        approval = services.period_extension_request(
            case=case, actor=request.user, reason=form.cleaned_data["reason"], at=at
        )
    except ExecutionPeriod.DoesNotExist:  # a case filed before deadline control has no clock to extend
        return _panel(
            request,
            case,
            today=_local(at),
            bound={"extension": form},
            error=_("本案没有执行期限记录，不能申请延长。"),
            status=409,
        )
    except ApplicationError as refusal:
        _apply_error(form, refusal)
        return _panel(
            request, case, today=_local(at), bound={"extension": form}, error=refusal.message, status=refusal.status
        )
    return _panel(request, case, today=_local(at), message=_("已提交审批：%(title)s。") % {"title": approval.title})


@require_POST
@staff_required(Capability.ACT)
def period_event(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record the start or end of an excluded period (评估、拍卖、公告、管辖争议、协调); the clock moves with it."""
    at = timezone.now()
    scope: CourtScope = request.scope
    if not (scope.can(Capability.EXECUTE_CASES) or scope.can(Capability.LEAD_TEAM)):
        raise PermissionDenied(_("只有执行员、团队长或执行局局长可以登记扣除期间事项。"))
    case = _case(request, case_id, write=True)
    form = PeriodEventForm(request.POST)
    if not form.is_valid():
        return _panel(request, case, today=_local(at), bound={"event": form}, error=_("请检查填写的内容。"), status=400)
    data = form.cleaned_data
    try:
        outcome = services.node_anchor_record(
            case_id=case.pk, trigger=data["trigger"], at=at, on=data["on"], ref=data["ref"], actor=request.user
        )
    except ApplicationError as refusal:
        _apply_error(form, refusal)
        return _panel(
            request, case, today=_local(at), bound={"event": form}, error=refusal.message, status=refusal.status
        )
    label = dict(form.fields["trigger"].choices)[data["trigger"]]
    if outcome.period_changed:
        message = _("已登记“%(event)s”（%(on)s），执行期限已重新计算。") % {
            "event": label,
            "on": data["on"].isoformat(),
        }
    else:
        message = _("已登记“%(event)s”（%(on)s），执行期限未变。") % {"event": label, "on": data["on"].isoformat()}
    return _panel(request, case, today=_local(at), message=message)


# --- the alert inbox -------------------------------------------------------------------------------------


def _inbox(request: HttpRequest, *, include_resolved: bool, error: str = "", status: int = 200) -> HttpResponse:
    inbox = selectors.alert_inbox_page(scope=request.scope, user=request.user, include_resolved=include_resolved)
    context = {"inbox": inbox, "error": error, "show": "all" if include_resolved else "open"}
    partial = request.htmx and request.htmx.target == "flow-inbox"
    return render(
        request, "flow/inbox/partials/alerts.html" if partial else "flow/inbox/inbox.html", context, status=status
    )


@require_GET
@staff_required()
def inbox(request: HttpRequest) -> HttpResponse:
    """List the person's alerts (to them, or to one of their roles in their court), newest first."""
    return _inbox(request, include_resolved=InboxFilterForm(request.GET).include_resolved())


@require_POST
@staff_required()
def alert_read(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Mark an alert read (not audited); answer with the inbox list re-rendered."""
    at = timezone.now()
    scope: CourtScope = request.scope
    include_resolved = InboxFilterForm(request.POST).include_resolved()
    roles = _roles(scope)
    try:  # an alert to someone else is a 404, as another court's object is
        alert = selectors.alert_addressed_get(
            user=request.user, court_id=scope.court.pk, roles=roles, alert_id=alert_id
        )
        core_services.alert_mark_read(
            alert_id=alert.pk, user=request.user, at=at, user_roles=roles, user_court_id=scope.court.pk
        )
    except Alert.DoesNotExist:
        raise Http404(_("未找到该提醒。")) from None
    except ApplicationError as refusal:
        return _inbox(request, include_resolved=include_resolved, error=refusal.message, status=refusal.status)
    if not request.htmx:
        return redirect(f"{reverse('flow:inbox')}?show={'all' if include_resolved else 'open'}")
    return _inbox(request, include_resolved=include_resolved)


# --- today's work ----------------------------------------------------------------------------------------


@require_GET
@staff_required()
def today(request: HttpRequest) -> HttpResponse:
    """List the open nodes of the person's cases due within 3 days or overdue: overdue, today, the next days."""
    work = selectors.today_work(
        user=request.user, court_id=request.scope.court.pk, today=timezone.localdate(), within_days=3
    )
    groups = [
        ("overdue", _("已超期"), "bad", work.overdue),
        ("today", _("今日到期"), "warn", work.due_today),
        ("upcoming", _("%(days)s日内到期") % {"days": work.within_days}, "", work.upcoming),
    ]
    return render(request, "flow/inbox/today.html", {"work": work, "groups": groups})


# --- approvals -------------------------------------------------------------------------------------------


def _approvals(
    request: HttpRequest,
    *,
    bound: dict[int, ApprovalDecideForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    page = selectors.approvals_page(scope=request.scope, user=request.user)
    # The pending list holds only the steps waiting for one of the person's roles in their court (an
    # upper court's supervisor decides the step that goes up to the high court); the service checks again.
    may_decide = True
    pending = [
        (
            line,
            (bound.get(line.approval.pk) or ApprovalDecideForm(auto_id=f"approval-{line.approval.pk}-%s"))
            if may_decide
            else None,
        )
        for line in page.pending
    ]
    context = {"page": page, "pending": pending, "error": error}
    return render(request, "flow/inbox/approvals.html", context, status=status)


@require_GET
@staff_required()
def approvals(request: HttpRequest) -> HttpResponse:
    """List the approvals waiting for the person's roles in their court, and those the person asked for."""
    return _approvals(request)


@require_POST
@staff_required()
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    """Decide the current step of an approval (同意/不同意, with the reason); the service checks the role and court."""
    at = timezone.now()
    scope: CourtScope = request.scope
    form = ApprovalDecideForm(request.POST, auto_id=f"approval-{approval_id}-%s")
    if not form.is_valid():
        return _approvals(request, bound={approval_id: form}, error=_("请检查填写的内容。"), status=400)
    try:
        approval = core_services.approval_decide(
            approval_id=approval_id,
            approver=request.user,
            approver_roles=_roles(scope),
            approver_court_id=scope.court.pk,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            at=at,
        )
    except Approval.DoesNotExist:
        raise Http404(_("未找到该审批。")) from None
    except ApplicationError as refusal:
        _apply_error(form, refusal)
        return _approvals(request, bound={approval_id: form}, error=refusal.message, status=refusal.status)
    messages.success(
        request,
        _("已审批“%(title)s”：%(status)s。") % {"title": approval.title, "status": approval.get_status_display()},
    )
    return redirect("flow:approvals")
