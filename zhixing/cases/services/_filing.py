"""
Filing (立案) from a :class:`~zhixing.cases.inputs.CaseFilingInput`, and the later edits of a filed case.

``case_file`` is the one entry point of the form, the API, the import and the demo: it checks
everything (the pure rules of ``rules.filing`` plus duplicates and the court's teams and people),
and then registers the parties, issues the 案号, stores the trial's preservations, the limitation
events and the deferral gate, all in one transaction with its audit records — or changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from django.db import transaction
from django.db.models import Q
from django.utils.timezone import localdate

from zhixing.audit.services import record
from zhixing.cases.choices import CaseStatus, DebtorAttitude, PartyRole
from zhixing.cases.inputs import CaseFilingInput, FieldProblem, FilingProblems, PartyInput
from zhixing.cases.models import Case, CaseParty, IntakeDeferral, LimitationEvent, Party, Preservation
from zhixing.cases.rules.filing import amount_field_problem, application_period_end, filing_problems
from zhixing.cases.services._cases import TransitionNotAllowed, case_create, case_transition, party_register
from zhixing.cases.services._triage import case_triage_run
from zhixing.core.crypto import IndexPurpose, blind_index
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.core.field_keys import field_keyring
from zhixing.core.identity import normalize_identifier
from zhixing.courts.models import Membership, Team
from zhixing.courts.rules import Capability, capabilities_of
from zhixing.courts.selectors import work_calendar
from zhixing.flow.choices import AnchorTrigger
from zhixing.flow.services import node_anchor_record

#: A case in these states no longer blocks a new filing of the same judgment.
_FINISHED: Final = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)


def _raise(problems: FilingProblems) -> None:
    fields = {problem.field: problem.message for problem in problems.problems}
    raise ValidationFailed("立案信息有误：" + "；".join(fields.values()) + "。", fields=fields)


def _party_key(party: PartyInput, *, keyring: Any) -> str:
    """Return how a party is matched in the database: the 身份证号's blind index or the 信用代码."""
    if party.id_number.strip():
        index = blind_index(
            keyring=keyring, value=normalize_identifier(party.id_number), purpose=IndexPurpose.RESIDENT_ID
        )
        return f"id:{index}"
    if party.credit_code.strip():
        return f"code:{normalize_identifier(party.credit_code)}"
    return ""


def _stored_key(party: Party) -> str:
    if party.id_number_index:
        return f"id:{party.id_number_index}"
    if party.credit_code:
        return f"code:{party.credit_code}"
    return ""


def _active_memberships(*, court: Any, today: date) -> Any:
    return Membership.objects.filter(
        Q(active_to__isnull=True) | Q(active_to__gt=today), court=court, active_from__lte=today
    )


def _executor_problem(*, court: Any, executor_id: int, today: date) -> str | None:
    roles = {m.role for m in _active_memberships(court=court, today=today).filter(user_id=executor_id)}
    if not roles:
        return "承办人不是本院在职人员"
    if Capability.EXECUTE_CASES not in capabilities_of(frozenset(roles)):
        return "承办人在本院没有执行实施的角色（执行员或团队长）"
    return None


def _team_executor_problems(*, court: Any, team_id: int | None, executor_id: int | None, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id, court=court, is_active=True).first()
        if team is None:
            problems["team_id"] = "承办团队不是本院在用的团队"
    if executor_id is not None and (problem := _executor_problem(court=court, executor_id=executor_id, today=today)):
        problems["executor_id"] = problem
    return problems


