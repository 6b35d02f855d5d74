"""
The SQLite side of the append-only switch: ``zhixing_audit_purge_allowed()`` on every connection.

The triggers of migration 0002 call it before any UPDATE or DELETE of an audit record. It returns 1
only while ``settings.ZHIXING_AUDIT_PURGE_ALLOWED`` is true (the test settings, so that the test runner
can flush tables), read at each call so that a test may turn it off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def audit_purge_allowed() -> int:
    """Return 1 when the test-only purge switch is on, else 0."""
    return 1 if getattr(settings, "ZHIXING_AUDIT_PURGE_ALLOWED", False) else 0


def sqlite_functions_register(*, sender: Any = None, connection: Any, **kwargs: Any) -> None:
    """Register ``zhixing_audit_purge_allowed()`` on a new SQLite connection (``connection_created`` handler)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("zhixing_audit_purge_allowed", 0, audit_purge_allowed)
