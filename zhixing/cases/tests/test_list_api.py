"""Read API of cases: the filtered list by cursor, one case with masked parties, a party's cases (串案)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from zhixing.cases.choices import CaseStatus
from zhixing.cases.tests.conftest import ADULT_ID
from zhixing.cases.tests.test_list import file_on
from zhixing.courts.choices import Role


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 11, 23))


@pytest.fixture
def api(courts, make_staff):
    client = APIClient()
    client.force_authenticate(user=make_staff(courts.wenxian, Role.EXECUTOR))
    return client


def test_the_list_filters_and_pages_by_cursor(api, courts, file_case):
    cases = [
        file_on(file_case, courts.wenxian, date(2026, 3, day), status=CaseStatus.IN_EXECUTION) for day in (2, 3, 4)
    ]
    file_on(file_case, courts.wenxian, date(2026, 3, 5))
    file_on(file_case, courts.wuzhi, date(2026, 3, 6), status=CaseStatus.IN_EXECUTION)

    first = api.get("/api/v1/cases/", {"status": "in_execution", "limit": 2})
    second = api.get("/api/v1/cases/", {"status": "in_execution", "limit": 2, "cursor": first.data["next_cursor"]})

    assert first.status_code == 200
    assert [r["id"] for r in first.data["results"]] == [cases[2].pk, cases[1].pk]
    assert [r["id"] for r in second.data["results"]] == [cases[0].pk]
    assert second.data["next_cursor"] is None
    row = first.data["results"][0]
    assert row["debtors"] == [{"id": row["debtors"][0]["id"], "name": "张三", "identifier": "410105********5011"}]
    assert row["amount_claimed"] == "100000.00"
    assert ADULT_ID not in first.content.decode()


def test_bad_filters_are_refused_in_chinese(api):
    response = api.get("/api/v1/cases/", {"cursor": "x", "amount_min": "9", "amount_max": "1"})

    assert response.status_code == 400
    assert response.data["fields"]["cursor"] == ["翻页参数无效，请从第一页重新查询。"]


def test_the_overdue_and_party_filters(api, courts, file_case):
    old = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    file_on(file_case, courts.wenxian, date(2026, 11, 2))

    overdue = api.get("/api/v1/cases/", {"overdue": "true"})
    by_id = api.get("/api/v1/cases/", {"party": ADULT_ID})

    assert [r["id"] for r in overdue.data["results"]] == [old.pk]
    assert overdue.data["results"][0]["overdue"] is True
    assert len(by_id.data["results"]) == 2


def test_one_case_with_masked_parties_and_another_courts_case_is_404(api, courts, file_case):
    case = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    other = file_on(file_case, courts.wenxian, date(2026, 4, 2))
    wuzhi = file_on(file_case, courts.wuzhi, date(2026, 3, 3))

    response = api.get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == 200
    assert response.data["number"] == case.number
    assert response.data["period_ends_on"] == "2026-09-02"
    debtor = response.data["parties"][1]
    assert (debtor["role"], debtor["party"]["identifier"], debtor["party"]["phone"]) == (
        "debtor",
        "410105********5011",
        "138****5678",
    )
    assert debtor["other_case_ids"] == [other.pk]
    assert ADULT_ID not in response.content.decode()
    assert api.get(f"/api/v1/cases/{wuzhi.pk}/").status_code == 404


def test_a_partys_cases_in_scope(api, courts, file_case, debtor):
    a = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    b = file_on(file_case, courts.wenxian, date(2026, 4, 2))
    file_on(file_case, courts.linshu, date(2026, 5, 2))

    response = api.get(f"/api/v1/parties/{debtor.pk}/cases/")

    assert [r["id"] for r in response.data] == [b.pk, a.pk]
    assert api.get("/api/v1/parties/999999/cases/").status_code == 404


def test_a_supervisor_above_reads_the_subtree_through_the_api(courts, make_staff, file_case):
    wuzhi = file_on(file_case, courts.wuzhi, date(2026, 3, 3))
    client = APIClient()
    client.force_authenticate(user=make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))

    assert [r["id"] for r in client.get("/api/v1/cases/").data["results"]] == [wuzhi.pk]
    assert client.get(f"/api/v1/cases/{wuzhi.pk}/").status_code == 200


def test_anonymous_calls_are_refused(client, db):
    assert APIClient().get("/api/v1/cases/").status_code == 401
