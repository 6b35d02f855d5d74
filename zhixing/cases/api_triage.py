"""API of triage: read a case's class and reasons, and a team leader's override."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhixing.cases import selectors, services
from zhixing.cases.choices import TriageClass
from zhixing.core.errors import ValidationFailed
from zhixing.courts.access import IsCourtStaff, require
from zhixing.courts.rules import Capability


class _FiredRuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    explanation = serializers.CharField()
    simplifies = serializers.BooleanField()


class _TriageEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    result = serializers.CharField()
    result_label = serializers.CharField()
    fired = _FiredRuleSerializer(many=True)
    rule_set_label = serializers.CharField()
    is_override = serializers.BooleanField()
    override_reason = serializers.CharField()
    decided_by = serializers.CharField()
    decided_at = serializers.DateTimeField()


class CaseTriageApi(APIView):
    """The class of a case (简案/繁案), the rules that fired with their numbers, and the history."""

    permission_classes = [IsCourtStaff]

    class OutputSerializer(serializers.Serializer):
        case_id = serializers.IntegerField()
        case_number = serializers.CharField()
        triage_class = serializers.CharField()
        triage_class_label = serializers.CharField()
        current = _TriageEntrySerializer(allow_null=True)
        history = _TriageEntrySerializer(many=True)
        can_override = serializers.BooleanField()

    @extend_schema(summary="查看案件的繁简分流", responses=OutputSerializer)
    def get(self, request: Request, case_id: int) -> Response:
        case = selectors.case_get(scope=request.scope, case_id=case_id)
        panel = selectors.case_triage_panel(scope=request.scope, case=case)
        return Response(self.OutputSerializer(panel).data)


class CaseTriageOverrideApi(APIView):
    """A team leader of the case's court sets its class, with the reason (audited)."""

    permission_classes = [IsCourtStaff]

    class InputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(
            choices=[TriageClass.SIMPLE.value, TriageClass.COMPLEX.value],
            error_messages={
                "required": "请提供分流结果 result。",
                "invalid_choice": "result 只能是 simple（简案）或 complex（繁案）。",
            },
        )
        reason = serializers.CharField(
            max_length=500,
            error_messages={"required": "请填写调整理由 reason。", "blank": "请填写调整理由 reason。"},
        )

    @extend_schema(summary="人工调整繁简分流", request=InputSerializer, responses=CaseTriageApi.OutputSerializer)
    def post(self, request: Request, case_id: int) -> Response:
        require(request.scope, Capability.LEAD_TEAM)
        case = selectors.case_get(scope=request.scope, case_id=case_id)
        if not request.scope.may_write(case.court_id):
            raise PermissionDenied("您对该法院的数据只有查看权限。")
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            fields = {name: [str(e) for e in errors] for name, errors in serializer.errors.items()}
            raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
        services.case_triage_override(
            case=case,
            result=serializer.validated_data["result"],
            reason=serializer.validated_data["reason"],
            actor=request.user,
            at=timezone.now(),
        )
        panel = selectors.case_triage_panel(scope=request.scope, case=case)
        return Response(CaseTriageApi.OutputSerializer(panel).data)