def _existing_party_problems(data: CaseFilingInput, *, keyring: Any) -> dict[str, str]:
    """Return the parties whose 身份证号 or 信用代码 is on record under another name or kind (串案 check)."""
    problems: dict[str, str] = {}
    rows = [
        (f"{side}[{index}]", party)
        for side, parties in (("applicants", data.applicants), ("debtors", data.debtors))
        for index, party in enumerate(parties)
    ] + [(f"agents[{index}].agent", agent.agent) for index, agent in enumerate(data.agents)]
    for path, party in rows:
        key = _party_key(party, keyring=keyring)
        if not key:
            continue
        kind, value = key.split(":", 1)
        existing = (
            Party.objects.filter(kind=party.kind, id_number_index=value).first()
            if kind == "id"
            else Party.objects.filter(credit_code=value).first()
        )
        label = "身份证号" if kind == "id" else "统一社会信用代码"
        if existing is not None and existing.kind != party.kind:
            problems[f"{path}.kind"] = (
                f"该{label}已登记为{existing.get_kind_display()}“{existing.name}”，与填写的当事人类型不一致"
            )
        elif existing is not None and existing.name != party.name.strip():
            problems[f"{path}.name"] = (
                f"该{label}已登记为“{existing.name}”，与填写的名称“{party.name.strip()}”不一致，请核对"
            )
    return problems


def _duplicate_of(*, court: Any, data: CaseFilingInput, keyring: Any) -> Case | None:
    """Return an open case of ``court`` on the same basis document with the same applicants and debtors."""
    wanted = {
        PartyRole.APPLICANT: {_party_key(p, keyring=keyring) or f"name:{p.name.strip()}" for p in data.applicants},
        PartyRole.DEBTOR: {_party_key(p, keyring=keyring) or f"name:{p.name.strip()}" for p in data.debtors},
    }
    candidates = (
        Case.objects.filter(court=court, basis_document_number=data.basis_document_number.strip())
        .exclude(status__in=_FINISHED)
        .order_by("pk")
    )
    for case in candidates:
        found: dict[str, set[str]] = {PartyRole.APPLICANT: set(), PartyRole.DEBTOR: set()}
        for link in CaseParty.objects.filter(case=case, role__in=list(found)).select_related("party"):
            found[link.role].add(_stored_key(link.party) or f"name:{link.party.name}")
        if found == wanted:
            return case
    return None


def case_filing_check(*, court: Any, data: CaseFilingInput, today: date) -> FilingProblems:
    """
    Return every problem of filing ``data`` in ``court`` on ``today``: the pure rules, then the database's.

    Adds to :func:`~zhixing.cases.rules.filing.filing_problems`: a party whose number is on record under
    another name or kind; the team and executor must be of ``court`` (the executor with an active role
    that executes cases); and a duplicate — an open case (neither closed nor withdrawn) of ``court`` on
    the same basis document with the same applicants and debtors (matched by the 身份证号's blind index or
    the 信用代码) — named by its 案号 under ``basis_document_number``.
    """
    problems = {p.field: p.message for p in filing_problems(data=data, today=today, calendar=work_calendar()).problems}
    keyring = field_keyring()
    for field, message in _existing_party_problems(data, keyring=keyring).items():
        problems.setdefault(field, message)
    for field, message in _team_executor_problems(
        court=court, team_id=data.team_id, executor_id=data.executor_id, today=today
    ).items():
        problems.setdefault(field, message)
    if data.basis_document_number.strip() and data.applicants and data.debtors:
        duplicate = _duplicate_of(court=court, data=data, keyring=keyring)
        if duplicate is not None:
            problems.setdefault(
                "basis_document_number",
                f"重复立案：本院已有未结案件{duplicate.number}（{duplicate.get_status_display()}），"
                "执行依据文书号和申请执行人、被执行人均相同",
            )
    return FilingProblems(tuple(FieldProblem(field, message) for field, message in problems.items()))


def _register(party: PartyInput, *, court: Any, actor: Any, at: datetime) -> Party:
    registered = party_register(
        kind=party.kind,
        name=party.name,
        id_number=party.id_number,
        credit_code=party.credit_code,
        phone=party.phone,
        address=party.address,
        legal_representative=party.legal_representative,
        court_id=court.pk,
        actor=actor,
        at=at,
    )
    employer = party.employer.strip()
    if (employer and registered.employer != employer) or (party.is_public_servant and not registered.is_public_servant):
        registered.employer = employer or registered.employer
        registered.is_public_servant = registered.is_public_servant or party.is_public_servant
        registered.updated_at = at
        registered.save(update_fields=["employer", "is_public_servant", "updated_at"])
    return registered


