"""API of the courts app: the courts in scope, one court, the person's own profile, and tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhixing.courts import selectors, services


class CourtOutput(serializers.Serializer):
    """A court as the API shows it."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField(source="get_level_display")
    parent_id = serializers.IntegerField(allow_null=True)
    team_count = serializers.IntegerField(required=False)


class CourtListApi(APIView):
    """List the courts the caller may read."""

    class OutputSerializer(CourtOutput):
        pass

    @extend_schema(summary="可查看的法院", responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(selectors.court_list(scope=request.scope), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class CourtDetailApi(APIView):
    """One court with its teams and today's staff."""

    class OutputSerializer(serializers.Serializer):
        class TeamSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            name = serializers.CharField()
            kind = serializers.CharField(source="kind.code")
            kind_label = serializers.CharField(source="kind.name")
            leader_id = serializers.IntegerField(allow_null=True)
            area = serializers.CharField()

        class MemberSerializer(serializers.Serializer):
            user_id = serializers.IntegerField()
            name = serializers.CharField(source="user.get_full_name")
            role = serializers.CharField()
            role_label = serializers.CharField(source="get_role_display")
            team_id = serializers.IntegerField(allow_null=True)
            active_from = serializers.DateField()

        court = CourtOutput()
        teams = TeamSerializer(many=True)
        memberships = MemberSerializer(many=True)
        may_write = serializers.BooleanField()

    @extend_schema(summary="法院详情", responses=OutputSerializer)
    def get(self, request: Request, court_id: int) -> Response:
        detail = selectors.court_detail(scope=request.scope, court_id=court_id, today=timezone.localdate())
        return Response(self.OutputSerializer(detail).data)


class MeApi(APIView):
    """The caller: their court, roles, capabilities and the courts they may read."""

    class OutputSerializer(serializers.Serializer):
        class MembershipSerializer(serializers.Serializer):
            court_id = serializers.IntegerField()
            role = serializers.CharField()
            role_label = serializers.CharField(source="get_role_display")
            team_id = serializers.IntegerField(allow_null=True)
            active_from = serializers.DateField()
            active_to = serializers.DateField(allow_null=True)

        id = serializers.IntegerField()
        username = serializers.CharField()
        name = serializers.CharField()
        court = CourtOutput(allow_null=True)
        roles = serializers.ListField(child=serializers.CharField())
        capabilities = serializers.ListField(child=serializers.CharField())
        readable_court_ids = serializers.ListField(child=serializers.IntegerField())
        memberships = MembershipSerializer(many=True)

    @extend_schema(summary="当前用户", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        profile = selectors.user_profile(scope=request.scope, user=request.user, today=timezone.localdate())
        return Response(self.OutputSerializer(profile).data)


class TokenIssueApi(APIView):
    """Issue (or return) the caller's API token, for systems that call the API on their behalf."""

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(summary="签发接口令牌", request=None, responses=OutputSerializer)
    def post(self, request: Request) -> Response:
        with transaction.atomic():
            token = services.api_token_issue(user=request.user, at=timezone.now())
        return Response(self.OutputSerializer({"token": token.key}).data)


__all__ = ["CourtDetailApi", "CourtListApi", "MeApi", "TokenIssueApi"]
