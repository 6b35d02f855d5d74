"""
Deadline arithmetic of nodes, stages and the execution period: pure functions over ``core.calendar``.

- A node's due date is its anchor day plus the rule's period, counted as the law counts (the first
  day not counted, the last-day rule), or — for a rule counted back from an end (``amount < 0``, e.g. the
  终本 file sent to 评查 one month before the execution period ends) — that many units before it, moved
  back to the working day before when it falls on a rest day (a step to be taken *before* a date is
  never allowed to slip past it).
- The warning date is ``warn_days`` natural days before the due date, never before the anchor of a rule
  counted forward (a rule counted back from an end is warned ``warn_days`` before its due date).
- The execution period runs ``months`` (+ approved extensions) from filing, plus the days of every
  excluded period (审限规定 第9条), overlapping periods counted once; the last-day rule applies to the end.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from zhixing.core.calendar import DueDate, PeriodUnit, WorkCalendar, add_period, apply_last_day_rule, is_working_day

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class NodeDates:
    """A node's computed due and warning dates, and whether a year the calendar lacks decided them."""

    due_on: date
    warn_on: date
    provisional: bool


def months_before(*, end: date, months: int) -> date:
    """Return the day ``months`` months before ``end``: the same day of the month, or that month's last day."""
    month_index = end.month - 1 - months
    year, month = end.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(end.day, _stdlib_calendar.monthrange(year, month)[1]))


def _working_day_on_or_before(day: date, calendar: WorkCalendar) -> date:
    current = day
    for _ in range(60):
        if is_working_day(day=current, calendar=calendar):
            return current
        current -= _ONE_DAY
    raise ValueError(f"no working day within 60 days before {day.isoformat()}: the calendar is malformed")


def due_date(*, anchor_on: date, amount: int, unit: str, calendar: WorkCalendar) -> DueDate:
    """Return the due date of a rule of ``amount`` ``unit`` from ``anchor_on`` (counted back when negative)."""
    if amount >= 0:
        return add_period(start=anchor_on, amount=amount, unit=PeriodUnit(unit), calendar=calendar)
    count = -amount
    if unit == PeriodUnit.MONTHS:
        nominal = months_before(end=anchor_on, months=count)
    elif unit == PeriodUnit.NATURAL_DAYS:
        nominal = anchor_on - timedelta(days=count)
    else:
        nominal, counted = anchor_on, 0
        while counted < count:
            nominal -= _ONE_DAY
            if is_working_day(day=nominal, calendar=calendar):
                counted += 1
    day = _working_day_on_or_before(nominal, calendar)
    uncovered = frozenset(y for y in range(day.year, anchor_on.year + 1) if y not in calendar.covered_years)
    return DueDate(
        day=day,
        nominal=nominal,
        provisional=bool(uncovered),
        consulted_from=day,
        consulted_to=anchor_on,
        uncovered_years=uncovered,
    )


def node_dates(*, anchor_on: date, amount: int, unit: str, warn_days: int, calendar: WorkCalendar) -> NodeDates:
    """Return the due and warning dates of a node anchored on ``anchor_on``."""
    due = due_date(anchor_on=anchor_on, amount=amount, unit=unit, calendar=calendar)
    warn_on = due.day - timedelta(days=max(0, warn_days))
    if amount >= 0:  # counted forward: never warn before the anchor; counted back, the anchor lies after the due day
        warn_on = max(anchor_on, warn_on)
    return NodeDates(due_on=due.day, warn_on=warn_on, provisional=due.provisional)


def union_days(intervals: Iterable[tuple[date, date | None]], *, until: date | None = None) -> int:
    """
    Return how many days the intervals ``[start, end)`` cover together, each day counted once.

    An open interval (``end`` None) runs to ``until`` when given and is left out otherwise.
    """
    spans = sorted(
        (start, end if end is not None else until) for start, end in intervals if end is not None or until is not None
    )
    total, reach = 0, None
    for start, end in spans:
        if end is None or end <= start:
            continue
        if reach is None or start >= reach:
            total += (end - start).days
            reach = end
        elif end > reach:
            total += (end - reach).days
            reach = end
    return total


@dataclass(frozen=True, slots=True)
class PeriodEnd:
    """The end of the execution period (or of the 超6个月 count), and what went into it."""

    ends_on: date
    nominal: date
    excluded_days: int
    provisional: bool


def period_end(*, starts_on: date, months: int, excluded_days: int, calendar: WorkCalendar) -> PeriodEnd:
    """
    Return the end of a period of ``months`` months from ``starts_on`` that does not count ``excluded_days``.

    Basis: 审限规定 (2000) 第5条 (6 months, 3 for non-litigation documents), 第9条 (excluded periods);
    民诉法 (2023) 第85条 (the last-day rule).
    """
    month_index = starts_on.month - 1 + months
    year, month = starts_on.year + month_index // 12, month_index % 12 + 1
    nominal = date(year, month, min(starts_on.day, _stdlib_calendar.monthrange(year, month)[1]))
    nominal += timedelta(days=excluded_days)
    due = apply_last_day_rule(day=nominal, calendar=calendar)
    return PeriodEnd(ends_on=due.day, nominal=nominal, excluded_days=excluded_days, provisional=due.provisional)


def days_within(
    intervals: Iterable[tuple[date, date | None]], *, starts_on: date, months: int, calendar: WorkCalendar
) -> tuple[int, date | None]:
    """
    Return the days a count of ``months`` from ``starts_on`` leaves out, and the start of one still running.

    ``intervals`` are ``[start, end)`` (``end`` None while it runs). Only what begins while the count runs
    is left out: an interval that starts after the count has reached its end (itself moved by the intervals
    before) changes nothing — six months once passed stay passed (民诉法 第237条). Overlapping intervals are
    counted once.
    """
    counted, reach = 0, None
    for start, end in sorted(intervals, key=lambda span: span[0]):
        if start > period_end(starts_on=starts_on, months=months, excluded_days=counted, calendar=calendar).ends_on:
            break  # sorted by start: every later one begins after the end too
        if end is None:
            return counted, start  # it runs from here on: what starts later lies inside it
        if reach is None or start >= reach:
            counted += (end - start).days
            reach = end
        elif end > reach:
            counted += (end - reach).days
            reach = end
    return counted, None
