"""The filing API: create, update and assign; 400 naming every bad path; the permission matrix."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from zhixing.cases.models import Case, Party
from zhixing.cases.services import case_file
from zhixing.courts.choices import Role
from zhixing.courts.services import team_create, team_kind_ensure

from .conftest import ADULT_ID, CREDIT_CODE
from .test_filing_services import filing

URL = "/api/v1/cases/"


def body(**overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    data: dict[str, object] = {
        "type_code": "执",
        "application_received_on": (today - timedelta(days=3)).isoformat(),
        "amount_claimed": "100000.00",
        "basis_issuing_body": "温县人民法院",
        "basis_document_number": "（2026）豫0825民初100号",
        "basis_effective_on": (today - timedelta(days=60)).isoformat(),
        "basis_kind": "litigation",
        "basis_obligations": "被告张三偿还原告借款100000元。",
        "applicants": [{"kind": "legal_person", "name": "温县农村商业银行股份有限公司", "credit_code": CREDIT_CODE}],
        "debtors": [{"kind": "natural_person", "name": "张三", "id_number": ADULT_ID, "is_public_servant": True}],
        "preservations": [
            {
                "kind": "freeze",
                "property_description": "银行存款",
                "location": "温县农商行",
                "active_from": (today - timedelta(days=90)).isoformat(),
                "active_to": (today + timedelta(days=275)).isoformat(),
                "amount": "50000",
            }
        ],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_permission_matrix(courts, make_staff):
    api = APIClient()

    assert api.post(URL, body(), format="json").status_code == 401
    for role in (Role.EXECUTOR, Role.TEAM_LEADER, Role.UPPER_SUPERVISOR):
        api.force_authenticate(make_staff(courts.wenxian, role))
        assert api.post(URL, body(), format="json").status_code == 403
    assert Case.objects.count() == 0

    api.force_authenticate(make_staff(courts.wuzhi, Role.FILING_CLERK))
    response = api.post(URL, body(), format="json")

    assert response.status_code == 201
    case = Case.objects.get()
    assert response.json() == {"id": case.pk, "number": case.number, "status": "filed"}
    assert case.court_id == courts.wuzhi.pk
    assert "豫0823执1号" in case.number
    assert case.preservations.get().amount == Decimal("50000.00")
    assert Party.objects.get(name="张三").is_public_servant is True


@pytest.mark.django_db
def test_create_with_bad_shape_names_each_path_and_saves_nothing(courts, make_staff, audit_rows):
    api = APIClient()
    api.force_authenticate(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = api.post(
        URL,
        body(
            amount_claimed="lots",
            debtors=[{"kind": "natural_person", "name": "张三", "id_number": ADULT_ID}, {"kind": "robot", "name": "x"}],
            basis_effective_on="2026-02-30",
        ),
        format="json",
    )

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"amount_claimed", "debtors[1].kind", "basis_effective_on"}
    assert fields["amount_claimed"].startswith("申请执行标的额：")
    assert fields["debtors[1].kind"].startswith("被执行人2的类型：")
    assert fields["basis_effective_on"].startswith("执行依据生效日期：")
    assert Case.objects.count() == 0
    assert Party.objects.count() == 0
    assert audit_rows("cases.case.created") == []


@pytest.mark.django_db
def test_create_breaking_rules_names_each_path_and_saves_nothing(courts, make_staff, audit_rows):
    api = APIClient()
    api.force_authenticate(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = api.post(
        URL,
        body(
            amount_claimed="10.001",
            debtors=[{"kind": "natural_person", "name": "张三", "id_number": ADULT_ID[:-1] + "2"}],
            limitation_events=[
                {
                    "kind": "suspension_start",
                    "occurred_on": timezone.localdate().isoformat(),
                    "reason": "",
                    "evidence": "x",
                }
            ],
        ),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "amount_claimed": "申请执行标的额：金额“10.001”超过两位小数：金额最多精确到分",
        "debtors[0].id_number": "被执行人1的身份证号校验位错误：应为 1",
        "limitation_events[0].reason": "请填写时效事由1的事由",
        "limitation_events[0].occurred_on": (
            f"时效事由1的发生日期{timezone.localdate().isoformat()}晚于收到申请日期"
            f"{(timezone.localdate() - timedelta(days=3)).isoformat()}"
        ),
        "limitation_events[0].kind": "时效事由1：时效中止开始后缺少“时效中止事由消除”，请补充事由消除的日期和证据",
    }
    assert (Case.objects.count(), Party.objects.count()) == (0, 0)
    assert audit_rows("cases.party.created") == []


@pytest.mark.django_db
def test_the_list_still_answers_on_the_same_path(courts, make_staff, at):
    case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    api = APIClient()
    api.force_authenticate(make_staff(courts.wenxian, Role.FILING_CLERK))

    response = api.get(URL)

    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == ["（2026）豫0825执1号"]


@pytest.mark.django_db
def test_update_matrix_and_audit(courts, make_staff, at, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    api = APIClient()
    url = f"/api/v1/cases/{case.pk}/"
    change = {"amount_claimed": "120000.00", "debtor_attitude": "paying"}

    assert api.patch(url, change, format="json").status_code == 401
    api.force_authenticate(make_staff(courts.wenxian, Role.EXECUTOR))
    assert api.patch(url, change, format="json").status_code == 403
    api.force_authenticate(make_staff(courts.wuzhi, Role.FILING_CLERK))
    assert api.patch(url, change, format="json").status_code == 404
    case.refresh_from_db()
    assert case.amount_claimed == Decimal("100000.00")

    api.force_authenticate(make_staff(courts.wenxian, Role.FILING_CLERK))
    response = api.patch(url, change, format="json")

    assert response.status_code == 200
    assert (response.json()["amount_claimed"], response.json()["debtor_attitude"]) == ("120000.00", "paying")
    [row] = audit_rows("cases.case.updated")
    assert json.loads(row["data"])["after"] == {"amount_claimed": "120000.00", "debtor_attitude": "paying"}


@pytest.mark.django_db
def test_update_with_bad_input_names_fields_and_changes_nothing(courts, make_staff, at, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    api = APIClient()
    api.force_authenticate(make_staff(courts.wenxian, Role.FILING_CLERK))
    url = f"/api/v1/cases/{case.pk}/"

    shape = api.patch(url, {"debtor_attitude": "angry", "basis_effective_on": "soon"}, format="json")
    rule = api.patch(url, {"costs": "-3", "basis_document_number": " "}, format="json")

    assert shape.status_code == 400
    assert set(shape.json()["fields"]) == {"debtor_attitude", "basis_effective_on"}
    assert shape.json()["fields"]["debtor_attitude"].startswith("被执行人履行态度：")
    assert rule.status_code == 400
    assert rule.json()["fields"] == {
        "costs": "执行费用：金额“-3”不能为负数",
        "basis_document_number": "请填写执行依据文书号",
    }
    case.refresh_from_db()
    assert (case.costs, case.debtor_attitude) == (Decimal("0.00"), "unknown")
    assert audit_rows("cases.case.updated") == []


@pytest.mark.django_db
def test_assign_matrix(courts, make_staff, at, audit_rows):
    case = case_file(court=courts.wenxian, data=filing(), actor=None, at=at)
    kind = team_kind_ensure(code="quick", name="快执团队", description="", sort_order=1, actor=None, at=at)
    team = team_create(court=courts.wenxian, kind=kind, name="快执一组", actor=None, at=at)
    executor = make_staff(courts.wenxian, Role.EXECUTOR, team=team)
    api = APIClient()
    url = f"/api/v1/cases/{case.pk}/assign/"
    data = {"team_id": team.pk, "executor_id": executor.pk}

    assert api.post(url, data, format="json").status_code == 401
    api.force_authenticate(make_staff(courts.wenxian, Role.FILING_CLERK))
    assert api.post(url, data, format="json").status_code == 403
    api.force_authenticate(make_staff(courts.wuzhi, Role.BUREAU_CHIEF))
    assert api.post(url, data, format="json").status_code == 404
    api.force_authenticate(make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    bad = api.post(url, {"team_id": team.pk, "executor_id": 999999}, format="json")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"executor_id": "承办人不是本院在职人员"}
    assert audit_rows("cases.case.assigned") == []

    response = api.post(url, data, format="json")

    assert response.status_code == 200
    assert response.json() == {"id": case.pk, "number": case.number, "team_id": team.pk, "executor_id": executor.pk}
