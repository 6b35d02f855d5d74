"""
Reads of the working-day calendar.

The ``WorkCalendar`` value, the years in the table, a year's month grid, and due-date quotes with
their reasons.

``work_calendar`` is cached per process. The calendar services call ``work_calendar_changed`` on
every write: the cache is dropped at once and again when the transaction commits, and it is not
refilled while the writing transaction is open (so a rollback cannot leave uncommitted days behind).
Other processes pick a change up within ``CACHE_SECONDS``.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import CharField, DateField, IntegerField, Value

from zhixing.core.calendar import DueDate, PeriodUnit, WorkCalendar, add_period, is_working_day
from zhixing.courts.choices import CalendarYearSource, DayKind
from zhixing.courts.models import CalendarDay, CalendarYear

#: How long another process may keep a calendar it loaded before it reads the table again.
CACHE_SECONDS = 60.0

_lock = threading.Lock()
_cache: dict[str, object] = {"calendar": None, "loaded_at": 0.0, "writing_atomic": None}


@dataclass(frozen=True, slots=True)
class CalendarWarning:
    """A year whose holidays are not in the table although deadlines already fall in it."""

    year: int
    message: str


def calendar_warnings(*, today: date) -> list[CalendarWarning]:
    """
    Return a warning for this year and the next when their holidays have not been entered.

    Deadlines that fall in such a year are computed on weekends alone and shown as provisional.
    """
    wanted = [today.year, today.year + 1]
    covered = work_calendar().covered_years
    return [
        CalendarWarning(
            year=year,
            message=f"{year}年的法定节假日和调休安排尚未录入：落在{year}年的期限暂按周末计算，标记为“临时”；"
            f"录入并确认后系统将自动重算这些期限并留痕。",
        )
        for year in wanted
        if year not in covered
    ]


# --- the WorkCalendar value and its cache --------------------------------------------------------


def _outer_atomic() -> object | None:
    blocks = connection.atomic_blocks
    return blocks[0] if blocks else None


def _load() -> WorkCalendar:
    """Read the whole table in one query (a UNION of the years and the days)."""
    years = (
        CalendarYear.objects.order_by()
        .annotate(day_=Value(None, output_field=DateField()), kind_=Value("", output_field=CharField()))
        .values_list("year", "day_", "kind_")
    )
    days = (
        CalendarDay.objects.order_by()
        .annotate(year_=Value(0, output_field=IntegerField()))
        .values_list("year_", "day", "kind")
    )
    covered: set[int] = set()
    holidays: set[date] = set()
    makeups: set[date] = set()
    for year, day, kind in years.union(days, all=True):
        if day is None:
            covered.add(year)
        elif kind == DayKind.HOLIDAY:
            holidays.add(day)
        else:
            makeups.add(day)
    return WorkCalendar(
        holidays=frozenset(holidays), makeup_workdays=frozenset(makeups), covered_years=frozenset(covered)
    )


def work_calendar_forget() -> None:
    """Drop the cached calendar of this process (the next read loads the table again)."""
    with _lock:
        _cache["calendar"] = None
        _cache["loaded_at"] = 0.0


def _after_commit() -> None:
    with _lock:
        _cache["calendar"] = None
        _cache["writing_atomic"] = None


def work_calendar_changed() -> None:
    """
    Note that the calendar table was written in the current transaction.

    The cache is dropped now and again on commit, and is not refilled until the writing transaction ends.
    """
    with _lock:
        _cache["calendar"] = None
        _cache["writing_atomic"] = _outer_atomic()
    transaction.on_commit(_after_commit)


def work_calendar(*, years: Iterable[int] | None = None) -> WorkCalendar:
    """
    Return the working-day calendar: holidays, make-up workdays and the years they are known for.

    Deadline arithmetic takes the whole calendar (``years=None``), since a period may run into any
    year; ``years`` narrows it to those years (for showing a year), the others then count as uncovered.
    """
    with _lock:
        writing = _cache["writing_atomic"]
        if writing is not None and writing is not _outer_atomic():
            _cache["writing_atomic"] = writing = None  # that transaction ended without a commit
            _cache["calendar"] = None
        cached = _cache["calendar"]
        fresh = isinstance(cached, WorkCalendar) and time.monotonic() - float(_cache["loaded_at"]) < CACHE_SECONDS  # type: ignore[arg-type]
    if fresh and writing is None:
        calendar = cached
    else:
        calendar = _load()
        if writing is None:
            with _lock:
                _cache["calendar"], _cache["loaded_at"] = calendar, time.monotonic()
    assert isinstance(calendar, WorkCalendar)
    if years is None:
        return calendar
    wanted = frozenset(years)
    return WorkCalendar(
        holidays=frozenset(d for d in calendar.holidays if d.year in wanted),
        makeup_workdays=frozenset(d for d in calendar.makeup_workdays if d.year in wanted),
        covered_years=calendar.covered_years & wanted,
    )


# --- the overview -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarYearRow:
    """One year on the overview: whether it is confirmed, by whom, and how many days it lists."""

    year: int
    confirmed: CalendarYear | None
    holiday_count: int
    makeup_count: int

    @property
    def status(self) -> str:
        """Return the year's state in Chinese."""
        if self.confirmed is not None:
            return "已生效"
        return "已录入待确认" if self.holiday_count else "未录入"

    @property
    def source_label(self) -> str:
        """Return where the year's days came from."""
        if self.confirmed is None:
            return ""
        return str(CalendarYearSource(self.confirmed.source).label)


