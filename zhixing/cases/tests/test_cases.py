"""Filing a case (minimal) and moving its status per the transition table."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from zhixing.cases.choices import CaseStatus, PartyKind, PartyRole
from zhixing.cases.models import Case, CaseNumberSequence, CaseParty, CaseStatusChange
from zhixing.cases.selectors import case_get
from zhixing.cases.services import TransitionNotAllowed, case_transition, party_register
from zhixing.core.errors import ValidationFailed
from zhixing.courts.access import court_scope_for
from zhixing.courts.choices import Role


@pytest.mark.django_db
def test_filing_issues_the_number_links_parties_and_audits(courts, file_case, applicant, debtor, at, audit_rows):
    case = file_case(courts.wenxian)

    case.refresh_from_db()
    assert case.number == "（2026）豫0825执1号"
    assert (case.year, case.type_code, case.serial) == (2026, "执", 1)
    assert case.status == CaseStatus.FILED
    assert case.filed_on == date(2026, 11, 23)
    assert case.amount_claimed == Decimal("100000.00")
    assert sorted(CaseParty.objects.filter(case=case).values_list("party_id", "role")) == sorted(
        [(applicant.pk, PartyRole.APPLICANT), (debtor.pk, PartyRole.DEBTOR)]
    )
    [row] = audit_rows("cases.case.created")
    assert row["case_id"] == case.pk
    assert row["court_id"] == courts.wenxian.pk
    assert row["subject_label"] == "（2026）豫0825执1号"
    assert "（2026）豫0825执1号" in row["data"]


@pytest.mark.django_db
def test_same_debtor_in_two_cases_is_one_party(courts, file_case, at):
    first = file_case(courts.wenxian)
    again = party_register(
        kind=PartyKind.NATURAL_PERSON, name="张三", id_number="410105198005175011", actor=None, at=at
    )
    second = file_case(courts.wenxian, debtors=[again])

    assert second.number == "（2026）豫0825执2号"
    debtor_ids = set(CaseParty.objects.filter(role=PartyRole.DEBTOR).values_list("party_id", flat=True))
    assert debtor_ids == {first.case_parties.get(role=PartyRole.DEBTOR).party_id}


@pytest.mark.django_db
def test_an_agent_is_linked_to_the_party_it_represents(courts, file_case, applicant, at):
    lawyer = party_register(kind=PartyKind.NATURAL_PERSON, name="赵律师", actor=None, at=at)

    case = file_case(courts.wenxian, agents=[(lawyer, applicant)])

    link = CaseParty.objects.get(case=case, role=PartyRole.AGENT)
    assert link.party_id == lawyer.pk
    assert link.agent_of.party_id == applicant.pk


@pytest.mark.django_db
def test_invalid_filing_names_every_field_and_saves_nothing(courts, file_case, applicant, audit_rows):
    before = len(audit_rows())

    with pytest.raises(ValidationFailed) as error:
        file_case(
            courts.wenxian,
            amount_claimed=Decimal("-1"),
            application_received_on=date(2026, 11, 24),
            basis_effective_on=date(2026, 11, 25),
            basis_obligations=" ",
            debtors=[applicant],
        )

    assert error.value.fields == {
        "application_received_on": "收到申请日期不能晚于立案日期",
        "basis_effective_on": "执行依据生效日期不能晚于收到申请日期",
        "amount_claimed": "申请执行标的额：金额“-1”不能为负数",
        "basis_obligations": "请填写执行依据确定的义务",
        "debtors": "同一当事人不能既是申请执行人又是被执行人",
    }
    assert Case.objects.count() == 0
    assert CaseParty.objects.count() == 0
    assert CaseNumberSequence.objects.count() == 0
    assert len(audit_rows()) == before


@pytest.mark.django_db
def test_missing_parties_and_bad_type_are_refused(courts, file_case):
    with pytest.raises(ValidationFailed) as error:
        file_case(courts.wenxian, type_code="民初", applicants=[], debtors=[])

    assert error.value.fields == {
        "type_code": "案件类型代字“民初”不是执行案件类型",
        "applicants": "至少需要一名申请执行人",
        "debtors": "至少需要一名被执行人",
    }
    assert Case.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        [CaseStatus.IN_EXECUTION, CaseStatus.SUSPENDED, CaseStatus.IN_EXECUTION, CaseStatus.CLOSED],
        [CaseStatus.DEFERRED, CaseStatus.WITHDRAWN],
        [CaseStatus.DEFERRED, CaseStatus.IN_EXECUTION],
    ],
)
def test_allowed_moves_are_recorded_and_audited(courts, file_case, make_staff, at, audit_rows, path):
    case = file_case(courts.wenxian)
    executor = make_staff(courts.wenxian, Role.EXECUTOR)

    for to in path:
        case_transition(case=case, to=to, actor=executor, at=at, reason="依法变更")

    case.refresh_from_db()
    assert case.status == path[-1]
    statuses = [CaseStatus.FILED, *path]
    assert list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status")) == list(
        itertools.pairwise(statuses)
    )
    rows = audit_rows("cases.case.status_changed")
    assert [row["case_id"] for row in rows] == [case.pk] * len(path)
    assert all(row["actor_id"] == executor.pk for row in rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], CaseStatus.CLOSED),
        ([], CaseStatus.SUSPENDED),
        ([CaseStatus.IN_EXECUTION, CaseStatus.CLOSED], CaseStatus.IN_EXECUTION),
        ([CaseStatus.DEFERRED, CaseStatus.WITHDRAWN], CaseStatus.IN_EXECUTION),
    ],
)
def test_refused_moves_change_nothing(courts, file_case, at, audit_rows, path, refused):
    case = file_case(courts.wenxian)
    for to in path:
        case_transition(case=case, to=to, actor=None, at=at, reason="依法变更")
    changes_before, audit_before = CaseStatusChange.objects.count(), len(audit_rows())

    with pytest.raises(TransitionNotAllowed):
        case_transition(case=case, to=refused, actor=None, at=at, reason="试图变更")

    assert Case.objects.get(pk=case.pk).status == (path[-1] if path else CaseStatus.FILED)
    assert CaseStatusChange.objects.count() == changes_before
    assert len(audit_rows()) == audit_before


@pytest.mark.django_db
def test_refused_move_message_names_both_statuses(courts, file_case, at):
    case = file_case(courts.wenxian)

    with pytest.raises(TransitionNotAllowed) as error:
        case_transition(case=case, to=CaseStatus.CLOSED, actor=None, at=at, reason="结案")

    assert error.value.message == "案件（2026）豫0825执1号当前为“已立案”，不能变更为“已结案”。"


@pytest.mark.django_db
def test_a_move_without_reason_is_refused(courts, file_case, at):
    case = file_case(courts.wenxian)

    with pytest.raises(ValidationFailed) as error:
        case_transition(case=case, to=CaseStatus.IN_EXECUTION, actor=None, at=at, reason=" ")

    assert error.value.fields == {"reason": "必填"}
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILED


@pytest.mark.django_db
def test_case_get_respects_the_court_scope(courts, file_case, make_staff):
    from django.http import Http404

    case = file_case(courts.wenxian)
    own = court_scope_for(user=make_staff(courts.wenxian, Role.EXECUTOR), today=date(2026, 11, 23))
    other = court_scope_for(user=make_staff(courts.wuzhi, Role.EXECUTOR), today=date(2026, 11, 23))

    assert case_get(scope=own, case_id=case.pk) == case
    with pytest.raises(Http404):
        case_get(scope=other, case_id=case.pk)
