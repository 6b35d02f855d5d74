"""The case page: header, masked parties with 串案, basis, preservations, panels, timeline; the audited reveal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import AT
from zhixing.cases.choices import ControlKind, PartyKind
from zhixing.cases.models import Preservation
from zhixing.cases.selectors import case_detail
from zhixing.cases.services import party_register
from zhixing.cases.tests.conftest import ADULT_ID
from zhixing.cases.tests.test_list import file_on, person, scope_of
from zhixing.courts.choices import Role

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def executor(courts, make_staff):
    return make_staff(courts.wenxian, Role.EXECUTOR, name="执行员李")


@pytest.fixture
def case(courts, file_case):
    case = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    Preservation.objects.create(
        case=case,
        kind=ControlKind.FREEZE,
        property_description="银行存款",
        location="中国工商银行温县支行",
        amount=Decimal("50000.00"),
        active_from=date(2026, 1, 5),
        active_to=date(2027, 1, 5),
        created_at=AT,
    )
    return case


def test_the_page_shows_the_case_with_masked_parties_and_the_debtors_other_cases(
    client, courts, file_case, executor, case
):
    other = file_on(file_case, courts.wenxian, date(2026, 4, 1))
    elsewhere = file_on(file_case, courts.linshu, date(2026, 4, 2))  # not readable: not listed as 串案
    client.force_login(executor)

    response = client.get(reverse("cases:case_detail", args=[case.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert case.number in html
    assert "410105********5011" in html
    assert "138****5678" in html
    assert ADULT_ID not in html
    assert "13812345678" not in html
    assert "91410825XG612DD261" in html  # the credit code is public
    assert f'href="/cases/{other.pk}/"' in html
    assert elsewhere.number not in html
    assert "中国工商银行温县支行" in html
    assert 'data-testid="case-period-end">2026-09-02' in html
    assert 'data-testid="case-overdue"' in html
    assert "立案（新建执行案件）" in html  # the timeline from the audit trail
    assert "查看完整号码" in html


def test_the_detail_selector_reads_a_fixed_number_of_queries(
    courts, file_case, executor, case, django_assert_max_num_queries
):
    for day in range(2, 12):
        file_on(file_case, courts.wenxian, date(2026, 5, day))
    scope = scope_of(executor)

    with django_assert_max_num_queries(11):  # 8 of the page, at most 3 of the triage and documents panels
        detail = case_detail(scope=scope, case_id=case.pk, today=TODAY)

    assert [line.party.name for line in detail.parties] == ["温县农村商业银行股份有限公司", "张三"]
    assert len(detail.parties[1].other_cases) == 10
    assert detail.parties[0].other_cases == []


def test_agents_are_shown_under_the_party_they_represent(courts, file_case, applicant, executor):
    lawyer = party_register(kind=PartyKind.NATURAL_PERSON, name="律师赵", actor=None, at=AT)
    case = file_on(file_case, courts.wenxian, date(2026, 3, 2))
    from zhixing.cases.models import CaseParty

    link = CaseParty.objects.get(case=case, party=applicant)
    CaseParty.objects.create(case=case, party=lawyer, role="agent", agent_of=link)

    detail = case_detail(scope=scope_of(executor), case_id=case.pk, today=TODAY)

    assert [(line.party.name, [a.name for a in line.agents]) for line in detail.parties] == [
        ("温县农村商业银行股份有限公司", ["律师赵"]),
        ("张三", []),
    ]


def test_another_courts_case_is_a_404_and_a_supervisor_above_reads_it_without_reveal(
    client, courts, make_staff, executor, file_case
):
    wuzhi = file_on(file_case, courts.wuzhi, date(2026, 3, 2))
    client.force_login(executor)
    assert client.get(reverse("cases:case_detail", args=[wuzhi.pk])).status_code == 404

    client.force_login(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))
    response = client.get(reverse("cases:case_detail", args=[wuzhi.pk]))

    assert response.status_code == 200
    assert "查看完整号码" not in response.content.decode()


def test_revealing_an_id_number_shows_it_once_and_is_audited(client, executor, case, debtor, audit_rows):
    client.force_login(executor)

    response = client.post(reverse("cases:party_reveal", args=[case.pk, debtor.pk]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.content.decode().strip() == f'<code data-testid="revealed-id">{ADULT_ID}</code>'
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    rows = audit_rows("cases.party.identity_revealed")
    assert [(row["actor_id"], row["subject_id"]) for row in rows] == [(executor.pk, str(debtor.pk))]
    assert ADULT_ID not in str(rows[0]["data"])


def test_revealing_is_refused_without_the_capability_and_records_nothing(
    client, courts, make_staff, case, debtor, audit_rows
):
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    response = client.post(reverse("cases:party_reveal", args=[case.pk, debtor.pk]))

    assert response.status_code == 403
    assert ADULT_ID not in response.content.decode()
    assert audit_rows("cases.party.identity_revealed") == []


def test_revealing_needs_a_post_and_a_party_in_scope(client, courts, executor, file_case, audit_rows):
    stranger = person("王外", 21)
    file_on(file_case, courts.linshu, date(2026, 3, 2), debtors=[stranger])
    client.force_login(executor)

    assert client.get(reverse("cases:party_reveal", args=[1, stranger.pk])).status_code == 405
    assert client.post(reverse("cases:party_reveal", args=[1, stranger.pk])).status_code == 404
    assert audit_rows("cases.party.identity_revealed") == []


def test_without_htmx_the_number_is_shown_on_its_own_page(client, executor, case, debtor):
    client.force_login(executor)

    html = client.post(reverse("cases:party_reveal", args=[case.pk, debtor.pk])).content.decode()

    assert f'<code data-testid="revealed-id">{ADULT_ID}</code>' in html
    assert "本次查看已记入审计日志。" in html
