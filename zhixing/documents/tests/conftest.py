"""Fixtures of the documents tests: a private media root and a realistic context for each template."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Store generated files under a fresh directory for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def context() -> dict:
    """Return a full context for every template: a judgment of 温县法院 enforced against a company."""
    return {
        "case_number": "（2026）豫0825执123号",
        "applicant_name": "张三",
        "respondent_name": "焦作市某某建材有限公司",
        "basis_issuer": "温县人民法院",
        "basis_number": "（2026）豫0825民初456号民事判决书",
        "basis_effective_on": date(2026, 9, 30),
        "obligations": "被告焦作市某某建材有限公司于判决生效之日起十日内支付原告张三货款100,000.00元。",
        "amount": Decimal("100000.00"),
        "costs": Decimal("1800.00"),
        "filed_on": date(2026, 11, 20),
        "report_deadline_days": 5,
        "document_date": date(2026, 11, 23),
    }
