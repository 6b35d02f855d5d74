"""
The application's error type.

Every rule a user can break raises an ``ApplicationError`` subclass carrying a stable ``code`` and a
message in Chinese; views show the message, the API returns both (``zhixing.core.api``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ApplicationError(Exception):
    """A refused command: nothing was changed, and ``message`` tells the user why."""

    code: str = "invalid"
    status: int = 400

    def __init__(self, message: str, *, code: str | None = None, fields: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.fields: dict[str, Any] = dict(fields or {})

    def as_dict(self) -> dict[str, Any]:
        """Return the error as the API shows it."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class ValidationFailed(ApplicationError):
    """Input that does not meet a rule; ``fields`` names each bad field with its message."""

    code = "validation_failed"


class NotAllowed(ApplicationError):
    """The actor may not do this (role, court scope or state)."""

    code = "not_allowed"
    status = 403


class Conflict(ApplicationError):
    """The command clashes with the current state (a duplicate, a stale version)."""

    code = "conflict"
    status = 409
