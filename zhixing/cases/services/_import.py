"""
Bulk import of a docket (issue 3, item 3): every row validated, all rows imported or none.

The validation is the filing's (``rules.filing.filing_problems`` for every row), plus, set-based, what
only the database knows: the same party named differently or as another kind, the team and executor
of the court, and duplicates — the same 执行依据 against the same debtors twice in the file, or already
in an open case of the court. When any row fails, nothing is written but the refused batch and its
errors (row, field path, message in Chinese), from which ``import_template`` builds the error report.

When every row passes, one transaction writes everything with a fast path: parties deduplicated by
blind index or credit code (existing records reused, new ones encrypted and written at once), 案号 issued
as one block per (year, type) from the locked counter, then cases, party links, preservations, deferrals
and limitation events — with ``COPY`` on PostgreSQL (ids reserved from the sequences first) and
``bulk_create`` elsewhere — and one audit record per case (``audit.services.record_bulk``).

Every imported case is triaged (繁简分流) as filing triages it: the facts of all the rows are gathered in
one query per chunk of debtors (``_triage``) and the pure ``rules.triage.triage_decide`` classifies each
row; its ``CaseTriage`` row is written with the cases, ``Case.triage_class`` is set in the case row
itself, and the decision (class, rule-set version, fired rules, facts) is part of the case's audit
record. The rows are triaged as if filed one after the other in the file's order: a debtor's other open
cases are those of the court already recorded plus the earlier rows of the file naming the same debtor.

An imported case is a migrated one: it is filed on the day its application was received, so the
收案年度 of its 案号 is that day's year (a docket spanning 2024–2026 gets numbers in each year's series).
A row with a deferral (no execution conditions, the applicant consenting) is filed as 暂缓立案.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils.timezone import localdate

from zhixing.audit.services import Entry, record, record_bulk
from zhixing.cases.choices import BasisKind, CaseStatus, ImportStatus, PartyKind, PartyRole, TriageClass
from zhixing.cases.inputs import CaseFilingInput, PartyInput
from zhixing.cases.models import (
    Case,
    CaseNumberSequence,
    CaseParty,
    CaseStatusChange,
    CaseTriage,
    ImportBatch,
    IntakeDeferral,
    LimitationEvent,
    Party,
    Preservation,
)
from zhixing.cases.rules.filing import filing_problems
from zhixing.cases.rules.triage import TriageDecision, TriageFacts, triage_decide
from zhixing.cases.selectors import RuleSetView, triage_rule_set_current
from zhixing.cases.selectors._triage import OPEN_STATUSES
from zhixing.cases.services._cases import ID_NUMBER_AD, PHONE_AD
from zhixing.core.calendar import WorkCalendar, add_months
from zhixing.core.case_number import MAX_YEAR, MIN_YEAR, CaseNumber, EnforcementCaseType
from zhixing.core.crypto import IndexPurpose, Keyring, blind_index, encrypt_field
from zhixing.core.field_keys import field_keyring
from zhixing.core.identity import mask_phone, mask_resident_id, normalize_identifier, normalize_phone
from zhixing.courts.models import Membership, Team
from zhixing.courts.rules import Capability, capabilities_of
from zhixing.courts.selectors import work_calendar
from zhixing.flow.services import flow_file_bulk

#: The most rows one import may hold (the Excel page refuses bigger files before parsing them all).
MAX_IMPORT_ROWS = 20_000
_CHUNK = 5_000
#: From this many rows, the pure part of validation (``filing_problems``, keys, encryption) is spread
#: over forked worker processes, at most ``_WORKERS`` (the main process keeps the database work).
_PARALLEL_ROWS = 4_000
_WORKERS = max(1, min(4, os.cpu_count() or 1))
_CLOSED = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
#: The case columns the flow needs of an imported case (the rest stays in the database).
_FLOW_FIELDS = frozenset({"court_id", "number", "status", "filed_on", "application_received_on", "basis_kind",
                          "triage_class", "team_id", "executor_id"})  # fmt: skip
_UNIT_KINDS = frozenset({PartyKind.LEGAL_PERSON, PartyKind.OTHER_ORGANISATION})


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A problem of one row (its number in the file), on a field path of the filing input, in Chinese."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


# --- parties: one key per real party ----------------------------------------------------------------


@dataclass(slots=True)
class _Party:
    """A party of the file: its key, first appearance and the existing record or the new row."""

    key: tuple[str, str]  # ("id", blind index) / ("code", credit code) / ("new", "<row>:<path>")
    data: PartyInput
    row: int
    path: str
    id_number: str = ""
    pk: int | None = None
    new: bool = False
    sealed: tuple[Any, ...] = ()  # the protected columns (``_protect``), used when the party is new


def _party_key(party: PartyInput, *, keyring: Keyring, row: int, path: str) -> tuple[tuple[str, str], str]:
    if party.id_number.strip():
        number = normalize_identifier(party.id_number)
        return ("id", blind_index(keyring=keyring, value=number, purpose=IndexPurpose.RESIDENT_ID)), number
    if party.credit_code.strip():
        return ("code", normalize_identifier(party.credit_code)), ""
    return ("new", f"{row}:{path}"), ""


def _protect(party: PartyInput, *, number: str, keyring: Keyring) -> tuple[Any, ...]:
    """
    Return the protected columns of a new party: the encrypted ID and phone, their masks and indexes.

    (id_number_encrypted, id_number_masked, birth_date, phone_encrypted, phone_index, phone_masked)
    """
    phone = normalize_phone(party.phone) if party.phone.strip() else ""
    birth = None
    if number:
        try:
            birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:  # pragma: no cover - validated before
            birth = None
    return (
        encrypt_field(keyring=keyring, plaintext=number, associated_data=ID_NUMBER_AD) if number else "",
        mask_resident_id(number) if number else "",
        birth,
        encrypt_field(keyring=keyring, plaintext=phone, associated_data=PHONE_AD) if phone else "",
        blind_index(keyring=keyring, value=phone, purpose=IndexPurpose.PHONE) if phone else "",
        mask_phone(phone) if phone else "",
    )


#: One party of a checked row: its path, key, normalised ID number and protected columns.
_Checked = tuple[str, tuple[str, str], str, tuple[Any, ...]]


def _check_rows(
    *,
    inputs: Sequence[CaseFilingInput],
    rows: Sequence[int],
    start: int,
    stop: int,
    today: date,
    calendar: WorkCalendar,
    keyring: Keyring,
) -> tuple[list[tuple[int, str, str]], list[list[_Checked]]]:
    """
    Check rows ``start``..``stop`` (pure: no database): the filing's problems, and each party's key and columns.

    Returns the problems as (index, field, message), and for every row its parties in the order
    applicants, debtors, agents. A party's protected columns are computed at its first appearance in the
    range, and only for the rows without problems (whether it is new is known later, from the database).
    """
    problems: list[tuple[int, str, str]] = []
    checked: list[list[_Checked]] = []
    sealed: dict[tuple[str, str], tuple[Any, ...]] = {}
    for index in range(start, stop):
        data, row = inputs[index], rows[index]
        found = filing_problems(data=data, today=today, calendar=calendar).problems
        problems.extend((index, problem.field, problem.message) for problem in found)
        parties: list[_Checked] = []
        sides = (("applicants", data.applicants), ("debtors", data.debtors), ("agents", [a.agent for a in data.agents]))
        for side, members in sides:
            for position, party in enumerate(members):
                path = f"{side}[{position}]" + (".agent" if side == "agents" else "")
                key, number = _party_key(party, keyring=keyring, row=row, path=path)
                columns = ()
                if not found:
                    columns = sealed.get(key) or sealed.setdefault(key, _protect(party, number=number, keyring=keyring))
                parties.append((path, key, number, columns))
        checked.append(parties)
    return problems, checked


# What the forked workers read: set just before the pool forks, so that the rows, the calendar and the
# keyring are inherited by the workers rather than pickled to them (only the results travel back).
_SHARED: dict[str, Any] = {}


def _check_shared(start: int, stop: int) -> tuple[list[tuple[int, str, str]], list[list[_Checked]]]:
    return _check_rows(start=start, stop=stop, **_SHARED)


def _check_all(
    *, inputs: Sequence[CaseFilingInput], rows: Sequence[int], today: date, calendar: WorkCalendar, keyring: Keyring
) -> tuple[list[tuple[int, str, str]], list[list[_Checked]]]:
    """Run ``_check_rows`` on every row: in this process for a small file, else in forked worker processes."""
    count = len(inputs)
    workers = min(_WORKERS, count // (_PARALLEL_ROWS // 2) if count >= _PARALLEL_ROWS else 1)
    if workers <= 1 or multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return _check_rows(inputs=inputs, rows=rows, start=0, stop=count, today=today, calendar=calendar,
                           keyring=keyring)  # fmt: skip
    # The main process checks the first share itself while the workers check the rest, in a few ranges
    # each so that none waits long on the slowest.
    own = count // (workers + 1)
    step = -(-(count - own) // (workers * 3))
    _SHARED.update(inputs=inputs, rows=rows, today=today, calendar=calendar, keyring=keyring)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_check_shared, start, min(start + step, count)) for start in range(own, count, step)]
            results = [_check_shared(0, own), *(future.result() for future in futures)]
    finally:
        _SHARED.clear()
    problems: list[tuple[int, str, str]] = []
    checked: list[list[_Checked]] = []
    for part_problems, part_checked in results:
        problems.extend(part_problems)
        checked.extend(part_checked)
    return problems, checked


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _existing_parties(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str, str]]:
    """Return (pk, kind, name) of the recorded parties with these keys, in a few queries."""
    indexes = sorted(value for kind, value in keys if kind == "id")
    codes = sorted(value for kind, value in keys if kind == "code")
    found: dict[tuple[str, str], tuple[int, str, str]] = {}
    for chunk in _chunks(indexes):
        rows = Party.objects.filter(id_number_index__in=chunk).values_list("id_number_index", "pk", "kind", "name")
        for index, pk, kind, name in rows:
            found[("id", index)] = (pk, kind, name)
    for chunk in _chunks(codes):
        for code, pk, kind, name in Party.objects.filter(credit_code__in=chunk).values_list(
            "credit_code", "pk", "kind", "name"
        ):
            found[("code", code)] = (pk, kind, name)
    return found


def _identity_label(key: tuple[str, str]) -> tuple[str, str]:
    return ("id_number", "身份证号") if key[0] == "id" else ("credit_code", "统一社会信用代码")


def _party_conflict(known_kind: str, known_name: str, party: PartyInput, key: tuple[str, str], where: str) -> list:
    field, label = _identity_label(key)
    if known_kind != party.kind:
        kind_label = PartyKind(known_kind).label if known_kind in PartyKind.values else known_kind
        return [("kind", f"该{label}{where}为{kind_label}“{known_name}”，与填写的当事人类型不一致")]
    if known_name != party.name.strip():
        return [(field, f"该{label}{where}为“{known_name}”，与填写的名称“{party.name.strip()}”不一致，请核对")]
    return []


# --- duplicates ---------------------------------------------------------------------------------------


def _basis_key(number: str) -> str:
    return number.strip()


def _dup_key(keys: list[tuple[str, str]], parties: Sequence[PartyInput]) -> frozenset[tuple[str, str]]:
    """Return the parties of one side as ``services._filing`` compares them: key, or name when they have none."""
    return frozenset(
        ("name", party.name.strip()) if kind == "new" else (kind, value)
        for (kind, value), party in zip(keys, parties, strict=True)
    )


def _open_cases(
    *, court: Any, debtor_ids: set[int], debtor_names: set[str], bases: set[str]
) -> dict[tuple[str, frozenset[tuple[str, str]], frozenset[tuple[str, str]]], str]:
    """
    Return the open cases of ``court`` that could be duplicates, by (basis, applicants, debtors) → 案号.

    Found through the debtors (an index on the link), not by scanning the cases for the basis number.
    """
    named = set()
    for chunk in _chunks(sorted(debtor_names)):
        named.update(
            Party.objects.filter(name__in=chunk, id_number_index="", credit_code="").values_list("pk", flat=True)
        )
    case_ids: set[int] = set()
    for chunk in _chunks(sorted(debtor_ids | named)):
        case_ids.update(
            CaseParty.objects.filter(party_id__in=chunk, role=PartyRole.DEBTOR).values_list("case_id", flat=True)
        )
    cases: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(sorted(case_ids)):
        rows = (
            Case.objects.filter(pk__in=chunk, court=court)
            .exclude(status__in=_CLOSED)
            .values_list("pk", "basis_document_number", "number")
        )
        cases.update({pk: (basis, number) for pk, basis, number in rows if basis in bases})
    sides: dict[int, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: {"applicant": set(), "debtor": set()})
    for chunk in _chunks(sorted(cases)):
        links = CaseParty.objects.filter(
            case_id__in=chunk, role__in=[PartyRole.APPLICANT, PartyRole.DEBTOR]
        ).values_list("case_id", "role", "party__id_number_index", "party__credit_code", "party__name")
        for case_id, role, index, code, name in links:
            key = ("id", index) if index else ("code", code) if code else ("name", name)
            sides[case_id][role].add(key)
    return {
        (basis, frozenset(sides[pk]["applicant"]), frozenset(sides[pk]["debtor"])): number
        for pk, (basis, number) in cases.items()
    }


# --- validation ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    """Everything validation worked out, reused by the writer."""

    parties: dict[tuple[str, str], _Party]
    row_keys: list[dict[str, list[tuple[str, str]]]]  # per row: applicants / debtors / agents → keys


def _court_members(*, court: Any, inputs: Sequence[CaseFilingInput], today: date) -> tuple[set[int], set[int]]:
    """Return which of the rows' teams are active teams of ``court``, and which executors may execute there."""
    team_ids = {data.team_id for data in inputs if data.team_id is not None}
    executor_ids = {data.executor_id for data in inputs if data.executor_id is not None}
    teams = set(Team.objects.filter(court=court, is_active=True, pk__in=team_ids).values_list("pk", flat=True))
    roles: dict[int, set[str]] = defaultdict(set)
    if executor_ids:
        memberships = Membership.objects.filter(
            models.Q(active_to__isnull=True) | models.Q(active_to__gt=today),
            court=court,
            active_from__lte=today,
            user_id__in=executor_ids,
        )
        for user_id, role in memberships.values_list("user_id", "role"):
            roles[user_id].add(role)
    executors = {pk for pk, held in roles.items() if Capability.EXECUTE_CASES in capabilities_of(frozenset(held))}
    return teams, executors


