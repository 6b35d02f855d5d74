"""The filing page and the assignment fragment: permissions, errors next to fields, nothing lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhixing.cases.choices import CaseStatus
from zhixing.cases.models import Case, IntakeDeferral, Party
from zhixing.cases.services import case_file
from zhixing.courts.choices import Role
from zhixing.courts.services import team_create, team_kind_ensure

from .conftest import ADULT_ID, CREDIT_CODE
from .test_filing_services import filing

URL = "/cases/file/"


def form_data(**overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "type_code": "执",
        "application_received_on": (today - timedelta(days=3)).isoformat(),
        "amount_claimed": "10万",
        "costs": "",
        "basis_issuing_body": "温县人民法院",
        "basis_document_number": "（2026）豫0825民初100号",
        "basis_kind": "litigation",
        "basis_effective_on": (today - timedelta(days=60)).isoformat(),
        "basis_performance_due_on": "",
        "basis_obligations": "被告张三偿还原告借款100000元。",
        "trial_case_number": "",
        "debtor_attitude": "unknown",
        "team_id": "",
        "executor_id": "",
        "consent_on": "",
        "deferral_reason": "",
        "consent_evidence": "",
        "applicants-TOTAL_FORMS": "1",
        "applicants-INITIAL_FORMS": "0",
        "applicants-0-kind": "legal_person",
        "applicants-0-name": "温县农村商业银行股份有限公司",
        "applicants-0-credit_code": CREDIT_CODE,
        "debtors-TOTAL_FORMS": "2",
        "debtors-INITIAL_FORMS": "0",
        "debtors-0-kind": "natural_person",
        "debtors-0-name": "张三",
        "debtors-0-id_number": ADULT_ID,
        "debtors-0-phone": "13812345678",
        "debtors-1-kind": "natural_person",
        "agents-TOTAL_FORMS": "1",
        "agents-INITIAL_FORMS": "0",
        "agents-0-kind": "natural_person",
        "agents-0-principal_role": "applicant",
        "preservations-TOTAL_FORMS": "1",
        "preservations-INITIAL_FORMS": "0",
        "preservations-0-kind": "freeze",
        "limitation_events-TOTAL_FORMS": "1",
        "limitation_events-INITIAL_FORMS": "0",
        "limitation_events-0-kind": "interruption",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EXECUTOR, Role.TEAM_LEADER, Role.SUPERVISOR, Role.ADMIN])
def test_other_roles_may_not_file(client, courts, make_staff, role):
    client.force_login(make_staff(courts.wenxian, role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_the_clerk_sees_the_form(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "未发现可供执行的财产，经申请执行人同意暂缓立案" in body
    assert 'name="debtors-0-id_number"' in body


@pytest.mark.django_db
def test_a_clerk_files_in_their_own_court_and_is_sent_to_the_case(client, courts, make_staff):
    client.force_login(make_staff(courts.wuzhi, Role.FILING_CLERK))

    response = client.post(URL, form_data())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.court_id == courts.wuzhi.pk
    assert case.number == f"（{timezone.localdate().year}）豫0823执1号"
    assert case.status == CaseStatus.FILED
    assert str(case.amount_claimed) == "100000.00"


@pytest.mark.django_db
def test_parse_errors_are_shown_per_field_and_input_is_kept(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = client.post(
        URL, form_data(amount_claimed="十万块", basis_effective_on="2026-13-01", **{"debtors-0-name": ""})
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "申请执行标的额：金额“十万块”不是有效的数字" in body
    assert "执行依据生效日期不是有效日期" in body
    assert "请填写姓名或名称" in body
    assert 'value="十万块"' in body
    assert 'value="2026-13-01"' in body
    assert f'value="{ADULT_ID}"' in body
    assert 'value="温县农村商业银行股份有限公司"' in body
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_service_problems_are_shown_next_to_their_fields_and_input_is_kept(client, courts, make_staff, audit_rows):
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))
    bad_id = ADULT_ID[:-1] + "2"

    response = client.post(
        URL,
        form_data(
            **{
                "debtors-0-id_number": bad_id,
                "debtors-1-name": "李四",
                "debtors-1-kind": "legal_person",
                "debtors-1-credit_code": CREDIT_CODE,
            }
        ),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "被执行人1的身份证号校验位错误：应为 1" in body
    assert "被执行人2与申请执行人1是同一当事人" in body
    assert f'value="{bad_id}"' in body
    assert 'value="李四"' in body
    assert (Case.objects.count(), Party.objects.count()) == (0, 0)
    assert audit_rows("cases.case.created") == []


@pytest.mark.django_db
def test_a_duplicate_is_named_on_the_page(client, courts, make_staff, at):
    first = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = client.post(URL, form_data())

    assert response.status_code == 400
    assert f"重复立案：本院已有未结案件{first.number}" in response.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_the_gate_defers_the_case_with_consent(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))
    today = timezone.localdate()

    response = client.post(
        URL,
        form_data(
            defer="on",
            deferral_reason="未发现可供执行的财产",
            consent_on=(today - timedelta(days=1)).isoformat(),
            consent_evidence="申请执行人同意书",
        ),
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == CaseStatus.DEFERRED
    assert IntakeDeferral.objects.get(case=case).consent_evidence == "申请执行人同意书"


@pytest.mark.django_db
def test_the_gate_without_consent_is_refused(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = client.post(URL, form_data(defer="on"))

    assert response.status_code == 400
    body = response.content.decode()
    assert "暂缓立案须填写申请执行人同意日期" in body
    assert "暂缓立案须填写申请执行人同意的证明" in body
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_more_rows_keeps_the_input_and_shows_no_errors(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = client.post(URL, form_data(add_row="debtors", amount_claimed="abc"))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="debtors-2-name"' in body
    assert 'value="abc"' in body
    assert "errorlist" not in body
    assert Case.objects.count() == 0


# --- assignment ---------------------------------------------------------------------------------


@pytest.fixture
def team(courts, at):
    kind = team_kind_ensure(code="quick", name="快执团队", description="", sort_order=1, actor=None, at=at)
    return team_create(court=courts.wenxian, kind=kind, name="快执一组", actor=None, at=at)


@pytest.mark.django_db
def test_assignment_permissions(client, courts, make_staff, at, team, django_user_model):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    executor = make_staff(courts.wenxian, Role.EXECUTOR, team=team)
    url = f"/cases/{case.pk}/assign/"
    data = {"team_id": team.pk, "executor_id": executor.pk}

    assert client.post(url, data)["Location"].startswith("/accounts/login/")
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))
    assert client.post(url, data).status_code == 403
    client.force_login(make_staff(courts.wuzhi, Role.TEAM_LEADER))
    assert client.post(url, data).status_code == 404
    case.refresh_from_db()
    assert (case.team_id, case.executor_id) == (None, None)

    client.force_login(make_staff(courts.wenxian, Role.TEAM_LEADER))
    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert (case.team_id, case.executor_id) == (team.pk, executor.pk)


@pytest.mark.django_db
def test_assignment_fragment_shows_the_refusal(client, courts, make_staff, at, team):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    client.force_login(make_staff(courts.wenxian, Role.TEAM_LEADER))

    response = client.post(f"/cases/{case.pk}/assign/", {"team_id": team.pk, "executor_id": ""}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert "请选择承办人" in response.content.decode()
    case.refresh_from_db()
    assert case.team_id is None
