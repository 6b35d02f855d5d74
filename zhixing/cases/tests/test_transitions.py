"""The transition table of Case.status (pure, no database)."""

import pytest

from zhixing.cases.choices import CaseStatus as S
from zhixing.cases.choices import CaseType
from zhixing.cases.transitions import CASE_TRANSITIONS, available_transitions
from zhixing.core.case_number import EnforcementCaseType


def test_every_status_has_a_row_and_targets_are_statuses():
    assert set(CASE_TRANSITIONS) == set(S)
    assert all(targets <= set(S) for targets in CASE_TRANSITIONS.values())


def test_closed_and_withdrawn_are_final():
    assert available_transitions(S.CLOSED) == frozenset()
    assert available_transitions(S.WITHDRAWN) == frozenset()


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(S.FILED, S.CLOSED), (S.SUSPENDED, S.DEFERRED), (S.CLOSED, S.IN_EXECUTION), (S.IN_EXECUTION, S.FILED)],
)
def test_moves_the_table_refuses(from_status, to_status):
    assert to_status not in available_transitions(from_status)


def test_case_types_match_the_case_number_type_codes():
    assert {(t.value, str(t.label)) for t in CaseType} == {(t.value, t.label) for t in EnforcementCaseType}
