"""Calendar pages: the overview, the deadline calculator, and the administrator's year editor."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from zhixing.courts.choices import CalendarYearSource, DayKind, Role
from zhixing.courts.models import CalendarDay, CalendarYear

TODAY = date(2026, 11, 23)
HOLIDAYS_2027 = "2027-01-01 元旦\n2027-02-06 至 2027-02-13 春节\n2027-10-01 至 2027-10-07 国庆节"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def admin(courts, make_staff):
    return make_staff(courts.wenxian, Role.ADMIN, name="管理员王")


@pytest.fixture
def executor(courts, make_staff):
    return make_staff(courts.wenxian, Role.EXECUTOR, name="执行员李")


def _edit_urls(year: int = 2027) -> list[tuple[str, str]]:
    return [
        ("get", reverse("courts:calendar_year_edit", args=[year])),
        ("post", reverse("courts:calendar_year_edit", args=[year])),
        ("post", reverse("courts:calendar_year_confirm", args=[year])),
        ("post", reverse("courts:calendar_day_set", args=[year])),
        ("post", reverse("courts:calendar_day_remove", args=[year])),
    ]


# --- who may open what ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), _edit_urls())
def test_anonymous_is_sent_to_login(client, method, url):
    response = getattr(client, method)(url, {"holidays": HOLIDAYS_2027, "day": "2027-01-01", "kind": "holiday"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not CalendarDay.objects.filter(day__year=2027).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), _edit_urls())
def test_executor_may_not_edit_the_calendar(client, executor, method, url):
    client.force_login(executor)

    response = getattr(client, method)(
        url, {"holidays": HOLIDAYS_2027, "day": "2027-01-01", "kind": "holiday", "name": "元旦", "confirm": "on"}
    )

    assert response.status_code == 403
    assert not CalendarDay.objects.filter(day__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_anonymous_overview_and_calculator_redirect_to_login(client):
    for name in ("courts:calendar", "courts:calendar_due_date"):
        response = client.get(reverse(name))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- overview ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_lists_years_warns_about_2027_and_shows_the_grid(client, executor):
    client.force_login(executor)

    response = client.get(reverse("courts:calendar"), {"year": 2026})

    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年的法定节假日和调休安排尚未录入" in page
    assert "标记为“临时”" in page
    assert "国务院公布（chinese_calendar 数据包）" in page
    assert 'class="holiday" title="2026-10-01 国庆节（法定节假日）"' in page
    assert 'class="makeup" title="2026-10-10 国庆节调休上班" data-day="2026-10-10"' in page
    assert "去录入" not in page  # an executor may not edit


@pytest.mark.django_db
def test_overview_answers_htmx_with_the_grid_only(client, executor):
    client.force_login(executor)

    response = client.get(reverse("courts:calendar"), {"year": 2027}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "2027年日历" in page
    assert "节假日未确认：该年期限按周末计算，标记为临时" in page


@pytest.mark.django_db
def test_admin_sees_links_to_enter_the_missing_year(client, admin):
    client.force_login(admin)

    response = client.get(reverse("courts:calendar"))

    assert reverse("courts:calendar_year_edit", args=[2027]) in response.content.decode()


# --- calculator -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_calculator_shows_due_date_and_why(client, executor):
    client.force_login(executor)

    response = client.get(
        reverse("courts:calendar_due_date"), {"start": "2026-09-21", "amount": "10", "unit": "natural_days"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert '<strong data-testid="due-date">2026-10-08</strong>' in page
    assert "顺延至其后第一个工作日2026-10-08" in page
    assert 'data-testid="provisional"' not in page


@pytest.mark.django_db
def test_calculator_marks_a_2027_date_provisional_in_its_htmx_fragment(client, executor):
    client.force_login(executor)

    response = client.get(
        reverse("courts:calendar_due_date"),
        {"start": "2027-02-05", "amount": "1", "unit": "working_days"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert "<html" not in page
    assert '<strong data-testid="due-date">2027-02-08</strong>' in page
    assert '<span class="badge warn" data-testid="provisional">临时</span>' in page


@pytest.mark.django_db
def test_calculator_refuses_bad_input_in_chinese(client, executor):
    client.force_login(executor)

    response = client.get(reverse("courts:calendar_due_date"), {"start": "2026-02-30", "amount": "-1", "unit": "weeks"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "起算日：请输入有效的日期，如 2026-10-08。" in page
    assert "期间：期间长度不能为负数。" in page
    assert "单位：计算单位只能是自然日、工作日或月。" in page


# --- the administrator's editor ---------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_enters_2027_and_confirms_it(client, admin):
    client.force_login(admin)

    entered = client.post(
        reverse("courts:calendar_year_edit", args=[2027]),
        {"holidays": HOLIDAYS_2027, "makeup_workdays": "2027-02-20", "note": ""},
    )
    confirmed = client.post(reverse("courts:calendar_year_confirm", args=[2027]))

    assert entered.status_code == 302
    assert confirmed.status_code == 302
    assert CalendarDay.objects.filter(day__year=2027, kind=DayKind.HOLIDAY).count() == 16
    assert CalendarDay.objects.get(day=date(2027, 2, 20)).name == "春节"
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.entered_by) == (CalendarYearSource.ADMIN, admin)
    page = client.get(reverse("courts:calendar_year_edit", args=[2027])).content.decode()
    assert "2027年节假日已确认生效，重算临时期限0个。" in page


@pytest.mark.django_db
def test_admin_entry_with_errors_is_shown_and_nothing_is_saved(client, admin):
    client.force_login(admin)

    response = client.post(
        reverse("courts:calendar_year_edit", args=[2027]),
        {"holidays": "2027-02-06 至 2027-02-13\n2026-10-01 国庆节", "makeup_workdays": "2027-02-17", "confirm": "on"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "节假日第1行缺少节日名称（如“春节”）。" in page
    assert "节假日第2行的日期不在2027年内。" in page
    assert "调休上班日2027-02-17是星期三，本来就是工作日，无需调休。" in page
    assert "2027-02-06 至 2027-02-13" in page  # the typed text is kept
    assert not CalendarDay.objects.filter(day__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_admin_edit_page_of_a_confirmed_year_offers_single_days_only(client, admin):
    client.force_login(admin)

    page = client.get(reverse("courts:calendar_year_edit", args=[2026])).content.decode()

    assert 'data-testid="year-entry-form"' not in page
    assert 'data-testid="day-set-form"' in page
    assert "2026-02-15" in page


@pytest.mark.django_db
def test_admin_sets_and_removes_a_single_day(client, admin):
    client.force_login(admin)

    set_response = client.post(
        reverse("courts:calendar_day_set", args=[2026]), {"day": "2026-12-31", "kind": "holiday", "name": "元旦"}
    )
    removed = client.post(reverse("courts:calendar_day_remove", args=[2026]), {"day": "2026-10-10"})

    assert set_response.status_code == 302
    assert removed.status_code == 302
    assert CalendarDay.objects.get(day=date(2026, 12, 31)).kind == DayKind.HOLIDAY
    assert not CalendarDay.objects.filter(day=date(2026, 10, 10)).exists()


@pytest.mark.django_db
def test_admin_single_day_outside_the_year_is_refused(client, admin):
    client.force_login(admin)

    response = client.post(
        reverse("courts:calendar_day_set", args=[2026]), {"day": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )

    assert response.status_code == 400
    assert "日期不在2026年内。" in response.content.decode()
    assert not CalendarDay.objects.filter(day=date(2027, 1, 1)).exists()


@pytest.mark.django_db
def test_year_out_of_range_is_not_found(client, admin):
    client.force_login(admin)

    assert client.get(reverse("courts:calendar_year_edit", args=[207])).status_code == 404
