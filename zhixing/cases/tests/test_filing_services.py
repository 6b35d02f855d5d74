"""Filing through case_file: duplicates, deferral, team and executor; case_update, case_assign, deferral end."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from zhixing.cases.choices import CaseStatus, LimitationEventKind, PartyRole
from zhixing.cases.inputs import (
    AgentInput,
    CaseFilingInput,
    DeferralInput,
    LimitationEventInput,
    PartyInput,
    PreservationInput,
)
from zhixing.cases.models import Case, CaseParty, IntakeDeferral, LimitationEvent, Party, Preservation
from zhixing.cases.services import (
    TransitionNotAllowed,
    case_assign,
    case_deferral_end,
    case_file,
    case_filing_check,
    case_transition,
    case_update,
)
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.courts.choices import Role
from zhixing.courts.services import team_create, team_kind_ensure

from .conftest import ADULT_ID, CREDIT_CODE

LAWYER_ID = "11010519491231002X"
BANK = PartyInput(kind="legal_person", name="温县农村商业银行股份有限公司", credit_code=CREDIT_CODE)
ZHANG = PartyInput(
    kind="natural_person", name="张三", id_number=ADULT_ID, employer="温县教育局", is_public_servant=True
)


def filing(**overrides: object) -> CaseFilingInput:
    fields: dict[str, object] = {
        "type_code": "执",
        "application_received_on": date(2026, 11, 20),
        "amount_claimed": Decimal("100000.00"),
        "basis_issuing_body": "温县人民法院",
        "basis_document_number": "（2026）豫0825民初100号",
        "basis_effective_on": date(2026, 9, 1),
        "basis_kind": "litigation",
        "basis_obligations": "被告张三偿还原告借款100000元。",
        "applicants": (BANK,),
        "debtors": (ZHANG,),
    }
    fields.update(overrides)
    return CaseFilingInput(**fields)


@pytest.fixture
def team(courts, at):
    kind = team_kind_ensure(code="quick", name="快执团队", description="", sort_order=1, actor=None, at=at)
    return team_create(court=courts.wenxian, kind=kind, name="快执一组", actor=None, at=at)


@pytest.fixture
def other_team(courts, at, team):
    return team_create(court=courts.wuzhi, kind=team.kind, name="武陟快执组", actor=None, at=at)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Case, Party, CaseParty, Preservation, LimitationEvent, IntakeDeferral)
    )


@pytest.mark.django_db
def test_case_file_stores_everything_and_audits_to_the_court(courts, at, audit_rows, team, make_staff):
    executor = make_staff(courts.wenxian, Role.EXECUTOR, team=team)
    lawyer = PartyInput(kind="natural_person", name="王律师", id_number=LAWYER_ID)
    data = filing(
        basis_performance_due_on=date(2026, 9, 11),
        debtor_attitude="cooperative",
        trial_case_number="（2026）豫0825民初100号",
        agents=(AgentInput(agent=lawyer, principal_role=PartyRole.APPLICANT, principal_index=0),),
        preservations=(
            PreservationInput(
                kind="freeze",
                property_description="银行存款",
                location="温县农商行",
                active_from=date(2026, 6, 1),
                active_to=date(2027, 6, 1),
                amount=Decimal("50000.00"),
            ),
        ),
        limitation_events=(
            LimitationEventInput(
                kind=LimitationEventKind.INTERRUPTION, occurred_on=date(2026, 10, 1), reason="催告", evidence="催款函"
            ),
        ),
        team_id=team.pk,
        executor_id=executor.pk,
    )

    case = case_file(court=courts.wenxian, data=data, actor=None, at=at)

    case.refresh_from_db()
    assert case.number == "（2026）豫0825执1号"
    assert case.status == CaseStatus.FILED
    assert (case.basis_performance_due_on, case.debtor_attitude) == (date(2026, 9, 11), "cooperative")
    assert (case.team_id, case.executor_id) == (team.pk, executor.pk)
    assert list(case.preservations.values_list("kind", "amount")) == [("freeze", Decimal("50000.00"))]
    assert list(case.limitation_events.values_list("kind", "occurred_on")) == [("interruption", date(2026, 10, 1))]
    zhang = Party.objects.get(name="张三")
    assert (zhang.employer, zhang.is_public_servant) == ("温县教育局", True)
    agent_link = CaseParty.objects.get(case=case, role=PartyRole.AGENT)
    assert (agent_link.party.name, agent_link.agent_of.party.name) == ("王律师", "温县农村商业银行股份有限公司")
    assert {row["court_id"] for row in audit_rows("cases.party.created")} == {courts.wenxian.pk}
    assert len(audit_rows("cases.party.created")) == 3
    [filed] = audit_rows("cases.case.filed")
    assert (filed["case_id"], filed["court_id"]) == (case.pk, courts.wenxian.pk)
    assert json.loads(filed["data"])["application_period_ends_on"] == "2028-10-02"


@pytest.mark.django_db
def test_case_file_refuses_every_problem_and_saves_nothing(courts, at, audit_rows):
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        case_file(
            court=courts.wenxian,
            data=filing(amount_claimed=Decimal("1.234"), debtors=(), team_id=999999),
            actor=None,
            at=at,
        )

    assert refused.value.fields == {
        "amount_claimed": "申请执行标的额：金额“1.234”超过两位小数：金额最多精确到分",
        "debtors": "至少需要一名被执行人",
        "team_id": "承办团队不是本院在用的团队",
    }
    assert counts() == before
    assert audit_rows("cases.case.created") == []
    assert audit_rows("cases.party.created") == []


@pytest.mark.django_db
def test_a_duplicate_open_case_is_refused_naming_its_number(courts, at, audit_rows):
    first = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    before = counts()
    audit_before = len(audit_rows())

    with pytest.raises(ValidationFailed) as refused:
        case_file(court=courts.wenxian, data=filing(amount_claimed=Decimal("5.00")), actor=None, at=at)

    assert refused.value.fields == {
        "basis_document_number": "重复立案：本院已有未结案件（2026）豫0825执1号（已立案），"
        "执行依据文书号和申请执行人、被执行人均相同"
    }
    assert first.number == "（2026）豫0825执1号"
    assert counts() == before
    assert len(audit_rows()) == audit_before


@pytest.mark.django_db
def test_the_same_judgment_may_be_filed_again_after_withdrawal_or_in_another_court(courts, at):
    first = case_file(court=courts.wenxian, data=filing(deferral=_deferral()), actor=None, at=at)
    case_transition(case=first, to=CaseStatus.WITHDRAWN, actor=None, at=at, reason="申请执行人撤回申请")

    again = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    elsewhere = case_file(court=courts.wuzhi, data=filing(), actor=None, at=at)

    assert (again.number, elsewhere.number) == ("（2026）豫0825执2号", "（2026）豫0823执1号")


@pytest.mark.django_db
def test_other_debtors_are_not_a_duplicate(courts, at):
    case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    other = PartyInput(kind="natural_person", name="李四", id_number=LAWYER_ID)

    assert not case_filing_check(court=courts.wenxian, data=filing(debtors=(other,)), today=date(2026, 11, 23))


@pytest.mark.django_db
def test_a_party_number_on_record_under_another_name_is_a_problem(courts, at):
    case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    renamed = PartyInput(kind="natural_person", name="张叁", id_number=ADULT_ID)

    problems = case_filing_check(
        court=courts.wenxian, data=filing(debtors=(renamed,), basis_document_number="X"), today=date(2026, 11, 23)
    )

    assert {p.field: p.message for p in problems.problems} == {
        "debtors[0].name": "该身份证号已登记为“张三”，与填写的名称“张叁”不一致，请核对"
    }


def _deferral() -> DeferralInput:
    return DeferralInput(
        reason="经网络查控未发现可供执行的财产", consent_on=date(2026, 11, 21), consent_evidence="同意书"
    )


@pytest.mark.django_db
def test_deferral_with_consent_defers_the_case(courts, at, make_staff, audit_rows):
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK)

    case = case_file(court=courts.wenxian, data=filing(deferral=_deferral()), actor=clerk, at=at)

    case.refresh_from_db()
    assert case.status == CaseStatus.DEFERRED
    deferral = IntakeDeferral.objects.get(case=case)
    assert (deferral.consent_on, deferral.consent_evidence, deferral.decided_by_id, deferral.ended_at) == (
        date(2026, 11, 21),
        "同意书",
        clerk.pk,
        None,
    )
    [change] = audit_rows("cases.case.status_changed")
    assert json.loads(change["data"])["to"] == "deferred"
    assert "经申请执行人同意暂缓立案（2026-11-21同意，证明：同意书）" in json.loads(change["data"])["reason"]


@pytest.mark.django_db
def test_deferral_end_moves_the_case_into_execution(courts, at):
    case = case_file(court=courts.wenxian, data=filing(deferral=_deferral()), actor=None, at=at)
    later = datetime(2026, 12, 1, 9, 0, tzinfo=at.tzinfo)

    case_deferral_end(case=case, actor=None, at=later, reason="发现被执行人名下车辆")

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_EXECUTION
    assert IntakeDeferral.objects.get(case=case).ended_at == later


@pytest.mark.django_db
def test_deferral_end_refuses_a_case_that_is_not_deferred(courts, at):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)

    with pytest.raises(TransitionNotAllowed):
        case_deferral_end(case=case, actor=None, at=at, reason="x")

    case.refresh_from_db()
    assert case.status == CaseStatus.FILED


@pytest.mark.django_db
def test_case_update_records_before_and_after(courts, at, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)

    case_update(
        case=case,
        changes={"amount_claimed": Decimal("120000.50"), "debtor_attitude": "evasive", "costs": Decimal("0.00")},
        actor=None,
        at=at,
    )

    case.refresh_from_db()
    assert (case.amount_claimed, case.debtor_attitude) == (Decimal("120000.50"), "evasive")
    [row] = audit_rows("cases.case.updated")
    assert json.loads(row["data"])["before"] == {"amount_claimed": "100000.00", "debtor_attitude": "unknown"}
    assert json.loads(row["data"])["after"] == {"amount_claimed": "120000.50", "debtor_attitude": "evasive"}


@pytest.mark.django_db
def test_case_update_refuses_bad_values_and_changes_nothing(courts, at, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)

    with pytest.raises(ValidationFailed) as refused:
        case_update(
            case=case,
            changes={"amount_claimed": Decimal("-1"), "basis_document_number": "", "status": "closed"},
            actor=None,
            at=at,
        )

    assert refused.value.fields == {
        "amount_claimed": "申请执行标的额：金额“-1”不能为负数",
        "basis_document_number": "请填写执行依据文书号",
        "status": "该字段不能在此修改",
    }
    case.refresh_from_db()
    assert (case.amount_claimed, case.basis_document_number) == (Decimal("100000.00"), "（2026）豫0825民初100号")
    assert audit_rows("cases.case.updated") == []


@pytest.mark.django_db
def test_case_update_refuses_a_closed_case(courts, at, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(deferral=_deferral()), actor=None, at=at)
    case_transition(case=case, to=CaseStatus.WITHDRAWN, actor=None, at=at, reason="撤回")

    with pytest.raises(Conflict):
        case_update(case=case, changes={"amount_claimed": Decimal("1.00")}, actor=None, at=at)

    case.refresh_from_db()
    assert case.amount_claimed == Decimal("100000.00")
    assert audit_rows("cases.case.updated") == []


@pytest.mark.django_db
def test_case_assign_sets_team_and_executor(courts, at, team, make_staff, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    executor = make_staff(courts.wenxian, Role.EXECUTOR, team=team)

    case_assign(case=case, team=team, executor=executor, actor=None, at=at)

    case.refresh_from_db()
    assert (case.team_id, case.executor_id) == (team.pk, executor.pk)
    [row] = audit_rows("cases.case.assigned")
    assert (json.loads(row["data"])["before"], json.loads(row["data"])["after"]) == (
        {"team_id": None, "executor_id": None},
        {"team_id": team.pk, "executor_id": executor.pk},
    )


@pytest.mark.django_db
def test_case_assign_refuses_another_courts_team_and_a_non_executor(courts, at, other_team, make_staff, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK)
    outsider = make_staff(courts.wuzhi, Role.EXECUTOR)

    with pytest.raises(ValidationFailed) as refused:
        case_assign(case=case, team=other_team, executor=clerk, actor=None, at=at)
    with pytest.raises(ValidationFailed) as refused_outsider:
        case_assign(case=case, team=other_team, executor=outsider, actor=None, at=at)

    assert refused.value.fields == {
        "team_id": "承办团队不是本院在用的团队",
        "executor_id": "承办人在本院没有执行实施的角色（执行员或团队长）",
    }
    assert refused_outsider.value.fields["executor_id"] == "承办人不是本院在职人员"
    case.refresh_from_db()
    assert (case.team_id, case.executor_id) == (None, None)
    assert audit_rows("cases.case.assigned") == []


@pytest.mark.django_db
def test_filing_runs_triage_and_records_why(courts, make_staff, at):
    from zhixing.cases.choices import TriageClass

    clerk = make_staff(courts.wenxian, "filing_clerk")

    case = case_file(court=courts.wenxian, data=filing(amount_claimed=Decimal("8000.00")), actor=clerk, at=at)

    case.refresh_from_db()
    assert case.triage_class == TriageClass.SIMPLE
    decision = case.triages.get()
    assert [rule["code"] for rule in decision.fired_rules] == ["amount_under_threshold"]
    assert decision.facts["amount_claimed"] == str(Decimal("8000.00"))
