"""API plumbing shared by every app: the exception handler that speaks ``ApplicationError``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular import openapi
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zhixing.core.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """
    Turn domain errors into JSON with a stable ``code`` and a Chinese ``message``.

    DRF's own errors keep their shape under ``detail`` and gain a ``code`` and ``message``.
    """
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到该对象，或您无权查看。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("您无权执行此操作。")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "validation_failed",
            "message": "提交的数据有误，请按提示修改。",
            "fields": response.data,
        }
    elif isinstance(exc, exceptions.APIException):
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = {
            "code": exc.get_codes() if isinstance(exc.get_codes(), str) else "error",
            "message": str(detail or exc.detail),
        }
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["message"] = "请求过于频繁，请稍后再试。"
    return response


class AutoSchema(openapi.AutoSchema):
    """
    Name schema components after the view that nests them.

    Every API view nests its own ``InputSerializer``/``OutputSerializer`` (STYLE §7); by class name
    alone they would all be called "Output". ``CourtListApi.OutputSerializer`` becomes ``CourtListOutput``.
    """

    def get_serializer_name(self, serializer: Any, direction: str) -> str:
        qualname = type(serializer).__qualname__
        if "." not in qualname:
            return super().get_serializer_name(serializer, direction)
        parts = [part.removesuffix("Serializer").removesuffix("Api") for part in qualname.split(".")]
        return "".join(parts)
