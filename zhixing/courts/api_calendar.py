"""API of the working-day calendar: compute a due date, and read the years in the table."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhixing.core.calendar import MAX_PERIOD, PeriodUnit
from zhixing.core.errors import ValidationFailed
from zhixing.courts import selectors

_UNIT_HELP = "natural_days（自然日）、working_days（工作日）或 months（月）"


class CalendarDueDateApi(APIView):
    """Compute the last day of a period (民诉法第八十五条), marked provisional when a year is not yet entered."""

    class InputSerializer(serializers.Serializer):
        start = serializers.DateField(
            error_messages={"required": "请提供起算日 start。", "invalid": "起算日 start 应为 YYYY-MM-DD 格式的日期。"}
        )
        days = serializers.IntegerField(
            min_value=0,
            error_messages={
                "required": "请提供期间长度 days。",
                "invalid": "期间长度 days 应为整数。",
                "min_value": "期间长度 days 不能为负数。",
            },
        )
        unit = serializers.ChoiceField(
            choices=[u.value for u in PeriodUnit],
            default=PeriodUnit.NATURAL_DAYS.value,
            error_messages={"invalid_choice": f"计算单位 unit 只能是{_UNIT_HELP}。"},
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            limit = MAX_PERIOD[PeriodUnit(attrs["unit"])]
            if attrs["days"] > limit:
                raise serializers.ValidationError({"days": f"期间过长：不能超过{limit}。"})
            return attrs

    class OutputSerializer(serializers.Serializer):
        start = serializers.DateField()
        days = serializers.IntegerField(source="amount")
        unit = serializers.CharField()
        due_date = serializers.DateField(source="due.day")
        nominal_date = serializers.DateField(source="due.nominal")
        extended = serializers.BooleanField(source="due.extended")
        provisional = serializers.BooleanField(source="due.provisional")
        uncovered_years = serializers.ListField(child=serializers.IntegerField(), source="due.uncovered_years")
        reasons = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        summary="计算期间届满日",
        parameters=[
            OpenApiParameter("start", str, description="起算日（当日不计入），YYYY-MM-DD", required=True),
            OpenApiParameter("days", int, description="期间长度", required=True),
            OpenApiParameter("unit", str, description=_UNIT_HELP),
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.query_params)
        if not serializer.is_valid():
            fields = {name: [str(e) for e in errors] for name, errors in serializer.errors.items()}
            first = next(iter(fields.values()))[0]
            raise ValidationFailed(first, fields=fields)
        data = serializer.validated_data
        quote = selectors.due_date_quote(start=data["start"], amount=data["days"], unit=PeriodUnit(data["unit"]))
        return Response(self.OutputSerializer(quote).data)


class CalendarYearOutput(serializers.Serializer):
    """A year in the table."""

    year = serializers.IntegerField()
    status = serializers.CharField()
    confirmed = serializers.SerializerMethodField()
    source = serializers.CharField(source="confirmed.source", default=None)
    source_label = serializers.CharField()
    entered_by = serializers.CharField(source="confirmed.entered_by.get_full_name", default=None)
    entered_at = serializers.DateTimeField(source="confirmed.entered_at", default=None)
    holiday_count = serializers.IntegerField()
    makeup_count = serializers.IntegerField()

    def get_confirmed(self, row: selectors.CalendarYearRow) -> bool:
        """Return whether the year is in effect."""
        return row.confirmed is not None


class CalendarYearListApi(APIView):
    """List the years in the holiday table (with this year and the next when missing)."""

    class OutputSerializer(CalendarYearOutput):
        pass

    @extend_schema(summary="节假日年度", responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = selectors.calendar_year_list(today=timezone.localdate())
        return Response(self.OutputSerializer(rows, many=True).data)


class CalendarYearDetailApi(APIView):
    """One year: its state and every holiday and make-up workday entered for it."""

    class OutputSerializer(serializers.Serializer):
        class DaySerializer(serializers.Serializer):
            day = serializers.DateField()
            kind = serializers.CharField()
            kind_label = serializers.CharField(source="get_kind_display")
            name = serializers.CharField()

        year = serializers.IntegerField()
        confirmed = serializers.BooleanField()
        days = DaySerializer(many=True)

    @extend_schema(summary="年度节假日明细", responses=OutputSerializer)
    def get(self, request: Request, year: int) -> Response:
        detail = {
            "year": year,
            "confirmed": selectors.calendar_year_get(year=year) is not None,
            "days": selectors.calendar_days_of_year(year=year),
        }
        return Response(self.OutputSerializer(detail).data)


__all__ = ["CalendarDueDateApi", "CalendarYearDetailApi", "CalendarYearListApi"]
