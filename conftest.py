"""Fixtures shared by every test: a court hierarchy, people by role, a fixed moment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The moment tests happen at, unless they say otherwise.
AT = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def at() -> datetime:
    """Return the fixed moment tests pass down as ``at``."""
    return AT


@dataclass
class CourtTree:
    """河南高院 → 焦作中院 → 温县法院, 武陟县法院; 山东高院 → 临沂中院 → 临沭县法院."""

    henan: object
    jiaozuo: object
    wenxian: object
    wuzhi: object
    shandong: object
    linyi: object
    linshu: object


@pytest.fixture
def courts(db) -> CourtTree:
    """Build the demo's court hierarchy through the services."""
    from zhixing.courts.choices import CourtLevel
    from zhixing.courts.services import court_create

    def make(code: str, name: str, level: CourtLevel, parent: object | None) -> object:
        return court_create(code=code, name=name, level=level, parent=parent, actor=None, at=AT)

    henan = make("豫", "河南省高级人民法院", CourtLevel.HIGH, None)
    jiaozuo = make("豫08", "河南省焦作市中级人民法院", CourtLevel.INTERMEDIATE, henan)
    wenxian = make("豫0825", "温县人民法院", CourtLevel.BASIC, jiaozuo)
    wuzhi = make("豫0823", "武陟县人民法院", CourtLevel.BASIC, jiaozuo)
    shandong = make("鲁", "山东省高级人民法院", CourtLevel.HIGH, None)
    linyi = make("鲁13", "山东省临沂市中级人民法院", CourtLevel.INTERMEDIATE, shandong)
    linshu = make("鲁1329", "临沭县人民法院", CourtLevel.BASIC, linyi)
    return CourtTree(henan, jiaozuo, wenxian, wuzhi, shandong, linyi, linshu)


@pytest.fixture
def make_staff(db) -> Callable[..., object]:
    """Return a factory of people holding ``role`` in ``court`` from 2026-01-01, password ``PASSWORD``."""
    from zhixing.courts.services import membership_grant, user_create

    counter = {"n": 0}

    def make(
        court: object, role: str, *, username: str | None = None, name: str | None = None, team: object = None
    ) -> object:
        counter["n"] += 1
        username = username or f"{role}-{court.pk}-{counter['n']}"
        user = user_create(username=username, name=name or f"测试{counter['n']}", password=PASSWORD, actor=None, at=AT)
        membership_grant(user=user, court=court, role=role, team=team, active_from=date(2026, 1, 1), actor=None, at=AT)
        return user

    return make


@pytest.fixture
def audit_rows(db) -> Callable[..., list[dict]]:
    """Return a reader of audit records (as dicts, in chain order), optionally filtered by action."""
    from django.apps import apps

    record = apps.get_model("audit", "AuditRecord")

    def read(action: str | None = None) -> list[dict]:
        rows = record.objects.order_by("chain", "seq")
        if action is not None:
            rows = rows.filter(action=action)
        return list(rows.values())

    return read


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write how many tests were collected to ``$ZHIXING_PYTEST_COUNT_FILE`` (read by scripts/run_tests.py)."""
    import os
    from pathlib import Path

    target = os.environ.get("ZHIXING_PYTEST_COUNT_FILE")
    if target and not hasattr(session.config, "workerinput"):
        Path(target).write_text(f"{session.testscollected}\n")
