"""The demo docket: deterministic, valid, realistic; and ``seed_demo_cases`` gives every status."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from zhixing.cases.choices import CaseStatus, PartyKind
from zhixing.cases.demo import DEMO_DATE, demo_cases
from zhixing.cases.rules.filing import filing_problems
from zhixing.core.calendar import WorkCalendar
from zhixing.core.identity import credit_code_problem, is_minor_on, resident_id_parse, resident_id_problem


def _parties(item):
    return (*item.filing.applicants, *item.filing.debtors, *(a.agent for a in item.filing.agents))


def test_same_seed_same_docket_other_seed_other_docket():
    first = list(demo_cases(court_code="豫0825", count=200, seed=7))
    assert first == list(demo_cases(court_code="豫0825", count=200, seed=7))
    assert first != list(demo_cases(court_code="豫0825", count=200, seed=8))


def test_every_generated_filing_passes_the_filing_rules_and_every_number_validates():
    calendar = WorkCalendar(holidays=frozenset(), makeup_workdays=frozenset(), covered_years=frozenset())
    docket = list(demo_cases(court_code="鲁1329", count=1000, seed=1))
    for item in docket:
        assert not filing_problems(data=item.filing, today=DEMO_DATE, calendar=calendar), item
        for party in _parties(item):
            if party.kind == PartyKind.NATURAL_PERSON:
                assert resident_id_problem(value=party.id_number, today=DEMO_DATE) is None
            else:
                assert credit_code_problem(value=party.credit_code) is None


def test_docket_has_repeat_debtors_minors_public_servants_and_a_skewed_amount():
    docket = list(demo_cases(court_code="豫0823", count=1000, seed=3))
    debtor_cases = Counter(d.id_number or d.credit_code for item in docket for d in item.filing.debtors)
    assert sum(1 for n in debtor_cases.values() if n > 1) >= 50  # 串案
    persons = [p for item in docket for p in _parties(item) if p.kind == PartyKind.NATURAL_PERSON]
    births = [resident_id_parse(value=p.id_number, today=DEMO_DATE).birth_date for p in persons]
    minors = [born for born in births if is_minor_on(birth_date=born, on=DEMO_DATE)]
    assert len(minors) >= 10
    assert any(p.is_public_servant and p.employer for p in persons)
    assert any(p.kind == PartyKind.LEGAL_PERSON for item in docket for p in item.filing.debtors)
    amounts = sorted(item.filing.amount_claimed for item in docket)
    median = amounts[len(amounts) // 2]
    assert 15_000 < median < 60_000
    assert amounts[-1] > 1_000_000
    assert {item.status for item in docket} == set(CaseStatus)
    bodies = {item.filing.basis_issuing_body for item in docket}
    assert bodies >= {"武陟县人民法院", "焦作仲裁委员会", "河南省武陟县公证处"}
    assert any(item.filing.preservations for item in docket)
    ids = [p.id_number for item in docket for p in _parties(item) if p.id_number]
    by_id = {}
    for item in docket:
        for p in _parties(item):
            if p.id_number:
                assert by_id.setdefault(p.id_number, p.name) == p.name  # one number, one person
    assert ids


@pytest.mark.django_db(transaction=False)
def test_seed_demo_cases_loads_every_status_and_is_idempotent():
    from zhixing.audit.verify import chain_verify
    from zhixing.cases.models import Case

    call_command("seed_demo", quiet_logins=True, verbosity=0)
    call_command("seed_demo_cases", cases=60)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    count = Case.objects.count()
    assert count == 180
    assert Case.objects.filter(executor__isnull=False, status=CaseStatus.IN_EXECUTION).exists()
    call_command("seed_demo_cases", cases=60)
    assert Case.objects.count() == count
    assert chain_verify().ok
