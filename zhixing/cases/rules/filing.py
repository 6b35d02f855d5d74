"""
What is wrong with a filing (立案), and when the period for applying for execution ends. Pure.

Every check here works on the plain values of :mod:`zhixing.cases.inputs`; the database checks
(duplicates, the team and executor of the court) are in ``services._filing``. Field paths follow the
input: ``debtors[1].id_number``, ``limitation_events[0].occurred_on``; messages are in Chinese and
name the field.

Basis of the application period:

- 《中华人民共和国民事诉讼法》(2023) 第250条: execution is applied for within two years; the period's
  suspension and interruption follow the rules on limitation; it runs from the last day of the
  performance period the legal document sets, or from the day it takes effect when it sets none.
- 《中华人民共和国民法典》 第194条: a cause that prevents the claim in the last six months of the period
  suspends it, and the period ends six months after the cause ends. We count a suspension when its
  cause arose before the period ran out and still existed in the last six months (i.e. it ended
  less than six months before the end); the end then becomes six months after the cause ended.
- 民法典 第195条: an interruption restarts the period from the interruption.
- 民诉法 (2023) 第85条: the first day is not counted, and a last day on a rest day moves to the next
  working day (``zhixing.core.calendar``).

Only the events recorded with evidence are applied, never guessed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from zhixing.cases.choices import (
    BasisKind,
    CaseType,
    ControlKind,
    DebtorAttitude,
    LimitationEventKind,
    PartyKind,
    PartyRole,
)
from zhixing.cases.inputs import (
    CaseFilingInput,
    FieldProblem,
    FilingProblems,
    LimitationEventInput,
    PartyInput,
)
from zhixing.core.calendar import DueDate, WorkCalendar, apply_last_day_rule, corresponding_day
from zhixing.core.identity import credit_code_problem, normalize_identifier, normalize_phone, resident_id_problem
from zhixing.core.money import amount_problem

#: 民诉法 (2023) 第250条: two years.
APPLICATION_PERIOD_MONTHS: Final = 24
#: 民法典 第194条: the last six months, and six months after the cause ends.
SUSPENSION_WINDOW_MONTHS: Final = 6

_UNIT_KINDS: Final = frozenset({PartyKind.LEGAL_PERSON, PartyKind.OTHER_ORGANISATION})
# The valid codes, computed once (``TextChoices.values`` rebuilds its list on every access).
_PARTY_KINDS: Final = frozenset(PartyKind.values)
_CASE_TYPES: Final = frozenset(CaseType.values)
_BASIS_KINDS: Final = frozenset(BasisKind.values)
_DEBTOR_ATTITUDES: Final = frozenset(DebtorAttitude.values)
_CONTROL_KINDS: Final = frozenset(ControlKind.values)
_LIMITATION_EVENT_KINDS: Final = frozenset(LimitationEventKind.values)
_SIDES: Final = {PartyRole.APPLICANT: ("applicants", "申请执行人"), PartyRole.DEBTOR: ("debtors", "被执行人")}


# --- the application period ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AppliedEvent:
    """A recorded event that moved the end of the period, and how."""

    kind: str
    occurred_on: date
    ended_on: date | None  # the end of a suspension's cause
    nominal_end: date  # the period's last day by counting after this event

    def describe(self) -> str:
        """Return the event in Chinese, e.g. ``2025-01-05时效中断``."""
        if self.kind == LimitationEventKind.INTERRUPTION:
            return f"{self.occurred_on.isoformat()}时效中断"
        assert self.ended_on is not None
        return f"{self.occurred_on.isoformat()}至{self.ended_on.isoformat()}时效中止"


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationPeriod:
    """The two-year period for applying for execution: where it started and where it ends."""

    starts_on: date  # the day counting starts from (not itself counted)
    end: DueDate  # after the last-day rule
    applied: tuple[AppliedEvent, ...]

    @property
    def ends_on(self) -> date:
        """Return the last day on which the application may be received."""
        return self.end.day

    def describe_applied(self) -> str:
        """Return the applied events in Chinese, or ``未计入时效中止、中断事由``."""
        if not self.applied:
            return "未计入时效中止、中断事由"
        return "已计入" + "、".join(event.describe() for event in self.applied)


def _months(day: date, months: int) -> date:
    return corresponding_day(start=day, months=months)


def application_period_end(
    *,
    basis_effective_on: date,
    performance_due_on: date | None,
    events: tuple[LimitationEventInput, ...],
    calendar: WorkCalendar,
) -> ApplicationPeriod:
    """
    Return the end of the two-year period for applying for execution, applying the recorded events.

    Counting starts after the last day of performance (``performance_due_on``), or after the basis took
    effect when it sets none, and runs 24 months (民诉法 (2023) 第250条, 第85条; 民法典 第202条).
    The events are applied in the order of the day they take effect (an interruption on its day, a
    suspension on the day its cause ends), each only while the period has not run out:

    - 时效中断 on day *d*: the period restarts from *d* (民法典 第195条); a restart never ends earlier
      than the period already did.
    - 时效中止 from *s* to *e*: counted when *s* is not after the end and the cause still existed in the
      last six months, i.e. *e* + 6 months is after the end; the period then ends 6 months after *e*
      (民法典 第194条).

    The events must be complete (every ``suspension_start`` followed by its ``suspension_end``); an
    unmatched start or end is ignored here and reported by :func:`filing_problems`.
    The last-day rule applies to the final end only.
    """
    starts_on = performance_due_on or basis_effective_on
    nominal = _months(starts_on, APPLICATION_PERIOD_MONTHS)
    steps: list[tuple[date, int, str, date, date | None]] = []
    open_start: date | None = None
    for index, event in enumerate(events):
        if event.kind == LimitationEventKind.INTERRUPTION:
            steps.append((event.occurred_on, index, event.kind, event.occurred_on, None))
        elif event.kind == LimitationEventKind.SUSPENSION_START:
            open_start = event.occurred_on
        elif event.kind == LimitationEventKind.SUSPENSION_END and open_start is not None:
            steps.append(
                (event.occurred_on, index, LimitationEventKind.SUSPENSION_START, open_start, event.occurred_on)
            )
            open_start = None
    applied: list[AppliedEvent] = []
    for _key, _index, kind, occurred_on, ended_on in sorted(steps):
        if occurred_on > nominal or (occurred_on < starts_on and kind == LimitationEventKind.INTERRUPTION):
            continue
        if ended_on is None:
            candidate = _months(occurred_on, APPLICATION_PERIOD_MONTHS)
        else:
            candidate = _months(ended_on, SUSPENSION_WINDOW_MONTHS)
        if candidate > nominal:
            nominal = candidate
            applied.append(AppliedEvent(kind=kind, occurred_on=occurred_on, ended_on=ended_on, nominal_end=nominal))
    return ApplicationPeriod(
        starts_on=starts_on, end=apply_last_day_rule(day=nominal, calendar=calendar), applied=tuple(applied)
    )


# --- the problems of a filing ----------------------------------------------------------------------


class _Problems:
    """Collects problems, one per field path (the first wins)."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.items.setdefault(field, message)

    def has_prefix(self, prefix: str) -> bool:
        return any(key == prefix or key.startswith((prefix + ".", prefix + "[")) for key in self.items)

    def result(self) -> FilingProblems:
        return FilingProblems(tuple(FieldProblem(field, message) for field, message in self.items.items()))


