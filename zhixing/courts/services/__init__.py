"""Writes of the courts app: every function is atomic and audited (see the private modules)."""

from zhixing.courts.services._courts import (
    api_token_issue,
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

__all__ = [
    "api_token_issue",
    "court_create",
    "department_create",
    "login_record",
    "membership_end",
    "membership_grant",
    "team_create",
    "team_kind_ensure",
    "team_set_leader",
    "user_create",
]
