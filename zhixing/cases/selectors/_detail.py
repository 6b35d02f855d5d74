"""
The case page, read in a fixed number of queries whatever the case holds.

Header, parties (masked) with their agents and the debtors' other cases (串案), basis,
preservations, limitation events, deferrals, status history, the audit timeline, and the triage and
documents panels when their selectors are installed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from zhixing.audit.selectors import RecordRow, case_timeline
from zhixing.cases.choices import CaseStatus, PartyRole
from zhixing.cases.models import Case, CaseParty, CaseStatusChange, IntakeDeferral, LimitationEvent, Preservation
from zhixing.cases.selectors._cases import PartyDisplay, case_get, party_display
from zhixing.cases.selectors._list import FINISHED_STATUSES
from zhixing.courts.access import CourtScope, scoped

#: How many of a debtor's other cases the page lists (串案); the API endpoint pages through all of them.
RELATED_CASES_SHOWN = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedCase:
    """Another case of a debtor, in a court the person may read (串案)."""

    id: int
    number: str
    status_label: str
    filed_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class CasePartyLine:
    """A party of the case: masked display, role, agents, and (for a debtor) their other cases."""

    link_id: int
    role: str
    role_label: str
    party: PartyDisplay
    has_id_number: bool
    is_public_servant: bool
    employer: str
    agents: list[PartyDisplay]
    other_cases: list[RelatedCase]


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseDetail:
    """Everything the case page shows."""

    case: Case
    overdue: bool
    parties: list[CasePartyLine]
    preservations: list[Preservation]
    limitation_events: list[LimitationEvent]
    deferrals: list[IntakeDeferral]
    status_changes: list[CaseStatusChange]
    timeline: list[RecordRow]
    triage_panel: Any = None
    documents_panel: Any = None


def _other_cases(*, scope: CourtScope, case: Case, debtor_ids: list[int]) -> dict[int, list[RelatedCase]]:
    """Return each debtor's other readable cases, newest first, in one query."""
    if not debtor_ids:
        return {}
    links = (
        scoped(CaseParty.objects.all(), scope=scope, court_field="case__court")
        .filter(party_id__in=debtor_ids, role=PartyRole.DEBTOR)
        .exclude(case_id=case.pk)
        .select_related("case")
        .only("party_id", "case__id", "case__number", "case__status", "case__filed_on")
        .order_by("party_id", "-case__filed_on", "-case_id")
    )
    result: dict[int, list[RelatedCase]] = defaultdict(list)
    for link in links:
        shown = result[link.party_id]
        if len(shown) < RELATED_CASES_SHOWN:
            other = link.case
            shown.append(
                RelatedCase(
                    id=other.pk,
                    number=other.number,
                    status_label=str(CaseStatus(other.status).label),
                    filed_on=other.filed_on,
                )
            )
    return result


def _parties(*, scope: CourtScope, case: Case) -> list[CasePartyLine]:
    links = list(CaseParty.objects.filter(case=case).select_related("party").order_by("id"))
    agents: dict[int, list[PartyDisplay]] = defaultdict(list)
    for link in links:
        if link.agent_of_id is not None:
            agents[link.agent_of_id].append(party_display(link.party))
    principals = [link for link in links if link.agent_of_id is None]
    debtor_ids = [link.party_id for link in principals if link.role == PartyRole.DEBTOR]
    others = _other_cases(scope=scope, case=case, debtor_ids=debtor_ids)
    return [
        CasePartyLine(
            link_id=link.pk,
            role=link.role,
            role_label=str(PartyRole(link.role).label),
            party=party_display(link.party),
            has_id_number=bool(link.party.id_number_encrypted),
            is_public_servant=link.party.is_public_servant,
            employer=link.party.employer,
            agents=agents.get(link.pk, []),
            other_cases=others.get(link.party_id, []) if link.role == PartyRole.DEBTOR else [],
        )
        for link in principals
    ]


def _overdue(case: Case, today: date) -> bool:
    return case.period_ends_on is not None and case.period_ends_on < today and case.status not in FINISHED_STATUSES


def case_detail(*, scope: CourtScope, case_id: int, today: date) -> CaseDetail:
    """
    Return what the case page shows of case ``case_id``, if ``scope`` may read it.

    Parties carry masked numbers only; the full 身份证号 needs ``party_identity_reveal`` (audited).

    :raises Http404: when the case does not exist or lies outside the readable courts
    """
    case = case_get(scope=scope, case_id=case_id)
    # The panels belong to the triage and documents work; read them through the package, so the page
    # works with or without them.
    from zhixing.cases import selectors as package

    triage = getattr(package, "case_triage_panel", None)
    documents = getattr(package, "case_documents_panel", None)
    return CaseDetail(
        case=case,
        overdue=_overdue(case, today),
        parties=_parties(scope=scope, case=case),
        preservations=list(case.preservations.order_by("active_to", "id")),
        limitation_events=list(case.limitation_events.all()),
        deferrals=list(case.deferrals.select_related("decided_by")),
        status_changes=list(case.status_changes.select_related("actor")),
        timeline=case_timeline(case_id=case.pk, scope=scope),
        triage_panel=triage(scope=scope, case=case) if triage is not None else None,
        documents_panel=documents(scope=scope, case=case) if documents is not None else None,
    )
