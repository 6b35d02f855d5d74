"""
The working-day calendar and the counting of periods: pure functions, no database, no clock.

Basis:

- 《中华人民共和国民事诉讼法》(2023) 第85条: periods are counted in hours, days, months and years; the
  hour and the day on which a period starts are not counted; a period whose last day is a statutory
  holiday (法定休假日) ends on the first day after the holiday.
- 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》(2022) 第125条: a period in days, months or
  years is counted from the next day.
- 《中华人民共和国民法典》 第201条–第203条: the same rules, and a period in months ends on the
  corresponding day of the last month, or on that month's last day when there is none (第202条).
- 《国务院关于职工工作时间的规定》 第7条: Saturday and Sunday are the weekly rest days; the State
  Council's yearly notice moves some of them (调休), and those make-up days are working days.

A year the calendar does not cover (its holidays are not yet entered) is computed on weekends alone,
and any result that consulted such a year is marked ``provisional``.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

_ONE_DAY = timedelta(days=1)
#: The years an administrator may enter (a guard against typing 207 for 2027).
MIN_YEAR, MAX_YEAR = 2000, 2100
#: A guard against a calendar that never yields a working day (a malformed table).
_MAX_REST_RUN = 60


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """
    The statutory holidays and make-up workdays (调休) of the years whose arrangements are known.

    Days listed for a year outside ``covered_years`` are ignored: such a year counts weekends alone.
    """

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    covered_years: frozenset[int] = frozenset()

    def is_covered(self, day: date) -> bool:
        """Return whether the holidays of ``day``'s year are known."""
        return day.year in self.covered_years

    def with_year(self, *, year: int, holidays: Iterable[date], makeup_workdays: Iterable[date]) -> WorkCalendar:
        """Return this calendar with ``year`` replaced by the given days and marked covered."""
        return WorkCalendar(
            holidays=frozenset(d for d in self.holidays if d.year != year) | frozenset(holidays),
            makeup_workdays=frozenset(d for d in self.makeup_workdays if d.year != year) | frozenset(makeup_workdays),
            covered_years=self.covered_years | {year},
        )


#: An empty calendar: every year uncovered, weekends only.
WEEKENDS_ONLY = WorkCalendar()


def is_working_day(*, day: date, calendar: WorkCalendar) -> bool:
    """
    Return whether ``day`` is a working day.

    In a covered year: a make-up workday (调休) works, a statutory holiday rests, otherwise Monday to
    Friday work. In an uncovered year: Monday to Friday (provisional).
    Basis: 《国务院关于职工工作时间的规定》 第7条; 《全国年节及纪念日放假办法》 and the State Council's yearly notice.
    """
    if calendar.is_covered(day):
        if day in calendar.makeup_workdays:
            return True
        if day in calendar.holidays:
            return False
    return day.weekday() < 5


@dataclass(frozen=True, slots=True, kw_only=True)
class DueDate:
    """
    The last day of a period, and how it was reached.

    ``nominal`` is the day the counting arrived at before the last-day rule moved it; the days from
    ``consulted_from`` to ``consulted_to`` (inclusive) are the ones whose kind decided the result.
    ``provisional`` is true when any of them lies in a year the calendar does not cover.
    """

    day: date
    nominal: date
    provisional: bool
    consulted_from: date
    consulted_to: date
    uncovered_years: frozenset[int] = field(default_factory=frozenset)

    @property
    def extended(self) -> bool:
        """Return whether the last-day rule moved the end past a rest day."""
        return self.day != self.nominal


def _due(*, day: date, nominal: date, consulted_from: date, calendar: WorkCalendar) -> DueDate:
    first, last = min(consulted_from, day), max(consulted_from, day)
    uncovered = frozenset(y for y in range(first.year, last.year + 1) if y not in calendar.covered_years)
    return DueDate(
        day=day,
        nominal=nominal,
        provisional=bool(uncovered),
        consulted_from=first,
        consulted_to=last,
        uncovered_years=uncovered,
    )