def _validate(
    *, court: Any, inputs: Sequence[CaseFilingInput], rows: Sequence[int], today: date, calendar: WorkCalendar
) -> tuple[list[ImportProblem], _Plan]:
    keyring = field_keyring()
    found, checked = _check_all(inputs=inputs, rows=rows, today=today, calendar=calendar, keyring=keyring)
    problems = [ImportProblem(rows[index], field, message) for index, field, message in found]
    failed = {problem.row for problem in problems}
    teams, executors = _court_members(court=court, inputs=inputs, today=today)
    parties: dict[tuple[str, str], _Party] = {}
    row_keys: list[dict[str, list[tuple[str, str]]]] = []
    pending: list[tuple[int, str, tuple[str, str], PartyInput]] = []
    for row, data, row_parties in zip(rows, inputs, checked, strict=True):
        if data.team_id is not None and data.team_id not in teams:
            problems.append(ImportProblem(row, "team_id", "承办团队不是本院在用的团队"))
        if data.executor_id is not None and data.executor_id not in executors:
            problems.append(ImportProblem(row, "executor_id", "承办人不是本院在职的执行员或团队长"))
        keys: dict[str, list[tuple[str, str]]] = {"applicants": [], "debtors": [], "agents": []}
        members = (*data.applicants, *data.debtors, *(agent.agent for agent in data.agents))
        for party, (path, key, number, sealed) in zip(members, row_parties, strict=True):
            keys[path[: path.index("[")]].append(key)
            if row in failed:
                continue
            known = parties.get(key)
            if known is None:
                parties[key] = _Party(key, party, row, path, id_number=number, sealed=sealed)
                pending.append((row, path, key, party))
            else:
                for field, message in _party_conflict(known.data.kind, known.data.name.strip(), party, key,
                                                      f"在第{known.row}行填写"):  # fmt: skip
                    problems.append(ImportProblem(row, f"{path}.{field}", message))
        row_keys.append(keys)
    existing = _existing_parties(parties)
    for row, path, key, party in pending:
        if key in existing:
            pk, kind, name = existing[key]
            parties[key].pk = pk
            for field, message in _party_conflict(kind, name, party, key, "已登记"):
                problems.append(ImportProblem(row, f"{path}.{field}", message))
        else:
            parties[key].new = True
    problems.extend(_duplicates(court=court, inputs=inputs, rows=rows, row_keys=row_keys, existing=existing))
    problems.sort(key=lambda p: p.row)
    return problems, _Plan(parties=parties, row_keys=row_keys)


