"""
Writes of the working-day calendar.

Seeding from the package, entering and confirming a year, editing single days, and recomputing the
stored dates that depend on a year.

Every function is atomic and audited; each write drops the cached ``WorkCalendar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction

from zhixing.audit.services import record
from zhixing.core.calendar import MAX_YEAR, MIN_YEAR, Recomputer, YearEntryInvalid, parse_year_entry, recomputers
from zhixing.core.calendar_package import package_years
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.courts.choices import CalendarYearSource, DayKind
from zhixing.courts.models import CalendarDay, CalendarYear
from zhixing.courts.selectors import calendar_days_of_year, work_calendar, work_calendar_changed

_NAME_LENGTH = 32


def calendar_recomputer_register(*, key: str, recompute: Recomputer) -> None:
    """
    Register an app's callback that recomputes its stored dates when a year's holidays become known.

    ``recompute(year=, calendar=, actor=, at=)`` runs inside the calendar service's transaction,
    recomputes every stored date that depends on ``year`` (at least those marked provisional) with
    ``calendar``, writes its own audit records for what it changes, and returns how many it changed.
    Registering the same ``key`` again replaces the callback.
    """
    recomputers.register(key=key, recompute=recompute)


def calendar_recomputer_unregister(*, key: str) -> None:
    """Remove the callback registered under ``key``."""
    recomputers.unregister(key=key)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(f"年度应在{MIN_YEAR}至{MAX_YEAR}之间。", fields={"year": "年度超出范围"})


def _snapshot(days: list[CalendarDay]) -> list[dict[str, str]]:
    return [{"day": d.day.isoformat(), "kind": d.kind, "name": d.name} for d in days]


def _recompute_dates(*, year: int, actor: Any, at: datetime, reason: str) -> dict[str, int]:
    """Run every registered recomputer for ``year`` with the calendar as it now stands, and audit the counts."""
    calendar = work_calendar()
    counts = {
        key: int(recompute(year=year, calendar=calendar, actor=actor, at=at)) for key, recompute in recomputers.items()
    }
    record(
        action="courts.calendar.dates_recomputed",
        at=at,
        actor=actor,
        subject_type="courts.calendaryear",
        subject_id=str(year),
        subject_label=f"{year}年",
        data={"year": year, "reason": reason, "counts": counts, "total": sum(counts.values())},
    )
    return counts


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarSeedResult:
    """What seeding from the package added."""

    years_created: list[int]
    days_created: int


@transaction.atomic
def calendar_year_seed_from_package(*, actor: Any, at: datetime) -> CalendarSeedResult:
    """
    Add every year the ``chinese_calendar`` package covers that the table lacks (idempotent).

    A year already in the table (from the package or an administrator) is left as it is; a day already
    in the table is not duplicated. Basis: the State Council's yearly 放假安排 notices as the package
    carries them.
    """
    years = package_years()
    known_years = set(CalendarYear.objects.values_list("year", flat=True))
    known_days = set(CalendarDay.objects.values_list("day", flat=True))
    created_years: list[int] = []
    created_days = 0
    for year, days in sorted(years.items()):
        if year in known_years:
            continue
        rows = [
            CalendarDay(day=d.day, kind=DayKind.HOLIDAY if d.is_holiday else DayKind.MAKEUP_WORKDAY, name=d.name)
            for d in days
            if d.day not in known_days
        ]
        CalendarDay.objects.bulk_create(rows)
        calendar_year = CalendarYear.objects.create(
            year=year,
            source=CalendarYearSource.PACKAGE,
            entered_by=None,
            entered_at=at,
            note="国务院办公厅放假安排通知",
        )
        record(
            action="courts.calendar.year_seeded",
            at=at,
            actor=actor,
            subject=calendar_year,
            data={
                "year": year,
                "holidays": sum(1 for d in rows if d.kind == DayKind.HOLIDAY),
                "makeup_workdays": sum(1 for d in rows if d.kind == DayKind.MAKEUP_WORKDAY),
            },
        )
        created_years.append(year)
        created_days += len(rows)
    if created_years:
        work_calendar_changed()
    return CalendarSeedResult(years_created=created_years, days_created=created_days)


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarYearEntryResult:
    """What entering a year stored, and the recompute counts when it was confirmed at once."""

    year: int
    holidays: int
    makeup_workdays: int
    confirmed: bool
    recomputed: dict[str, int]


@transaction.atomic
def calendar_year_enter(
    *, year: int, holidays_text: str, makeup_text: str, actor: Any, at: datetime, confirm: bool = False, note: str = ""
) -> CalendarYearEntryResult:
    """
    Store ``year``'s holidays and make-up workdays as typed, replacing any entered before; confirm when asked.

    Until the year is confirmed its days are shown but deadlines ignore them (weekends only, provisional).
    Basis: the State Council's yearly 放假安排 notice; 民诉法 (2023) 第85条 for what the days are used for.

    :raises ValidationFailed: for a year out of range or any bad line (every problem listed in Chinese)
    :raises Conflict: when the year is already confirmed (edit its single days instead)
    """
    _check_year(year)
    if CalendarYear.objects.filter(year=year).exists():
        raise Conflict(f"{year}年的节假日已确认生效，不能整体重新录入；如需更正，请逐日修改。")
    try:
        entry = parse_year_entry(year=year, holidays_text=holidays_text, makeup_text=makeup_text)
    except YearEntryInvalid as error:
        fields: dict[str, list[str]] = {}
        if error.holiday_errors:
            fields["holidays"] = error.holiday_errors
        if error.makeup_errors:
            fields["makeup_workdays"] = error.makeup_errors
        raise ValidationFailed(
            f"{year}年节假日录入有误，未保存：" + "；".join(error.holiday_errors + error.makeup_errors), fields=fields
        ) from error
    before = calendar_days_of_year(year=year)
    CalendarDay.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)).delete()
    rows = CalendarDay.objects.bulk_create(
        [
            CalendarDay(day=d.day, kind=DayKind.HOLIDAY if d.is_holiday else DayKind.MAKEUP_WORKDAY, name=d.name)
            for d in entry.days
        ]
    )
    record(
        action="courts.calendar.year_entered",
        at=at,
        actor=actor,
        subject_type="courts.calendaryear",
        subject_id=str(year),
        subject_label=f"{year}年",
        before={"days": _snapshot(before)},
        after={"days": _snapshot(rows)},
    )
    work_calendar_changed()
    recomputed: dict[str, int] = {}
    if confirm:
        recomputed = calendar_year_confirm(year=year, actor=actor, at=at, note=note)
    return CalendarYearEntryResult(
        year=year,
        holidays=len(entry.holidays),
        makeup_workdays=len(entry.makeup_workdays),
        confirmed=confirm,
        recomputed=recomputed,
    )


@transaction.atomic
def calendar_year_confirm(*, year: int, actor: Any, at: datetime, note: str = "") -> dict[str, int]:
    """
    Make ``year``'s entered days effective, then recompute every stored date that depends on the year.

    From now on dates in ``year`` use its holidays and make-up workdays and are no longer provisional.
    Returns the recompute counts by registered key (also in the ``courts.calendar.dates_recomputed`` record).
    Basis: 民诉法 (2023) 第85条 (the last-day rule needs the statutory holidays).

    :raises ValidationFailed: when no holiday has been entered for the year
    :raises Conflict: when the year is already confirmed
    """
    _check_year(year)
    if CalendarYear.objects.select_for_update().filter(year=year).exists():
        raise Conflict(f"{year}年的节假日已确认生效。")
    days = calendar_days_of_year(year=year)
    holidays = [d for d in days if d.kind == DayKind.HOLIDAY]
    if not holidays:
        raise ValidationFailed(f"尚未录入{year}年的法定节假日，不能确认。", fields={"year": "未录入节假日"})
    calendar_year = CalendarYear.objects.create(
        year=year, source=CalendarYearSource.ADMIN, entered_by=actor, entered_at=at, note=note.strip()[:200]
    )
    record(
        action="courts.calendar.year_confirmed",
        at=at,
        actor=actor,
        subject=calendar_year,
        after={
            "year": year,
            "holidays": len(holidays),
            "makeup_workdays": len(days) - len(holidays),
            "note": calendar_year.note,
        },
    )
    work_calendar_changed()
    return _recompute_dates(year=year, actor=actor, at=at, reason="year_confirmed")


@transaction.atomic
def calendar_day_set(*, day: date, kind: DayKind, name: str, actor: Any, at: datetime) -> CalendarDay:
    """
    Mark ``day`` as a statutory holiday or a make-up workday (调休), replacing what it was.

    In a confirmed year, the stored dates that depend on the year are recomputed.
    Basis: the State Council's yearly 放假安排 notice (a make-up workday is always a Saturday or Sunday).

    :raises ValidationFailed: for a year out of range, a make-up workday on a weekday, a missing or long name
    """
    _check_year(day.year)
    name = name.strip()
    kind = DayKind(kind)
    if kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ValidationFailed(f"{day:%Y-%m-%d}本来就是工作日，无需设为调休上班日。", fields={"day": "不是周末"})
    if not name:
        raise ValidationFailed("请填写节日名称（如“春节”）。", fields={"name": "必填"})
    if len(name) > _NAME_LENGTH:
        raise ValidationFailed(f"节日名称不能超过{_NAME_LENGTH}个字。", fields={"name": "过长"})
    existing = CalendarDay.objects.select_for_update().filter(day=day).first()
    before = {"kind": existing.kind, "name": existing.name} if existing else {"kind": "", "name": ""}
    if existing is None:
        row = CalendarDay.objects.create(day=day, kind=kind, name=name)
    else:
        existing.kind, existing.name = kind, name
        existing.save(update_fields=["kind", "name"])
        row = existing
    record(
        action="courts.calendar.day_set",
        at=at,
        actor=actor,
        subject=row,
        before=before,
        after={"kind": kind, "name": name},
    )
    work_calendar_changed()
    if CalendarYear.objects.filter(year=day.year).exists():
        _recompute_dates(year=day.year, actor=actor, at=at, reason="day_set")
    return row


@transaction.atomic
def calendar_day_remove(*, day: date, actor: Any, at: datetime) -> None:
    """
    Make ``day`` an ordinary day again (a weekday works, a weekend rests).

    In a confirmed year, the stored dates that depend on the year are recomputed.

    :raises ValidationFailed: when ``day`` is neither a holiday nor a make-up workday in the table
    """
    existing = CalendarDay.objects.select_for_update().filter(day=day).first()
    if existing is None:
        raise ValidationFailed(f"{day:%Y-%m-%d}不是已录入的节假日或调休上班日。", fields={"day": "未录入"})
    before = {"kind": existing.kind, "name": existing.name}
    record(
        action="courts.calendar.day_removed",
        at=at,
        actor=actor,
        subject=existing,
        before=before,
        after={"kind": "", "name": ""},
    )
    existing.delete()
    work_calendar_changed()
    if CalendarYear.objects.filter(year=day.year).exists():
        _recompute_dates(year=day.year, actor=actor, at=at, reason="day_removed")
