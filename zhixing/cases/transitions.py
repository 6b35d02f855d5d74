"""The allowed moves of ``Case.status``: one declarative table, checked by ``services.case_transition``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from zhixing.cases.choices import CaseStatus as S

#: Every allowed move of Case.status.
CASE_TRANSITIONS: Final[Mapping[S, frozenset[S]]] = {
    # 立案 → 执行 as a rule; 暂缓 when there are no execution conditions, with the applicant's consent (seed 000).
    S.FILED: frozenset({S.IN_EXECUTION, S.DEFERRED}),
    S.DEFERRED: frozenset({S.IN_EXECUTION, S.WITHDRAWN}),
    S.IN_EXECUTION: frozenset({S.SUSPENDED, S.CLOSED}),
    # A suspended case resumes, or is closed (终结执行, e.g. after bankruptcy) without resuming.
    S.SUSPENDED: frozenset({S.IN_EXECUTION, S.CLOSED}),
    S.CLOSED: frozenset(),  # resumption (恢复执行) files a new 执恢 case; it never reopens this one
    S.WITHDRAWN: frozenset(),
}


def available_transitions(status: S) -> frozenset[S]:
    """Return the statuses a case in ``status`` may move to (drives the action buttons)."""
    return CASE_TRANSITIONS[S(status)]