def _next_working_day_from(day: date, calendar: WorkCalendar) -> date:
    current = day
    for _ in range(_MAX_REST_RUN):
        if is_working_day(day=current, calendar=calendar):
            return current
        current += _ONE_DAY
    raise ValueError(f"no working day within {_MAX_REST_RUN} days after {day.isoformat()}: the calendar is malformed")


def apply_last_day_rule(*, day: date, calendar: WorkCalendar) -> DueDate:
    """
    Return the end of a period whose last day by counting is ``day``.

    A last day that falls on a statutory holiday or a weekly rest day moves to the first working day
    after it; a make-up workday (调休) is a working day and does not move.
    Basis: 民诉法 (2023) 第85条第3款 (“期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期”);
    民法典 第203条第1款.
    """
    end = _next_working_day_from(day, calendar)
    return _due(day=end, nominal=day, consulted_from=day, calendar=calendar)


def _check_count(days: int) -> None:
    if days < 0:
        raise ValueError("a period cannot be negative")


def add_natural_days(*, start: date, days: int, calendar: WorkCalendar) -> DueDate:
    """
    Return the last day of a period of ``days`` calendar days that starts on ``start``.

    The start day is not counted (counting begins the next day), so the nominal last day is
    ``start + days``; then the last-day rule applies.
    Basis: 民诉法 (2023) 第85条第2款、第3款; 民诉法解释 (2022) 第125条; 民法典 第201条第1款.
    """
    _check_count(days)
    return apply_last_day_rule(day=start + timedelta(days=days), calendar=calendar)


def add_working_days(*, start: date, days: int, calendar: WorkCalendar) -> DueDate:
    """
    Return the ``days``-th working day after ``start`` (the start day is not counted).

    Rest days and statutory holidays in between are skipped and make-up workdays (调休) count, so the
    result is itself a working day and the last-day rule leaves it where it is. With ``days == 0``
    the period ends on ``start``, moved by the last-day rule if it is a rest day.
    Basis: rules that state a period in 工作日 (e.g. the three working days to remove a 失信 listing,
    《关于公布失信被执行人名单信息的若干规定》(2017)); 民诉法 (2023) 第85条 for the uncounted first day.
    """
    _check_count(days)
    if days == 0:
        return apply_last_day_rule(day=start, calendar=calendar)
    current, counted = start, 0
    while counted < days:
        current += _ONE_DAY
        if is_working_day(day=current, calendar=calendar):
            counted += 1
    return _due(day=current, nominal=current, consulted_from=start + _ONE_DAY, calendar=calendar)


def corresponding_day(*, start: date, months: int) -> date:
    """
    Return the day ``months`` months after ``start``: the same day of the month, or the month's last day.

    Basis: 民法典 第202条 (“到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日”).
    """
    if months < 0:
        raise ValueError("a period cannot be negative")
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def add_months(*, start: date, months: int, calendar: WorkCalendar) -> DueDate:
    """
    Return the last day of a period of ``months`` months that starts on ``start``.

    The period ends on the corresponding day of the last month (the month's last day when it has
    none), then the last-day rule applies. A period in years is ``12 × years`` months.
    Basis: 民诉法 (2023) 第85条; 民诉法解释 (2022) 第125条; 民法典 第202条、第203条.
    """
    return apply_last_day_rule(day=corresponding_day(start=start, months=months), calendar=calendar)


class PeriodUnit(StrEnum):
    """How a period is counted."""

    NATURAL_DAYS = "natural_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


#: The longest period a calculator accepts, per unit (about ten years).
MAX_PERIOD: dict[PeriodUnit, int] = {
    PeriodUnit.NATURAL_DAYS: 3660,
    PeriodUnit.WORKING_DAYS: 2500,
    PeriodUnit.MONTHS: 120,
}


def add_period(*, start: date, amount: int, unit: PeriodUnit, calendar: WorkCalendar) -> DueDate:
    """Return the end of a period of ``amount`` ``unit`` starting on ``start`` (dispatches to the functions above)."""
    if unit == PeriodUnit.NATURAL_DAYS:
        return add_natural_days(start=start, days=amount, calendar=calendar)
    if unit == PeriodUnit.WORKING_DAYS:
        return add_working_days(start=start, days=amount, calendar=calendar)
    return add_months(start=start, months=amount, calendar=calendar)


