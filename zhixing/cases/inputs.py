"""
What a filing is made of, as plain values.

The one input shape shared by the filing form, the API, the Excel import and the demo generator, so
that all of them go through the same validation.

Values are already typed (dates, Decimals); the interfaces parse text into these and report their own
parsing errors with the same field names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PartyInput:
    """A party as entered: a natural person by 身份证号, a unit by 统一社会信用代码."""

    kind: str  # PartyKind value
    name: str
    id_number: str = ""
    credit_code: str = ""
    phone: str = ""
    address: str = ""
    legal_representative: str = ""
    employer: str = ""
    is_public_servant: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentInput:
    """An agent (委托代理人) and the index, in applicants or debtors, of the party they act for."""

    agent: PartyInput
    principal_role: str  # PartyRole.APPLICANT or PartyRole.DEBTOR
    principal_index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PreservationInput:
    """A preservation measure taken during trial (保全) and carried into enforcement."""

    kind: str  # ControlKind value
    property_description: str
    location: str
    active_from: date
    active_to: date
    amount: Decimal | None = None
    ruling_number: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LimitationEventInput:
    """An event that suspends or interrupts the two-year application period, with its evidence."""

    kind: str  # LimitationEventKind value
    occurred_on: date
    reason: str
    evidence: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeferralInput:
    """The asset-verification gate: no execution conditions found, deferred with the applicant's consent."""

    reason: str
    consent_on: date
    consent_evidence: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseFilingInput:
    """Everything a clerk enters to file an enforcement case (立案)."""

    type_code: str  # CaseType value
    application_received_on: date
    amount_claimed: Decimal
    basis_issuing_body: str
    basis_document_number: str
    basis_effective_on: date
    basis_kind: str  # BasisKind value
    basis_obligations: str
    applicants: tuple[PartyInput, ...]
    debtors: tuple[PartyInput, ...]
    agents: tuple[AgentInput, ...] = ()
    costs: Decimal = Decimal("0.00")
    basis_performance_due_on: date | None = None
    trial_case_number: str = ""
    debtor_attitude: str = "unknown"  # DebtorAttitude value
    preservations: tuple[PreservationInput, ...] = ()
    limitation_events: tuple[LimitationEventInput, ...] = ()
    deferral: DeferralInput | None = None
    team_id: int | None = None
    executor_id: int | None = None


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with an input: the field's path (``debtors[1].id_number``) and the reason in Chinese."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class FilingProblems:
    """Every problem of one filing; empty means it may be filed."""

    problems: tuple[FieldProblem, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.problems)
