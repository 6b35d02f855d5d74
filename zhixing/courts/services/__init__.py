"""Writes of the courts app: every function is atomic and audited (see the private modules)."""

from zhixing.courts.services._calendar import (
    CalendarSeedResult,
    CalendarYearEntryResult,
    calendar_day_remove,
    calendar_day_set,
    calendar_recomputer_register,
    calendar_recomputer_unregister,
    calendar_year_confirm,
    calendar_year_enter,
    calendar_year_seed_from_package,
)
from zhixing.courts.services._courts import (
    api_token_issue,
    config_object_save,
    court_create,
    department_create,
    login_record,
    membership_end,
    membership_grant,
    team_create,
    team_kind_ensure,
    team_set_leader,
    user_create,
)
from zhixing.courts.services._demo import DemoSeedResult, demo_seed

__all__ = [
    "CalendarSeedResult",
    "CalendarYearEntryResult",
    "DemoSeedResult",
    "api_token_issue",
    "calendar_day_remove",
    "calendar_day_set",
    "calendar_recomputer_register",
    "calendar_recomputer_unregister",
    "calendar_year_confirm",
    "calendar_year_enter",
    "calendar_year_seed_from_package",
    "config_object_save",
    "court_create",
    "demo_seed",
    "department_create",
    "login_record",
    "membership_end",
    "membership_grant",
    "team_create",
    "team_kind_ensure",
    "team_set_leader",
    "user_create",
]