def case_file(*, court: Any, data: CaseFilingInput, actor: Any, at: datetime) -> Case:
    """
    File the enforcement case ``data`` in ``court`` on the day of ``at`` and return it.

    In one transaction (the court's row locked, so two clerks cannot file the same judgment twice):
    re-checks everything with :func:`case_filing_check`, registers the parties (audited to the court's
    chain), issues the 案号 and links the parties (``case_create``), sets the performance due date,
    the debtor's attitude, team and executor, stores the preservations and the limitation events, and
    with a deferral gate records the applicant's consent and moves the case to 暂缓立案; otherwise it
    stays 已立案. One ``cases.case.filed`` record lists what came with the filing.

    :raises ValidationFailed: with ``fields`` = {path: Chinese message} for every problem; nothing is saved
    """
    today = localdate(at)
    with transaction.atomic():
        # Serialise filings of one court: the duplicate check and the insert must not interleave.
        type(court)._default_manager.select_for_update().filter(pk=court.pk).first()
        problems = case_filing_check(court=court, data=data, today=today)
        if problems:
            _raise(problems)
        applicants = [_register(p, court=court, actor=actor, at=at) for p in data.applicants]
        debtors = [_register(p, court=court, actor=actor, at=at) for p in data.debtors]
        agents = [
            (
                _register(a.agent, court=court, actor=actor, at=at),
                (applicants if a.principal_role == PartyRole.APPLICANT else debtors)[a.principal_index],
            )
            for a in data.agents
        ]
        case = case_create(
            court=court,
            type_code=data.type_code,
            application_received_on=data.application_received_on,
            amount_claimed=data.amount_claimed,
            basis_issuing_body=data.basis_issuing_body,
            basis_document_number=data.basis_document_number,
            basis_effective_on=data.basis_effective_on,
            basis_kind=data.basis_kind,
            basis_obligations=data.basis_obligations,
            applicants=applicants,
            debtors=debtors,
            agents=agents,
            costs=data.costs,
            trial_case_number=data.trial_case_number,
            actor=actor,
            at=at,
        )
        case.basis_performance_due_on = data.basis_performance_due_on
        case.debtor_attitude = data.debtor_attitude
        case.team_id = data.team_id
        case.executor_id = data.executor_id
        case.save(update_fields=["basis_performance_due_on", "debtor_attitude", "team", "executor"])
        Preservation.objects.bulk_create(
            [
                Preservation(
                    case=case,
                    kind=p.kind,
                    property_description=p.property_description.strip(),
                    location=p.location.strip(),
                    amount=p.amount,
                    ruling_number=p.ruling_number.strip(),
                    active_from=p.active_from,
                    active_to=p.active_to,
                    created_at=at,
                )
                for p in data.preservations
            ]
        )
        LimitationEvent.objects.bulk_create(
            [
                LimitationEvent(
                    case=case,
                    kind=e.kind,
                    occurred_on=e.occurred_on,
                    reason=e.reason.strip(),
                    evidence=e.evidence.strip(),
                )
                for e in data.limitation_events
            ]
        )
        # 繁简分流 on the facts just filed (preservations, attitude, the debtors' other open cases).
        case_triage_run(case=case, actor=actor, at=at)
        period = application_period_end(
            basis_effective_on=data.basis_effective_on,
            performance_due_on=data.basis_performance_due_on,
            events=data.limitation_events,
            calendar=work_calendar(),
        )
        record(
            action="cases.case.filed",
            at=at,
            actor=actor,
            subject=case,
            case_id=case.pk,
            data={
                "number": case.number,
                "basis_performance_due_on": data.basis_performance_due_on,
                "debtor_attitude": data.debtor_attitude,
                "team_id": data.team_id,
                "executor_id": data.executor_id,
                "preservations": len(data.preservations),
                "limitation_events": [e.kind for e in data.limitation_events],
                "application_period_ends_on": period.ends_on,
                "deferred": data.deferral is not None,
            },
        )
        if data.deferral is not None:
            IntakeDeferral.objects.create(
                case=case,
                reason=data.deferral.reason.strip(),
                consent_on=data.deferral.consent_on,
                consent_evidence=data.deferral.consent_evidence.strip(),
                decided_by=actor,
                decided_at=at,
            )
            case_transition(
                case=case,
                to=CaseStatus.DEFERRED,
                actor=actor,
                at=at,
                reason=(
                    f"未发现可供执行的财产，经申请执行人同意暂缓立案（{data.deferral.consent_on.isoformat()}同意，"
                    f"证明：{data.deferral.consent_evidence.strip()}）：{data.deferral.reason.strip()}"
                ),
            )
        # Deadline control (flow): the nodes that run from the application and the filing, the execution
        # period's clock, and the case's entry into the court's routing model.
        node_anchor_record(case_id=case.pk, trigger=AnchorTrigger.APPLICATION_RECEIVED,
                           on=data.application_received_on, at=at, actor=actor)  # fmt: skip
        node_anchor_record(case_id=case.pk, trigger=AnchorTrigger.CASE_FILED, on=case.filed_on, at=at, actor=actor)
        if data.deferral is not None:
            node_anchor_record(case_id=case.pk, trigger=AnchorTrigger.POSTPONEMENT_STARTED, on=case.filed_on,
                               ref="暂缓立案", at=at, actor=actor)  # fmt: skip
        case.refresh_from_db(fields=["team", "executor"])
    return case