def calendar_year_list(*, today: date) -> list[CalendarYearRow]:
    """
    Return every year in the table, plus this year and the next when missing, newest first.

    Two queries: the confirmed years with who entered them, and the day counts per year.
    """
    confirmed = {row.year: row for row in CalendarYear.objects.select_related("entered_by")}
    counts: dict[tuple[int, str], int] = {}
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        counts[(day.year, kind)] = counts.get((day.year, kind), 0) + 1
    years = set(confirmed) | {year for year, _ in counts} | {today.year, today.year + 1}
    return [
        CalendarYearRow(
            year=year,
            confirmed=confirmed.get(year),
            holiday_count=counts.get((year, DayKind.HOLIDAY), 0),
            makeup_count=counts.get((year, DayKind.MAKEUP_WORKDAY), 0),
        )
        for year in sorted(years, reverse=True)
    ]


def calendar_year_get(*, year: int) -> CalendarYear | None:
    """Return the confirmation row of ``year``, or None when the year is not covered."""
    return CalendarYear.objects.select_related("entered_by").filter(year=year).first()


def calendar_days_of_year(*, year: int) -> list[CalendarDay]:
    """Return the holidays and make-up workdays entered for ``year``, in date order."""
    return list(CalendarDay.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)).order_by("day"))


def calendar_year_entry_text(*, year: int) -> tuple[str, str]:
    """
    Return ``year``'s days as the entry form shows them: holiday ranges, then make-up workdays.

    Consecutive holidays of the same name make one line ``2027-02-06 至 2027-02-13 春节``.
    """
    holiday_lines: list[str] = []
    makeup_lines: list[str] = []
    run: list[CalendarDay] = []

    def flush() -> None:
        if run:
            first, last = run[0].day, run[-1].day
            span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
            holiday_lines.append(f"{span} {run[0].name}".strip())
            run.clear()

    for day in calendar_days_of_year(year=year):
        if day.kind == DayKind.MAKEUP_WORKDAY:
            makeup_lines.append(f"{day.day:%Y-%m-%d} {day.name}".strip())
            continue
        if run and ((day.day - run[-1].day).days != 1 or day.name != run[-1].name):
            flush()
        run.append(day)
    flush()
    return "\n".join(holiday_lines), "\n".join(makeup_lines)


# --- the month grid ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GridDay:
    """One cell of the month grid."""

    day: date
    css: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GridMonth:
    """One month: blank cells before the first Monday-aligned day, then the days."""

    month: int
    leading_blanks: int
    days: list[GridDay] = field(default_factory=list)


def calendar_month_grid(*, year: int) -> list[GridMonth]:
    """
    Return the twelve months of ``year`` with holidays, make-up workdays and weekends marked.

    Days entered but not yet confirmed are marked too (their label says so), but deadlines ignore
    them until the year is confirmed.
    """
    calendar = work_calendar()
    entered = {row.day: row for row in calendar_days_of_year(year=year)}
    pending = "（待确认）" if year not in calendar.covered_years else ""
    months: list[GridMonth] = []
    for month in range(1, 13):
        first_weekday, length = _stdlib_calendar.monthrange(year, month)
        cells: list[GridDay] = []
        for number in range(1, length + 1):
            day = date(year, month, number)
            row = entered.get(day)
            if row is not None and row.kind == DayKind.HOLIDAY:
                cells.append(GridDay(day=day, css="holiday", label=f"{row.name}（法定节假日）{pending}"))
            elif row is not None:
                cells.append(GridDay(day=day, css="makeup", label=f"{row.name}调休上班{pending}"))
            elif day.weekday() >= 5:
                cells.append(GridDay(day=day, css="weekend", label="周末休息日"))
            else:
                cells.append(GridDay(day=day, css="", label="工作日"))
        months.append(GridMonth(month=month, leading_blanks=first_weekday, days=cells))
    return months


