"""API of the audit app: the records of the courts in scope, one record, and the last verification."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhixing.audit import selectors
from zhixing.audit.actions import ACTIONS
from zhixing.courts.access import require
from zhixing.courts.rules import Capability


@extend_schema_serializer(component_name="AuditRecord")
class RecordOutput(serializers.Serializer):
    """An audit record as the API shows it."""

    @extend_schema_serializer(component_name="AuditChange")
    class ChangeSerializer(serializers.Serializer):
        name = serializers.CharField()
        before = serializers.CharField()
        after = serializers.CharField()

    id = serializers.IntegerField()
    chain = serializers.IntegerField()
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    court_id = serializers.IntegerField(allow_null=True)
    case_id = serializers.IntegerField(allow_null=True)
    actor_id = serializers.IntegerField(allow_null=True)
    actor_label = serializers.CharField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    subject_type = serializers.CharField()
    subject_id = serializers.CharField()
    subject_label = serializers.CharField()
    changes = ChangeSerializer(many=True)
    data = serializers.DictField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()


class AuditRecordListApi(APIView):
    """List the audit records of the courts the caller may read, newest first, by keyset pages."""

    class FilterSerializer(serializers.Serializer):
        court = serializers.IntegerField(required=False, min_value=1, help_text="法院编号")
        action = serializers.ChoiceField(choices=sorted(ACTIONS), required=False, help_text="行为代码")
        actor = serializers.CharField(required=False, max_length=64, help_text="操作人姓名或用户编号")
        case = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="案件编号")
        date_from = serializers.DateField(required=False, help_text="起始日期（含）")
        date_to = serializers.DateField(required=False, help_text="截止日期（含）")
        cursor = serializers.CharField(required=False, max_length=64, help_text="上一页返回的 next_cursor")
        limit = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_PAGE_SIZE)

        def validate_cursor(self, value: str) -> str:
            try:
                selectors.cursor_decode(cursor=value)
            except ValueError as error:
                raise serializers.ValidationError("翻页参数无效，请从第一页重新查询。") from error
            return value

        def validate(self, attrs: dict) -> dict:
            if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
                raise serializers.ValidationError("起始日期不能晚于截止日期。")
            return attrs

    @extend_schema_serializer(component_name="AuditRecordPage")
    class OutputSerializer(serializers.Serializer):
        next_cursor = serializers.CharField(allow_null=True)
        results = RecordOutput(many=True, source="rows")

    @extend_schema(
        operation_id="audit_record_list", summary="审计记录", parameters=[FilterSerializer], responses=OutputSerializer
    )
    def get(self, request: Request) -> Response:
        require(request.scope, Capability.VIEW_AUDIT)
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        zone = timezone.get_current_timezone()
        date_to = data["date_to"] + timedelta(days=1) if "date_to" in data else None
        page = selectors.record_list(
            scope=request.scope,
            court_id=data.get("court"),
            action=data.get("action"),
            actor=data.get("actor"),
            case_id=data.get("case"),
            from_at=datetime.combine(data["date_from"], time.min, tzinfo=zone) if "date_from" in data else None,
            to_at=datetime.combine(date_to, time.min, tzinfo=zone) if date_to else None,
            cursor=data.get("cursor"),
            limit=data.get("limit", selectors.PAGE_SIZE),
        )
        return Response(self.OutputSerializer(page).data)


class AuditRecordDetailApi(APIView):
    """One audit record of a court the caller may read."""

    @extend_schema_serializer(component_name="AuditRecordDetail")
    class OutputSerializer(RecordOutput):
        pass

    @extend_schema(operation_id="audit_record_detail", summary="审计记录详情", responses=OutputSerializer)
    def get(self, request: Request, record_id: int) -> Response:
        require(request.scope, Capability.VIEW_AUDIT)
        return Response(self.OutputSerializer(selectors.record_get(scope=request.scope, record_id=record_id)).data)


class AuditVerificationApi(APIView):
    """The outcome of the last chain verification (breaks only of the chains the caller may read)."""

    @extend_schema_serializer(component_name="AuditVerification")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="AuditChainBreak")
        class BreakSerializer(serializers.Serializer):
            chain = serializers.IntegerField()
            seq = serializers.IntegerField()
            problem = serializers.CharField()

        verified = serializers.BooleanField()
        at = serializers.DateTimeField(allow_null=True)
        ok = serializers.BooleanField(allow_null=True)
        chains = serializers.IntegerField(allow_null=True)
        records = serializers.IntegerField(allow_null=True)
        breaks = BreakSerializer(many=True)
        hidden_breaks = serializers.IntegerField()

    @extend_schema(operation_id="audit_verification", summary="最近一次审计链校验", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        require(request.scope, Capability.VIEW_AUDIT)
        status = selectors.verification_last(scope=request.scope)
        body = {
            "verified": status is not None,
            "at": status.at if status else None,
            "ok": status.ok if status else None,
            "chains": status.chains if status else None,
            "records": status.records if status else None,
            "breaks": status.breaks if status else [],
            "hidden_breaks": status.hidden_breaks if status else 0,
        }
        return Response(self.OutputSerializer(body).data)


__all__ = ["AuditRecordDetailApi", "AuditRecordListApi", "AuditVerificationApi"]