# --- edits of a filed case -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Editable:
    label: str
    kind: str  # "amount", "text", "date", "attitude"
    max_length: int = 0
    required: bool = False


#: The fields ``case_update`` may change, with their Chinese names.
CASE_EDITABLE_FIELDS: Final[Mapping[str, _Editable]] = {
    "amount_claimed": _Editable("申请执行标的额", "amount"),
    "costs": _Editable("执行费用", "amount"),
    "basis_issuing_body": _Editable("执行依据作出机关", "text", 100, required=True),
    "basis_document_number": _Editable("执行依据文书号", "text", 100, required=True),
    "basis_obligations": _Editable("执行依据确定的义务", "text", 5000, required=True),
    "basis_effective_on": _Editable("执行依据生效日期", "date"),
    "basis_performance_due_on": _Editable("履行期限届满日期", "date"),
    "trial_case_number": _Editable("原审案号", "text", 64),
    "debtor_attitude": _Editable("被执行人履行态度", "attitude"),
}


def _change_problem(name: str, value: Any) -> str | None:
    spec = CASE_EDITABLE_FIELDS.get(name)
    if spec is None:
        return "该字段不能在此修改"
    if spec.kind == "amount":
        return amount_field_problem(value, spec.label)
    if spec.kind == "text":
        if not isinstance(value, str):
            return f"{spec.label}应为文字"
        if spec.required and not value.strip():
            return f"请填写{spec.label}"
        if len(value.strip()) > spec.max_length:
            return f"{spec.label}不能超过{spec.max_length}个字"
        return None
    if spec.kind == "date":
        if value is None and name == "basis_performance_due_on":
            return None
        return None if isinstance(value, date) else f"{spec.label}应为日期"
    return None if value in DebtorAttitude.values else f"{spec.label}“{value}”无效"


