"""Reads of the cases app; every read of court data goes through the court scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from zhixing.cases.choices import PartyKind, PartyRole
from zhixing.cases.models import Case, Party
from zhixing.courts.access import CourtScope, scoped, scoped_get


def case_get(*, scope: CourtScope, case_id: int) -> Case:
    """
    Return case ``case_id`` with its court, team and executor, if ``scope`` may read it.

    :raises Http404: when it does not exist or lies outside the readable courts
    """
    return scoped_get(Case.objects.select_related("court", "team", "executor"), scope=scope, pk=case_id)


def party_visible_get(*, scope: CourtScope, party_id: int) -> Party:
    """
    Return party ``party_id`` if it is a party in at least one case ``scope`` may read.

    Parties are shared across courts (one record per person), so visibility comes from the cases.

    :raises Http404: otherwise (whether the party exists is not revealed)
    """
    readable = scoped(Case.objects.all(), scope=scope)
    party = Party.objects.filter(pk=party_id, case_links__case__in=readable).distinct().first()
    if party is None:
        raise Http404("未找到该当事人，或您无权查看。")
    return party


def party_cases(
    *, scope: CourtScope, party_id: int, role: PartyRole | None = None, exclude_case_id: int | None = None
) -> QuerySet[Case]:
    """
    Return the cases ``scope`` may read in which party ``party_id`` takes part (as ``role``, when given).

    With ``role=PartyRole.DEBTOR`` and ``exclude_case_id`` this is the debtor's other cases (串案).
    Ordered newest filing first.
    """
    links = {"case_parties__party_id": party_id}
    if role is not None:
        links["case_parties__role"] = role
    cases = scoped(Case.objects.select_related("court"), scope=scope).filter(**links)
    if exclude_case_id is not None:
        cases = cases.exclude(pk=exclude_case_id)
    return cases.distinct().order_by("-filed_on", "-id")


@dataclass(frozen=True, slots=True, kw_only=True)
class PartyDisplay:
    """What pages and lists show of a party: masked numbers only, never a decrypted one."""

    id: int
    kind: PartyKind
    kind_label: str
    name: str
    identifier: str
    phone: str
    address: str
    legal_representative: str


def party_display(party: Party) -> PartyDisplay:
    """
    Return ``party`` as shown on pages: the masked 身份证号 (自然人) or the 统一社会信用代码 (units), the masked phone.

    The credit code is public and shown in full; the full ID number needs ``party_identity_reveal``.
    """
    kind = PartyKind(party.kind)
    identifier = party.id_number_masked if kind == PartyKind.NATURAL_PERSON else party.credit_code
    return PartyDisplay(
        id=party.pk,
        kind=kind,
        kind_label=str(kind.label),
        name=party.name,
        identifier=identifier,
        phone=party.phone_masked,
        address=party.address,
        legal_representative=party.legal_representative,
    )
