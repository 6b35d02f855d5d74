"""Triage pages, fragments and API: what each shows, and the permission matrix of every URL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from zhixing.cases.choices import TriageClass
from zhixing.cases.models import CaseTriage, TriageRuleSet
from zhixing.cases.services import case_triage_run
from zhixing.courts.choices import Role


@pytest.fixture
def case(courts, file_case, at):
    case = file_case(courts.wenxian)
    case_triage_run(case=case, actor=None, at=at)
    return case


def _nobody(django_user_model):
    return django_user_model.objects.create_user(username="nobody", password="x")


# --- Permission matrix --------------------------------------------------------------------------

PAGE_URLS = [
    # (url name, method, right role, wrong role)
    ("cases:triage", "get", Role.EXECUTOR, None),
    ("cases:triage_override", "post", Role.TEAM_LEADER, Role.EXECUTOR),
    ("cases:documents", "get", Role.EXECUTOR, None),
    ("cases:document_generate", "post", Role.EXECUTOR, Role.REVIEWER),
]


@pytest.mark.parametrize(("name", "method", "right", "wrong"), PAGE_URLS)
def test_case_fragment_permission_matrix(
    client, case, courts, make_staff, django_user_model, settings, tmp_path, name, method, right, wrong
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse(name, args=[case.pk])
    data = {"result": "simple", "reason": "配合履行", "template_code": "acceptance_notice"}
    send = getattr(client, method)

    response = send(url, data) if method == "post" else send(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    client.force_login(_nobody(django_user_model))
    assert (send(url, data) if method == "post" else send(url)).status_code == 403

    if wrong is not None:
        client.force_login(make_staff(courts.wenxian, wrong))
        assert send(url, data).status_code == 403

    client.force_login(make_staff(courts.wuzhi, right))
    assert (send(url, data) if method == "post" else send(url)).status_code == 404

    client.force_login(make_staff(courts.wenxian, right))
    assert (send(url, data) if method == "post" else send(url)).status_code == 200


def test_rules_page_permission_matrix(client, courts, make_staff, django_user_model):
    url = reverse("cases:triage_rules")
    response = client.get(url)
    assert response.status_code == 302
    client.force_login(_nobody(django_user_model))
    assert client.get(url).status_code == 403
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    assert client.get(url).status_code == 403
    assert client.post(url, {"amount_threshold": "1"}).status_code == 403
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    assert client.get(url).status_code == 200


def test_upper_supervisor_reads_but_may_not_override(client, case, courts, make_staff):
    client.force_login(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))
    response = client.get(reverse("cases:triage", args=[case.pk]))
    assert response.status_code == 200
    assert 'data-testid="triage-override-form"' not in response.content.decode()
    assert client.post(reverse("cases:triage_override", args=[case.pk]), {}).status_code == 403


# --- The fragment -------------------------------------------------------------------------------


def test_fragment_shows_class_rules_version_and_form_for_leader(client, courts, file_case, make_staff, at):
    case = file_case(courts.wenxian, amount_claimed=Decimal("20000.00"))
    case_triage_run(case=case, actor=None, at=at)
    client.force_login(make_staff(courts.wenxian, Role.TEAM_LEADER))
    body = client.get(reverse("cases:triage", args=[case.pk])).content.decode()
    assert 'data-testid="triage-class">简案</span>' in body
    assert "标的额 20,000.00 元不超过本院小额标准 50,000.00 元" in body
    assert "系统默认规则（本院尚未设置）" in body
    assert 'data-testid="triage-override-form"' in body
    assert f'hx-post="/cases/{case.pk}/triage/override/"' in body


def test_fragment_hides_override_form_from_executor(client, case, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    body = client.get(reverse("cases:triage", args=[case.pk])).content.decode()
    assert 'data-testid="triage-class">繁案</span>' in body
    assert "没有规则命中，按繁案办理。" in body
    assert 'data-testid="triage-override-form"' not in body


def test_override_post_changes_class_and_shows_reason(client, case, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.TEAM_LEADER))
    response = client.post(
        reverse("cases:triage_override", args=[case.pk]), {"result": "simple", "reason": "被执行人已筹款"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="triage-class">简案</span>' in body
    assert "被执行人已筹款" in body
    case.refresh_from_db()
    assert case.triage_class == TriageClass.SIMPLE


def test_override_post_without_reason_refused(client, case, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.TEAM_LEADER))
    response = client.post(reverse("cases:triage_override", args=[case.pk]), {"result": "simple", "reason": " "})
    assert response.status_code == 400
    assert "请填写调整理由。" in response.content.decode()
    case.refresh_from_db()
    assert case.triage_class == TriageClass.COMPLEX
    assert CaseTriage.objects.filter(case=case).count() == 1


def test_override_post_same_class_refused(client, case, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.TEAM_LEADER))
    response = client.post(reverse("cases:triage_override", args=[case.pk]), {"result": "complex", "reason": "x"})
    assert response.status_code == 400
    assert "已是繁案，无需调整" in response.content.decode()
    assert CaseTriage.objects.filter(case=case).count() == 1


# --- The rule-set page --------------------------------------------------------------------------


def test_rules_page_shows_default_then_new_version(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    url = reverse("cases:triage_rules")
    assert 'data-testid="rules-default"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "amount_threshold": "80000.00",
            "enabled_rules": ["amount_under_threshold", "debtor_cooperative"],
            "effective_from": "2099-01-01",
        },
    )
    assert response.status_code == 302
    row = TriageRuleSet.objects.get()
    assert (row.court_id, row.version, row.amount_threshold, row.enabled_rules, row.effective_from) == (
        courts.wenxian.pk,
        1,
        Decimal("80000.00"),
        ["amount_under_threshold", "debtor_cooperative"],
        date(2099, 1, 1),
    )
    assert "80000.00" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount_threshold": "abc", "effective_from": "2099-01-01"}, "请填写金额数字，如 50000.00。"),
        ({"amount_threshold": "0", "effective_from": "2099-01-01"}, "小额案件标的额上限应大于零。"),
        ({"amount_threshold": "100", "effective_from": "2000-01-01"}, "生效日期不能早于今天"),
        ({"amount_threshold": "100", "effective_from": "2099-01-01", "enabled_rules": ["x"]}, "未知的分流规则：x。"),
    ],
)
def test_rules_page_refuses_bad_input_and_keeps_it(client, courts, make_staff, data, message):
    client.force_login(make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    response = client.post(reverse("cases:triage_rules"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert f'value="{data["amount_threshold"]}"' in body  # nothing typed is lost
    assert TriageRuleSet.objects.count() == 0


# --- API ----------------------------------------------------------------------------------------


def test_api_triage_read_matrix(case, courts, make_staff):
    api = APIClient()
    url = f"/api/v1/cases/{case.pk}/triage/"
    assert api.get(url).status_code == 401
    api.force_authenticate(make_staff(courts.wuzhi, Role.EXECUTOR))
    assert api.get(url).status_code == 404
    api.force_authenticate(make_staff(courts.wenxian, Role.EXECUTOR))
    response = api.get(url)
    assert response.status_code == 200
    assert response.json()["triage_class"] == "complex"
    assert response.json()["current"]["fired"] == []
    assert response.json()["can_override"] is False


def test_api_override_matrix(case, courts, make_staff):
    api = APIClient()
    url = f"/api/v1/cases/{case.pk}/triage/override/"
    data = {"result": "simple", "reason": "已筹款"}
    assert api.post(url, data, format="json").status_code == 401
    api.force_authenticate(make_staff(courts.wenxian, Role.EXECUTOR))
    assert api.post(url, data, format="json").status_code == 403
    api.force_authenticate(make_staff(courts.wuzhi, Role.TEAM_LEADER))
    assert api.post(url, data, format="json").status_code == 404
    api.force_authenticate(make_staff(courts.wenxian, Role.TEAM_LEADER))
    response = api.post(url, data, format="json")
    assert response.status_code == 200
    assert response.json()["triage_class"] == "simple"
    assert response.json()["current"]["override_reason"] == "已筹款"


def test_api_override_without_reason_refused(case, courts, make_staff):
    api = APIClient()
    api.force_authenticate(make_staff(courts.wenxian, Role.TEAM_LEADER))
    response = api.post(f"/api/v1/cases/{case.pk}/triage/override/", {"result": "simple"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"reason": ["请填写调整理由 reason。"]}
    case.refresh_from_db()
    assert case.triage_class == TriageClass.COMPLEX
