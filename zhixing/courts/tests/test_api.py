"""The API: token and session auth, the court scope, the schema, and the health check."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from zhixing.courts.choices import Role


@pytest.fixture
def api():
    return APIClient()


def _token_for(api, user) -> str:
    api.force_authenticate(user=user)
    token = api.post(reverse("api-token")).json()["token"]
    api.force_authenticate(user=None)
    return token


@pytest.mark.django_db
def test_token_gives_access_to_own_court_and_not_to_another(api, courts, make_staff, audit_rows):
    executor = make_staff(courts.wenxian, Role.EXECUTOR)
    token = _token_for(api, executor)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    own = api.get(reverse("api-court-detail", args=[courts.wenxian.pk]))
    other = api.get(reverse("api-court-detail", args=[courts.wuzhi.pk]))

    assert own.status_code == 200
    assert own.json()["court"]["code"] == "豫0825"
    assert other.status_code == 404
    assert other.json() == {"code": "not_found", "message": "未找到该对象，或您无权查看。"}
    assert len(audit_rows("courts.api_token.issued")) == 1


@pytest.mark.django_db
def test_court_list_is_scoped(api, courts, make_staff):
    api.force_authenticate(user=make_staff(courts.linyi, Role.UPPER_SUPERVISOR))

    body = api.get(reverse("api-court-list")).json()

    assert body["count"] == 2
    assert [c["code"] for c in body["results"]] == ["鲁13", "鲁1329"]


@pytest.mark.django_db
def test_me_reports_roles_capabilities_and_readable_courts(api, courts, make_staff):
    api.force_authenticate(user=make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))

    body = api.get(reverse("api-me")).json()

    assert body["court"]["code"] == "豫08"
    assert body["roles"] == ["upper_supervisor"]
    assert "view_subtree" in body["capabilities"]
    assert "act" not in body["capabilities"]
    assert sorted(body["readable_court_ids"]) == sorted([courts.jiaozuo.pk, courts.wenxian.pk, courts.wuzhi.pk])


@pytest.mark.django_db
def test_read_only_supervisor_cannot_write_through_the_api(api, courts, make_staff):
    api.force_authenticate(user=make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))

    response = api.post(reverse("api-token"))

    assert response.status_code == 403
    assert response.json()["message"] == "您没有在职的法院角色，无权访问。"


@pytest.mark.django_db
def test_anonymous_request_gets_401_with_chinese_message(api):
    response = api.get(reverse("api-me"))

    assert response.status_code == 401
    assert "身份认证" in response.json()["message"]


@pytest.mark.django_db
def test_bad_token_is_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api.get(reverse("api-me"))

    assert response.status_code == 401


@pytest.mark.django_db
def test_schema_is_served_and_lists_the_court_endpoints(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/courts/" in paths
    assert "/api/v1/courts/{court_id}/" in paths
    assert "/api/health/" in paths


@pytest.mark.django_db
def test_docs_page_loads_its_assets_locally(client):
    page = client.get(reverse("api-docs")).content.decode()

    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page


@pytest.mark.django_db
def test_health_reports_database(client, settings):
    settings.REDIS_URL = ""

    body = client.get(reverse("api-health")).json()

    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_health_is_unavailable_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("api-health"))

    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
