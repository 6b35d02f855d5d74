"""The case list pages: filters, htmx rows, "my cases", masking, permissions and a constant query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.choices import CaseStatus
from zhixing.cases.tests.conftest import ADULT_ID
from zhixing.cases.tests.test_list import file_on
from zhixing.courts.choices import Role

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def executor(courts, make_staff):
    return make_staff(courts.wenxian, Role.EXECUTOR, name="执行员李")


@pytest.fixture
def signed_in(client, executor):
    client.force_login(executor)
    return client


def test_the_list_shows_cases_with_masked_ids_only(signed_in, courts, file_case):
    file_on(file_case, courts.wenxian, date(2026, 3, 2))

    response = signed_in.get(reverse("cases:case_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "（2026）豫0825执1号" in html
    assert "410105********5011" in html
    assert ADULT_ID not in html
    assert 'data-testid="case-count">共 1 件' in html
    assert 'href="/cases/"' in html  # the navigation entry


def test_the_list_filters_and_reports_bad_filters_in_chinese(signed_in, courts, file_case):
    file_on(file_case, courts.wenxian, date(2026, 3, 2))
    running = file_on(file_case, courts.wenxian, date(2026, 3, 3), status=CaseStatus.IN_EXECUTION)

    filtered = signed_in.get(reverse("cases:case_list"), {"status": "in_execution"}).content.decode()
    bad = signed_in.get(reverse("cases:case_list"), {"amount_min": "10", "amount_max": "5"}).content.decode()

    assert running.number in filtered
    assert "（2026）豫0825执1号" not in filtered
    assert "标的额上限不能低于下限。" in bad
    assert 'data-testid="case-list"' not in bad


def test_the_next_page_comes_by_cursor_and_htmx_gets_the_rows_only(signed_in, courts, file_case):
    cases = [file_on(file_case, courts.wenxian, date(2026, 1, 1) + timedelta(days=i)) for i in range(52)]
    first = signed_in.get(reverse("cases:case_list"))
    cursor = first.context["page"].next_cursor

    more = signed_in.get(
        reverse("cases:case_list"), {"cursor": cursor}, headers={"HX-Request": "true", "HX-Target": "case-more"}
    )

    assert cursor == f"{cases[2].filed_on:%Y%m%d}-{cases[2].pk}"
    assert 'data-testid="case-next"' in first.content.decode()
    assert cases[1].number not in first.content.decode()
    body = more.content.decode()
    assert "<html" not in body
    assert [row.id for row in more.context["page"].rows] == [cases[1].pk, cases[0].pk]
    assert 'data-testid="case-next"' not in body


def test_a_bad_cursor_is_refused_with_a_message(signed_in):
    response = signed_in.get(reverse("cases:case_list"), {"cursor": "nonsense"})

    assert "翻页参数无效" in response.content.decode()


def test_my_cases_lists_only_the_executors_own(signed_in, courts, file_case, executor, make_staff):
    other = make_staff(courts.wenxian, Role.EXECUTOR)
    mine = file_on(file_case, courts.wenxian, date(2026, 3, 2), executor_id=executor.pk)
    theirs = file_on(file_case, courts.wenxian, date(2026, 3, 3), executor_id=other.pk)

    html = signed_in.get(reverse("cases:my_cases")).content.decode()

    assert mine.number in html
    assert theirs.number not in html


def test_my_cases_needs_the_executor_capability(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.REVIEWER))

    assert client.get(reverse("cases:my_cases")).status_code == 403
    assert client.get(reverse("cases:case_list")).status_code == 200


def test_anonymous_people_are_sent_to_log_in_and_people_without_a_role_are_refused(client, db):
    from zhixing.courts.services import user_create

    assert client.get(reverse("cases:case_list")).status_code == 302
    client.force_login(user_create(username="nobody", name="无角色", password="x" * 12, actor=None, at=timezone.now()))
    assert client.get(reverse("cases:case_list")).status_code == 403


def test_another_courts_cases_are_not_listed(signed_in, courts, file_case):
    other = file_on(file_case, courts.wuzhi, date(2026, 3, 2))

    html = signed_in.get(reverse("cases:case_list")).content.decode()

    assert other.number not in html
    assert "没有符合条件的案件。" in html


def test_the_list_page_runs_the_same_queries_for_one_case_or_twenty(
    signed_in, courts, file_case, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    file_on(file_case, courts.wenxian, date(2026, 3, 1))
    with CaptureQueriesContext(connection) as one:
        signed_in.get(reverse("cases:case_list"))
    for day in range(2, 22):
        file_on(file_case, courts.wenxian, date(2026, 3, day))

    with django_assert_num_queries(len(one.captured_queries)):
        response = signed_in.get(reverse("cases:case_list"))

    assert len(response.context["page"].rows) == 21
