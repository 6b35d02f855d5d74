"""
The workbench case list: filters, keyset pages newest filing first, a bounded count. Three queries a page.

Every filter is backed by an index on PostgreSQL (see ``zhixing.cases.models``):

- the page is read by keyset on ``(filed_on, id)`` descending inside the readable courts, so page 1,000 costs
  what page 1 costs; the equality filters (status, type, class, team, executor) each have a composite index
  ending in ``filed_on, id`` that PostgreSQL walks backwards from the cursor and stops after one page;
- a supervisor reading several courts gets one such walk per court, merged (``UNION ALL`` of per-court
  pages), never a sort of the whole subtree;
- 案号 is matched exactly (whatever variant the parser accepts), by a bare 案件编号, or by prefix
  (``LIKE '（2026）豫0825执%'`` on a ``varchar_pattern_ops`` index);
- a party name exactly or by prefix, also on a ``varchar_pattern_ops`` index (a btree pattern index serves
  prefix ``LIKE`` for CJK under any collation; ``pg_trgm`` under a C locale extracts no trigrams from CJK);
  an 18-character 身份证号 through its HMAC blind index, so the number itself is never stored or compared.
  The page under a party filter is read from the applicant and debtor links, which carry copies of the case's
  court and filing day and of the party's name (``CaseParty.list_*``, migration 0004): a surname walks the
  court's links newest first and stops after a page, a full name reads its few links (see ``_party_page``);
- overdue: the execution period's end (``period_ends_on``) before the given day and the case not closed.

The count is capped (``count_cap``): counting a million rows per page view is what the list avoids.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from zhixing.cases.choices import CaseStatus, CaseType, PartyKind, PartyRole, TriageClass
from zhixing.cases.models import Case, CaseParty, Party
from zhixing.core.case_number import InvalidCaseNumber, parse_case_number
from zhixing.core.crypto import IndexPurpose, blind_index
from zhixing.core.field_keys import field_keyring
from zhixing.core.identity import normalize_identifier
from zhixing.courts.access import CourtScope, scoped
from zhixing.courts.choices import Role
from zhixing.courts.models import Team, User

PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
#: Statuses past which a case can no longer be overdue.
FINISHED_STATUSES = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
_RESIDENT_ID = re.compile(r"^(?:[0-9]{17}[0-9X]|[0-9]{15})$")
_OPENING = str.maketrans({"(": "（", "〔": "（", "[": "（", "【": "（", ")": "）", "〕": "）", "]": "）", "】": "）"})
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseFilters:
    """
    What the list is narrowed to; empty values mean "any".

    ``number``: a 案号 (any variant the parser accepts), a prefix of one, or a bare 案件编号. ``party``: a
    name (exact or prefix) or a 身份证号 (exact). ``overdue_on``: only cases whose execution period ended
    before that day and that are not closed. Amounts and dates are inclusive.
    """

    number: str = ""
    party: str = ""
    status: str = ""
    type_code: str = ""
    triage_class: str = ""
    team_id: int | None = None
    executor_id: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    overdue_on: date | None = None

    @classmethod
    def of(cls, value: CaseFilters | Mapping[str, Any] | None) -> CaseFilters:
        """Return ``value`` as filters (a mapping of the field names is accepted, unknown keys refused)."""
        if value is None:
            return cls()
        if isinstance(value, CaseFilters):
            return value
        return cls(**value)

    def as_audit_data(self) -> dict[str, str]:
        """Return the filters that are set, as text (for the audit record of an export)."""
        result: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value not in (None, ""):
                result[item.name] = value.isoformat() if isinstance(value, date) else str(value)
        return result


@dataclass(frozen=True, slots=True, kw_only=True)
class PartyBrief:
    """A party as a list row shows it: name and the masked 身份证号 or the credit code, never a full ID."""

    id: int
    name: str
    identifier: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseRow:
    """One case of the list."""

    id: int
    number: str
    court_id: int
    court_name: str
    type_code: str
    type_label: str
    status: str
    status_label: str
    triage_class: str
    triage_label: str
    team_name: str
    executor_id: int | None
    executor_name: str
    amount_claimed: Decimal
    filed_on: date
    period_ends_on: date | None
    overdue: bool
    applicants: tuple[PartyBrief, ...]
    debtors: tuple[PartyBrief, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseListPage:
    """A page of the list; ``next_cursor`` is None on the last page; ``count`` only when asked (capped)."""

    rows: list[CaseRow]
    next_cursor: str | None
    count: int | None = None
    count_capped: bool = False


def cursor_encode(*, filed_on: date, case_id: int) -> str:
    """Return the opaque cursor of the page that follows the case (``filed_on``, ``case_id``)."""
    return f"{filed_on:%Y%m%d}-{case_id}"


def cursor_decode(*, cursor: str) -> tuple[date, int]:
    """
    Return the (filing day, case id) a cursor names.

    :raises ValueError: when ``cursor`` is not one ``cursor_encode`` made
    """
    day, _, case_id = cursor.partition("-")
    if len(day) != 8 or not day.isdigit() or not case_id.isdigit() or len(case_id) > 18:
        raise ValueError("not a case-list cursor")
    return date(int(day[:4]), int(day[4:6]), int(day[6:])), int(case_id)


def _number_q(text: str) -> Q | None:
    compact = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    if not compact:
        return None
    if compact.isdigit():
        return Q(serial=int(compact)) if len(compact) <= 9 else Q(pk__in=[])
    try:
        return Q(number=parse_case_number(compact).format())
    except InvalidCaseNumber:
        return Q(number__startswith=compact.translate(_OPENING).removesuffix("号"))


def _party_q(text: str) -> Q | None:
    text = text.strip()
    if not text:
        return None
    identifier = normalize_identifier(text)
    if _RESIDENT_ID.fullmatch(identifier):
        index = blind_index(keyring=field_keyring(), value=identifier, purpose=IndexPurpose.RESIDENT_ID)
        parties = Party.objects.filter(kind=PartyKind.NATURAL_PERSON, id_number_index=index)
    else:
        parties = Party.objects.filter(name__startswith=text)
    links = CaseParty.objects.filter(party__in=parties.values("pk"), role__in=(PartyRole.APPLICANT, PartyRole.DEBTOR))
    return Q(pk__in=links.values("case_id"))


def _filtered(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    conditions = [_number_q(filters.number), _party_q(filters.party)]
    exact = {
        "status": filters.status,
        "type_code": filters.type_code,
        "triage_class": filters.triage_class,
        "team_id": filters.team_id,
        "executor_id": filters.executor_id,
        "amount_claimed__gte": filters.amount_min,
        "amount_claimed__lte": filters.amount_max,
        "filed_on__gte": filters.filed_from,
        "filed_on__lte": filters.filed_to,
    }
    cases = cases.filter(**{key: value for key, value in exact.items() if value not in (None, "")})
    if filters.overdue_on is not None:
        cases = cases.filter(period_ends_on__lt=filters.overdue_on).exclude(status__in=FINISHED_STATUSES)
    for condition in conditions:
        if condition is not None:
            cases = cases.filter(condition)
    return cases


def case_list_queryset(*, scope: CourtScope, filters: CaseFilters | Mapping[str, Any] | None) -> QuerySet[Case]:
    """Return the cases ``scope`` may read that match ``filters``, unordered (for counting and EXPLAIN)."""
    return _filtered(scoped(Case.objects.all(), scope=scope), CaseFilters.of(filters))


def _party_links(text: str) -> QuerySet[CaseParty] | None:
    """Return the applicant and debtor links the party filter matches, by their list copies (see the module)."""
    text = text.strip()
    if not text:
        return None
    identifier = normalize_identifier(text)
    if _RESIDENT_ID.fullmatch(identifier):
        index = blind_index(keyring=field_keyring(), value=identifier, purpose=IndexPurpose.RESIDENT_ID)
        parties = Party.objects.filter(kind=PartyKind.NATURAL_PERSON, id_number_index=index)
        return CaseParty.objects.filter(party__in=parties.values("pk"), list_court_id__isnull=False)
    return CaseParty.objects.filter(list_name__startswith=text)


def _party_page(*, court_id: int, filters: CaseFilters, after: str | None, size: int) -> QuerySet[CaseParty]:
    """
    Return the (filing day, case id) of one court's page under the party filter, read from the links.

    The links carry the case's court and filing day and the party's name, so PostgreSQL either walks
    ``case_party_list_walk_idx`` backwards from the cursor checking the name in the index (a surname matching
    tens of thousands of parties: the page is found after a few thousand entries), or reads the few matching
    links from ``case_party_list_name_idx`` and sorts them (a full name), whichever its estimate favours;
    ``DISTINCT`` folds a case in which several parties match. The other filters are checked on the case.
    """
    links = _party_links(filters.party)
    assert links is not None
    links = links.filter(list_court_id=court_id)
    if after:
        filed_on, case_id = cursor_decode(cursor=after)
        links = links.filter(Q(list_filed_on__lte=filed_on), Q(list_filed_on__lt=filed_on) | Q(case_id__lt=case_id))
    rest = replace(filters, party="")
    if rest != CaseFilters():
        links = links.filter(case__in=_filtered(Case.objects.filter(court_id=court_id), rest).values("pk"))
    order = ("-list_filed_on", "-case_id")
    return links.order_by(*order).values_list("list_filed_on", "case_id").distinct()[:size]


def _page_ids(*, scope: CourtScope, filters: CaseFilters, after: str | None, size: int) -> list[int]:
    court_ids = sorted(scope.readable_court_ids)
    if filters.party.strip() and court_ids:
        pages = [_party_page(court_id=court_id, filters=filters, after=after, size=size) for court_id in court_ids]
        if len(pages) == 1:
            return [case_id for _filed_on, case_id in pages[0]]
        if connection.features.supports_slicing_ordering_in_compound:
            merged = pages[0].union(*pages[1:], all=True).order_by("-list_filed_on", "-case_id")[:size]
            return [case_id for _filed_on, case_id in merged]
        rows = sorted((row for page in pages for row in page), reverse=True)[:size]
        return [case_id for _filed_on, case_id in rows]
    keyset = Q()
    if after:
        filed_on, case_id = cursor_decode(cursor=after)
        # The redundant ``filed_on <= d`` lets the index scan start at the cursor instead of filtering up to it.
        keyset = Q(filed_on__lte=filed_on) & (Q(filed_on__lt=filed_on) | Q(pk__lt=case_id))
    order = ("-filed_on", "-id")
    if len(court_ids) > 1 and connection.features.supports_slicing_ordering_in_compound:
        per_court = [
            _filtered(Case.objects.filter(court_id=court_id), filters)
            .filter(keyset)
            .order_by(*order)
            .values_list("filed_on", "id")[:size]
            for court_id in court_ids
        ]
        merged = per_court[0].union(*per_court[1:], all=True).order_by(*order)[:size]
        return [case_id for _filed_on, case_id in merged]
    cases = _filtered(scoped(Case.objects.all(), scope=scope), filters).filter(keyset)
    return list(cases.order_by(*order).values_list("id", flat=True)[:size])


def _parties_by_case(case_ids: list[int]) -> dict[int, dict[str, list[PartyBrief]]]:
    links = (
        CaseParty.objects.filter(case_id__in=case_ids, role__in=(PartyRole.APPLICANT, PartyRole.DEBTOR))
        .select_related("party")
        .only("case_id", "role", "party__id", "party__name", "party__kind", "party__id_number_masked",
              "party__credit_code")
        .order_by("case_id", "id")
    )  # fmt: skip
    result: dict[int, dict[str, list[PartyBrief]]] = defaultdict(lambda: defaultdict(list))
    for link in links:
        party = link.party
        identifier = party.id_number_masked if party.kind == PartyKind.NATURAL_PERSON else party.credit_code
        result[link.case_id][link.role].append(PartyBrief(id=party.pk, name=party.name, identifier=identifier))
    return result


def _row(case: Case, parties: dict[str, list[PartyBrief]], today: date | None) -> CaseRow:
    overdue = (
        today is not None
        and case.period_ends_on is not None
        and case.period_ends_on < today
        and case.status not in FINISHED_STATUSES
    )
    return CaseRow(
        id=case.pk,
        number=case.number,
        court_id=case.court_id,
        court_name=case.court.name,
        type_code=case.type_code,
        type_label=str(CaseType(case.type_code).label),
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        triage_class=case.triage_class,
        triage_label=str(TriageClass(case.triage_class).label),
        team_name=case.team.name if case.team is not None else "",
        executor_id=case.executor_id,
        executor_name=case.executor.name if case.executor is not None else "",
        amount_claimed=case.amount_claimed,
        filed_on=case.filed_on,
        period_ends_on=case.period_ends_on,
        overdue=overdue,
        applicants=tuple(parties.get(PartyRole.APPLICANT, ())),
        debtors=tuple(parties.get(PartyRole.DEBTOR, ())),
    )


def case_list(
    *,
    scope: CourtScope,
    filters: CaseFilters | Mapping[str, Any] | None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    today: date | None = None,
    count_cap: int | None = None,
) -> CaseListPage:
    """
    Return one page of the cases ``scope`` may read that match ``filters``, newest filing first.

    Three queries whatever the page size: the page's ids (by keyset, see the module), the cases with
    court, team and executor, and their applicants and debtors. ``after`` is the previous page's
    ``next_cursor``. With ``today`` the rows say whether they are overdue. With ``count_cap`` one more
    query counts the matches up to the cap (``count_capped`` says there are more).

    :raises ValueError: for a malformed ``after``
    """
    filters = CaseFilters.of(filters)
    size = max(1, min(limit, MAX_PAGE_SIZE))
    ids = _page_ids(scope=scope, filters=filters, after=after, size=size + 1)
    page_ids = ids[:size]
    cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in=page_ids)
        .select_related("court", "team", "executor")
        .only(
            "number", "court_id", "court__name", "type_code", "status", "triage_class", "team__name",
            "executor_id", "executor__name", "amount_claimed", "filed_on", "period_ends_on",
        )
    }  # fmt: skip
    parties = _parties_by_case(page_ids) if page_ids else {}
    rows = [_row(cases[case_id], parties.get(case_id, {}), today) for case_id in page_ids]
    next_cursor = cursor_encode(filed_on=rows[-1].filed_on, case_id=rows[-1].id) if len(ids) > size else None
    count, capped = None, False
    if count_cap is not None:
        count = case_list_queryset(scope=scope, filters=filters).order_by()[: count_cap + 1].count()
        count, capped = min(count, count_cap), count > count_cap
    return CaseListPage(rows=rows, next_cursor=next_cursor, count=count, count_capped=capped)


def case_count(*, scope: CourtScope, filters: CaseFilters | Mapping[str, Any] | None, cap: int) -> int:
    """Return how many cases match, counting at most ``cap + 1`` (so a result above ``cap`` means "more")."""
    return case_list_queryset(scope=scope, filters=filters).order_by()[: cap + 1].count()


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseFilterOptions:
    """The choices of the list's team and executor filters, within the readable courts."""

    teams: list[tuple[int, str]]
    executors: list[tuple[int, str]]


def case_filter_options(*, scope: CourtScope) -> CaseFilterOptions:
    """Return the teams of the readable courts and the people who have handled or may handle cases there."""
    courts = sorted(scope.readable_court_ids)
    several = len(courts) > 1
    teams = Team.objects.filter(court_id__in=courts).select_related("court").order_by("court_id", "name")
    executors = (
        User.objects.filter(memberships__court_id__in=courts, memberships__role__in=(Role.EXECUTOR, Role.TEAM_LEADER))
        .distinct()
        .order_by("name", "id")
    )
    return CaseFilterOptions(
        teams=[(team.pk, f"{team.court.name} {team.name}" if several else team.name) for team in teams],
        executors=[(user.pk, user.name or user.get_username()) for user in executors],
    )