# --- due-date quotes ----------------------------------------------------------------------------

UNIT_LABELS: dict[PeriodUnit, str] = {
    PeriodUnit.NATURAL_DAYS: "日（自然日）",
    PeriodUnit.WORKING_DAYS: "个工作日",
    PeriodUnit.MONTHS: "个月",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DueDateQuote:
    """A computed due date with the reasons, in Chinese, that explain it."""

    start: date
    amount: int
    unit: PeriodUnit
    due: DueDate
    reasons: list[str]

    @property
    def unit_label(self) -> str:
        """Return the unit in Chinese."""
        return UNIT_LABELS[self.unit]


def _day_names(first: date, last: date) -> dict[date, str]:
    return dict(CalendarDay.objects.filter(day__gte=first, day__lte=last).values_list("day", "name"))


def _rest_reason(day: date, calendar: WorkCalendar, names: dict[date, str]) -> str:
    if calendar.is_covered(day) and day in calendar.holidays:
        return f"{names.get(day, '')}法定节假日".strip()
    return "周六" if day.weekday() == 5 else "周日"


def due_date_quote(*, start: date, amount: int, unit: PeriodUnit) -> DueDateQuote:
    """
    Return the due date of a period of ``amount`` ``unit`` starting on ``start``, with its reasons.

    Basis: 民诉法 (2023) 第85条 (first day not counted; a last day on a holiday moves to the next
    working day); 民诉法解释 (2022) 第125条; 民法典 第202条 for months.
    """
    calendar = work_calendar()
    due = add_period(start=start, amount=amount, unit=unit, calendar=calendar)
    names = _day_names(due.consulted_from, due.consulted_to)
    reasons = [f"起算日{start:%Y-%m-%d}当日不计入，自次日起算（民诉法第八十五条、民诉法解释第一百二十五条）。"]
    if unit == PeriodUnit.NATURAL_DAYS:
        reasons.append(f"第{amount}日为{due.nominal:%Y-%m-%d}。")
    elif unit == PeriodUnit.MONTHS:
        reasons.append(f"{amount}个月后的对应日为{due.nominal:%Y-%m-%d}（无对应日的取月末日，民法典第二百零二条）。")
    else:
        skipped = [d for d in _range(due.consulted_from, due.day) if not is_working_day(day=d, calendar=calendar)]
        makeups = [
            d for d in _range(due.consulted_from, due.day) if calendar.is_covered(d) and d in calendar.makeup_workdays
        ]
        text = f"逐日计数{amount}个工作日，跳过休息日和节假日{len(skipped)}天"
        if makeups:
            text += "，调休上班日" + "、".join(f"{d:%m-%d}" for d in makeups) + "计为工作日"
        reasons.append(text + "。")
    if due.extended:
        rest = [d for d in _range(due.nominal, due.day) if d != due.day]
        kinds = "、".join(dict.fromkeys(_rest_reason(d, calendar, names) for d in rest))
        reasons.append(
            f"{due.nominal:%Y-%m-%d}为休息日（{kinds}），期间届满日顺延至其后第一个工作日{due.day:%Y-%m-%d}"
            f"（民诉法第八十五条第三款）。"
        )
    elif unit != PeriodUnit.WORKING_DAYS:
        reasons.append(f"{due.day:%Y-%m-%d}为工作日，不顺延。")
    if due.day in calendar.makeup_workdays and calendar.is_covered(due.day):
        reasons.append(f"{due.day:%Y-%m-%d}为调休上班日，按工作日计算。")
    if due.provisional:
        years = "、".join(f"{y}年" for y in sorted(due.uncovered_years))
        reasons.append(f"临时结果：{years}的法定节假日尚未录入，暂只按周末计算；管理员录入并确认后将自动重算。")
    return DueDateQuote(start=start, amount=amount, unit=unit, due=due, reasons=reasons)


def _range(first: date, last: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
