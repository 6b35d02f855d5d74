"""Template context: the court in the header and the navigation for the person's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhixing.courts.navigation import navigation_for


def court_scope(request: HttpRequest) -> dict[str, Any]:
    """Return ``scope`` and ``nav`` for every template."""
    scope = getattr(request, "scope", None)
    if scope is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"scope": scope, "nav": []}
    return {"scope": scope, "nav": navigation_for(scope=scope, path=request.path)}
