"""Error pages in Chinese, for the whole site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Render the 400 page."""
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Render the 403 page with the reason the guard gave."""
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Render the 404 page, which never reveals whether an out-of-scope object exists."""
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page without touching the database or context processors."""
    return HttpResponseServerError(
        loader.get_template("500.html").template.source, content_type="text/html; charset=utf-8"
    )
