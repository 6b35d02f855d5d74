"""Reads of a case's documents: what was generated, for whom, and what may be generated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from zhixing.cases.models import Case
from zhixing.courts.access import CourtScope
from zhixing.courts.rules import Capability
from zhixing.documents.catalogue import TEMPLATES
from zhixing.documents.selectors import document_list

#: The case documents, in the order the panel offers them (the service's list).
CASE_TEMPLATE_CODES = ("acceptance_notice", "execution_notice", "property_report_order")


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseDocumentRow:
    """One generated document as the panel lists it."""

    id: int
    title: str
    addressee: str
    generated_at: datetime
    generated_by: str
    sm3_prefix: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseDocumentsPanel:
    """A case's documents, newest first, the templates on offer, and whether ``scope`` may generate."""

    case_id: int
    case_number: str
    documents: list[CaseDocumentRow]
    templates: list[tuple[str, str]]
    can_generate: bool


def case_documents_panel(*, scope: CourtScope, case: Case) -> CaseDocumentsPanel:
    """
    Return the documents panel of ``case`` for ``scope`` (one query).

    Filing clerks and executors (``FILE_CASES`` or ``EXECUTE_CASES``) of the case's court may generate.

    :raises Http404: when ``scope`` may not read the case
    """
    if not scope.may_read(case.court_id):
        raise Http404("未找到该案件，或您无权查看。")
    documents = [
        CaseDocumentRow(
            id=document.pk,
            title=document.title,
            addressee=document.addressee,
            generated_at=document.generated_at,
            generated_by=(
                (document.generated_by.get_full_name() or document.generated_by.get_username())
                if document.generated_by is not None
                else "系统"
            ),
            sm3_prefix=document.sm3[:12],
        )
        for document in document_list(scope=scope, case_id=case.pk)
    ]
    may_act = scope.can(Capability.FILE_CASES) or scope.can(Capability.EXECUTE_CASES)
    return CaseDocumentsPanel(
        case_id=case.pk,
        case_number=case.number,
        documents=documents,
        templates=[(code, TEMPLATES[code].title) for code in CASE_TEMPLATE_CODES],
        can_generate=may_act and scope.may_write(case.court_id),
    )
