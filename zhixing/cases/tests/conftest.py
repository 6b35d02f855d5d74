"""Fixtures of the cases tests: parties registered through the service, and a filing helper."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from zhixing.cases.choices import BasisKind, CaseType, PartyKind
from zhixing.cases.services import case_create, party_register

ADULT_ID = "410105198005175011"
MINOR_ID = "410823201203014695"
CREDIT_CODE = "91410825XG612DD261"
OTHER_CREDIT_CODE = "914108112HD1TJ3Y9X"


@pytest.fixture
def applicant(db, at):
    return party_register(
        kind=PartyKind.LEGAL_PERSON,
        name="温县农村商业银行股份有限公司",
        credit_code=CREDIT_CODE,
        legal_representative="王建国",
        actor=None,
        at=at,
    )


@pytest.fixture
def debtor(db, at):
    return party_register(
        kind=PartyKind.NATURAL_PERSON, name="张三", id_number=ADULT_ID, phone="13812345678", actor=None, at=at
    )


@pytest.fixture
def file_case(db, at, applicant, debtor) -> Callable[..., object]:
    """Return a filer of a valid 执 case in ``court``; keyword arguments override any field."""

    def file(court: object, **overrides: object) -> object:
        fields: dict[str, object] = {
            "court": court,
            "type_code": CaseType.FIRST_ENFORCEMENT,
            "application_received_on": date(2026, 11, 20),
            "amount_claimed": Decimal("100000.00"),
            "basis_issuing_body": "温县人民法院",
            "basis_document_number": "（2026）豫0825民初100号",
            "basis_effective_on": date(2026, 9, 1),
            "basis_kind": BasisKind.LITIGATION,
            "basis_obligations": "被告张三于判决生效后十日内偿还原告借款100000元。",
            "applicants": [applicant],
            "debtors": [debtor],
            "actor": None,
            "at": at,
        }
        fields.update(overrides)
        return case_create(**fields)

    return file
