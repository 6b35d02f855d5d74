"""
Read API of cases: the filtered list by keyset pages, one case with masked parties, a party's cases (串案).

The filing work mounts create (``POST cases/``) and update (``PATCH cases/<id>/``) on the same paths;
these classes answer GET only.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhixing.cases import selectors
from zhixing.cases.choices import CaseStatus, CaseType, TriageClass
from zhixing.courts.access import IsCourtStaff

API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200


@extend_schema_serializer(component_name="CasePartyBrief")
class PartyBriefOutput(serializers.Serializer):
    """A party in a list row: masked 身份证号 or the credit code."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    identifier = serializers.CharField(help_text="自然人为脱敏身份证号，单位为统一社会信用代码")


@extend_schema_serializer(component_name="CaseRow")
class CaseRowOutput(serializers.Serializer):
    """One case of the list."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    court_id = serializers.IntegerField()
    court_name = serializers.CharField()
    type_code = serializers.CharField()
    type_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    triage_class = serializers.CharField()
    triage_label = serializers.CharField()
    team_name = serializers.CharField()
    executor_id = serializers.IntegerField(allow_null=True)
    executor_name = serializers.CharField()
    amount_claimed = serializers.DecimalField(max_digits=18, decimal_places=2)
    filed_on = serializers.DateField()
    period_ends_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    applicants = PartyBriefOutput(many=True)
    debtors = PartyBriefOutput(many=True)


class CaseCollectionApi(APIView):
    """The cases the caller may read, newest filing first, filtered, by keyset pages (``next_cursor``)."""

    permission_classes = [IsCourtStaff]

    class FilterSerializer(serializers.Serializer):
        number = serializers.CharField(required=False, max_length=40, help_text="案号：完整、前缀或案件编号")
        party = serializers.CharField(required=False, max_length=100, help_text="当事人姓名/名称（前缀）或身份证号")
        status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
        type_code = serializers.ChoiceField(choices=CaseType.choices, required=False)
        triage_class = serializers.ChoiceField(choices=TriageClass.choices, required=False)
        team = serializers.IntegerField(required=False, min_value=1, help_text="承办团队编号")
        executor = serializers.IntegerField(required=False, min_value=1, help_text="承办人编号")
        amount_min = serializers.DecimalField(required=False, max_digits=18, decimal_places=2, min_value=0)
        amount_max = serializers.DecimalField(required=False, max_digits=18, decimal_places=2, min_value=0)
        filed_from = serializers.DateField(required=False, help_text="立案日期起（含）")
        filed_to = serializers.DateField(required=False, help_text="立案日期止（含）")
        overdue = serializers.BooleanField(required=False, default=False, help_text="仅列超过执行期限且未结的案件")
        cursor = serializers.CharField(required=False, max_length=40, help_text="上一页返回的 next_cursor")
        limit = serializers.IntegerField(required=False, min_value=1, max_value=API_MAX_PAGE_SIZE)

        def validate_cursor(self, value: str) -> str:
            try:
                selectors.cursor_decode(cursor=value)
            except ValueError as error:
                raise serializers.ValidationError("翻页参数无效，请从第一页重新查询。") from error
            return value

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if "amount_min" in attrs and "amount_max" in attrs and attrs["amount_min"] > attrs["amount_max"]:
                raise serializers.ValidationError({"amount_max": "标的额上限不能低于下限。"})
            if "filed_from" in attrs and "filed_to" in attrs and attrs["filed_from"] > attrs["filed_to"]:
                raise serializers.ValidationError({"filed_to": "立案日期止日不能早于起日。"})
            return attrs

    @extend_schema_serializer(component_name="CasePage")
    class OutputSerializer(serializers.Serializer):
        next_cursor = serializers.CharField(allow_null=True)
        results = CaseRowOutput(many=True, source="rows")

    @extend_schema(
        operation_id="case_list", summary="案件列表", parameters=[FilterSerializer], responses=OutputSerializer
    )
    def get(self, request: Request) -> Response:
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        today = timezone.localdate()
        filters = selectors.CaseFilters(
            number=data.get("number", "").strip(),
            party=data.get("party", "").strip(),
            status=data.get("status", ""),
            type_code=data.get("type_code", ""),
            triage_class=data.get("triage_class", ""),
            team_id=data.get("team"),
            executor_id=data.get("executor"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            filed_from=data.get("filed_from"),
            filed_to=data.get("filed_to"),
            overdue_on=today if data["overdue"] else None,
        )
        page = selectors.case_list(
            scope=request.scope,
            filters=filters,
            after=data.get("cursor"),
            limit=data.get("limit", API_PAGE_SIZE),
            today=today,
        )
        return Response(self.OutputSerializer(page).data)


@extend_schema_serializer(component_name="CaseDetailParty")
class PartyOutput(serializers.Serializer):
    """A party as the case shows it: masked numbers only."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    name = serializers.CharField()
    identifier = serializers.CharField(help_text="自然人为脱敏身份证号，单位为统一社会信用代码")
    phone = serializers.CharField(help_text="脱敏电话")
    address = serializers.CharField()
    legal_representative = serializers.CharField()


