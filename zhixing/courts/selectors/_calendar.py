"""Reads of the working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhixing.courts.models import CalendarYear


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
    covered = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [
        CalendarWarning(
            year=year,
            message=f"{year}年的法定节假日和调休安排尚未录入：落在{year}年的期限暂按周末计算，标记为“临时”；"
            f"录入后系统将自动重算并留痕。",
        )
        for year in wanted
        if year not in covered
    ]
