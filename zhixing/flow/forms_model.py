"""
Forms of the routing-model and node-catalogue pages: input shape only.

Whether a model holds together (every stage reaches a closing stage, one entry per triage class, limits
in range) is decided by ``rules.graph.model_problems`` inside ``services.routing_model_save``; the editor
only turns the typed rows into a ``ModelSpec`` and puts the service's reasons back next to the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.forms import formset_factory
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zhixing.core.errors import ApplicationError
from zhixing.flow.choices import AssignBy, EdgeTrigger, LimitUnit, StageHolder
from zhixing.flow.presets import PRESETS
from zhixing.flow.rules.graph import EdgeSpec, ModelSpec, StageSpec

_CODE = RegexValidator(r"^[a-z0-9_-]+$", _("代码只能用小写英文字母、数字、下划线或连字符。"))
_NUMBER = {"invalid": _("请填写整数。")}
_SMALL = {"size": 4, "class": "narrow"}
TRIAGE_CHOICES = [("", _("不限")), ("simple", _("简案")), ("complex", _("繁案"))]


def _number(label: str, *, initial: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        initial=initial,
        error_messages=_NUMBER,
        widget=forms.NumberInput(attrs=_SMALL),
    )


class PresetLoadForm(forms.Form):
    """Which preset to load as the court's first routing model."""

    preset = forms.ChoiceField(
        label=_("预设流程模型"),
        choices=[(code, code) for code in PRESETS],
        error_messages={"required": _("请选择预设。"), "invalid_choice": _("没有该预设。")},
    )


class ModelHeaderForm(forms.Form):
    """The model's name and description, the change note, and whether the cases in flight move over."""

    name = forms.CharField(
        label=_("模型名称"),
        max_length=64,
        widget=forms.TextInput(attrs={"size": 50}),
        error_messages={"required": _("请填写流程模型名称。")},
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 80}))
    change_note = forms.CharField(
        label=_("修改说明"),
        max_length=200,
        widget=forms.TextInput(attrs={"size": 60}),
        error_messages={"required": _("请填写修改说明。"), "max_length": _("修改说明不超过200字。")},
    )
    migrate_in_flight = forms.BooleanField(label=_("把在办案件迁移到新版本"), required=False)


class StageForm(forms.Form):
    """One stage row of the editor."""

    code = forms.CharField(
        label=_("代码"),
        max_length=32,
        validators=[_CODE],
        widget=forms.TextInput(attrs={"size": 10}),
        error_messages={"required": _("请填写流程段代码。")},
    )
    name = forms.CharField(
        label=_("名称"),
        max_length=32,
        widget=forms.TextInput(attrs={"size": 10}),
        error_messages={"required": _("请填写流程段名称。")},
    )
    holder = forms.ChoiceField(label=_("承办方式"), choices=StageHolder.choices, initial=StageHolder.TEAM)
    pool = forms.MultipleChoiceField(label=_("团队池"), required=False, widget=forms.CheckboxSelectMultiple)
    assign_by = forms.ChoiceField(label=_("分案方式"), choices=AssignBy.choices, initial=AssignBy.LOAD)
    limit_amount = _number(_("办理期限"))
    limit_unit = forms.ChoiceField(label=_("期限单位"), choices=LimitUnit.choices, initial=LimitUnit.MONTHS)
    sideways_max = _number(_("横向移交次数"), initial=0)
    sideways_limit_amount = _number(_("移交后期限"))
    sideways_limit_unit = forms.ChoiceField(
        label=_("移交后期限单位"), choices=LimitUnit.choices, initial=LimitUnit.MONTHS
    )
    points = _number(_("积分"), initial=0)
    warn_days = _number(_("预警提前天数"), initial=5)
    is_closing = forms.BooleanField(label=_("结案段"), required=False)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [(str(pk), name) for pk, name in teams]
        self.fields["pool"].error_messages["invalid_choice"] = _("团队池中有不属于本院或已停用的团队。")

    def spec(self) -> StageSpec:
        """Return the row as a stage of a ``ModelSpec`` (the pool is filled in by the service from the team ids)."""
        data = self.cleaned_data
        return StageSpec(
            code=data["code"],
            name=data["name"].strip(),
            holder=data["holder"],
            assign_by=data["assign_by"],
            limit_amount=data["limit_amount"],
            limit_unit=data["limit_unit"],
            sideways_max=data["sideways_max"] or 0,
            sideways_limit_amount=data["sideways_limit_amount"],
            sideways_limit_unit=data["sideways_limit_unit"],
            points=data["points"] or 0,
            is_closing=data["is_closing"],
            warn_days=5 if data["warn_days"] is None else data["warn_days"],
        )


