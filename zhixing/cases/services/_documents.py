"""
The notices of a case: 受理通知书, 执行通知书 and 报告财产令, built from the case and generated as .docx.

Who each document is addressed to:

- 受理通知书 goes to the applicant: one document per applicant (each names every debtor);
- 执行通知书 and 报告财产令 go to the debtor: one document per debtor (each names every applicant),
  since each debtor is served and must answer on their own (民诉法第二百五十二条、第二百六十四条).

The addressee of each document is recorded in its ``cases.case.document_generated`` audit entry,
which the case's documents panel reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from django.db import transaction
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.cases.choices import CaseStatus, PartyRole
from zhixing.cases.models import Case, CaseParty
from zhixing.cases.selectors._documents import CASE_TEMPLATE_CODES
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.documents.services import document_generate
from zhixing.flow.services import node_evidence_document

if TYPE_CHECKING:
    from zhixing.documents.models import GeneratedDocument

#: Templates addressed to each debtor (the others go to each applicant).
_TO_DEBTORS: Final = frozenset({"execution_notice", "property_report_order"})
#: Days the debtor has to report property. Not fixed by law (财产调查规定第五条 leaves the period to the
#: order); five days is the demo courts' practice and the documents facility's reference context.
REPORT_DEADLINE_DAYS: Final = 5
_NO_DOCUMENTS: Final = frozenset({CaseStatus.CLOSED, CaseStatus.WITHDRAWN})


def case_document_generate(*, case: Case, template_code: str, actor: Any, at: datetime) -> list[GeneratedDocument]:
    """
    Generate ``template_code`` for ``case``: one document per addressee, all or none, each audited.

    The caller checks that ``actor`` may file or execute cases in the case's court.

    :raises ValidationFailed: for a template that is not a case document, or a context the catalogue refuses
    :raises Conflict: for a closed or withdrawn case
    """
    if template_code not in CASE_TEMPLATE_CODES:
        raise ValidationFailed(
            f"“{template_code}”不是案件文书，可生成受理通知书、执行通知书或报告财产令。",
            fields={"template_code": "不是案件文书"},
        )
    if case.status in _NO_DOCUMENTS:
        raise Conflict(f"案件{case.number}{CaseStatus(case.status).label}，不再生成通知文书。")
    links = list(
        CaseParty.objects.filter(case=case, role__in=(PartyRole.APPLICANT, PartyRole.DEBTOR))
        .select_related("party")
        .order_by("id")
    )
    applicants = [link.party.name for link in links if link.role == PartyRole.APPLICANT]
    debtors = [link.party.name for link in links if link.role == PartyRole.DEBTOR]
    today = localdate(at)
    base = {
        "case_number": case.number,
        "basis_issuer": case.basis_issuing_body,
        "basis_number": case.basis_document_number,
        "basis_effective_on": case.basis_effective_on,
        "obligations": case.basis_obligations,
        "amount": case.amount_claimed,
        "costs": case.costs,
        "filed_on": case.filed_on,
        "report_deadline_days": REPORT_DEADLINE_DAYS,
        "document_date": today,
    }
    if template_code in _TO_DEBTORS:
        addressed = [(name, {"applicant_name": "、".join(applicants), "respondent_name": name}) for name in debtors]
    else:
        addressed = [(name, {"applicant_name": name, "respondent_name": "、".join(debtors)}) for name in applicants]
    documents: list[GeneratedDocument] = []
    with transaction.atomic():
        for addressee, names in addressed:
            document = document_generate(
                court=case.court,
                template_code=template_code,
                context={**base, **names},
                actor=actor,
                at=at,
                case_id=case.pk,
                addressee=addressee,
            )
            record(
                action="cases.case.document_generated",
                at=at,
                actor=actor,
                court_id=case.court_id,
                case_id=case.pk,
                subject=document,
                data={"document_id": document.pk, "template": template_code, "addressee": addressee},
            )
            documents.append(document)
        if documents:  # a node waiting for this document (执行通知书 and 报告财产令) is done
            node_evidence_document(case_id=case.pk, document=documents[0], actor=actor, at=at)
    return documents