# --- entering a year's arrangements -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class EnteredDay:
    """One day of an entered year: a holiday or a make-up workday, with its name."""

    day: date
    is_holiday: bool
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class YearEntry:
    """A year's arrangements as an administrator typed them, once checked."""

    year: int
    days: tuple[EnteredDay, ...]

    @property
    def holidays(self) -> frozenset[date]:
        """Return the holidays."""
        return frozenset(d.day for d in self.days if d.is_holiday)

    @property
    def makeup_workdays(self) -> frozenset[date]:
        """Return the make-up workdays."""
        return frozenset(d.day for d in self.days if not d.is_holiday)


class YearEntryInvalid(ValueError):
    """The typed arrangements have errors; ``holiday_errors`` and ``makeup_errors`` say which, in Chinese."""

    def __init__(self, *, holiday_errors: list[str], makeup_errors: list[str]) -> None:
        super().__init__("；".join(holiday_errors + makeup_errors))
        self.holiday_errors = holiday_errors
        self.makeup_errors = makeup_errors


_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_HOLIDAY_LINE = re.compile(rf"^{_DATE}(?:\s*(?:至|到|~|～|—|–|--)\s*{_DATE})?\s*(.*)$")
_MAKEUP_LINE = re.compile(rf"^{_DATE}\s*(.*)$")
#: The longest holiday the State Council has given is 9 days (春节 2026); allow some room.
MAX_HOLIDAY_LENGTH = 15
MAX_NAME_LENGTH = 32
_WEEKDAYS = "一二三四五六日"


def _to_date(parts: tuple[str, str, str]) -> date | None:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _weekday_label(day: date) -> str:
    return f"星期{_WEEKDAYS[day.weekday()]}"