class CaseItemApi(APIView):
    """One case the caller may read, with its parties (masked), agents, basis and preservations."""

    permission_classes = [IsCourtStaff]

    class OutputSerializer(serializers.Serializer):
        class PartyLineSerializer(serializers.Serializer):
            role = serializers.CharField()
            role_label = serializers.CharField()
            party = PartyOutput()
            is_public_servant = serializers.BooleanField()
            employer = serializers.CharField()
            agents = PartyOutput(many=True)
            other_case_ids = serializers.SerializerMethodField(help_text="该被执行人在可查看范围内的其他案件（串案）")

            def get_other_case_ids(self, line: selectors.CasePartyLine) -> list[int]:
                return [other.id for other in line.other_cases]

        class PreservationSerializer(serializers.Serializer):
            kind = serializers.CharField()
            property_description = serializers.CharField()
            location = serializers.CharField()
            amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
            ruling_number = serializers.CharField()
            active_from = serializers.DateField()
            active_to = serializers.DateField(help_text="届满日期（不含）")

        id = serializers.IntegerField(source="case.pk")
        number = serializers.CharField(source="case.number")
        court_id = serializers.IntegerField(source="case.court_id")
        court_name = serializers.CharField(source="case.court.name")
        type_code = serializers.CharField(source="case.type_code")
        status = serializers.CharField(source="case.status")
        triage_class = serializers.CharField(source="case.triage_class")
        team_id = serializers.IntegerField(source="case.team_id", allow_null=True)
        executor_id = serializers.IntegerField(source="case.executor_id", allow_null=True)
        application_received_on = serializers.DateField(source="case.application_received_on")
        filed_on = serializers.DateField(source="case.filed_on")
        period_ends_on = serializers.DateField(source="case.period_ends_on", allow_null=True)
        overdue = serializers.BooleanField()
        amount_claimed = serializers.DecimalField(source="case.amount_claimed", max_digits=18, decimal_places=2)
        costs = serializers.DecimalField(source="case.costs", max_digits=18, decimal_places=2)
        basis_issuing_body = serializers.CharField(source="case.basis_issuing_body")
        basis_document_number = serializers.CharField(source="case.basis_document_number")
        basis_effective_on = serializers.DateField(source="case.basis_effective_on")
        basis_performance_due_on = serializers.DateField(source="case.basis_performance_due_on", allow_null=True)
        basis_kind = serializers.CharField(source="case.basis_kind")
        basis_obligations = serializers.CharField(source="case.basis_obligations")
        trial_case_number = serializers.CharField(source="case.trial_case_number")
        parties = PartyLineSerializer(many=True)
        preservations = PreservationSerializer(many=True)

    @extend_schema(operation_id="case_detail", summary="案件详情", responses=OutputSerializer)
    def get(self, request: Request, case_id: int) -> Response:
        detail = selectors.case_detail(scope=request.scope, case_id=case_id, today=timezone.localdate())
        return Response(self.OutputSerializer(detail).data)


class PartyCasesApi(APIView):
    """The cases the caller may read in which a party takes part (串案), newest filing first."""

    permission_classes = [IsCourtStaff]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        number = serializers.CharField()
        court_id = serializers.IntegerField()
        status = serializers.CharField()
        filed_on = serializers.DateField()

    @extend_schema(operation_id="party_cases", summary="当事人的案件（串案）", responses=OutputSerializer(many=True))
    def get(self, request: Request, party_id: int) -> Response:
        selectors.party_visible_get(scope=request.scope, party_id=party_id)
        cases = selectors.party_cases(scope=request.scope, party_id=party_id)[:API_MAX_PAGE_SIZE]
        return Response(self.OutputSerializer(cases, many=True).data)
