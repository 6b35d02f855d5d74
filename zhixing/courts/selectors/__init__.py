"""Reads of the courts app (see the private modules)."""

from zhixing.courts.selectors._calendar import CalendarWarning, calendar_warnings
from zhixing.courts.selectors._courts import (
    court_detail,
    court_list,
    membership_conflict,
    team_detail,
    user_profile,
)
from zhixing.courts.selectors._home import HomeDashboard, home_dashboard

__all__ = [
    "CalendarWarning",
    "HomeDashboard",
    "calendar_warnings",
    "court_detail",
    "court_list",
    "home_dashboard",
    "membership_conflict",
    "team_detail",
    "user_profile",
]
