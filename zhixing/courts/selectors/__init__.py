"""Reads of the courts app (see the private modules)."""

from zhixing.courts.selectors._calendar import (
    UNIT_LABELS,
    CalendarWarning,
    CalendarYearRow,
    DueDateQuote,
    GridDay,
    GridMonth,
    calendar_days_of_year,
    calendar_month_grid,
    calendar_warnings,
    calendar_year_entry_text,
    calendar_year_get,
    calendar_year_list,
    due_date_quote,
    work_calendar,
    work_calendar_changed,
    work_calendar_forget,
)
from zhixing.courts.selectors._courts import (
    court_detail,
    court_list,
    membership_conflict,
    team_detail,
    user_profile,
)
from zhixing.courts.selectors._home import HomeDashboard, home_dashboard

__all__ = [
    "UNIT_LABELS",
    "CalendarWarning",
    "CalendarYearRow",
    "DueDateQuote",
    "GridDay",
    "GridMonth",
    "HomeDashboard",
    "calendar_days_of_year",
    "calendar_month_grid",
    "calendar_warnings",
    "calendar_year_entry_text",
    "calendar_year_get",
    "calendar_year_list",
    "court_detail",
    "court_list",
    "due_date_quote",
    "home_dashboard",
    "membership_conflict",
    "team_detail",
    "user_profile",
    "work_calendar",
    "work_calendar_changed",
    "work_calendar_forget",
]
