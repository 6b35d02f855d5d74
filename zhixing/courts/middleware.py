"""Put the person's court scope on every request (computed once, on first use)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from zhixing.courts.access import court_scope_for


class CourtScopeMiddleware:
    """Set ``request.scope`` to a lazily computed ``CourtScope`` for ``request.user``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        request.scope = SimpleLazyObject(lambda: court_scope_for(user=_current_user(request), today=today))
        return self.get_response(request)


def _current_user(request: HttpRequest) -> object:
    # DRF authenticates token requests after the middleware has run; it replaces request.user on
    # its own Request wrapper and keeps the Django request's ``_force_auth_user``/``user`` in sync
    # through ``request._request``. Reading ``request.user`` at first use sees whichever won.
    return getattr(request, "user", None)
