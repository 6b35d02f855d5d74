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
from zhixing.cases.services._documents import case_document_generate
from zhixing.cases.services._filing import (
    CASE_EDITABLE_FIELDS,
    case_assign,
    case_deferral_end,
    case_file,
    case_filing_check,
    case_update,
)
from zhixing.cases.services._import import MAX_IMPORT_ROWS, ImportProblem, cases_import
from zhixing.cases.services._triage import case_triage_override, case_triage_run, triage_rule_set_change

__all__ = [
    "CASE_EDITABLE_FIELDS",
    "ID_NUMBER_AD",
    "MAX_IMPORT_ROWS",
    "PHONE_AD",
    "ImportProblem",
    "TransitionNotAllowed",
    "case_assign",
    "case_create",
    "case_deferral_end",
    "case_document_generate",
    "case_file",
    "case_filing_check",
    "case_number_issue",
    "case_transition",
    "case_triage_override",
    "case_triage_run",
    "case_update",
    "cases_import",
    "party_identity_reveal",
    "party_register",
    "triage_rule_set_change",
]