def case_update(*, case: Case, changes: Mapping[str, Any], actor: Any, at: datetime) -> Case:
    """
    Change the editable fields of ``case`` (:data:`CASE_EDITABLE_FIELDS`), recording before and after.

    The dates keep their order (basis effective ≤ performance due ≤ application received) and are not
    in the future. A change to the same values writes nothing and records nothing.

    :raises Conflict: when the case is closed or withdrawn
    :raises ValidationFailed: naming every bad field; nothing is changed
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status in _FINISHED:
            raise Conflict(
                f"案件{locked.number}已{locked.get_status_display().removeprefix('已')}，不能修改。",
                fields={"status": "已结案或已撤回的案件不能修改"},
            )
        errors = {name: problem for name, value in changes.items() if (problem := _change_problem(name, value))}
        cleaned = {
            name: value.strip() if isinstance(value, str) and name != "debtor_attitude" else value
            for name, value in changes.items()
            if name not in errors
        }
        effective = cleaned.get("basis_effective_on", locked.basis_effective_on)
        due = cleaned.get("basis_performance_due_on", locked.basis_performance_due_on)
        if not errors:
            today = localdate(at)
            if effective > today:
                errors["basis_effective_on"] = f"执行依据生效日期{effective.isoformat()}晚于今天"
            elif effective > locked.application_received_on:
                errors["basis_effective_on"] = (
                    f"执行依据生效日期{effective.isoformat()}晚于收到申请日期{locked.application_received_on.isoformat()}"
                )
            if due is not None and due < effective:
                errors["basis_performance_due_on"] = (
                    f"履行期限届满日期{due.isoformat()}早于执行依据生效日期{effective.isoformat()}"
                )
            elif due is not None and due > locked.application_received_on:
                errors["basis_performance_due_on"] = (
                    f"履行期限届满日期{due.isoformat()}晚于收到申请日期{locked.application_received_on.isoformat()}"
                )
        if errors:
            raise ValidationFailed("修改内容有误：" + "；".join(errors.values()) + "。", fields=errors)
        before = {name: getattr(locked, name) for name in cleaned if getattr(locked, name) != cleaned[name]}
        if not before:
            return locked
        after = {name: cleaned[name] for name in before}
        for name, value in after.items():
            setattr(locked, name, Decimal(value) if CASE_EDITABLE_FIELDS[name].kind == "amount" else value)
        locked.updated_at = at
        locked.save(update_fields=[*after, "updated_at"])
        record(
            action="cases.case.updated",
            at=at,
            actor=actor,
            subject=locked,
            case_id=locked.pk,
            before=before,
            after=after,
        )
    return locked


def case_assign(*, case: Case, team: Team | int, executor: Any, actor: Any, at: datetime) -> Case:
    """
    Assign ``case`` to ``team`` and ``executor`` (manual 分案), recording before and after.

    ``team`` and ``executor`` are the objects or their ids (the interfaces pass what the user chose).

    The team must be an active team of the case's court, and the executor must hold, today, a role in
    that court that executes cases (执行员 or 团队长).

    :raises Conflict: when the case is closed or withdrawn
    :raises ValidationFailed: naming ``team_id`` or ``executor_id``; nothing is changed
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status in _FINISHED:
            raise Conflict(f"案件{locked.number}已结案或已撤回，不能分案。", fields={"status": "不能分案"})
        team_id, executor_id = getattr(team, "pk", team), getattr(executor, "pk", executor)
        errors = _team_executor_problems(
            court=locked.court, team_id=team_id, executor_id=executor_id, today=localdate(at)
        )
        if errors:
            raise ValidationFailed("分案有误：" + "；".join(errors.values()) + "。", fields=errors)
        before = {"team_id": locked.team_id, "executor_id": locked.executor_id}
        after = {"team_id": team_id, "executor_id": executor_id}
        if before == after:
            return locked
        locked.team_id, locked.executor_id, locked.updated_at = team_id, executor_id, at
        locked.save(update_fields=["team", "executor", "updated_at"])
        record(
            action="cases.case.assigned",
            at=at,
            actor=actor,
            subject=locked,
            case_id=locked.pk,
            before=before,
            after=after,
        )
    return locked


def case_deferral_end(*, case: Case, actor: Any, at: datetime, reason: str) -> Case:
    """
    End the deferral of ``case`` (暂缓立案 → 执行中): the open deferral is closed at ``at``.

    :raises ValidationFailed: when ``reason`` is empty
    :raises TransitionNotAllowed: when the case is not deferred
    """
    with transaction.atomic():
        current = Case.objects.select_for_update().only("status").get(pk=case.pk).status
        if current != CaseStatus.DEFERRED:
            raise TransitionNotAllowed(case=case, from_status=current, to_status=CaseStatus.IN_EXECUTION)
        case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=actor, at=at, reason=reason)
        IntakeDeferral.objects.filter(case=case, ended_at__isnull=True).update(ended_at=at)
        node_anchor_record(case_id=case.pk, trigger=AnchorTrigger.POSTPONEMENT_ENDED, ref="暂缓立案结束", at=at,
                           actor=actor)  # fmt: skip
    return case