def _duplicates(
    *,
    court: Any,
    inputs: Sequence[CaseFilingInput],
    rows: Sequence[int],
    row_keys: list[dict[str, list[tuple[str, str]]]],
    existing: dict[tuple[str, str], tuple[int, str, str]],
) -> list[ImportProblem]:
    """Return the rows that repeat an earlier row, or an open case of the court: same basis, same parties."""
    problems: list[ImportProblem] = []
    seen: dict[tuple[str, frozenset[tuple[str, str]], frozenset[tuple[str, str]]], int] = {}
    wanted: list[tuple[int, str, tuple[str, frozenset[tuple[str, str]], frozenset[tuple[str, str]]]]] = []
    debtor_ids: set[int] = set()
    debtor_names: set[str] = set()
    for row, data, keys in zip(rows, inputs, row_keys, strict=True):
        if len(keys["applicants"]) != len(data.applicants) or len(keys["debtors"]) != len(data.debtors):
            continue  # pragma: no cover - every party has a key
        basis = _basis_key(data.basis_document_number)
        key = (basis, _dup_key(keys["applicants"], data.applicants), _dup_key(keys["debtors"], data.debtors))
        shown = data.basis_document_number.strip()
        if key in seen:
            message = f"与第{seen[key]}行重复：同一执行依据（{shown}）、同一申请执行人和被执行人"
            problems.append(ImportProblem(row, "basis_document_number", message))
            continue
        seen[key] = row
        wanted.append((row, shown, key))
        for (kind, value), party in zip(keys["debtors"], data.debtors, strict=True):
            if kind == "new":
                debtor_names.add(party.name.strip())
            elif (kind, value) in existing:
                debtor_ids.add(existing[(kind, value)][0])
    if not debtor_ids and not debtor_names:
        return problems
    open_cases = _open_cases(
        court=court, debtor_ids=debtor_ids, debtor_names=debtor_names, bases={key[0] for _r, _s, key in wanted}
    )
    for row, shown, key in wanted:
        number = open_cases.get(key)
        if number is not None:
            message = f"本院已有未结案件{number}：同一执行依据（{shown}）、同一申请执行人和被执行人"
            problems.append(ImportProblem(row, "basis_document_number", message))
    return problems


