"""Writes of the cases app: 案号 issuance, party registration, filing and status moves; atomic and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.cases.choices import BasisKind, CaseStatus, CaseType, PartyKind, PartyRole
from zhixing.cases.models import Case, CaseNumberSequence, CaseParty, CaseStatusChange, Party
from zhixing.cases.selectors import party_visible_get
from zhixing.cases.transitions import CASE_TRANSITIONS
from zhixing.core.calendar import add_months
from zhixing.core.case_number import MAX_YEAR, MIN_YEAR, CaseNumber, EnforcementCaseType
from zhixing.core.crypto import IndexPurpose, blind_index, decrypt_field, encrypt_field
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.core.field_keys import field_keyring
from zhixing.core.identity import (
    credit_code_problem,
    mask_phone,
    mask_resident_id,
    normalize_identifier,
    normalize_phone,
    resident_id_parse,
    resident_id_problem,
)
from zhixing.core.money import amount_problem
from zhixing.courts.access import CourtScope, require
from zhixing.courts.rules import Capability
from zhixing.courts.selectors import work_calendar
from zhixing.flow.choices import AnchorTrigger
from zhixing.flow.services import node_anchor_record

#: Associated data bound into each envelope: a ciphertext moved to another column fails to decrypt.
ID_NUMBER_AD = "cases_party.id_number"
PHONE_AD = "cases_party.phone"
_UNIT_KINDS = frozenset({PartyKind.LEGAL_PERSON, PartyKind.OTHER_ORGANISATION})


class TransitionNotAllowed(Conflict):
    """A status move the table in ``zhixing.cases.transitions`` does not allow."""

    code = "transition_not_allowed"

    def __init__(self, *, case: Case, from_status: str, to_status: str) -> None:
        super().__init__(
            f"案件{case.number}当前为“{CaseStatus(from_status).label}”，不能变更为“{CaseStatus(to_status).label}”。",
            fields={"to": "不允许的状态变更"},
        )


# --- 案号 -----------------------------------------------------------------------------------------


@transaction.atomic
def case_number_issue(*, court: Any, year: int, type_code: str) -> CaseNumber:
    """
    Return the next 案号 of ``court`` for ``year`` and ``type_code``, consuming it.

    The counter row is created race-free (``bulk_create(ignore_conflicts=True)``) and then locked with
    ``select_for_update`` until the caller's transaction ends, so concurrent filings of the same series
    wait for each other and numbers stay gapless: a filing that rolls back gives its number back.

    :raises ValidationFailed: for a year outside 2016–2100 or a type code that is not an enforcement type
    """
    if type_code not in CaseType.values:
        raise ValidationFailed(f"案件类型代字“{type_code}”无效。", fields={"type_code": "不是执行案件类型代字"})
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(f"收案年度{year}超出范围（{MIN_YEAR}–{MAX_YEAR}）。", fields={"year": "超出范围"})
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(court=court, year=year, type_code=type_code, last_serial=0)], ignore_conflicts=True
    )
    sequence = CaseNumberSequence.objects.select_for_update().get(court=court, year=year, type_code=type_code)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return CaseNumber(
        year=year, court_code=court.code, type_code=EnforcementCaseType(type_code), serial=sequence.last_serial
    )


# --- Parties -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PartyInput:
    kind: PartyKind
    name: str
    id_number: str
    credit_code: str
    phone: str
    birth_date: date | None


def _party_input(
    *, kind: str, name: str, id_number: str | None, credit_code: str | None, phone: str | None, today: date
) -> _PartyInput:
    errors: dict[str, str] = {}
    if kind not in PartyKind.values:
        errors["kind"] = f"当事人类型“{kind}”无效"
    name = name.strip()
    if not name:
        errors["name"] = "请填写当事人姓名或名称"
    id_text = normalize_identifier(id_number or "")
    code_text = normalize_identifier(credit_code or "")
    birth: date | None = None
    if id_text:
        if kind in _UNIT_KINDS:
            errors["id_number"] = "单位当事人不填身份证号，请填写统一社会信用代码"
        elif problem := resident_id_problem(value=id_text, today=today):
            errors["id_number"] = problem
        else:
            birth = resident_id_parse(value=id_text, today=today).birth_date
    if code_text:
        if kind == PartyKind.NATURAL_PERSON:
            errors["credit_code"] = "自然人不填统一社会信用代码，请填写身份证号"
        elif problem := credit_code_problem(value=code_text):
            errors["credit_code"] = problem
    phone_text = normalize_phone(phone or "")
    if (phone or "").strip() and not 7 <= len(phone_text) <= 15:
        errors["phone"] = f"联系电话“{(phone or '').strip()}”不是有效的电话号码"
    if errors:
        raise ValidationFailed("当事人信息有误：" + "；".join(errors.values()) + "。", fields=errors)
    return _PartyInput(PartyKind(kind), name, id_text, code_text, phone_text, birth)


def _party_existing(data: _PartyInput, *, id_index: str) -> Party | None:
    if id_index:
        return Party.objects.filter(kind=data.kind, id_number_index=id_index).first()
    if data.credit_code:
        return Party.objects.filter(credit_code=data.credit_code).first()
    return None


def _party_match(existing: Party, data: _PartyInput) -> Party:
    field = "id_number" if data.id_number else "credit_code"
    label = "身份证号" if data.id_number else "统一社会信用代码"
    if existing.kind != data.kind:
        message = f"该{label}已登记为{PartyKind(existing.kind).label}“{existing.name}”，与填写的当事人类型不一致"
        raise ValidationFailed(message + "。", fields={"kind": message})
    if existing.name != data.name:
        message = f"该{label}已登记为“{existing.name}”，与填写的名称“{data.name}”不一致，请核对"
        raise ValidationFailed(message + "。", fields={field: message, "name": message})
    return existing


def party_register(
    *,
    kind: str,
    name: str,
    id_number: str | None = None,
    credit_code: str | None = None,
    phone: str | None = None,
    address: str = "",
    legal_representative: str = "",
    court_id: int | None = None,
    actor: Any,
    at: datetime,
) -> Party:
    """
    Return the party with ``id_number`` or ``credit_code``, registering it when new (串案: one record a party).

    A natural person is found by the blind index of the 身份证号, a unit by its 统一社会信用代码; a party
    with neither is always a new record. An existing record is returned unchanged (its phone and address
    are not overwritten here) after checking that the kind and name agree. Only a new record is audited,
    with masked numbers: the audit log never holds a full ID or phone number. Its record goes to the
    chain of ``court_id`` (the filing court), or chain 0 without one.

    :raises ValidationFailed: naming each bad field (身份证号 or 信用代码 check digits, a number of the
        wrong kind, a missing name, an unusable phone number) or a name that differs from the record's
    """
    data = _party_input(
        kind=kind, name=name, id_number=id_number, credit_code=credit_code, phone=phone, today=localdate(at)
    )
    keyring = field_keyring()
    id_index = (
        blind_index(keyring=keyring, value=data.id_number, purpose=IndexPurpose.RESIDENT_ID) if data.id_number else ""
    )
    with transaction.atomic():
        existing = _party_existing(data, id_index=id_index)
        if existing is not None:
            return _party_match(existing, data)
        party = Party(
            kind=data.kind,
            name=data.name,
            id_number_index=id_index,
            id_number_encrypted=(
                encrypt_field(keyring=keyring, plaintext=data.id_number, associated_data=ID_NUMBER_AD)
                if data.id_number
                else ""
            ),
            id_number_masked=mask_resident_id(data.id_number) if data.id_number else "",
            birth_date=data.birth_date,
            phone_index=blind_index(keyring=keyring, value=data.phone, purpose=IndexPurpose.PHONE)
            if data.phone
            else "",
            phone_encrypted=(
                encrypt_field(keyring=keyring, plaintext=data.phone, associated_data=PHONE_AD) if data.phone else ""
            ),
            phone_masked=mask_phone(data.phone) if data.phone else "",
            address=address.strip(),
            credit_code=data.credit_code,
            legal_representative=legal_representative.strip() if data.kind in _UNIT_KINDS else "",
            created_at=at,
            updated_at=at,
        )
        try:
            with transaction.atomic():
                party.save()
        except IntegrityError:
            # Another clerk registered the same person a moment ago: use that record.
            existing = _party_existing(data, id_index=id_index)
            if existing is None:
                raise
            return _party_match(existing, data)
        record(
            action="cases.party.created",
            at=at,
            actor=actor,
            court_id=court_id,
            subject=party,
            data={
                "kind": party.kind,
                "id_number": party.id_number_masked,
                "credit_code": party.credit_code,
                "phone": party.phone_masked,
            },
        )
    return party


@transaction.atomic
def party_identity_reveal(*, scope: CourtScope, party_id: int, actor: Any, at: datetime) -> str:
    """
    Return the full 身份证号 of a party in one of the cases ``scope`` may read, recording who saw it.

    :raises PermissionDenied: when the person's roles do not allow ``REVEAL_IDENTITY``
    :raises Http404: when the party is in no case the person may read
    :raises ValidationFailed: when the party has no ID number on record
    """
    require(scope, Capability.REVEAL_IDENTITY)
    party = party_visible_get(scope=scope, party_id=party_id)
    if not party.id_number_encrypted:
        raise ValidationFailed("该当事人没有登记身份证号。", fields={"id_number": "未登记"})
    number = decrypt_field(keyring=field_keyring(), envelope=party.id_number_encrypted, associated_data=ID_NUMBER_AD)
    record(
        action="cases.party.identity_revealed",
        at=at,
        actor=actor,
        court_id=scope.court.pk if scope.court is not None else None,
        subject=party,
        data={"id_number": party.id_number_masked},
    )
    return number


# --- Cases ---------------------------------------------------------------------------------------


def _amount_error(value: Any, label: str) -> str | None:
    if not isinstance(value, Decimal):
        return f"{label}应为金额数字"
    problem = amount_problem(f"{value:f}")
    return f"{label}：{problem}" if problem else None


def _case_errors(
    *,
    type_code: str,
    application_received_on: date,
    filed_on: date,
    amount_claimed: Any,
    costs: Any,
    basis_issuing_body: str,
    basis_document_number: str,
    basis_effective_on: date,
    basis_kind: str,
    basis_obligations: str,
    applicants: Sequence[Party],
    debtors: Sequence[Party],
    agents: Sequence[tuple[Party, Party]],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if type_code not in CaseType.values:
        errors["type_code"] = f"案件类型代字“{type_code}”不是执行案件类型"
    if application_received_on > filed_on:
        errors["application_received_on"] = "收到申请日期不能晚于立案日期"
    if basis_effective_on > application_received_on:
        errors["basis_effective_on"] = "执行依据生效日期不能晚于收到申请日期"
    for field, value, label in (("amount_claimed", amount_claimed, "申请执行标的额"), ("costs", costs, "执行费用")):
        if problem := _amount_error(value, label):
            errors[field] = problem
    for field, value, label in (
        ("basis_issuing_body", basis_issuing_body, "执行依据作出机关"),
        ("basis_document_number", basis_document_number, "执行依据文书号"),
        ("basis_obligations", basis_obligations, "执行依据确定的义务"),
    ):
        if not value.strip():
            errors[field] = f"请填写{label}"
    if basis_kind not in BasisKind.values:
        errors["basis_kind"] = "请选择执行依据类别（诉讼类或非诉讼类）"
    if not applicants:
        errors["applicants"] = "至少需要一名申请执行人"
    if not debtors:
        errors["debtors"] = "至少需要一名被执行人"
    both = {p.pk for p in applicants} & {p.pk for p in debtors}
    if both:
        errors["debtors"] = "同一当事人不能既是申请执行人又是被执行人"
    principals = {p.pk for p in (*applicants, *debtors)}
    for agent, principal in agents:
        if principal.pk not in principals:
            errors["agents"] = f"被代理人“{principal.name}”不是本案申请执行人或被执行人"
        elif agent.pk in principals:
            errors["agents"] = f"代理人“{agent.name}”是本案当事人，不能同时担任代理人"
    return errors


def case_create(
    *,
    court: Any,
    type_code: str,
    application_received_on: date,
    amount_claimed: Decimal,
    basis_issuing_body: str,
    basis_document_number: str,
    basis_effective_on: date,
    basis_kind: str,
    basis_obligations: str,
    applicants: Sequence[Party],
    debtors: Sequence[Party],
    agents: Sequence[tuple[Party, Party]] = (),
    costs: Decimal = Decimal("0.00"),
    trial_case_number: str = "",
    actor: Any,
    at: datetime,
) -> Case:
    """
    File a case in ``court`` on the day of ``at``: validate everything, issue its 案号, link its parties.

    The 收案年度 of the 案号 is the year of filing. ``agents`` are (agent, represented party) pairs.
    Nothing is saved, and no number consumed, when any field is wrong.

    :raises ValidationFailed: naming every bad field
    """
    filed_on = localdate(at)
    errors = _case_errors(
        type_code=type_code,
        application_received_on=application_received_on,
        filed_on=filed_on,
        amount_claimed=amount_claimed,
        costs=costs,
        basis_issuing_body=basis_issuing_body,
        basis_document_number=basis_document_number,
        basis_effective_on=basis_effective_on,
        basis_kind=basis_kind,
        basis_obligations=basis_obligations,
        applicants=applicants,
        debtors=debtors,
        agents=agents,
    )
    if errors:
        raise ValidationFailed("立案信息有误：" + "；".join(errors.values()) + "。", fields=errors)
    with transaction.atomic():
        number = case_number_issue(court=court, year=filed_on.year, type_code=type_code)
        case = Case.objects.create(
            court=court,
            year=number.year,
            type_code=type_code,
            serial=number.serial,
            number=number.format(),
            status=CaseStatus.FILED,
            status_changed_at=at,
            application_received_on=application_received_on,
            filed_on=filed_on,
            amount_claimed=amount_claimed,
            costs=costs,
            basis_issuing_body=basis_issuing_body.strip(),
            basis_document_number=basis_document_number.strip(),
            basis_effective_on=basis_effective_on,
            basis_kind=basis_kind,
            basis_obligations=basis_obligations.strip(),
            trial_case_number=trial_case_number.strip(),
            # 审限规定 art. 5: 6 months from filing, 3 for a non-litigation basis (the flow deducts exclusions).
            period_ends_on=add_months(
                start=filed_on, months=6 if basis_kind == BasisKind.LITIGATION else 3, calendar=work_calendar()
            ).day,
            created_at=at,
            updated_at=at,
        )
        links = {
            # The list copies (court, filing day, name) let the workbench find a case by party name
            # through one index; a case's court and filing day and a party's name never change.
            (party.pk, role): CaseParty.objects.create(
                case=case,
                party=party,
                role=role,
                list_court_id=case.court_id,
                list_filed_on=case.filed_on,
                list_name=party.name,
            )
            for role, parties in ((PartyRole.APPLICANT, applicants), (PartyRole.DEBTOR, debtors))
            for party in parties
        }
        principal_links = {party_id: link for (party_id, _role), link in links.items()}
        for agent, principal in agents:
            CaseParty.objects.create(
                case=case, party=agent, role=PartyRole.AGENT, agent_of=principal_links[principal.pk]
            )
        record(
            action="cases.case.created",
            at=at,
            actor=actor,
            subject=case,
            case_id=case.pk,
            data={
                "number": case.number,
                "type_code": type_code,
                "amount_claimed": amount_claimed,
                "applicants": [p.pk for p in applicants],
                "debtors": [p.pk for p in debtors],
            },
        )
    return case


@transaction.atomic
def case_transition(*, case: Case, to: CaseStatus, actor: Any, at: datetime, reason: str) -> None:
    """
    Move ``case`` to ``to``, recording the change and its audit entry.

    The row is locked and its status re-read first, so two moves of one case cannot both pass the check.

    :raises TransitionNotAllowed: if the table does not allow the move
    :raises ValidationFailed: if ``reason`` is empty
    """
    if not reason.strip():
        raise ValidationFailed("请填写状态变更的原因。", fields={"reason": "必填"})
    current = Case.objects.select_for_update().only("status").get(pk=case.pk).status
    if to not in CASE_TRANSITIONS[CaseStatus(current)]:
        raise TransitionNotAllowed(case=case, from_status=current, to_status=to)
    case.status, case.status_changed_at, case.updated_at = to, at, at
    case.save(update_fields=["status", "status_changed_at", "updated_at"])
    CaseStatusChange.objects.create(
        case=case, from_status=current, to_status=to, actor=actor, at=at, reason=reason.strip()
    )
    # The execution period does not count a suspension (中止); a closed case leaves the flow. Reported
    # before the audit record, so that flow's row locks come before the court's audit chain, in the
    # order the sweep takes them (no deadlock with a sweep marking this case).
    trigger = {
        CaseStatus.SUSPENDED: AnchorTrigger.SUSPENSION_STARTED,
        CaseStatus.CLOSED: AnchorTrigger.CASE_CLOSED,
        CaseStatus.WITHDRAWN: AnchorTrigger.CASE_CLOSED,
    }.get(CaseStatus(to))
    if current == CaseStatus.SUSPENDED and to == CaseStatus.IN_EXECUTION:
        trigger = AnchorTrigger.SUSPENSION_ENDED
    if trigger is not None:
        node_anchor_record(case_id=case.pk, trigger=trigger, ref=reason.strip()[:96], at=at, actor=actor)
    record(
        action="cases.case.status_changed",
        at=at,
        actor=actor,
        subject=case,
        case_id=case.pk,
        data={"from": current, "to": to, "reason": reason.strip()},
    )
