"""The counting of periods (民诉法第八十五条) on the working-day calendar: pure, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zhixing.core.calendar import (
    WEEKENDS_ONLY,
    PeriodUnit,
    WorkCalendar,
    YearEntryInvalid,
    add_months,
    add_natural_days,
    add_period,
    add_working_days,
    apply_last_day_rule,
    corresponding_day,
    is_working_day,
    parse_year_entry,
)
from zhixing.core.calendar_package import package_years


def _package_calendar() -> WorkCalendar:
    years = package_years()
    days = [d for year_days in years.values() for d in year_days]
    return WorkCalendar(
        holidays=frozenset(d.day for d in days if d.is_holiday),
        makeup_workdays=frozenset(d.day for d in days if not d.is_holiday),
        covered_years=frozenset(years),
    )


#: 2004–2026 as the package carries them; 2027 is not covered.
CAL = _package_calendar()


# --- the calendar itself ---------------------------------------------------------------------------


def test_package_covers_2004_to_2026():
    assert CAL.covered_years == frozenset(range(2004, 2027))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 13), True),  # Friday before 春节
        (date(2026, 2, 14), True),  # Saturday, 春节 make-up workday
        (date(2026, 2, 15), False),  # Sunday, 春节
        (date(2026, 2, 16), False),  # Monday, 春节
        (date(2026, 2, 23), False),  # Monday, last day of 春节
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, 春节 make-up workday
        (date(2026, 1, 4), True),  # Sunday, 元旦 make-up workday
        (date(2026, 5, 9), True),  # Saturday, 劳动节 make-up workday
        (date(2026, 9, 20), True),  # Sunday, 国庆节 make-up workday
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # Saturday, 国庆节 make-up workday
        (date(2026, 10, 11), False),  # ordinary Sunday
        (date(2026, 11, 28), False),  # ordinary Saturday
    ],
)
def test_working_days_of_2026(day, expected):
    assert is_working_day(day=day, calendar=CAL) is expected


def test_uncovered_year_counts_weekends_only_even_with_days_entered():
    draft = WorkCalendar(
        holidays=CAL.holidays | {date(2027, 1, 1)},
        makeup_workdays=CAL.makeup_workdays | {date(2027, 1, 2)},
        covered_years=CAL.covered_years,
    )

    assert is_working_day(day=date(2027, 1, 1), calendar=draft) is True
    assert is_working_day(day=date(2027, 1, 2), calendar=draft) is False


# --- natural days and the last-day rule -------------------------------------------------------------


def test_period_ending_in_spring_festival_moves_to_first_working_day_after():
    due = add_natural_days(start=date(2026, 2, 5), days=10, calendar=CAL)

    assert due.nominal == date(2026, 2, 15)
    assert due.day == date(2026, 2, 24)
    assert due.extended is True
    assert due.provisional is False


def test_period_ending_on_makeup_saturday_does_not_move():
    assert add_natural_days(start=date(2026, 2, 4), days=10, calendar=CAL).day == date(2026, 2, 14)
    assert add_natural_days(start=date(2026, 2, 18), days=10, calendar=CAL).day == date(2026, 2, 28)


def test_period_ending_on_makeup_sunday_does_not_move():
    due = add_natural_days(start=date(2026, 9, 10), days=10, calendar=CAL)

    assert due.day == date(2026, 9, 20)
    assert due.extended is False


def test_period_ending_in_national_day_holiday_moves_to_8_october():
    assert add_natural_days(start=date(2026, 9, 21), days=10, calendar=CAL).day == date(2026, 10, 8)
    assert add_natural_days(start=date(2026, 9, 27), days=10, calendar=CAL).day == date(2026, 10, 8)


def test_period_ending_on_national_day_makeup_saturday_stays():
    assert add_natural_days(start=date(2026, 9, 30), days=10, calendar=CAL).day == date(2026, 10, 10)


def test_period_ending_on_ordinary_saturday_moves_to_monday():
    due = add_natural_days(start=date(2026, 11, 13), days=15, calendar=CAL)

    assert due.nominal == date(2026, 11, 28)
    assert due.day == date(2026, 11, 30)


def test_first_day_is_not_counted():
    assert add_natural_days(start=date(2026, 11, 23), days=3, calendar=CAL).day == date(2026, 11, 26)


def test_zero_days_ends_on_start_or_next_working_day():
    assert add_natural_days(start=date(2026, 11, 23), days=0, calendar=CAL).day == date(2026, 11, 23)
    assert add_natural_days(start=date(2026, 10, 3), days=0, calendar=CAL).day == date(2026, 10, 8)


def test_negative_period_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_natural_days(start=date(2026, 11, 23), days=-1, calendar=CAL)


def test_last_day_rule_on_mid_autumn_holiday():
    due = apply_last_day_rule(day=date(2026, 9, 25), calendar=CAL)

    assert due.day == date(2026, 9, 28)
    assert (due.consulted_from, due.consulted_to) == (date(2026, 9, 25), date(2026, 9, 28))


# --- working days ---------------------------------------------------------------------------------


def test_working_days_across_spring_festival_count_the_makeup_saturday():
    due = add_working_days(start=date(2026, 2, 12), days=3, calendar=CAL)

    assert due.day == date(2026, 2, 24)  # 13 Feb, 14 Feb (调休), then 24 Feb
    assert due.provisional is False


def test_working_days_across_national_day_end_on_makeup_saturday():
    assert add_working_days(start=date(2026, 9, 30), days=3, calendar=CAL).day == date(2026, 10, 10)


def test_one_working_day_after_friday_before_makeup_sunday():
    assert add_working_days(start=date(2026, 9, 18), days=1, calendar=CAL).day == date(2026, 9, 20)


def test_working_days_over_an_ordinary_weekend():
    assert add_working_days(start=date(2026, 11, 26), days=3, calendar=CAL).day == date(2026, 12, 1)


# --- months ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2025, 12, 15), 12, date(2026, 12, 15)),
    ],
)
def test_corresponding_day_clamps_to_month_end(start, months, expected):
    assert corresponding_day(start=start, months=months) == expected


def test_month_ending_on_makeup_saturday_stays():
    due = add_months(start=date(2026, 1, 31), months=1, calendar=CAL)

    assert due.day == date(2026, 2, 28)
    assert due.extended is False


def test_month_ending_on_national_day_moves_to_8_october():
    assert add_months(start=date(2026, 9, 1), months=1, calendar=CAL).day == date(2026, 10, 8)


def test_month_ending_on_sunday_moves_to_monday():
    assert add_months(start=date(2026, 4, 29), months=7, calendar=CAL).day == date(2026, 11, 30)


# --- years not covered ----------------------------------------------------------------------------


def test_date_in_2027_is_provisional_and_skips_only_weekends():
    new_year = add_natural_days(start=date(2026, 12, 22), days=10, calendar=CAL)
    sunday = add_natural_days(start=date(2026, 12, 20), days=14, calendar=CAL)

    assert (new_year.day, new_year.provisional, new_year.uncovered_years) == (date(2027, 1, 1), True, {2027})
    assert (sunday.nominal, sunday.day, sunday.provisional) == (date(2027, 1, 3), date(2027, 1, 4), True)


def test_working_days_into_2027_spring_festival_are_provisional():
    due = add_working_days(start=date(2027, 2, 5), days=1, calendar=CAL)

    assert (due.day, due.provisional) == (date(2027, 2, 8), True)


def test_working_days_ending_in_2026_after_starting_in_2025_are_not_provisional():
    due = add_working_days(start=date(2025, 12, 30), days=3, calendar=CAL)

    assert (due.day, due.provisional) == (date(2026, 1, 5), False)


def test_everything_is_provisional_without_a_calendar():
    due = add_natural_days(start=date(2026, 2, 5), days=10, calendar=WEEKENDS_ONLY)

    assert (due.day, due.provisional) == (date(2026, 2, 16), True)


# --- parsing an administrator's entry ---------------------------------------------------------------


def test_parses_ranges_single_days_and_makeups_with_default_names():
    entry = parse_year_entry(
        year=2027,
        holidays_text="2027-01-01 元旦\n\n2027-02-06 至 2027-02-13 春节\n2027年10月1日~2027年10月7日 国庆节",
        makeup_text="2027-02-20\n2027-10-09 国庆节",
    )

    assert len(entry.holidays) == 1 + 8 + 7
    assert entry.makeup_workdays == {date(2027, 2, 20), date(2027, 10, 9)}
    names = {d.day: d.name for d in entry.days}
    assert names[date(2027, 2, 20)] == "春节"
    assert names[date(2027, 10, 3)] == "国庆节"


def test_entry_lists_every_problem_in_chinese():
    with pytest.raises(YearEntryInvalid) as error:
        parse_year_entry(
            year=2027,
            holidays_text="2027-02-06 至 2027-02-13 春节\n2027-02-10 元宵\n2026-10-01 国庆节\n春节放假\n2027-02-30 错\n"
            "2027-05-05 至 2027-05-01 劳动节\n2027-06-01",
            makeup_text="2027-02-17\n2028-01-01\n2027-02-07\nabc",
        )

    assert error.value.holiday_errors == [
        "节假日第2行与前面的假期重叠（2027-02-10已是“春节”）。",
        "节假日第3行的日期不在2027年内。",
        "节假日第4行“春节放假”格式不对，应为“2027-02-06 至 2027-02-13 春节”。",
        "节假日第5行“2027-02-30 错”含有不存在的日期。",
        "节假日第6行的结束日期早于开始日期。",
        "节假日第7行缺少节日名称（如“春节”）。",
    ]
    assert error.value.makeup_errors == [
        "调休上班日2027-02-17是星期三，本来就是工作日，无需调休。",
        "调休上班日2028-01-01不在2027年内。",
        "调休上班日2027-02-07同时被列为节假日“春节”。",
        "调休上班日第4行“abc”格式不对，应为“2027-02-20”。",
    ]


def test_entry_needs_at_least_one_holiday():
    with pytest.raises(YearEntryInvalid) as error:
        parse_year_entry(year=2027, holidays_text="  \n", makeup_text="")

    assert error.value.holiday_errors == ["请至少填写一个2027年的法定节假日。"]


# --- properties -----------------------------------------------------------------------------------

starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
lengths = st.integers(min_value=0, max_value=400)
month_counts = st.integers(min_value=0, max_value=30)
units = st.sampled_from(list(PeriodUnit))


def _consulted_days(due):
    return [due.consulted_from + timedelta(days=n) for n in range((due.consulted_to - due.consulted_from).days + 1)]


@given(start=starts, days=lengths, unit=units)
def test_result_is_always_a_working_day_not_before_start(start, days, unit):
    amount = days if unit != PeriodUnit.MONTHS else days % 31

    due = add_period(start=start, amount=amount, unit=unit, calendar=CAL)

    assert is_working_day(day=due.day, calendar=CAL)
    assert due.day >= start
    assert due.day >= due.nominal


@given(start=starts, first=lengths, second=lengths)
def test_natural_and_working_days_are_monotonic(start, first, second):
    low, high = sorted((first, second))

    assert (
        add_natural_days(start=start, days=low, calendar=CAL).day
        <= add_natural_days(start=start, days=high, calendar=CAL).day
    )
    assert (
        add_working_days(start=start, days=low, calendar=CAL).day
        <= add_working_days(start=start, days=high, calendar=CAL).day
    )


@given(start=starts, first=month_counts, second=month_counts)
def test_months_are_monotonic(start, first, second):
    low, high = sorted((first, second))

    assert (
        add_months(start=start, months=low, calendar=CAL).day <= add_months(start=start, months=high, calendar=CAL).day
    )


@given(start=starts, days=st.integers(min_value=1, max_value=400))
def test_working_day_addition_counts_exactly_n_working_days(start, days):
    due = add_working_days(start=start, days=days, calendar=CAL)

    between = [start + timedelta(days=n) for n in range(1, (due.day - start).days + 1)]
    assert sum(1 for d in between if is_working_day(day=d, calendar=CAL)) == days
    assert due.day > start


@given(start=starts, days=lengths, unit=units)
def test_provisional_iff_a_consulted_day_is_in_an_uncovered_year(start, days, unit):
    amount = days if unit != PeriodUnit.MONTHS else days % 31

    due = add_period(start=start, amount=amount, unit=unit, calendar=CAL)

    expected_from = start + timedelta(days=1) if unit == PeriodUnit.WORKING_DAYS and amount else due.nominal
    assert due.consulted_from == expected_from
    assert due.consulted_to == due.day
    assert due.provisional == any(d.year not in CAL.covered_years for d in _consulted_days(due))
    assert due.uncovered_years == {d.year for d in _consulted_days(due)} - CAL.covered_years


entered_2027_holidays = st.frozensets(st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)), max_size=40)
entered_2027_makeups = st.frozensets(
    st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)).filter(lambda d: d.weekday() >= 5), max_size=8
)


@settings(max_examples=200)
@given(start=starts, days=lengths, unit=units, holidays=entered_2027_holidays, makeups=entered_2027_makeups)
def test_entering_a_year_never_moves_a_non_provisional_date(start, days, unit, holidays, makeups):
    amount = days if unit != PeriodUnit.MONTHS else days % 31
    before = add_period(start=start, amount=amount, unit=unit, calendar=CAL)
    assume(not before.provisional)
    entered = CAL.with_year(year=2027, holidays=holidays, makeup_workdays=makeups - holidays)

    after = add_period(start=start, amount=amount, unit=unit, calendar=entered)

    assert after.day == before.day
    assert after.provisional is False
