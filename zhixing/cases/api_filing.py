"""
API of filing: create a case (``POST /api/v1/cases/``), edit it (``PATCH /api/v1/cases/<id>/``), assign it.

The create body is shaped like :class:`~zhixing.cases.inputs.CaseFilingInput`. Every refusal is a 400
whose ``fields`` maps each bad path (``debtors[1].id_number``) to a Chinese message naming the field,
whether the shape was wrong (the serializer) or a rule was broken (the service); nothing is saved.

The collection and item views extend the workbench's read views (``api_list``) with these writes, so
that one path serves both methods.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhixing.cases import api_list, selectors, services
from zhixing.cases.choices import (
    BasisKind,
    CaseType,
    ControlKind,
    DebtorAttitude,
    LimitationEventKind,
    PartyKind,
    PartyRole,
)
from zhixing.cases.inputs import (
    AgentInput,
    CaseFilingInput,
    DeferralInput,
    LimitationEventInput,
    PartyInput,
    PreservationInput,
)
from zhixing.core.errors import ValidationFailed
from zhixing.courts.access import IsCourtStaff, require
from zhixing.courts.rules import Capability

_AMOUNT: dict[str, Any] = {"max_digits": None, "decimal_places": None, "coerce_to_string": True}

#: Chinese names of the input's fields and sections, for messages about the request's shape.
_LABELS = {
    "type_code": "案件类型",
    "application_received_on": "收到申请日期",
    "amount_claimed": "申请执行标的额",
    "costs": "执行费用",
    "basis_issuing_body": "执行依据作出机关",
    "basis_document_number": "执行依据文书号",
    "basis_effective_on": "执行依据生效日期",
    "basis_performance_due_on": "履行期限届满日期",
    "basis_kind": "执行依据类别",
    "basis_obligations": "执行依据确定的义务",
    "trial_case_number": "原审案号",
    "debtor_attitude": "被执行人履行态度",
    "team_id": "承办团队",
    "executor_id": "承办人",
    "applicants": "申请执行人",
    "debtors": "被执行人",
    "agents": "委托代理人",
    "agent": "代理人",
    "preservations": "保全措施",
    "limitation_events": "时效事由",
    "deferral": "暂缓立案",
    "kind": "类型",
    "name": "姓名或名称",
    "id_number": "身份证号",
    "credit_code": "统一社会信用代码",
    "phone": "联系电话",
    "address": "住所地",
    "legal_representative": "法定代表人",
    "employer": "工作单位",
    "is_public_servant": "公职人员",
    "principal_role": "被代理人身份",
    "principal_index": "被代理人序号",
    "property_description": "财产",
    "location": "财产所在地或协助单位",
    "active_from": "起始日期",
    "active_to": "届满日期",
    "amount": "金额",
    "ruling_number": "保全裁定书号",
    "occurred_on": "发生日期",
    "reason": "理由",
    "evidence": "证据",
    "consent_on": "申请执行人同意日期",
    "consent_evidence": "申请执行人同意的证明",
    "executor": "承办人",
    "team": "承办团队",
}


def _describe(path: list[str | int]) -> str:
    words: list[str] = []
    for part in path:
        if isinstance(part, int):
            words[-1:] = [f"{words[-1] if words else ''}{part + 1}"]
        else:
            words.append(_LABELS.get(part, part))
    return "的".join(words)


def _path(parts: list[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _flatten(errors: Any, prefix: list[str | int], out: dict[str, str]) -> None:
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                _flatten(value, prefix, out)
            else:
                _flatten(value, [*prefix, int(key) if isinstance(key, int) else str(key)], out)
    elif isinstance(errors, list) and errors and all(isinstance(item, str) for item in errors):
        out.setdefault(_path(prefix) or "non_field_errors", f"{_describe(prefix) or '请求'}：{errors[0]}")
    elif isinstance(errors, list):
        for index, item in enumerate(errors):
            if item:
                _flatten(item, [*prefix, index], out)


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    """Return the validated data, or raise ValidationFailed naming each bad path in Chinese."""
    if not serializer.is_valid():
        fields: dict[str, str] = {}
        _flatten(serializer.errors, [], fields)
        raise ValidationFailed("提交的数据有误：" + "；".join(fields.values()) + "。", fields=fields)
    return serializer.validated_data


class FilingPartySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    name = serializers.CharField(max_length=100, allow_blank=True)
    id_number = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    credit_code = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    legal_representative = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    employer = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    is_public_servant = serializers.BooleanField(required=False, default=False)


class FilingAgentSerializer(serializers.Serializer):
    agent = FilingPartySerializer()
    principal_role = serializers.ChoiceField(choices=[PartyRole.APPLICANT.value, PartyRole.DEBTOR.value])
    principal_index = serializers.IntegerField(
        min_value=0, help_text="被代理人在 applicants 或 debtors 中的序号（从0起）"
    )


class FilingPreservationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ControlKind.choices)
    property_description = serializers.CharField(max_length=200, allow_blank=True)
    location = serializers.CharField(max_length=200, allow_blank=True)
    active_from = serializers.DateField()
    active_to = serializers.DateField(help_text="届满日期（不含）")
    amount = serializers.DecimalField(required=False, allow_null=True, default=None, **_AMOUNT)
    ruling_number = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class FilingLimitationEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LimitationEventKind.choices)
    occurred_on = serializers.DateField()
    reason = serializers.CharField(max_length=200, allow_blank=True)
    evidence = serializers.CharField(max_length=200, allow_blank=True)


class FilingDeferralSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    consent_on = serializers.DateField()
    consent_evidence = serializers.CharField(max_length=200, allow_blank=True)


def _party(data: dict[str, Any]) -> PartyInput:
    return PartyInput(**data)


class CaseCollectionApi(api_list.CaseCollectionApi):
    """The case list (workbench), and filing a case in the caller's own court (立案)."""

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        type_code = serializers.ChoiceField(choices=CaseType.choices)
        application_received_on = serializers.DateField()
        amount_claimed = serializers.DecimalField(**_AMOUNT)
        costs = serializers.DecimalField(required=False, default=Decimal("0.00"), **_AMOUNT)
        basis_issuing_body = serializers.CharField(allow_blank=True)
        basis_document_number = serializers.CharField(allow_blank=True)
        basis_effective_on = serializers.DateField()
        basis_performance_due_on = serializers.DateField(required=False, allow_null=True, default=None)
        basis_kind = serializers.ChoiceField(choices=BasisKind.choices)
        basis_obligations = serializers.CharField(allow_blank=True)
        trial_case_number = serializers.CharField(required=False, default="", allow_blank=True)
        debtor_attitude = serializers.ChoiceField(
            choices=DebtorAttitude.choices, required=False, default=DebtorAttitude.UNKNOWN
        )
        applicants = FilingPartySerializer(many=True, allow_empty=True)
        debtors = FilingPartySerializer(many=True, allow_empty=True)
        agents = FilingAgentSerializer(many=True, required=False, default=list)
        preservations = FilingPreservationSerializer(many=True, required=False, default=list)
        limitation_events = FilingLimitationEventSerializer(many=True, required=False, default=list)
        deferral = FilingDeferralSerializer(required=False, allow_null=True, default=None)
        team_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        executor_id = serializers.IntegerField(required=False, allow_null=True, default=None)

    class CreatedSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        number = serializers.CharField(help_text="案号")
        status = serializers.CharField()

    @extend_schema(
        operation_id="case_create",
        summary="立案（新建执行案件）",
        request=InputSerializer,
        responses={201: CreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        require(request.scope, Capability.FILE_CASES)
        data = _valid(self.InputSerializer(data=request.data))
        filing = CaseFilingInput(
            **{
                **data,
                "applicants": tuple(_party(p) for p in data["applicants"]),
                "debtors": tuple(_party(p) for p in data["debtors"]),
                "agents": tuple(
                    AgentInput(
                        agent=_party(a["agent"]),
                        principal_role=a["principal_role"],
                        principal_index=a["principal_index"],
                    )
                    for a in data["agents"]
                ),
                "preservations": tuple(PreservationInput(**p) for p in data["preservations"]),
                "limitation_events": tuple(LimitationEventInput(**e) for e in data["limitation_events"]),
                "deferral": DeferralInput(**data["deferral"]) if data["deferral"] else None,
            }
        )
        case = services.case_file(court=request.scope.court, data=filing, actor=request.user, at=timezone.now())
        return Response(self.CreatedSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseItemApi(api_list.CaseItemApi):
    """One case (workbench), and the correction of its editable fields (filing clerks, team leaders)."""

    permission_classes = [IsCourtStaff]

    class UpdateInputSerializer(serializers.Serializer):
        amount_claimed = serializers.DecimalField(required=False, **_AMOUNT)
        costs = serializers.DecimalField(required=False, **_AMOUNT)
        basis_issuing_body = serializers.CharField(required=False, allow_blank=True)
        basis_document_number = serializers.CharField(required=False, allow_blank=True)
        basis_obligations = serializers.CharField(required=False, allow_blank=True)
        basis_effective_on = serializers.DateField(required=False)
        basis_performance_due_on = serializers.DateField(required=False, allow_null=True)
        trial_case_number = serializers.CharField(required=False, allow_blank=True)
        debtor_attitude = serializers.ChoiceField(choices=DebtorAttitude.choices, required=False)

    class UpdatedSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        number = serializers.CharField(help_text="案号")
        amount_claimed = serializers.DecimalField(max_digits=18, decimal_places=2)
        costs = serializers.DecimalField(max_digits=18, decimal_places=2)
        basis_issuing_body = serializers.CharField()
        basis_document_number = serializers.CharField()
        basis_obligations = serializers.CharField()
        basis_effective_on = serializers.DateField()
        basis_performance_due_on = serializers.DateField(allow_null=True)
        trial_case_number = serializers.CharField()
        debtor_attitude = serializers.CharField()

    @extend_schema(
        operation_id="case_update", summary="修改案件信息", request=UpdateInputSerializer, responses=UpdatedSerializer
    )
    def patch(self, request: Request, case_id: int) -> Response:
        if not (request.scope.can(Capability.FILE_CASES) or request.scope.can(Capability.LEAD_TEAM)):
            raise PermissionDenied("您的角色无权修改案件信息。")
        case = selectors.case_get(scope=request.scope, case_id=case_id)
        if not request.scope.may_write(case.court_id):
            raise PermissionDenied("您对该法院的数据只有查看权限。")
        changes = _valid(self.UpdateInputSerializer(data=request.data, partial=True))
        case = services.case_update(case=case, changes=changes, actor=request.user, at=timezone.now())
        return Response(self.UpdatedSerializer(case).data)


class CaseAssignApi(APIView):
    """Manual assignment (分案): a team and an executor of the case's court (team leaders, bureau chiefs)."""

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        team_id = serializers.IntegerField()
        executor_id = serializers.IntegerField()

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        number = serializers.CharField(help_text="案号")
        team_id = serializers.IntegerField(allow_null=True)
        executor_id = serializers.IntegerField(allow_null=True)

    @extend_schema(operation_id="case_assign", summary="分案", request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, case_id: int) -> Response:
        require(request.scope, Capability.LEAD_TEAM)
        case = selectors.case_get(scope=request.scope, case_id=case_id)
        if not request.scope.may_write(case.court_id):
            raise PermissionDenied("您对该法院的数据只有查看权限。")
        data = _valid(self.InputSerializer(data=request.data))
        case = services.case_assign(
            case=case, team=data["team_id"], executor=data["executor_id"], actor=request.user, at=timezone.now()
        )
        return Response(self.OutputSerializer(case).data)
