"""Writes of the courts app: every function is atomic and audited (see the private modules)."""

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
    "DemoSeedResult",
    "api_token_issue",
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
