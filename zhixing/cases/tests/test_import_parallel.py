"""The pure part of import validation spread over forked workers gives what the single process gives."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from zhixing.audit.verify import chain_verify
from zhixing.cases.choices import ImportStatus
from zhixing.cases.demo import demo_cases
from zhixing.cases.models import Case, Party
from zhixing.cases.services import ID_NUMBER_AD, _import, cases_import
from zhixing.core.calendar import WorkCalendar
from zhixing.core.crypto import decrypt_field, keyring_generate
from zhixing.courts.choices import Role


def _docket(count=40, seed=7):
    inputs = [item.filing for item in demo_cases(court_code="豫0825", count=count, seed=seed)]
    bad = dataclasses.replace(
        inputs[9].debtors[0], id_number="410825199001011230", credit_code="", kind="natural_person"
    )
    inputs[9] = dataclasses.replace(inputs[9], debtors=(bad,))
    return inputs


def test_workers_find_the_same_problems_keys_and_columns_as_one_process(monkeypatch):
    inputs, keyring = _docket(), keyring_generate()
    rows = list(range(1, len(inputs) + 1))
    args = {"inputs": inputs, "rows": rows, "today": date(2026, 11, 23), "calendar": WorkCalendar(), "keyring": keyring}
    serial = _import._check_all(**args)
    monkeypatch.setattr(_import, "_PARALLEL_ROWS", 4)
    monkeypatch.setattr(_import, "_WORKERS", 2)

    parallel = _import._check_all(**args)

    assert parallel[0] == serial[0]
    assert [(i, f) for i, f, _m in parallel[0]] == [(9, "debtors[0].id_number")]
    plain = [[(path, key, number) for path, key, number, _cols in row] for row in parallel[1]]
    assert plain == [[(path, key, number) for path, key, number, _cols in row] for row in serial[1]]
    assert parallel[1][9][-1][3] == ()  # nothing is encrypted for a row with problems
    _path, _key, number, columns = next(party for row in parallel[1] for party in row if party[2])
    assert decrypt_field(keyring=keyring, envelope=columns[0], associated_data=ID_NUMBER_AD) == number


@pytest.mark.django_db
def test_an_import_checked_by_workers_imports_the_same_way(courts, make_staff, at, monkeypatch):
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK)
    monkeypatch.setattr(_import, "_PARALLEL_ROWS", 4)
    monkeypatch.setattr(_import, "_WORKERS", 2)
    inputs = _docket()

    refused = cases_import(court=courts.wenxian, inputs=inputs, actor=clerk, at=at, source_name="a.xlsx",
                           file_hash="0" * 64)  # fmt: skip
    good = [*inputs[:9], *inputs[10:]]
    imported = cases_import(court=courts.wenxian, inputs=good, actor=clerk, at=at, source_name="b.xlsx",
                            file_hash="0" * 64)  # fmt: skip

    assert refused.status == ImportStatus.REFUSED
    assert [(e["row"], e["field"]) for e in refused.errors] == [(10, "debtors[0].id_number")]
    assert imported.status == ImportStatus.IMPORTED
    assert Case.objects.filter(court=courts.wenxian).count() == len(good)
    assert Case.objects.filter(court=courts.wenxian, triage_class="unclassified").count() == 0
    assert all(p.id_number_encrypted.startswith("v1:") for p in Party.objects.exclude(id_number_index=""))
    assert chain_verify().ok
