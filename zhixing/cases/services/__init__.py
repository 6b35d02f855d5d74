"""Writes of the cases app: every function is atomic and audited (see the private modules)."""

from zhixing.cases.services._cases import (
    ID_NUMBER_AD,
    PHONE_AD,
    TransitionNotAllowed,
    case_create,
    case_number_issue,
    case_transition,
    party_identity_reveal,
    party_register,
)

__all__ = [
    "ID_NUMBER_AD",
    "PHONE_AD",
    "TransitionNotAllowed",
    "case_create",
    "case_number_issue",
    "case_transition",
    "party_identity_reveal",
    "party_register",
]