def parse_year_entry(*, year: int, holidays_text: str, makeup_text: str) -> YearEntry:
    """
    Parse and check a year's holidays and make-up workdays as an administrator types them.

    One holiday per line, ``2027-02-06 至 2027-02-13 春节`` or ``2027-01-01 元旦``; one make-up workday
    per line, ``2027-02-20`` with an optional name (default: the name of the nearest holiday). Every
    date lies in ``year``; holidays do not overlap; a make-up workday is a Saturday or Sunday that is
    not a holiday (the State Council moves only weekly rest days).
    Basis: 《全国年节及纪念日放假办法》 and the State Council's yearly 放假安排 notice.

    :raises YearEntryInvalid: listing every problem, by line, in Chinese
    """
    holiday_errors: list[str] = []
    makeup_errors: list[str] = []
    holidays: dict[date, str] = {}
    ranges: list[tuple[date, date, str]] = []
    for number, line in _lines(holidays_text):
        match = _HOLIDAY_LINE.match(line)
        if not match:
            holiday_errors.append(f"节假日第{number}行“{line}”格式不对，应为“{year}-02-06 至 {year}-02-13 春节”。")
            continue
        first = _to_date(match.group(1, 2, 3))
        last = _to_date(match.group(4, 5, 6)) if match.group(4) else first
        name = match.group(7).strip()
        if first is None or last is None:
            holiday_errors.append(f"节假日第{number}行“{line}”含有不存在的日期。")
            continue
        if first.year != year or last.year != year:
            holiday_errors.append(f"节假日第{number}行的日期不在{year}年内。")
            continue
        if last < first:
            holiday_errors.append(f"节假日第{number}行的结束日期早于开始日期。")
            continue
        if (last - first).days + 1 > MAX_HOLIDAY_LENGTH:
            holiday_errors.append(f"节假日第{number}行的假期超过{MAX_HOLIDAY_LENGTH}天，请核对。")
            continue
        if not name:
            holiday_errors.append(f"节假日第{number}行缺少节日名称（如“春节”）。")
            continue
        if len(name) > MAX_NAME_LENGTH:
            holiday_errors.append(f"节假日第{number}行的节日名称超过{MAX_NAME_LENGTH}个字。")
            continue
        overlap = [d for d in _days(first, last) if d in holidays]
        if overlap:
            holiday_errors.append(
                f"节假日第{number}行与前面的假期重叠（{overlap[0]:%Y-%m-%d}已是“{holidays[overlap[0]]}”）。"
            )
            continue
        for d in _days(first, last):
            holidays[d] = name
        ranges.append((first, last, name))
    if not ranges and not holiday_errors:
        holiday_errors.append(f"请至少填写一个{year}年的法定节假日。")

    makeups: dict[date, str] = {}
    for number, line in _lines(makeup_text):
        match = _MAKEUP_LINE.match(line)
        day = _to_date(match.group(1, 2, 3)) if match else None
        if match is None:
            makeup_errors.append(f"调休上班日第{number}行“{line}”格式不对，应为“{year}-02-20”。")
            continue
        if day is None:
            makeup_errors.append(f"调休上班日第{number}行“{line}”不是存在的日期。")
            continue
        if day.year != year:
            makeup_errors.append(f"调休上班日{day:%Y-%m-%d}不在{year}年内。")
            continue
        if day.weekday() < 5:
            makeup_errors.append(f"调休上班日{day:%Y-%m-%d}是{_weekday_label(day)}，本来就是工作日，无需调休。")
            continue
        if day in holidays:
            makeup_errors.append(f"调休上班日{day:%Y-%m-%d}同时被列为节假日“{holidays[day]}”。")
            continue
        if day in makeups:
            makeup_errors.append(f"调休上班日{day:%Y-%m-%d}重复填写。")
            continue
        name = match.group(4).strip() or _nearest_name(day, ranges)
        if len(name) > MAX_NAME_LENGTH:
            makeup_errors.append(f"调休上班日{day:%Y-%m-%d}的名称超过{MAX_NAME_LENGTH}个字。")
            continue
        makeups[day] = name
    if holiday_errors or makeup_errors:
        raise YearEntryInvalid(holiday_errors=holiday_errors, makeup_errors=makeup_errors)
    days = [EnteredDay(day=d, is_holiday=True, name=n) for d, n in holidays.items()]
    days += [EnteredDay(day=d, is_holiday=False, name=n) for d, n in makeups.items()]
    return YearEntry(year=year, days=tuple(sorted(days, key=lambda d: d.day)))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _nearest_name(day: date, ranges: list[tuple[date, date, str]]) -> str:
    if not ranges:
        return ""

    def distance(item: tuple[date, date, str]) -> int:
        first, last, _ = item
        return min(abs((day - first).days), abs((day - last).days))

    return min(ranges, key=distance)[2]


# --- recomputing stored dates when a year becomes known -------------------------------------------

#: ``recompute(year=, calendar=, actor=, at=)`` recomputes the stored dates that depend on ``year``
#: (at least every one marked provisional) with ``calendar`` and returns how many it changed.
Recomputer = Callable[..., int]


class RecomputerRegistry:
    """
    The apps' callbacks that recompute stored dates when a year's holidays become known or change.

    An app registers once (e.g. in its ``AppConfig.ready``) under a stable key; registering the same key
    again replaces the callback. The calendar services call every callback inside their transaction.
    """

    def __init__(self) -> None:
        self._callbacks: dict[str, Recomputer] = {}

    def register(self, *, key: str, recompute: Recomputer) -> None:
        """Register ``recompute`` under ``key``, replacing any callback registered under it."""
        self._callbacks[key] = recompute

    def unregister(self, *, key: str) -> None:
        """Remove the callback registered under ``key`` (nothing when there is none)."""
        self._callbacks.pop(key, None)

    def items(self) -> list[tuple[str, Recomputer]]:
        """Return the callbacks by key, in key order (a stable order for the audit record)."""
        return sorted(self._callbacks.items())


#: The process-wide registry.
recomputers = RecomputerRegistry()
