"""Reads of the cases app, always through the court scope (see the private modules)."""

from zhixing.cases.selectors._cases import PartyDisplay, case_get, party_cases, party_display, party_visible_get
from zhixing.cases.selectors._detail import CaseDetail, CasePartyLine, RelatedCase, case_detail
from zhixing.cases.selectors._documents import CaseDocumentsPanel, case_documents_panel
from zhixing.cases.selectors._filing import FilingDefaults, case_filing_defaults
from zhixing.cases.selectors._import import import_batch_get, import_batch_list
from zhixing.cases.selectors._list import (
    CaseFilterOptions,
    CaseFilters,
    CaseListPage,
    CaseRow,
    PartyBrief,
    case_count,
    case_filter_options,
    case_list,
    case_list_queryset,
    cursor_decode,
    cursor_encode,
)
from zhixing.cases.selectors._triage import (
    RuleSetView,
    TriagePanel,
    case_triage_facts,
    case_triage_panel,
    triage_rule_set_current,
    triage_rule_set_list,
)

__all__ = [
    "CaseDetail",
    "CaseDocumentsPanel",
    "CaseFilterOptions",
    "CaseFilters",
    "CaseListPage",
    "CasePartyLine",
    "CaseRow",
    "FilingDefaults",
    "PartyBrief",
    "PartyDisplay",
    "RelatedCase",
    "RuleSetView",
    "TriagePanel",
    "case_count",
    "case_detail",
    "case_documents_panel",
    "case_filing_defaults",
    "case_filter_options",
    "case_get",
    "case_list",
    "case_list_queryset",
    "case_triage_facts",
    "case_triage_panel",
    "cursor_decode",
    "cursor_encode",
    "import_batch_get",
    "import_batch_list",
    "party_cases",
    "party_display",
    "party_visible_get",
    "triage_rule_set_current",
    "triage_rule_set_list",
]
