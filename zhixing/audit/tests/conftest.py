"""Fixtures of the audit tests: a few recorded chains, and the append-only switch turned off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, transaction

from zhixing.audit.services import Entry, record_many


@pytest.fixture
def purge_off(settings) -> None:
    """Turn the test-only purge switch off, as in production: the triggers refuse every change."""
    settings.ZHIXING_AUDIT_PURGE_ALLOWED = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL zhixing.audit_purge = 'off'")


@pytest.fixture
def append(db, at) -> Callable[..., list]:
    """Return a writer of ``count`` records to chain ``court_id`` (a plain id; no court row needed)."""

    def write(count: int, *, court_id: int | None = 7, start: int = 0) -> list:
        entries = [
            Entry(
                action="courts.team.changed",
                at=at + timedelta(seconds=start + n, microseconds=0 if n % 2 else 123456),
                court_id=court_id,
                case_id=None if n % 3 else 1000 + n,
                subject_type="courts.team",
                subject_id=str(n),
                subject_label=f"第{n}执行团队",
                before={"name": f"旧名{n}", "leader": None},
                after={"name": f"新名{n}", "leader": n},
            )
            for n in range(start, start + count)
        ]
        with transaction.atomic():
            return record_many(entries=entries)

    return write


def sql(statement: str, params: list | None = None) -> None:
    """Run one raw statement (tests that tamper with the table, the purge switch on)."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
