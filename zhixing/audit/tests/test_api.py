"""The audit API: scoped to the readable courts, keyset pages, Chinese errors, 401 for anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from zhixing.audit.services import chain_verify_record
from zhixing.audit.tests.conftest import sql
from zhixing.audit.tests.test_views import TEAM_CHANGED, _write
from zhixing.courts.choices import Role


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_anonymous_gets_401(api):
    response = api.get(reverse("api-audit-record-list"))

    assert response.status_code == 401
    assert "身份认证" in response.json()["message"]


@pytest.mark.django_db
def test_executor_without_the_capability_gets_403(api, courts, make_staff):
    api.force_authenticate(user=make_staff(courts.wenxian, Role.EXECUTOR))

    response = api.get(reverse("api-audit-record-list"))

    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "message": "您无权执行此操作。"}


@pytest.mark.django_db
def test_records_are_scoped_to_own_court(api, courts, make_staff):
    _write(courts.wenxian, 2)
    _write(courts.wuzhi, 2)
    api.force_authenticate(user=make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    body = api.get(reverse("api-audit-record-list"), {"action": TEAM_CHANGED}).json()

    assert body["next_cursor"] is None
    assert [(r["court_id"], r["subject_label"]) for r in body["results"]] == [
        (courts.wenxian.pk, "温县人民法院第1团队"),
        (courts.wenxian.pk, "温县人民法院第0团队"),
    ]
    first = body["results"][0]
    assert first["action_label"] == "修改团队"
    assert first["changes"] == [
        {"name": "is_active", "before": "是", "after": "否"},
        {"name": "name", "before": "旧名", "after": "新名1"},
    ]
    assert first["data"]["reason"] == "调整"
    assert len(first["hash"]) == 64


@pytest.mark.django_db
def test_asking_for_another_court_returns_nothing_of_it(api, courts, make_staff):
    _write(courts.wuzhi, 2)
    api.force_authenticate(user=make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    body = api.get(reverse("api-audit-record-list"), {"court": courts.wuzhi.pk}).json()

    assert body == {"next_cursor": None, "results": []}


@pytest.mark.django_db
def test_another_courts_record_is_not_found(api, courts, make_staff):
    other = _write(courts.wuzhi, 1)[0]
    own = _write(courts.wenxian, 1)[0]
    api.force_authenticate(user=make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    assert api.get(reverse("api-audit-record-detail", args=[own.pk])).json()["id"] == own.pk
    response = api.get(reverse("api-audit-record-detail", args=[other.pk]))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到该对象，或您无权查看。"}


@pytest.mark.django_db
def test_upper_court_supervisor_reads_the_subtree(api, courts, make_staff):
    _write(courts.wenxian, 1)
    _write(courts.wuzhi, 1)
    _write(courts.linshu, 1)
    api.force_authenticate(user=make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))

    body = api.get(reverse("api-audit-record-list"), {"action": TEAM_CHANGED}).json()

    assert sorted(r["court_id"] for r in body["results"]) == sorted([courts.wenxian.pk, courts.wuzhi.pk])


@pytest.mark.django_db
def test_keyset_pages(api, courts, make_staff):
    _write(courts.wenxian, 5)
    api.force_authenticate(user=make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    url = reverse("api-audit-record-list")

    first = api.get(url, {"action": TEAM_CHANGED, "limit": 3}).json()
    second = api.get(url, {"action": TEAM_CHANGED, "limit": 3, "cursor": first["next_cursor"]}).json()

    labels = [r["subject_label"] for r in first["results"] + second["results"]]
    assert labels == [f"温县人民法院第{n}团队" for n in (4, 3, 2, 1, 0)]
    assert second["next_cursor"] is None


@pytest.mark.django_db
def test_bad_filters_are_refused_in_chinese(api, courts, make_staff):
    api.force_authenticate(user=make_staff(courts.wenxian, Role.BUREAU_CHIEF))

    response = api.get(
        reverse("api-audit-record-list"),
        {"date_from": "2026-11-24", "date_to": "2026-11-23", "cursor": "nope", "action": "no.such.action"},
    )

    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "validation_failed"
    assert body["fields"]["cursor"] == ["翻页参数无效，请从第一页重新查询。"]
    assert "action" in body["fields"]


@pytest.mark.django_db
def test_verification_status_hides_other_courts_breaks(api, courts, make_staff, at):
    api.force_authenticate(user=make_staff(courts.wenxian, Role.BUREAU_CHIEF))
    url = reverse("api-audit-verification")
    assert api.get(url).json()["verified"] is False
    _write(courts.wenxian, 2)
    _write(courts.linshu, 2)
    sql("UPDATE audit_auditrecord SET data = '' WHERE chain = %s AND seq = 2", [courts.linshu.pk])
    chain_verify_record(at=at)

    body = api.get(url).json()

    assert (body["verified"], body["ok"], body["breaks"], body["hidden_breaks"]) == (True, False, [], 1)
