"""Fixtures of the flow tests: the demo court system with its teams and staff, presets, and a filer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from zhixing.cases.inputs import CaseFilingInput, PartyInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
BANK = PartyInput(kind="legal_person", name="临沭县农村商业银行股份有限公司", credit_code="91410825XG612DD261")
DEBTOR = PartyInput(kind="natural_person", name="王五", id_number="410105198005175011", address="临沭县蛟龙镇王家村")


def moment(day: date, hour: int = 9) -> datetime:
    """Return ``day`` at ``hour`` o'clock in Shanghai."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def demo(db):
    """Return the demo court system (courts, teams, staff), with the node catalogue in place."""
    from zhixing.courts.selectors import work_calendar_forget
    from zhixing.flow.catalogue import catalogue_sync
    from zhixing.flow.models import NodeType

    # What the data migrations load is gone when an earlier transactional test flushed the database:
    # load it again (each loader is idempotent).
    for name in ("zhixing.courts.migrations.0002_team_kinds", "zhixing.courts.migrations.0003_calendar_seed"):
        import_module(name).seed(django_apps, None)
    work_calendar_forget()
    catalogue_sync(NodeType)
    call_command("seed_demo", quiet_logins=True, verbosity=0)
    from zhixing.courts.models import Court

    return {court.code: court for court in Court.objects.all()}


@pytest.fixture
def staff(demo) -> Callable[[str], object]:
    """Return a demo person by username."""
    from zhixing.courts.models import User

    return lambda username: User.objects.get(username=username)


@pytest.fixture
def load_preset(demo) -> Callable[[str, str], object]:
    """Return a loader of a preset for a demo court (by court code)."""
    from zhixing.flow.services import routing_model_load_preset

    def load(code: str, preset: str) -> object:
        return routing_model_load_preset(court=demo[code], preset=preset, actor=None, at=moment(date(2026, 1, 1)))

    return load


def filing(**overrides: object) -> CaseFilingInput:
    """Return a valid filing; keyword arguments override any field."""
    fields: dict[str, object] = {
        "type_code": "执",
        "application_received_on": date(2026, 1, 5),
        "amount_claimed": Decimal("1500000.00"),
        "basis_issuing_body": "临沭县人民法院",
        "basis_document_number": "（2025）鲁1329民初100号",
        "basis_effective_on": date(2025, 12, 1),
        "basis_kind": "litigation",
        "basis_obligations": "被告王五偿还原告借款1500000元。",
        "applicants": (BANK,),
        "debtors": (DEBTOR,),
    }
    fields.update(overrides)
    return CaseFilingInput(**fields)


@pytest.fixture
def file(demo, staff) -> Callable[..., object]:
    """Return a filer: ``file(court_code, clerk_username, on=date, **filing overrides)``."""
    from zhixing.cases.services import case_file

    def do(code: str, clerk: str, *, on: date = date(2026, 1, 5), **overrides: object) -> object:
        overrides.setdefault("application_received_on", on)
        return case_file(court=demo[code], data=filing(**overrides), actor=staff(clerk), at=moment(on))

    return do
