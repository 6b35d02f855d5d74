"""
Pure rules about courts and roles: what each role may do, and court-code shapes.

No ORM, no clock: callers pass the facts.
"""

from __future__ import annotations

import re
from enum import StrEnum

from zhixing.courts.choices import CourtLevel, Role


class Capability(StrEnum):
    """Something a role allows; views and services ask for capabilities, never for role names."""

    VIEW_COURT = "view_court"  # read the court's own data
    VIEW_SUBTREE = "view_subtree"  # read every court below, read-only
    ACT = "act"  # change the court's own data (each later capability narrows this)
    FILE_CASES = "file_cases"
    EXECUTE_CASES = "execute_cases"
    LEAD_TEAM = "lead_team"
    APPROVE = "approve"
    REVIEW = "review"
    SUPERVISE = "supervise"
    VIEW_AUDIT = "view_audit"
    MANAGE_STAFF = "manage_staff"
    EDIT_CALENDAR = "edit_calendar"
    REVEAL_IDENTITY = "reveal_identity"  # see a party's unmasked ID number (audited)


_C = Capability

#: What each role allows. Supervisory roles read the subtree; nobody writes outside their own court.
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.FILING_CLERK: frozenset({_C.VIEW_COURT, _C.ACT, _C.FILE_CASES, _C.REVEAL_IDENTITY}),
    Role.EXECUTOR: frozenset({_C.VIEW_COURT, _C.ACT, _C.EXECUTE_CASES, _C.REVEAL_IDENTITY}),
    Role.TEAM_LEADER: frozenset(
        {_C.VIEW_COURT, _C.ACT, _C.EXECUTE_CASES, _C.LEAD_TEAM, _C.APPROVE, _C.REVEAL_IDENTITY}
    ),
    Role.BUREAU_CHIEF: frozenset({_C.VIEW_COURT, _C.ACT, _C.LEAD_TEAM, _C.APPROVE, _C.SUPERVISE, _C.VIEW_AUDIT}),
    Role.VICE_PRESIDENT: frozenset({_C.VIEW_COURT, _C.ACT, _C.APPROVE, _C.SUPERVISE, _C.VIEW_AUDIT}),
    Role.PRESIDENT: frozenset({_C.VIEW_COURT, _C.ACT, _C.APPROVE, _C.SUPERVISE, _C.VIEW_AUDIT}),
    Role.REVIEWER: frozenset({_C.VIEW_COURT, _C.ACT, _C.REVIEW}),
    Role.SUPERVISOR: frozenset({_C.VIEW_COURT, _C.VIEW_SUBTREE, _C.ACT, _C.SUPERVISE, _C.VIEW_AUDIT}),
    Role.UPPER_SUPERVISOR: frozenset({_C.VIEW_COURT, _C.VIEW_SUBTREE, _C.SUPERVISE, _C.VIEW_AUDIT}),
    Role.ADMIN: frozenset({_C.VIEW_COURT, _C.ACT, _C.VIEW_AUDIT, _C.MANAGE_STAFF, _C.EDIT_CALENDAR}),
}


def capabilities_of(roles: frozenset[Role]) -> frozenset[Capability]:
    """Return the union of what ``roles`` allow."""
    result: frozenset[Capability] = frozenset()
    for role in roles:
        result |= ROLE_CAPABILITIES[Role(role)]
    return result


_PROVINCE = r"[\u4e00-\u9fff]"
_CODE_SHAPES: dict[CourtLevel, re.Pattern[str]] = {
    CourtLevel.SUPREME: re.compile(r"最高法"),
    CourtLevel.HIGH: re.compile(rf"{_PROVINCE}"),
    CourtLevel.INTERMEDIATE: re.compile(rf"{_PROVINCE}\d{{2}}"),
    CourtLevel.BASIC: re.compile(rf"{_PROVINCE}\d{{4}}"),
}


def court_code_problem(*, code: str, level: CourtLevel, parent_code: str | None) -> str | None:
    """
    Return why ``code`` is not a valid 法院代字 for a court of ``level`` under ``parent_code``, or None.

    Basis: 《最高人民法院关于人民法院案件案号的若干规定》 — 最高法; a province's one character (豫);
    the intermediate court adds two digits (豫08); the basic court two more (豫0825).
    """
    if not _CODE_SHAPES[CourtLevel(level)].fullmatch(code):
        shapes = {
            CourtLevel.SUPREME: "“最高法”",
            CourtLevel.HIGH: "一个省份简称汉字，如“豫”",
            CourtLevel.INTERMEDIATE: "省份简称加两位数字，如“豫08”",
            CourtLevel.BASIC: "省份简称加四位数字，如“豫0825”",
        }
        return f"法院代字“{code}”格式不正确：{CourtLevel(level).label}的代字应为{shapes[CourtLevel(level)]}。"
    if level in (CourtLevel.INTERMEDIATE, CourtLevel.BASIC) and parent_code and not code.startswith(parent_code):
        return f"法院代字“{code}”应以上级法院代字“{parent_code}”开头。"
    return None
