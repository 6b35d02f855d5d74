"""Calendar API: computing a due date and reading the years in the table."""

from datetime import date

import pytest
from django.utils import timezone

from zhixing.courts.choices import Role

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def executor_client(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    return client


@pytest.mark.django_db
def test_due_date_over_spring_festival(executor_client):
    response = executor_client.get("/api/v1/calendar/due-date/", {"start": "2026-02-05", "days": 10})

    body = response.json()
    assert response.status_code == 200
    assert {k: body[k] for k in body if k != "reasons"} == {
        "start": "2026-02-05",
        "days": 10,
        "unit": "natural_days",
        "due_date": "2026-02-24",
        "nominal_date": "2026-02-15",
        "extended": True,
        "provisional": False,
        "uncovered_years": [],
    }
    assert body["reasons"][-1].startswith("2026-02-15为休息日（春节法定节假日）")


@pytest.mark.django_db
def test_due_date_in_working_days_into_2027_is_provisional(executor_client):
    response = executor_client.get(
        "/api/v1/calendar/due-date/", {"start": "2026-12-30", "days": 3, "unit": "working_days"}
    )

    body = response.json()
    assert (body["due_date"], body["provisional"], body["uncovered_years"]) == ("2027-01-04", True, [2027])


@pytest.mark.django_db
def test_due_date_in_months(executor_client):
    response = executor_client.get("/api/v1/calendar/due-date/", {"start": "2026-01-31", "days": 1, "unit": "months"})

    assert response.json()["due_date"] == "2026-02-28"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"days": 10}, "请提供起算日 start。"),
        ({"start": "2026-02-30", "days": 10}, "起算日 start 应为 YYYY-MM-DD 格式的日期。"),
        ({"start": "2026-02-05", "days": -1}, "期间长度 days 不能为负数。"),
        ({"start": "2026-02-05", "days": "十"}, "期间长度 days 应为整数。"),
        (
            {"start": "2026-02-05", "days": 1, "unit": "weeks"},
            "计算单位 unit 只能是natural_days（自然日）、working_days（工作日）或 months（月）。",
        ),
        ({"start": "2026-02-05", "days": 121, "unit": "months"}, "期间过长：不能超过120。"),
    ],
)
def test_bad_input_is_400_with_a_chinese_message(executor_client, params, message):
    response = executor_client.get("/api/v1/calendar/due-date/", params)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert response.json()["message"] == message


@pytest.mark.django_db
def test_anonymous_is_refused(client):
    response = client.get("/api/v1/calendar/due-date/", {"start": "2026-02-05", "days": 10})

    assert response.status_code == 401
    assert "message" in response.json()


@pytest.mark.django_db
def test_years_lists_package_years_and_the_missing_next_year(executor_client):
    response = executor_client.get("/api/v1/calendar/years/")

    rows = {row["year"]: row for row in response.json()}
    assert response.status_code == 200
    assert sorted(rows) == list(range(2004, 2028))
    assert rows[2027] == {
        "year": 2027,
        "status": "未录入",
        "confirmed": False,
        "source": None,
        "source_label": "",
        "entered_by": None,
        "entered_at": None,
        "holiday_count": 0,
        "makeup_count": 0,
    }
    assert (rows[2026]["confirmed"], rows[2026]["source"], rows[2026]["holiday_count"]) == (True, "package", 33)


@pytest.mark.django_db
def test_year_detail_lists_its_days(executor_client):
    response = executor_client.get("/api/v1/calendar/years/2026/")

    body = response.json()
    assert (body["year"], body["confirmed"], len(body["days"])) == (2026, True, 39)
    assert body["days"][0] == {"day": "2026-01-01", "kind": "holiday", "kind_label": "法定节假日", "name": "元旦"}