def amount_field_problem(value: object, label: str) -> str | None:
    """Return why ``value`` is not an amount (a Decimal ≥ 0 with at most two decimals), naming ``label``."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"{label}应为金额数字"
    problem = amount_problem(f"{value:f}")
    return f"{label}：{problem}" if problem else None


def _text(problems: _Problems, field: str, value: str, label: str, *, max_length: int, required: bool) -> None:
    text = value.strip()
    if required and not text:
        problems.add(field, f"请填写{label}")
    elif len(text) > max_length:
        problems.add(field, f"{label}不能超过{max_length}个字（现为{len(text)}个字）")


def _not_future(problems: _Problems, field: str, value: date, label: str, today: date) -> bool:
    if value > today:
        problems.add(field, f"{label}{value.isoformat()}晚于今天（{today.isoformat()}）")
        return False
    return True


def party_identity(party: PartyInput) -> str:
    """Return the key that identifies ``party`` across sides (身份证号 or 信用代码, normalised), or ``""``."""
    if party.id_number.strip():
        return "id:" + normalize_identifier(party.id_number)
    if party.credit_code.strip():
        return "code:" + normalize_identifier(party.credit_code)
    return ""


def _party_problems(problems: _Problems, path: str, label: str, party: PartyInput, today: date) -> None:
    if party.kind not in _PARTY_KINDS:
        problems.add(f"{path}.kind", f"{label}的当事人类型“{party.kind}”无效，请选择自然人、法人或非法人组织")
    _text(problems, f"{path}.name", party.name, f"{label}的姓名或名称", max_length=100, required=True)
    _text(problems, f"{path}.address", party.address, f"{label}的住所地", max_length=200, required=False)
    _text(problems, f"{path}.employer", party.employer, f"{label}的工作单位", max_length=100, required=False)
    _text(
        problems,
        f"{path}.legal_representative",
        party.legal_representative,
        f"{label}的法定代表人",
        max_length=50,
        required=False,
    )
    if party.id_number.strip():
        if party.kind in _UNIT_KINDS:
            problems.add(f"{path}.id_number", f"{label}是单位，不填身份证号，请填写统一社会信用代码")
        elif problem := resident_id_problem(value=party.id_number, today=today):
            problems.add(f"{path}.id_number", f"{label}的{problem}")
    if party.credit_code.strip():
        if party.kind == PartyKind.NATURAL_PERSON:
            problems.add(f"{path}.credit_code", f"{label}是自然人，不填统一社会信用代码，请填写身份证号")
        elif problem := credit_code_problem(value=party.credit_code):
            problems.add(f"{path}.credit_code", f"{label}的{problem}")
    if party.phone.strip() and not 7 <= len(normalize_phone(party.phone)) <= 15:
        problems.add(f"{path}.phone", f"{label}的联系电话“{party.phone.strip()}”不是有效的电话号码")
    if party.is_public_servant and party.kind != PartyKind.NATURAL_PERSON:
        problems.add(f"{path}.is_public_servant", f"{label}是单位，不能标记为公职人员")


def _case_problems(problems: _Problems, data: CaseFilingInput, today: date) -> None:
    if data.type_code not in _CASE_TYPES:
        problems.add("type_code", f"案件类型“{data.type_code}”不是执行案件类型代字")
    if data.basis_kind not in _BASIS_KINDS:
        problems.add("basis_kind", "请选择执行依据类别（诉讼类或非诉讼类）")
    if data.debtor_attitude not in _DEBTOR_ATTITUDES:
        problems.add("debtor_attitude", f"被执行人履行态度“{data.debtor_attitude}”无效")
    for field, value, label in (
        ("amount_claimed", data.amount_claimed, "申请执行标的额"),
        ("costs", data.costs, "执行费用"),
    ):
        if problem := amount_field_problem(value, label):
            problems.add(field, problem)
    _text(problems, "basis_issuing_body", data.basis_issuing_body, "执行依据作出机关", max_length=100, required=True)
    _text(
        problems, "basis_document_number", data.basis_document_number, "执行依据文书号", max_length=100, required=True
    )
    _text(problems, "basis_obligations", data.basis_obligations, "执行依据确定的义务", max_length=5000, required=True)
    _text(problems, "trial_case_number", data.trial_case_number, "原审案号", max_length=64, required=False)


def _date_problems(problems: _Problems, data: CaseFilingInput, today: date) -> None:
    effective_ok = _not_future(problems, "basis_effective_on", data.basis_effective_on, "执行依据生效日期", today)
    received_ok = _not_future(problems, "application_received_on", data.application_received_on, "收到申请日期", today)
    due = data.basis_performance_due_on
    if due is not None:
        if due < data.basis_effective_on:
            problems.add(
                "basis_performance_due_on",
                f"履行期限届满日期{due.isoformat()}早于执行依据生效日期{data.basis_effective_on.isoformat()}",
            )
        elif received_ok and due > data.application_received_on:
            problems.add(
                "basis_performance_due_on",
                f"履行期限届满日期{due.isoformat()}晚于收到申请日期{data.application_received_on.isoformat()}："
                "履行期限届满前不能申请执行",
            )
    if effective_ok and received_ok and data.basis_effective_on > data.application_received_on:
        problems.add(
            "application_received_on",
            f"收到申请日期{data.application_received_on.isoformat()}早于执行依据生效日期"
            f"{data.basis_effective_on.isoformat()}",
        )


def _party_side_problems(problems: _Problems, data: CaseFilingInput, today: date) -> None:
    if not data.applicants:
        problems.add("applicants", "至少需要一名申请执行人")
    if not data.debtors:
        problems.add("debtors", "至少需要一名被执行人")
    sides: dict[str, dict[str, int]] = {}
    for role, parties in ((PartyRole.APPLICANT, data.applicants), (PartyRole.DEBTOR, data.debtors)):
        key, label = _SIDES[role]
        seen: dict[str, int] = {}
        for index, party in enumerate(parties):
            path, party_label = f"{key}[{index}]", f"{label}{index + 1}"
            _party_problems(problems, path, party_label, party, today)
            identity = party_identity(party)
            if identity and not problems.has_prefix(path):
                if identity in seen:
                    problems.add(
                        f"{path}.name", f"{party_label}与{label}{seen[identity] + 1}是同一当事人，请勿重复填写"
                    )
                else:
                    seen[identity] = index
        sides[key] = seen
    for identity, index in sides["debtors"].items():
        if identity in sides["applicants"]:
            field = "id_number" if identity.startswith("id:") else "credit_code"
            problems.add(
                f"debtors[{index}].{field}",
                f"被执行人{index + 1}与申请执行人{sides['applicants'][identity] + 1}是同一当事人："
                "同一当事人不能既是申请执行人又是被执行人",
            )
    principals = set(sides["applicants"]) | set(sides["debtors"])
    for index, agent in enumerate(data.agents):
        path, label = f"agents[{index}]", f"委托代理人{index + 1}"
        _party_problems(problems, f"{path}.agent", label, agent.agent, today)
        side = _SIDES.get(PartyRole(agent.principal_role)) if agent.principal_role in _SIDES else None
        if side is None:
            problems.add(f"{path}.principal_role", f"{label}的被代理人应为申请执行人或被执行人")
        else:
            count = len(data.applicants if agent.principal_role == PartyRole.APPLICANT else data.debtors)
            if not 0 <= agent.principal_index < count:
                problems.add(
                    f"{path}.principal_index",
                    f"{label}的被代理人“{side[1]}{agent.principal_index + 1}”不存在（本案共{count}名{side[1]}）",
                )
        identity = party_identity(agent.agent)
        if identity and identity in principals:
            problems.add(f"{path}.agent.name", f"{label}是本案当事人，不能同时担任委托代理人")


def _preservation_problems(problems: _Problems, data: CaseFilingInput) -> None:
    for index, item in enumerate(data.preservations):
        path, label = f"preservations[{index}]", f"保全措施{index + 1}"
        if item.kind not in _CONTROL_KINDS:
            problems.add(f"{path}.kind", f"{label}的措施“{item.kind}”无效，请选择冻结、查封或扣押")
        _text(
            problems,
            f"{path}.property_description",
            item.property_description,
            f"{label}的财产",
            max_length=200,
            required=True,
        )
        _text(
            problems, f"{path}.location", item.location, f"{label}的财产所在地或协助单位", max_length=200, required=True
        )
        _text(
            problems,
            f"{path}.ruling_number",
            item.ruling_number,
            f"{label}的保全裁定书号",
            max_length=100,
            required=False,
        )
        if item.active_to <= item.active_from:
            problems.add(
                f"{path}.active_to",
                f"{label}的届满日期{item.active_to.isoformat()}应晚于起始日期{item.active_from.isoformat()}",
            )
        if item.amount is not None and (problem := amount_field_problem(item.amount, f"{label}的保全金额")):
            problems.add(f"{path}.amount", problem)


def _limitation_problems(problems: _Problems, data: CaseFilingInput, today: date) -> None:
    previous: date | None = None
    open_start: int | None = None
    for index, event in enumerate(data.limitation_events):
        path, label = f"limitation_events[{index}]", f"时效事由{index + 1}"
        if event.kind not in _LIMITATION_EVENT_KINDS:
            problems.add(f"{path}.kind", f"{label}的类型“{event.kind}”无效")
            continue
        _text(problems, f"{path}.reason", event.reason, f"{label}的事由", max_length=200, required=True)
        _text(problems, f"{path}.evidence", event.evidence, f"{label}的证据", max_length=200, required=True)
        day = event.occurred_on
        if _not_future(problems, f"{path}.occurred_on", day, f"{label}的发生日期", today):
            if day < data.basis_effective_on:
                problems.add(
                    f"{path}.occurred_on",
                    f"{label}的发生日期{day.isoformat()}早于执行依据生效日期{data.basis_effective_on.isoformat()}",
                )
            elif day > data.application_received_on:
                problems.add(
                    f"{path}.occurred_on",
                    f"{label}的发生日期{day.isoformat()}晚于收到申请日期{data.application_received_on.isoformat()}",
                )
            elif previous is not None and day < previous:
                problems.add(f"{path}.occurred_on", f"{label}的发生日期{day.isoformat()}早于上一事由，请按时间顺序填写")
        previous = day if previous is None else max(previous, day)
        if event.kind == LimitationEventKind.SUSPENSION_START:
            if open_start is not None:
                problems.add(f"{path}.kind", f"{label}：上一时效中止（事由{open_start + 1}）尚未填写事由消除日期")
            open_start = index
        elif event.kind == LimitationEventKind.SUSPENSION_END:
            if open_start is None:
                problems.add(f"{path}.kind", f"{label}：时效中止事由消除之前没有对应的时效中止开始")
            open_start = None
    if open_start is not None:
        problems.add(
            f"limitation_events[{open_start}].kind",
            f"时效事由{open_start + 1}：时效中止开始后缺少“时效中止事由消除”，请补充事由消除的日期和证据",
        )


def _deferral_problems(problems: _Problems, data: CaseFilingInput, today: date) -> None:
    deferral = data.deferral
    if deferral is None:
        return
    _text(problems, "deferral.reason", deferral.reason, "暂缓立案的理由", max_length=5000, required=True)
    _text(
        problems,
        "deferral.consent_evidence",
        deferral.consent_evidence,
        "申请执行人同意的证明",
        max_length=200,
        required=True,
    )
    consent_ok = _not_future(problems, "deferral.consent_on", deferral.consent_on, "申请执行人同意日期", today)
    if consent_ok and deferral.consent_on < data.application_received_on:
        problems.add(
            "deferral.consent_on",
            f"申请执行人同意日期{deferral.consent_on.isoformat()}早于收到申请日期"
            f"{data.application_received_on.isoformat()}",
        )


def filing_problems(*, data: CaseFilingInput, today: date, calendar: WorkCalendar) -> FilingProblems:
    """
    Return every problem of the filing ``data`` on ``today``, each with its field path and a Chinese message.

    Checks the case fields (type, basis, amounts ≥ 0 with at most two decimals), the dates (none in
    the future; basis effective ≤ performance due ≤ application received), the parties (at least one
    applicant and one debtor; 身份证号 and 统一社会信用代码 by GB 11643 / GB 32100; no party on both sides
    or twice on one side), the agents (their principal exists and is not themselves), the
    preservations (a non-empty period), the limitation events (valid, in order, every suspension
    closed, each with reason and evidence), the deferral gate (consent not in the future, with
    evidence) and, when all of that holds, the two-year application period (民诉法 (2023) 第250条).
    """
    problems = _Problems()
    _case_problems(problems, data, today)
    _date_problems(problems, data, today)
    _party_side_problems(problems, data, today)
    _preservation_problems(problems, data)
    _limitation_problems(problems, data, today)
    _deferral_problems(problems, data, today)
    dates_ok = not any(
        problems.has_prefix(prefix)
        for prefix in ("basis_effective_on", "basis_performance_due_on", "application_received_on", "limitation_events")
    )
    if dates_ok:
        period = application_period_end(
            basis_effective_on=data.basis_effective_on,
            performance_due_on=data.basis_performance_due_on,
            events=data.limitation_events,
            calendar=calendar,
        )
        if data.application_received_on > period.ends_on:
            problems.add(
                "application_received_on",
                f"收到申请日期{data.application_received_on.isoformat()}已超过申请执行期间：该期间自"
                f"{period.starts_on.isoformat()}起算二年，于{period.ends_on.isoformat()}届满（{period.describe_applied()}）"
                "（民事诉讼法第二百五十条）",
            )
    return problems.result()