# --- writing --------------------------------------------------------------------------------------------


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Return ``count`` fresh primary keys from the table's sequence (PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [value for (value,) in cursor.fetchall()]


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """Write ``rows`` (column attname → value) and return their ids: COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=2_000)
        return [obj.pk for obj in objects]
    ids = _reserve_ids(model, len(rows))
    columns = ["id", *rows[0]]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for pk, row in zip(ids, rows, strict=True):
            copy.write_row((pk, *row.values()))
    return ids


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number_blocks(*, court: Any, wanted: dict[tuple[int, str], int]) -> dict[tuple[int, str], int]:
    """Consume ``count`` numbers of each (year, type) series; return the first serial of each block."""
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(court=court, year=year, type_code=code, last_serial=0) for year, code in wanted],
        ignore_conflicts=True,
    )
    firsts: dict[tuple[int, str], int] = {}
    for year, code in sorted(wanted):  # one lock order for every writer
        sequence = CaseNumberSequence.objects.select_for_update().get(court=court, year=year, type_code=code)
        firsts[(year, code)] = sequence.last_serial + 1
        sequence.last_serial += wanted[(year, code)]
        sequence.save(update_fields=["last_serial"])
    return firsts


def _party_row(party: _Party, *, keyring: Keyring, at: datetime, today: date) -> dict[str, Any]:
    data = party.data
    unit = data.kind in _UNIT_KINDS
    sealed = party.sealed or _protect(data, number=party.id_number, keyring=keyring)
    id_encrypted, id_masked, birth, phone_encrypted, phone_index, phone_masked = sealed
    return {
        "kind": str(data.kind),
        "name": data.name.strip(),
        "id_number_encrypted": id_encrypted,
        "id_number_index": party.key[1] if party.key[0] == "id" else "",
        "id_number_masked": id_masked,
        "birth_date": birth,
        "phone_encrypted": phone_encrypted,
        "phone_index": phone_index,
        "phone_masked": phone_masked,
        "address": data.address.strip(),
        "credit_code": party.key[1] if party.key[0] == "code" else "",
        "legal_representative": data.legal_representative.strip() if unit else "",
        "employer": data.employer.strip(),
        "is_public_servant": bool(data.is_public_servant),
        "created_at": at,
        "updated_at": at,
    }


@dataclass(frozen=True, slots=True)
class _Triaged:
    """The triage of one imported row: the decision and the facts it was made on (as stored)."""

    decision: TriageDecision
    facts: dict[str, Any]
    fired: list[dict[str, Any]]


def _triage(
    *, court: Any, inputs: Sequence[CaseFilingInput], plan: _Plan, rule_set: RuleSetView, on: date
) -> list[_Triaged]:
    """
    Return the triage of every row, by the facts ``selectors.case_triage_facts`` gathers for a filed case.

    Set-based: the open cases of the court in which the rows' recorded debtors are debtors come in one
    query per chunk of debtors; the rest of the facts are in the rows. Rows are taken in order, each
    also counting the earlier rows naming one of its debtors (they would be open cases when it is filed).
    """
    recorded = sorted({party.pk for party in plan.parties.values() if not party.new and party.pk is not None})
    open_cases: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(recorded):
        links = CaseParty.objects.filter(
            party_id__in=chunk, role=PartyRole.DEBTOR, case__court=court, case__status__in=OPEN_STATUSES
        ).values_list("party_id", "case_id")
        for party_id, case_id in links:
            open_cases[party_id].add(case_id)
    enabled = frozenset(rule_set.enabled_rules)
    earlier: dict[tuple[str, str], list[int]] = defaultdict(list)  # debtor key → earlier rows of the file
    decided: dict[TriageFacts, tuple[TriageDecision, dict[str, Any], list[dict[str, Any]]]] = {}
    result: list[_Triaged] = []
    for index, (data, keys) in enumerate(zip(inputs, plan.row_keys, strict=True)):
        debtors = keys["debtors"]
        pks = [plan.parties[key].pk for key in debtors]
        if len(debtors) == 1:
            others = len(open_cases.get(pks[0], ())) + len(earlier.get(debtors[0], ()))
        else:
            others = len(set().union(*(open_cases.get(pk, ()) for pk in pks))) + len(
                set().union(*(earlier.get(key, ()) for key in debtors))
            )
        for key in set(debtors):
            earlier[key].append(index)
        preserved = sum(
            (item.amount for item in data.preservations if item.amount is not None and item.active_to > on),
            Decimal("0.00"),
        )
        facts = TriageFacts(
            amount_claimed=data.amount_claimed,
            amount_threshold=rule_set.amount_threshold,
            preserved_amount=preserved,
            debtor_attitude=data.debtor_attitude,
            assets_found_amount=None,
            other_open_cases_of_debtors=others,
            enabled_rules=enabled,
        )
        known = decided.get(facts)
        if known is None:
            decision = triage_decide(facts)
            known = decided[facts] = (decision, facts.as_json(), [rule.as_json() for rule in decision.fired])
        result.append(_Triaged(*known))
    return result


def _write(
    *,
    court: Any,
    inputs: Sequence[CaseFilingInput],
    plan: _Plan,
    batch: ImportBatch,
    actor: Any,
    at: datetime,
    calendar: WorkCalendar,
) -> int:
    keyring = field_keyring()
    today = localdate(at)
    rule_set = triage_rule_set_current(court=court, on=today)
    new_parties = [party for party in plan.parties.values() if party.new]
    for party, pk in zip(
        new_parties,
        _insert(Party, [_party_row(p, keyring=keyring, at=at, today=today) for p in new_parties]),
        strict=True,
    ):
        party.pk = pk
    wanted: dict[tuple[int, str], int] = defaultdict(int)
    for data in inputs:
        wanted[(data.application_received_on.year, str(data.type_code))] += 1
    for year, _code in wanted:
        if not MIN_YEAR <= year <= MAX_YEAR:  # pragma: no cover - filing_problems refuses such dates
            raise ValueError(f"收案年度{year}超出范围")
    next_serial = _number_blocks(court=court, wanted=wanted)
    triaged = _triage(court=court, inputs=inputs, plan=plan, rule_set=rule_set, on=today)
    periods: dict[tuple[date, str], date] = {}
    case_rows: list[dict[str, Any]] = []
    for data, triage in zip(inputs, triaged, strict=True):
        filed_on = data.application_received_on
        series = (filed_on.year, str(data.type_code))
        serial = next_serial[series]
        next_serial[series] = serial + 1
        number = CaseNumber(
            year=filed_on.year, court_code=court.code, type_code=EnforcementCaseType(series[1]), serial=serial
        ).format()
        period_key = (filed_on, str(data.basis_kind))
        if period_key not in periods:
            months = 6 if data.basis_kind == BasisKind.LITIGATION else 3
            periods[period_key] = add_months(start=filed_on, months=months, calendar=calendar).day
        case_rows.append(
            {
                "court_id": court.pk,
                "year": filed_on.year,
                "type_code": series[1],
                "serial": serial,
                "number": number,
                "status": str(CaseStatus.DEFERRED if data.deferral is not None else CaseStatus.FILED),
                "status_changed_at": at,
                "application_received_on": filed_on,
                "filed_on": filed_on,
                "amount_claimed": data.amount_claimed,
                "costs": data.costs,
                "basis_issuing_body": data.basis_issuing_body.strip(),
                "basis_document_number": data.basis_document_number.strip(),
                "basis_effective_on": data.basis_effective_on,
                "basis_performance_due_on": data.basis_performance_due_on,
                "basis_kind": str(data.basis_kind),
                "basis_obligations": data.basis_obligations.strip(),
                "trial_case_number": data.trial_case_number.strip(),
                "team_id": data.team_id,
                "executor_id": data.executor_id,
                "debtor_attitude": str(data.debtor_attitude),
                "triage_class": str(triage.decision.result),
                "period_ends_on": periods[period_key],
                "created_at": at,
                "updated_at": at,
            }
        )
    case_ids = _insert(Case, case_rows)
    postgresql = connection.vendor == "postgresql"
    _insert(
        CaseTriage,
        [
            {
                "case_id": case_id,
                "rule_set_id": rule_set.id,
                "result": str(triage.decision.result),
                # COPY takes the JSON as text; bulk_create takes the objects.
                "fired_rules": _json_text(triage.fired) if postgresql else triage.fired,
                "facts": _json_text(triage.facts) if postgresql else triage.facts,
                "is_override": False,
                "override_reason": "",
                "decided_by_id": getattr(actor, "pk", None),
                "decided_at": at,
            }
            for case_id, triage in zip(case_ids, triaged, strict=True)
        ],
    )
    principal_rows: list[dict[str, Any]] = []
    for case_id, case_row, keys in zip(case_ids, case_rows, plan.row_keys, strict=True):
        for side, role in (("applicants", PartyRole.APPLICANT), ("debtors", PartyRole.DEBTOR)):
            principal_rows.extend(
                {"case_id": case_id, "party_id": plan.parties[key].pk, "role": str(role), "agent_of_id": None,
                 # the list's copies (CaseParty.list_*; the registered name equals the file's, checked above)
                 "list_court_id": court.pk, "list_filed_on": case_row["filed_on"],
                 "list_name": plan.parties[key].data.name.strip()}
                for key in keys[side]
            )  # fmt: skip
    link_ids = iter(_insert(CaseParty, principal_rows))
    agent_rows: list[dict[str, Any]] = []
    preservation_rows: list[dict[str, Any]] = []
    deferral_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    entries: list[Entry] = []
    announced: set[tuple[str, str]] = set()
    for case_id, row, data, keys, triage in zip(case_ids, case_rows, inputs, plan.row_keys, triaged, strict=True):
        links = {
            "applicants": [next(link_ids) for _ in keys["applicants"]],
            "debtors": [next(link_ids) for _ in keys["debtors"]],
        }
        for agent, key in zip(data.agents, keys["agents"], strict=True):
            side = "applicants" if agent.principal_role == PartyRole.APPLICANT else "debtors"
            agent_rows.append(
                {
                    "case_id": case_id,
                    "party_id": plan.parties[key].pk,
                    "role": str(PartyRole.AGENT),
                    "agent_of_id": links[side][agent.principal_index],
                }
            )
        preservation_rows.extend(
            {
                "case_id": case_id,
                "kind": str(item.kind),
                "property_description": item.property_description.strip(),
                "location": item.location.strip(),
                "amount": item.amount,
                "ruling_number": item.ruling_number.strip(),
                "active_from": item.active_from,
                "active_to": item.active_to,
                "created_at": at,
            }
            for item in data.preservations
        )
        event_rows.extend(
            {
                "case_id": case_id,
                "kind": str(event.kind),
                "occurred_on": event.occurred_on,
                "reason": event.reason.strip(),
                "evidence": event.evidence.strip(),
            }
            for event in data.limitation_events
        )
        if data.deferral is not None:
            deferral_rows.append(
                {
                    "case_id": case_id,
                    "reason": data.deferral.reason.strip(),
                    "consent_on": data.deferral.consent_on,
                    "consent_evidence": data.deferral.consent_evidence.strip(),
                    "decided_by_id": getattr(actor, "pk", None),
                    "decided_at": at,
                    "ended_at": None,
                }
            )
        created = []
        for key in (*keys["applicants"], *keys["debtors"], *keys["agents"]):
            party = plan.parties[key]
            if party.new and key not in announced:
                announced.add(key)
                created.append(party.pk)
        entries.append(
            Entry(
                action="cases.case.created",
                at=at,
                actor=actor,
                court_id=court.pk,
                case_id=case_id,
                subject_type="cases.case",
                subject_id=str(case_id),
                subject_label=row["number"],
                data={
                    "number": row["number"],
                    "type_code": row["type_code"],
                    "status": row["status"],
                    "amount_claimed": row["amount_claimed"],
                    "applicants": [plan.parties[k].pk for k in keys["applicants"]],
                    "debtors": [plan.parties[k].pk for k in keys["debtors"]],
                    "parties_created": created,
                    "import_batch": batch.pk,
                    "triage": {
                        "before": str(TriageClass.UNCLASSIFIED),
                        "after": row["triage_class"],
                        "rule_set_version": rule_set.version,
                        "fired": [rule["code"] for rule in triage.fired],
                        "facts": triage.facts,
                    },
                },
            )
        )
    _insert(CaseParty, agent_rows)
    _insert(Preservation, preservation_rows)
    _insert(IntakeDeferral, deferral_rows)
    _insert(
        CaseStatusChange,
        [
            {
                "case_id": row["case_id"],
                "from_status": str(CaseStatus.FILED),
                "to_status": str(CaseStatus.DEFERRED),
                "actor_id": getattr(actor, "pk", None),
                "at": at,
                "reason": f"未发现可供执行的财产，经申请执行人同意暂缓立案（{row['consent_on'].isoformat()}同意，"
                f"证明：{row['consent_evidence']}）：{row['reason']}",
            }
            for row in deferral_rows
        ],
    )
    _insert(LimitationEvent, event_rows)
    record_bulk(entries=entries)
    # Deadline control for the imported cases, in bulk: clocks, entry into the routing model, nodes.
    flow_file_bulk(
        cases=[
            Case(pk=case_id, **{k: v for k, v in row.items() if k in _FLOW_FIELDS})
            for case_id, row in zip(case_ids, case_rows, strict=True)
        ],
        actor=actor,
        at=at,
    )
    return len(case_ids)


def cases_import(
    *,
    court: Any,
    inputs: Sequence[CaseFilingInput],
    actor: Any,
    at: datetime,
    source_name: str,
    file_hash: str,
    rows: Sequence[int] | None = None,
    parse_problems: Sequence[ImportProblem] = (),
) -> ImportBatch:
    """
    Import the filings ``inputs`` into ``court``: all of them, or — when any row has a problem — none.

    ``rows`` are the rows' numbers in the file (1, 2, 3 … when not given); ``parse_problems`` are the
    problems the file's reader already found (a date that is not a date), reported with the rest.
    Returns the batch: ``imported``, or ``refused`` with ``errors`` [{row, field, message}] sorted by row.
    Either outcome is audited (``cases.import.imported`` / ``cases.import.refused``).
    """
    rows = list(rows) if rows is not None else list(range(1, len(inputs) + 1))
    today = localdate(at)
    calendar = work_calendar()
    problems, plan = _validate(court=court, inputs=inputs, rows=rows, today=today, calendar=calendar)
    problems = sorted([*parse_problems, *problems], key=lambda p: p.row)
    if not inputs and not problems:
        problems = [ImportProblem(0, "file", "文件中没有案件数据")]
    row_count = len(inputs) + len({p.row for p in parse_problems})
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            court=court,
            file_name=source_name[:200],
            file_hash=file_hash,
            row_count=row_count,
            status=ImportStatus.REFUSED if problems else ImportStatus.IMPORTED,
            errors=[p.as_dict() for p in problems],
            uploaded_by=actor,
            uploaded_at=at,
        )
        if problems:
            record(
                action="cases.import.refused",
                at=at,
                actor=actor,
                court_id=court.pk,
                subject=batch,
                data={"file": batch.file_name, "file_hash": file_hash, "rows": row_count, "errors": len(problems)},
            )
            return batch
        imported = _write(court=court, inputs=inputs, plan=plan, batch=batch, actor=actor, at=at, calendar=calendar)
        record(
            action="cases.import.imported",
            at=at,
            actor=actor,
            court_id=court.pk,
            subject=batch,
            data={"file": batch.file_name, "file_hash": file_hash, "rows": row_count, "cases": imported},
        )
    return batch
