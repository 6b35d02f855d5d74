"""Imported cases are triaged (繁简分流) exactly as filed ones: same class, same fired rules, same facts."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from zhixing.audit.verify import chain_verify
from zhixing.cases.choices import ImportStatus, TriageClass
from zhixing.cases.inputs import CaseFilingInput, PartyInput, PreservationInput
from zhixing.cases.models import Case, CaseTriage
from zhixing.cases.services import case_file, cases_import
from zhixing.courts.choices import Role

from .conftest import ADULT_ID, CREDIT_CODE

pytestmark = pytest.mark.django_db

BANK = PartyInput(kind="legal_person", name="温县农村商业银行股份有限公司", credit_code=CREDIT_CODE)
ZHANG = PartyInput(kind="natural_person", name="张三", id_number=ADULT_ID, phone="13812345678")


def _filing(number: str, **overrides: object) -> CaseFilingInput:
    fields: dict[str, object] = {
        "type_code": "执",
        "application_received_on": date(2026, 11, 20),
        "amount_claimed": Decimal("100000.00"),
        "basis_issuing_body": "温县人民法院",
        "basis_document_number": number,
        "basis_effective_on": date(2026, 9, 1),
        "basis_kind": "litigation",
        "basis_obligations": "被告张三偿还原告借款100000元。",
        "applicants": (BANK,),
        "debtors": (ZHANG,),
    }
    fields.update(overrides)
    return CaseFilingInput(**fields)


def _simple() -> CaseFilingInput:
    return _filing("（2026）豫0825民初1号", amount_claimed=Decimal("30000.00"), debtor_attitude="cooperative")


def _complex() -> CaseFilingInput:
    # The same debtor as the simple one (串案), a preservation that covers the claim, a refusing debtor.
    preserved = PreservationInput(
        kind="freeze",
        property_description="张三名下银行存款",
        location="温县农村商业银行",
        amount=Decimal("120000.00"),
        active_from=date(2026, 8, 1),
        active_to=date(2027, 8, 1),
    )
    return _filing("（2026）豫0825民初2号", debtor_attitude="evasive", preservations=(preserved,))


@pytest.fixture
def clerk(courts, make_staff):
    return make_staff(courts.wenxian, Role.FILING_CLERK)


def _triage(case: Case) -> tuple[str, str, list[str], dict]:
    latest = CaseTriage.objects.filter(case=case).order_by("-decided_at", "-id").get()
    return case.triage_class, latest.result, [rule["code"] for rule in latest.fired_rules], latest.facts


def test_imported_cases_get_the_class_and_rules_filing_gives(courts, clerk, at, audit_rows):
    inputs = [_simple(), _complex()]

    batch = cases_import(court=courts.wenxian, inputs=inputs, actor=clerk, at=at, source_name="台账.xlsx",
                         file_hash="0" * 64)  # fmt: skip
    filed = [case_file(court=courts.wuzhi, data=data, actor=None, at=at) for data in inputs]

    assert batch.status == ImportStatus.IMPORTED
    imported = list(Case.objects.filter(court=courts.wenxian).order_by("pk"))
    for mine, theirs in zip(imported, filed, strict=True):
        theirs.refresh_from_db()
        assert _triage(mine) == _triage(theirs)
    simple, complex_ = (_triage(case) for case in imported)
    assert simple[:3] == (TriageClass.SIMPLE, TriageClass.SIMPLE, ["amount_under_threshold", "debtor_cooperative"])
    assert complex_[:3] == (
        TriageClass.COMPLEX,
        TriageClass.COMPLEX,
        ["preservation_covers_claim", "debtor_has_other_cases"],
    )
    assert complex_[3]["other_open_cases_of_debtors"] == 1
    assert complex_[3]["preserved_amount"] == "120000.00"
    created = [json.loads(row["data"]) for row in audit_rows("cases.case.created") if row["case_id"] in
               {case.pk for case in imported}]  # fmt: skip
    assert [(entry["triage"]["after"], entry["triage"]["fired"]) for entry in created] == [
        ("simple", ["amount_under_threshold", "debtor_cooperative"]),
        ("complex", ["preservation_covers_claim", "debtor_has_other_cases"]),
    ]
    assert chain_verify().ok


def test_recorded_open_cases_of_a_debtor_make_an_imported_case_complex(courts, clerk, at):
    case_file(court=courts.wenxian, data=_complex(), actor=None, at=at)

    cases_import(court=courts.wenxian, inputs=[_simple()], actor=clerk, at=at, source_name="台账.xlsx",
                 file_hash="0" * 64)  # fmt: skip

    imported = Case.objects.get(basis_document_number="（2026）豫0825民初1号")
    klass, _result, fired, facts = _triage(imported)
    assert klass == TriageClass.COMPLEX
    assert fired == ["amount_under_threshold", "debtor_cooperative", "debtor_has_other_cases"]
    assert facts["other_open_cases_of_debtors"] == 1
