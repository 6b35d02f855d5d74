"""Forms of the progress panel, the inbox and the approvals page: shape checks only; the rules live in services."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.core.choices import ApprovalDecisionKind
from zhixing.flow.choices import AnchorTrigger

#: The events of an excluded period an executor records on the panel (审限规定 第9条; 执行程序解释 第10条–第13条).
#: 中止 and 暂缓 are not here: they follow the case's status.
PERIOD_EVENTS: tuple[AnchorTrigger, ...] = (
    AnchorTrigger.APPRAISAL_STARTED,
    AnchorTrigger.APPRAISAL_ENDED,
    AnchorTrigger.AUCTION_STARTED,
    AnchorTrigger.AUCTION_ENDED,
    AnchorTrigger.ANNOUNCEMENT_STARTED,
    AnchorTrigger.ANNOUNCEMENT_ENDED,
    AnchorTrigger.JURISDICTION_STARTED,
    AnchorTrigger.JURISDICTION_ENDED,
    AnchorTrigger.COORDINATION_STARTED,
    AnchorTrigger.COORDINATION_ENDED,
)
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _to_int(value: str) -> int:
    return int(value)


class NodeCompleteForm(forms.Form):
    """Completing one node: a document of the case, a measure, or a work note (the service says which suffices)."""

    document_id = forms.TypedChoiceField(
        label=_("凭据文书"),
        required=False,
        coerce=_to_int,
        empty_value=None,
        error_messages={"invalid_choice": _("所选文书不是本案的文书。")},
    )
    measure_ref = forms.CharField(
        label=_("执行措施"),
        required=False,
        max_length=96,
        widget=forms.TextInput(attrs={"placeholder": _("如：总对总查控批次号、冻结裁定书号")}),
        error_messages={"max_length": _("执行措施不超过96字。")},
    )
    note = forms.CharField(
        label=_("工作记录"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("办理情况，不少于10个字")}),
        error_messages={"max_length": _("工作记录不超过2000字。")},
    )

    def __init__(self, *args: Any, documents: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_id"].choices = [("", _("（不选）")), *documents]


class CaseAdvanceForm(forms.Form):
    """Moving the case on along one advance edge of its current stage."""

    edge_id = forms.TypedChoiceField(
        label=_("移送至"),
        coerce=_to_int,
        error_messages={"required": _("请选择去向。"), "invalid_choice": _("所选流转不是当前流程段的去向。")},
    )
    note = forms.CharField(
        label=_("移送说明"),
        required=False,
        max_length=500,
        widget=forms.TextInput(),
        error_messages={"max_length": _("移送说明不超过500字。")},
    )

    def __init__(self, *args: Any, edges: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edge_id"].choices = [
            (edge.pk, f"{edge.label}（→ {edge.target.name}）" if edge.label else edge.target.name) for edge in edges
        ]


class VisitAssignForm(forms.Form):
    """Giving the current stage to an executor of the holding team."""

    executor_id = forms.TypedChoiceField(
        label=_("承办人"),
        coerce=_to_int,
        error_messages={
            "required": _("请选择承办人。"),
            "invalid_choice": _("承办人须为承办团队在职的执行员或团队长。"),
        },
    )

    def __init__(self, *args: Any, people: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["executor_id"].choices = [(person.pk, person.name or person.username) for person in people]


class PeriodExtensionForm(forms.Form):
    """Applying for a 3-month extension of the execution period."""

    reason = forms.CharField(
        label=_("申请理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写申请理由。"), "max_length": _("申请理由不超过1000字。")},
    )


class PeriodEventForm(forms.Form):
    """Recording the start or end of an excluded period (评估、拍卖、公告、管辖争议、协调)."""

    trigger = forms.ChoiceField(
        label=_("事项"),
        choices=[(trigger.value, trigger.label) for trigger in PERIOD_EVENTS],
        error_messages={"required": _("请选择事项。"), "invalid_choice": _("只能登记扣除期间的开始或结束。")},
    )
    on = forms.DateField(
        label=_("日期"),
        widget=_DATE,
        error_messages={"required": _("请填写日期。"), "invalid": _("请输入有效的日期，如 2026-12-01。")},
    )
    ref = forms.CharField(
        label=_("依据（文书号等）"),
        required=False,
        max_length=96,
        error_messages={"max_length": _("依据不超过96字。")},
    )


class ApprovalDecideForm(forms.Form):
    """An approver's decision on the current step of an approval."""

    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=ApprovalDecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择同意或不同意。"), "invalid_choice": _("请选择同意或不同意。")},
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("理由不超过1000字。")},
    )


class InboxFilterForm(forms.Form):
    """Which alerts the inbox lists: the open ones, or all (with those already dealt with)."""

    show = forms.ChoiceField(
        label=_("显示"),
        required=False,
        choices=[("open", _("未消除的提醒")), ("all", _("全部提醒"))],
    )

    def include_resolved(self) -> bool:
        """Return whether to list the resolved alerts too."""
        return self.is_valid() and self.cleaned_data.get("show") == "all"
