"""The calendar services: seeding from the package, entering, confirming and editing a year, recomputing dates."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhixing.core.calendar import PeriodUnit, add_natural_days
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.courts.choices import CalendarYearSource, DayKind, Role
from zhixing.courts.models import CalendarDay, CalendarYear
from zhixing.courts.selectors import calendar_warnings, due_date_quote, work_calendar, work_calendar_forget
from zhixing.courts.services import (
    calendar_day_remove,
    calendar_day_set,
    calendar_recomputer_register,
    calendar_recomputer_unregister,
    calendar_year_confirm,
    calendar_year_enter,
    calendar_year_seed_from_package,
)

HOLIDAYS_2027 = """2027-01-01 元旦
2027-02-06 至 2027-02-13 春节
2027-04-03 至 2027-04-05 清明节
2027-05-01 至 2027-05-05 劳动节
2027-06-09 至 2027-06-11 端午节
2027-09-15 至 2027-09-17 中秋节
2027-10-01 至 2027-10-07 国庆节"""
MAKEUPS_2027 = "2027-02-20\n2027-05-08\n2027-09-26\n2027-10-09"


def _days_2027() -> list[tuple]:
    return list(CalendarDay.objects.filter(day__year=2027).values_list("day", "kind", "name").order_by("day"))


@pytest.fixture
def admin(courts, make_staff):
    return make_staff(courts.wenxian, Role.ADMIN, name="管理员王")


@pytest.fixture
def recompute_calls():
    calls: list[dict] = []

    def recompute(*, year, calendar, actor, at):
        calls.append({"year": year, "covered": year in calendar.covered_years, "actor": actor, "at": at})
        return 3

    calendar_recomputer_register(key="test.deadlines", recompute=recompute)
    yield calls
    calendar_recomputer_unregister(key="test.deadlines")


# --- seeding ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_seeded_every_package_year():
    years = CalendarYear.objects.order_by("year")

    assert list(years.values_list("year", flat=True)) == list(range(2004, 2027))
    assert set(years.values_list("source", flat=True)) == {CalendarYearSource.PACKAGE}
    assert CalendarDay.objects.filter(kind=DayKind.HOLIDAY).count() == 621
    assert CalendarDay.objects.filter(kind=DayKind.MAKEUP_WORKDAY).count() == 150
    assert CalendarDay.objects.get(day=date(2026, 2, 17)).name == "春节"
    assert CalendarDay.objects.get(day=date(2023, 9, 29)).name == "中秋节、国庆节"
    assert CalendarDay.objects.get(day=date(2020, 10, 1)).name == "国庆节、中秋节"
    assert CalendarDay.objects.get(day=date(2026, 9, 20)).kind == DayKind.MAKEUP_WORKDAY


@pytest.mark.django_db
def test_seeding_again_adds_nothing(at, audit_rows):
    result = calendar_year_seed_from_package(actor=None, at=at)

    assert (result.years_created, result.days_created) == ([], 0)
    assert CalendarDay.objects.count() == 771
    assert audit_rows("courts.calendar.year_seeded") == []


@pytest.mark.django_db
def test_seeding_restores_a_missing_year_and_audits_it(at, audit_rows):
    CalendarYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(day__year=2026).delete()

    result = calendar_year_seed_from_package(actor=None, at=at)

    assert (result.years_created, result.days_created) == ([2026], 39)
    assert CalendarDay.objects.filter(day__year=2026, kind=DayKind.HOLIDAY).count() == 33
    assert CalendarDay.objects.filter(day__year=2026, kind=DayKind.MAKEUP_WORKDAY).count() == 6
    assert CalendarYear.objects.get(year=2026).source == CalendarYearSource.PACKAGE
    [row] = audit_rows("courts.calendar.year_seeded")
    assert row["subject_id"] == "2026"
    assert row["data"] == '{"holidays":33,"makeup_workdays":6,"year":2026}'


# --- the WorkCalendar selector ----------------------------------------------------------------------


@pytest.mark.django_db
def test_work_calendar_reads_the_table_in_one_query_then_caches():
    work_calendar_forget()

    with CaptureQueriesContext(connection) as first:
        calendar = work_calendar()
    with CaptureQueriesContext(connection) as second:
        again = work_calendar()

    assert len(first.captured_queries) == 1
    assert len(second.captured_queries) == 0
    assert again == calendar
    assert calendar.covered_years == frozenset(range(2004, 2027))
    assert date(2026, 10, 1) in calendar.holidays
    assert date(2026, 10, 10) in calendar.makeup_workdays


@pytest.mark.django_db
def test_work_calendar_narrowed_to_years():
    calendar = work_calendar(years=[2026])

    assert calendar.covered_years == {2026}
    assert {d.year for d in calendar.holidays} == {2026}
    assert len(calendar.holidays) == 33


# --- entering a year --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entering_2027_with_bad_lines_is_refused_and_changes_nothing(admin, at, audit_rows):
    with pytest.raises(ValidationFailed) as error:
        calendar_year_enter(
            year=2027,
            holidays_text="2027-01-01 元旦\n2027-02-06 至 2027-02-13\n2027-13-01 错误",
            makeup_text="2027-02-17",
            actor=admin,
            at=at,
        )

    assert error.value.fields == {
        "holidays": ["节假日第2行缺少节日名称（如“春节”）。", "节假日第3行“2027-13-01 错误”含有不存在的日期。"],
        "makeup_workdays": ["调休上班日2027-02-17是星期三，本来就是工作日，无需调休。"],
    }
    assert error.value.message.startswith("2027年节假日录入有误，未保存：")
    assert _days_2027() == []
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert audit_rows("courts.calendar.year_entered") == []


@pytest.mark.django_db
def test_entering_a_year_out_of_range_is_refused(admin, at):
    with pytest.raises(ValidationFailed, match="年度应在2000至2100之间"):
        calendar_year_enter(year=207, holidays_text="0207-01-01 元旦", makeup_text="", actor=admin, at=at)


@pytest.mark.django_db
def test_entering_a_confirmed_year_is_refused_and_changes_nothing(admin, at, audit_rows):
    before = list(CalendarDay.objects.filter(day__year=2026).values_list("day", "kind", "name"))

    with pytest.raises(Conflict, match="2026年的节假日已确认生效"):
        calendar_year_enter(year=2026, holidays_text="2026-01-01 元旦", makeup_text="", actor=admin, at=at)

    assert list(CalendarDay.objects.filter(day__year=2026).values_list("day", "kind", "name")) == before
    assert audit_rows("courts.calendar.year_entered") == []


@pytest.mark.django_db
def test_entered_year_stays_provisional_until_confirmed(admin, at, audit_rows):
    result = calendar_year_enter(year=2027, holidays_text=HOLIDAYS_2027, makeup_text=MAKEUPS_2027, actor=admin, at=at)

    assert (result.holidays, result.makeup_workdays, result.confirmed) == (30, 4, False)
    assert len(_days_2027()) == 34
    assert _days_2027()[0] == (date(2027, 1, 1), DayKind.HOLIDAY, "元旦")
    due = add_natural_days(start=date(2026, 12, 22), days=10, calendar=work_calendar())
    assert (due.day, due.provisional) == (date(2027, 1, 1), True)
    [row] = audit_rows("courts.calendar.year_entered")
    assert row["actor_id"] == admin.pk
    assert '"before":{"days":[]}' in row["data"]


@pytest.mark.django_db
def test_entering_again_replaces_the_draft(admin, at):
    calendar_year_enter(year=2027, holidays_text=HOLIDAYS_2027, makeup_text=MAKEUPS_2027, actor=admin, at=at)

    calendar_year_enter(year=2027, holidays_text="2027-01-01 元旦", makeup_text="", actor=admin, at=at)

    assert _days_2027() == [(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")]


# --- confirming a year ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_covers_the_year_recomputes_and_audits(admin, at, audit_rows, recompute_calls):
    calendar_year_enter(year=2027, holidays_text=HOLIDAYS_2027, makeup_text=MAKEUPS_2027, actor=admin, at=at)

    counts = calendar_year_confirm(year=2027, note="国办发明电〔2026〕X号", actor=admin, at=at)

    assert counts == {"flow.deadlines": 0, "test.deadlines": 3}
    assert recompute_calls == [{"year": 2027, "covered": True, "actor": admin, "at": at}]
    confirmed = CalendarYear.objects.get(year=2027)
    assert (confirmed.source, confirmed.entered_by, confirmed.entered_at) == (CalendarYearSource.ADMIN, admin, at)
    due = add_natural_days(start=date(2026, 12, 22), days=10, calendar=work_calendar())
    assert (due.day, due.provisional) == (date(2027, 1, 4), False)
    [recomputed] = audit_rows("courts.calendar.dates_recomputed")
    assert recomputed["data"] == (
        '{"counts":{"flow.deadlines":0,"test.deadlines":3},"reason":"year_confirmed","total":3,"year":2027}'
    )
    assert recomputed["actor_id"] == admin.pk
    assert len(audit_rows("courts.calendar.year_confirmed")) == 1
    assert calendar_warnings(today=date(2026, 11, 23)) == []


@pytest.mark.django_db
def test_enter_and_confirm_at_once(admin, at, recompute_calls):
    result = calendar_year_enter(
        year=2027, holidays_text=HOLIDAYS_2027, makeup_text=MAKEUPS_2027, confirm=True, actor=admin, at=at
    )

    assert (result.confirmed, result.recomputed) == (True, {"flow.deadlines": 0, "test.deadlines": 3})
    assert CalendarYear.objects.filter(year=2027, source=CalendarYearSource.ADMIN).exists()


@pytest.mark.django_db
def test_confirm_without_holidays_is_refused_and_changes_nothing(admin, at, audit_rows, recompute_calls):
    with pytest.raises(ValidationFailed, match="尚未录入2027年的法定节假日"):
        calendar_year_confirm(year=2027, actor=admin, at=at)

    assert not CalendarYear.objects.filter(year=2027).exists()
    assert recompute_calls == []
    assert audit_rows("courts.calendar.dates_recomputed") == []


@pytest.mark.django_db
def test_confirm_twice_is_refused(admin, at, recompute_calls):
    calendar_year_enter(year=2027, holidays_text=HOLIDAYS_2027, makeup_text="", confirm=True, actor=admin, at=at)

    with pytest.raises(Conflict, match="2027年的节假日已确认生效"):
        calendar_year_confirm(year=2027, actor=admin, at=at)

    assert len(recompute_calls) == 1


@pytest.mark.django_db
def test_failing_recomputer_rolls_the_confirmation_back(admin, at, audit_rows):
    calendar_year_enter(year=2027, holidays_text=HOLIDAYS_2027, makeup_text="", actor=admin, at=at)

    def broken(**kwargs):
        raise RuntimeError("boom")

    calendar_recomputer_register(key="test.broken", recompute=broken)
    try:
        with pytest.raises(RuntimeError, match="boom"):
            calendar_year_confirm(year=2027, actor=admin, at=at)
    finally:
        calendar_recomputer_unregister(key="test.broken")

    assert not CalendarYear.objects.filter(year=2027).exists()
    assert audit_rows("courts.calendar.year_confirmed") == []
    assert 2027 not in work_calendar().covered_years


# --- single days ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_setting_a_day_in_a_confirmed_year_audits_and_recomputes(admin, at, audit_rows, recompute_calls):
    calendar_day_set(day=date(2026, 12, 31), kind=DayKind.HOLIDAY, name="元旦", actor=admin, at=at)

    assert CalendarDay.objects.get(day=date(2026, 12, 31)).name == "元旦"
    assert date(2026, 12, 31) in work_calendar().holidays
    [row] = audit_rows("courts.calendar.day_set")
    assert row["data"] == '{"after":{"kind":"holiday","name":"元旦"},"before":{"kind":"","name":""}}'
    assert recompute_calls == [{"year": 2026, "covered": True, "actor": admin, "at": at}]


@pytest.mark.django_db
def test_changing_a_day_records_before_and_after(admin, at, audit_rows):
    calendar_day_set(day=date(2026, 10, 10), kind=DayKind.HOLIDAY, name="国庆节", actor=admin, at=at)

    [row] = audit_rows("courts.calendar.day_set")
    assert row["data"] == (
        '{"after":{"kind":"holiday","name":"国庆节"},"before":{"kind":"makeup_workday","name":"国庆节"}}'
    )


@pytest.mark.django_db
def test_makeup_workday_on_a_weekday_is_refused_and_changes_nothing(admin, at, audit_rows):
    with pytest.raises(ValidationFailed, match="2026-12-30本来就是工作日"):
        calendar_day_set(day=date(2026, 12, 30), kind=DayKind.MAKEUP_WORKDAY, name="元旦", actor=admin, at=at)

    assert not CalendarDay.objects.filter(day=date(2026, 12, 30)).exists()
    assert audit_rows("courts.calendar.day_set") == []


@pytest.mark.django_db
def test_setting_a_day_without_a_name_is_refused(admin, at):
    with pytest.raises(ValidationFailed, match="请填写节日名称"):
        calendar_day_set(day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="  ", actor=admin, at=at)

    assert _days_2027() == []


@pytest.mark.django_db
def test_removing_a_day_audits_and_changes_the_calendar(admin, at, audit_rows, recompute_calls):
    calendar_day_remove(day=date(2026, 10, 10), actor=admin, at=at)

    assert not CalendarDay.objects.filter(day=date(2026, 10, 10)).exists()
    assert date(2026, 10, 10) not in work_calendar().makeup_workdays
    [row] = audit_rows("courts.calendar.day_removed")
    assert row["data"] == '{"after":{"kind":"","name":""},"before":{"kind":"makeup_workday","name":"国庆节"}}'
    assert len(recompute_calls) == 1


@pytest.mark.django_db
def test_removing_an_ordinary_day_is_refused(admin, at, audit_rows):
    with pytest.raises(ValidationFailed, match="2026-11-23不是已录入的节假日或调休上班日"):
        calendar_day_remove(day=date(2026, 11, 23), actor=admin, at=at)

    assert audit_rows("courts.calendar.day_removed") == []


@pytest.mark.django_db
def test_setting_a_day_in_an_unconfirmed_year_does_not_recompute(admin, at, recompute_calls):
    calendar_day_set(day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦", actor=admin, at=at)

    assert recompute_calls == []
    assert _days_2027() == [(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")]


# --- quotes and warnings ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_quote_explains_a_holiday_extension():
    quote = due_date_quote(start=date(2026, 9, 21), amount=10, unit=PeriodUnit.NATURAL_DAYS)

    assert quote.due.day == date(2026, 10, 8)
    assert quote.reasons == [
        "起算日2026-09-21当日不计入，自次日起算（民诉法第八十五条、民诉法解释第一百二十五条）。",
        "第10日为2026-10-01。",
        "2026-10-01为休息日（国庆节法定节假日），期间届满日顺延至其后第一个工作日2026-10-08（民诉法第八十五条第三款）。",
    ]


@pytest.mark.django_db
def test_quote_marks_a_2027_date_provisional():
    quote = due_date_quote(start=date(2026, 12, 20), amount=14, unit=PeriodUnit.NATURAL_DAYS)

    assert (quote.due.day, quote.due.provisional) == (date(2027, 1, 4), True)
    assert quote.reasons[-1] == "临时结果：2027年的法定节假日尚未录入，暂只按周末计算；管理员录入并确认后将自动重算。"


@pytest.mark.django_db
def test_warns_for_next_year_only_when_this_year_is_covered():
    [warning] = calendar_warnings(today=date(2026, 11, 23))

    assert warning.year == 2027
    assert "标记为“临时”" in warning.message