class EdgeForm(forms.Form):
    """One edge row of the editor: from a stage (blank: the entry) to a stage, by a trigger."""

    source = forms.CharField(
        label=_("来源段"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"size": 10, "list": "stage-codes", "placeholder": _("空白为入口")}),
    )
    target = forms.CharField(
        label=_("去向段"),
        max_length=32,
        widget=forms.TextInput(attrs={"size": 10, "list": "stage-codes"}),
        error_messages={"required": _("请填写去向流程段代码。")},
    )
    trigger = forms.ChoiceField(label=_("流转方式"), choices=EdgeTrigger.choices, initial=EdgeTrigger.ADVANCE)
    triage_class = forms.ChoiceField(label=_("适用繁简"), choices=TRIAGE_CHOICES, required=False, initial="")
    label = forms.CharField(label=_("说明"), required=False, max_length=64, widget=forms.TextInput(attrs={"size": 16}))
    limit_amount = _number(_("经此进入时的期限"))
    limit_unit = forms.ChoiceField(label=_("期限单位"), choices=LimitUnit.choices, initial=LimitUnit.MONTHS)

    def spec(self) -> EdgeSpec:
        """Return the row as an edge of a ``ModelSpec``."""
        data = self.cleaned_data
        return EdgeSpec(
            source=data["source"].strip(),
            target=data["target"].strip(),
            trigger=data["trigger"],
            triage_class=data["triage_class"] or "",
            label=data["label"].strip(),
            limit_amount=data["limit_amount"],
            limit_unit=data["limit_unit"],
        )

    @property
    def where(self) -> str:
        """Return how the model's checks name this edge (``入口→suzhi``, ``suzhi→closing``)."""
        data = getattr(self, "cleaned_data", {})
        return f"{data.get('source') or '入口'}→{data.get('target', '')}"


StageFormSet = formset_factory(StageForm, extra=1, can_delete=True)
EdgeFormSet = formset_factory(EdgeForm, extra=1, can_delete=True)


class ModelEditForms:
    """The editor as one unit: the header form and the stage and edge formsets, bound or initial."""

    def __init__(self, *, header: ModelHeaderForm, stages: Any, edges: Any) -> None:
        self.header = header
        self.stages = stages
        self.edges = edges
        self.problem = ""

    @classmethod
    def initial(
        cls,
        *,
        name: str,
        description: str,
        stages: list[dict[str, Any]],
        edges: list[dict[str, Any]],
        teams: list[tuple[int, str]],
    ) -> ModelEditForms:
        """Return the editor filled with the current model's rows."""
        return cls(
            header=ModelHeaderForm(initial={"name": name, "description": description}),
            stages=StageFormSet(prefix="stages", initial=stages, form_kwargs={"teams": teams}),
            edges=EdgeFormSet(prefix="edges", initial=edges),
        )

    @classmethod
    def bound(cls, data: QueryDict, *, teams: list[tuple[int, str]], add: str = "") -> ModelEditForms:
        """Return the editor bound to ``data``; ``add`` ("stage" or "edge") appends one blank row of that kind."""
        if add in ("stage", "edge"):
            data = data.copy()
            key = f"{add}s-TOTAL_FORMS"
            try:
                data[key] = str(int(data.get(key, "0")) + 1)
            except ValueError:
                data[key] = "1"
        return cls(
            header=ModelHeaderForm(data),
            stages=StageFormSet(data, prefix="stages", form_kwargs={"teams": teams}),
            edges=EdgeFormSet(data, prefix="edges"),
        )

    def is_valid(self) -> bool:
        """Return whether every part is well formed (all are checked, so every error shows at once)."""
        results = [self.header.is_valid(), self.stages.is_valid(), self.edges.is_valid()]
        return all(results)

    def _kept(self, formset: Any) -> Iterator[Any]:
        for form in formset.forms:
            if getattr(form, "cleaned_data", {}).get("DELETE", False):
                continue
            if not form.has_changed() and form.empty_permitted:
                continue
            yield form

    def spec(self) -> ModelSpec:
        """Return the typed model as a ``ModelSpec`` (rows in the order shown, deleted and blank rows left out)."""
        return ModelSpec(
            name=self.header.cleaned_data["name"].strip(),
            description=self.header.cleaned_data["description"].strip(),
            stages=tuple(form.spec() for form in self._kept(self.stages)),
            edges=tuple(form.spec() for form in self._kept(self.edges)),
        )

    def pools(self) -> dict[str, list[int]]:
        """Return the team ids of each stage's pool, by stage code."""
        return {
            form.cleaned_data["code"]: [int(pk) for pk in form.cleaned_data["pool"]] for form in self._kept(self.stages)
        }

    @property
    def header_data(self) -> dict[str, Any]:
        """Return the header's cleaned values."""
        return self.header.cleaned_data

    def add_service_errors(self, error: ApplicationError) -> None:
        """Put a refused save's reasons next to the rows they name: a stage by its code, an edge, or the model."""
        self.problem = error.message
        stages = {form.cleaned_data.get("code"): form for form in self._kept(self.stages)}
        edges = list(self._kept(self.edges))
        for key, message in error.fields.items():
            if key in self.header.fields:
                self.header.add_error(key, message)
            elif key in stages:
                stages[key].add_error(None, message)
            elif matching := [form for form in edges if form.where == key]:
                for form in matching:
                    form.add_error(None, message)
            else:
                self.header.add_error(None, message)


class NodeSettingForm(forms.Form):
    """The court's own period and warning lead for one node (blank: the law's period, the default lead)."""

    amount = forms.IntegerField(
        label=_("本院期限"), required=False, error_messages=_NUMBER, widget=forms.NumberInput(attrs=_SMALL)
    )
    warn_days = forms.IntegerField(
        label=_("预警提前天数"), required=False, error_messages=_NUMBER, widget=forms.NumberInput(attrs=_SMALL)
    )
