"""
Configuration pages of flow: the routing model (diagram, tables, history, presets), its editor, the node catalogue.

Everyone on the court's staff reads them (supervisors may pick a court below theirs with ``?court=``);
only the court's administrators and its bureau chief change them, and every change goes through an
audited service. A refused save is shown next to the rows it names, with everything typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.core.errors import ApplicationError
from zhixing.courts.access import CourtScope, staff_required
from zhixing.courts.rules import Capability
from zhixing.flow import selectors, services
from zhixing.flow.forms_board import CourtChoiceForm
from zhixing.flow.forms_model import ModelEditForms, NodeSettingForm, PresetLoadForm


def _check_configurer(scope: CourtScope) -> None:
    """Refuse anyone but the court's administrators and bureau chief (the service checks again)."""
    if not selectors.may_configure_flow(scope=scope, court_id=scope.court.pk if scope.court else None):
        raise PermissionDenied(_("只有本院系统管理员或执行局局长可以修改流程模型和节点设置。"))


def _court_id(request: HttpRequest) -> int | None:
    form = CourtChoiceForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404(_("法院参数无效。"))
    return form.cleaned_data.get("court") if form.is_bound else None


# --- the routing model ------------------------------------------------------------------------------


def _model_response(request: HttpRequest, *, preset_form: Any = None, status: int = 200) -> HttpResponse:
    page = selectors.routing_model_overview(scope=request.scope, court_id=_court_id(request))
    context = {"page": page, "preset_form": preset_form or PresetLoadForm()}
    return render(request, "flow/model/model.html", context, status=status)


@require_GET
@staff_required(Capability.VIEW_COURT)
def model(request: HttpRequest) -> HttpResponse:
    """Show the court's current routing model as a diagram and as tables, its versions, or the presets to load."""
    return _model_response(request)


@require_POST
@staff_required(Capability.VIEW_COURT)
def model_load_preset(request: HttpRequest) -> HttpResponse:
    """Load a preset as the court's routing model (administrators and the bureau chief)."""
    _check_configurer(request.scope)
    form = PresetLoadForm(request.POST)
    if not form.is_valid():
        return _model_response(request, preset_form=form, status=400)
    try:
        loaded = services.routing_model_load_preset(
            court=request.scope.court, preset=form.cleaned_data["preset"], actor=request.user, at=timezone.now()
        )
    except ApplicationError as error:
        form.add_error("preset" if "preset" in error.fields else None, error.message)
        return _model_response(request, preset_form=form, status=error.status)
    messages.success(
        request, _("已载入流程模型“%(name)s”（第%(version)s版）。") % {"name": loaded.name, "version": loaded.version}
    )
    return redirect("flow:model")


def _editor_response(request: HttpRequest, *, editor: Any, forms: ModelEditForms, status: int = 200) -> HttpResponse:
    stage_codes = sorted({row["code"] for row in editor.stages})
    context = {"editor": editor, "forms": forms, "stage_codes": stage_codes}
    return render(request, "flow/model/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required(Capability.VIEW_COURT)
def model_edit(request: HttpRequest) -> HttpResponse:
    """Edit the court's current model; every save is a new version (optionally carrying the cases in flight)."""
    _check_configurer(request.scope)
    editor = selectors.routing_model_editor(scope=request.scope)
    if request.method != "POST":
        forms = ModelEditForms.initial(
            name=editor.name,
            description=editor.description,
            stages=editor.stages,
            edges=editor.edges,
            teams=editor.teams,
        )
        return _editor_response(request, editor=editor, forms=forms)
    add = request.POST.get("add", "")
    forms = ModelEditForms.bound(request.POST, teams=editor.teams, add=add)
    if add:
        return _editor_response(request, editor=editor, forms=forms)
    if not forms.is_valid():
        return _editor_response(request, editor=editor, forms=forms, status=400)
    header = forms.header_data
    try:
        saved = services.routing_model_save(
            court=request.scope.court,
            spec=forms.spec(),
            pools=forms.pools(),
            note=header["change_note"],
            actor=request.user,
            at=timezone.now(),
            migrate_in_flight=header["migrate_in_flight"],
        )
    except ApplicationError as error:
        forms.add_service_errors(error)
        return _editor_response(request, editor=editor, forms=forms, status=error.status)
    messages.success(request, _("已保存为流程模型第%(version)s版。") % {"version": saved.version})
    return redirect("flow:model")


# --- the node catalogue ----------------------------------------------------------------------------


def _nodes_response(
    request: HttpRequest, *, line: Any, form: Any = None, saved: bool = False, status: int = 200
) -> HttpResponse:
    if request.htmx:
        context = {"line": line, "form": form, "saved": saved, "may_edit": True}
        return render(request, "flow/model/partials/node_row.html", context, status=status)
    page = selectors.node_catalogue_page(scope=request.scope, court_id=None)
    context = {"page": page, "error_code": line.code, "error_form": form}
    return render(request, "flow/model/nodes.html", context, status=status)


@require_GET
@staff_required(Capability.VIEW_COURT)
def nodes(request: HttpRequest) -> HttpResponse:
    """Show every node of the catalogue with its legal basis and the court's own period and warning lead."""
    page = selectors.node_catalogue_page(scope=request.scope, court_id=_court_id(request))
    return render(request, "flow/model/nodes.html", {"page": page})


@require_POST
@staff_required(Capability.VIEW_COURT)
def node_setting(request: HttpRequest, code: str) -> HttpResponse:
    """Set the court's tighter period and warning lead of one node; answer htmx with the row re-rendered."""
    _check_configurer(request.scope)
    line = selectors.node_catalogue_line(scope=request.scope, code=code)
    if line is None:
        raise Http404(_("没有该流程节点。"))
    form = NodeSettingForm(request.POST, prefix=code)
    if not form.is_valid():
        return _nodes_response(request, line=line, form=form, status=400)
    try:
        services.court_node_setting_set(
            court=request.scope.court,
            code=code,
            amount=form.cleaned_data["amount"],
            warn_days=form.cleaned_data["warn_days"],
            actor=request.user,
            at=timezone.now(),
        )
    except ApplicationError as error:
        for field, problem in error.fields.items():
            form.add_error(field if field in form.fields else None, problem)
        if not error.fields:
            form.add_error(None, error.message)
        return _nodes_response(request, line=line, form=form, status=error.status)
    if not request.htmx:
        messages.success(request, _("已设置本院“%(name)s”的期限。") % {"name": line.node_type.name})
        return redirect("flow:nodes")
    return _nodes_response(request, line=selectors.node_catalogue_line(scope=request.scope, code=code), saved=True)
