"""
Read the holiday arrangements the ``chinese_calendar`` package carries (the State Council's notices).

Pure: no database. The courts app's data migration and its ``calendar_year_seed_from_package``
service both read the package through ``package_years`` so that they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from chinese_calendar import constants

#: The package's English holiday names → the names the State Council's notices use.
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

#: Combined holidays the package files under one festival only (2020: 中秋 fell on 1 October).
_COMBINED_BLOCKS: dict[date, str] = {date(2020, 10, 1): "国庆节、中秋节"}


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageDay:
    """One day of the package: a statutory holiday or a make-up workday, with its Chinese name."""

    day: date
    is_holiday: bool
    name: str


def _chinese(english: str) -> str:
    return HOLIDAY_NAMES.get(english, english)


def _blocks(year_holidays: list[tuple[date, str]]) -> list[list[tuple[date, str]]]:
    """Split a year's holidays into runs of consecutive days."""
    runs: list[list[tuple[date, str]]] = []
    for item in year_holidays:
        if runs and (item[0] - runs[-1][-1][0]).days == 1:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _block_name(block: list[tuple[date, str]]) -> str:
    if block[0][0] in _COMBINED_BLOCKS:
        return _COMBINED_BLOCKS[block[0][0]]
    names: list[str] = []
    for _, english in block:
        chinese = _chinese(english)
        if chinese not in names:
            names.append(chinese)
    return "、".join(names)


def package_years() -> dict[int, list[PackageDay]]:
    """
    Return, for every year the package covers, its holidays and its weekend make-up workdays.

    Holidays are kept as the package lists them; a run of consecutive holidays that joins two
    festivals (国庆节 and 中秋节) takes both names in order. A make-up workday is kept only when it falls
    on a Saturday or Sunday (any other day is a working day anyway) and takes the name of the
    holiday it serves.
    """
    result: dict[int, list[PackageDay]] = {}
    holidays = sorted((d, str(v)) for d, v in constants.holidays.items())
    workdays = sorted((d, str(v)) for d, v in constants.workdays.items())
    for year, items in groupby(holidays, key=lambda item: item[0].year):
        days: list[PackageDay] = []
        served: dict[str, str] = {}
        for block in _blocks(list(items)):
            name = _block_name(block)
            for day, english in block:
                days.append(PackageDay(day=day, is_holiday=True, name=name))
                served[english] = name
        result[year] = days
        for day, english in workdays:
            if day.year == year and day.weekday() >= 5:
                days.append(PackageDay(day=day, is_holiday=False, name=served.get(english, _chinese(english))))
        days.sort(key=lambda d: d.day)
    return result
