"""Pages of the courts app, and the rule that no page or endpoint is open without login and scope."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PASSWORD
from zhixing.courts.choices import Role

#: URLs anyone may open: the login page, the language switch, health, and the API schema and its docs.
PUBLIC = {"login", "set_language", "api-health", "api-schema", "api-docs", "api-redoc"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def _concrete(route: str) -> str:
    path = re.sub(r"<int:\w+>", "999999", route)
    path = re.sub(r"<(str:)?\w+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


def _project_urls():
    """Return every named URL of the project except the public ones (and logout, which is POST-only)."""
    urls = {(name, _concrete(route)) for name, route in _walk(get_resolver().url_patterns)}
    return sorted((name, path) for name, path in urls if name not in PUBLIC | {"logout"})


def test_the_walk_finds_the_pages_and_endpoints():
    names = {name for name, _ in _project_urls()}

    assert {
        "home",
        "courts:court_list",
        "courts:court_detail",
        "audit:record_list",
        "api-me",
        "api-court-list",
    } <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), _project_urls())
def test_every_page_and_endpoint_needs_login(client, name, path):
    response = client.get(path)

    if path.startswith("/api/"):
        assert response.status_code in (401, 403), (name, path, response.status_code)
        assert "message" in response.json()
    else:
        assert response.status_code in (302, 405), (name, path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), _project_urls())
def test_every_page_and_endpoint_refuses_a_person_without_a_role(client, django_user_model, name, path):
    user = django_user_model.objects.create_user(username="former", name="已离职", password=PASSWORD)
    client.force_login(user)

    response = client.get(path)

    assert response.status_code in (403, 404, 405), (name, path, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "api-health", "api-schema", "api-docs"])
def test_public_pages_open_without_login(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_home_shows_court_and_roles_in_header(client, courts, make_staff):
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK, name="李晓岚")
    client.force_login(clerk)

    page = client.get(reverse("home")).content.decode()

    assert 'data-testid="header-court">温县人民法院' in page
    assert "立案人员" in page
    assert "李晓岚，您好" in page


@pytest.mark.django_db
def test_navigation_follows_the_role(client, courts, make_staff):
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK)
    chief = make_staff(courts.wenxian, Role.BUREAU_CHIEF)

    client.force_login(clerk)
    clerk_page = client.get(reverse("home")).content.decode()
    client.force_login(chief)
    chief_page = client.get(reverse("home")).content.decode()

    assert "审计日志" not in clerk_page
    assert "审计日志" in chief_page


@pytest.mark.django_db
def test_court_list_shows_own_court_only_to_an_executor(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))

    page = client.get(reverse("courts:court_list")).content.decode()

    assert "温县人民法院" in page
    assert "武陟县人民法院" not in page
    assert "临沭县人民法院" not in page


@pytest.mark.django_db
def test_upper_supervisor_lists_subtree_read_only(client, courts, make_staff):
    client.force_login(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))

    page = client.get(reverse("courts:court_list")).content.decode()
    detail = client.get(reverse("courts:court_detail", args=[courts.wenxian.pk])).content.decode()

    assert "温县人民法院" in page
    assert "武陟县人民法院" in page
    assert "临沭县人民法院" not in page
    assert "只读" in detail


@pytest.mark.django_db
def test_other_courts_page_by_url_is_not_found(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))

    response = client.get(reverse("courts:court_detail", args=[courts.wuzhi.pk]))

    assert response.status_code == 404
    assert "不在您有权查看的范围内" in response.content.decode()


@pytest.mark.django_db
def test_other_courts_team_by_url_is_not_found(client, courts, make_staff, at):
    from zhixing.courts.models import TeamKind
    from zhixing.courts.services import team_create

    team = team_create(
        court=courts.linshu, kind=TeamKind.objects.get(code="deep"), name="精执一团队", actor=None, at=at
    )
    client.force_login(make_staff(courts.wenxian, Role.SUPERVISOR))

    assert client.get(reverse("courts:team_detail", args=[team.pk])).status_code == 404


@pytest.mark.django_db
def test_court_detail_lists_teams_leaders_and_members(client, courts, make_staff, at):
    from zhixing.courts.models import TeamKind
    from zhixing.courts.services import team_create, team_set_leader

    team = team_create(
        court=courts.wenxian, kind=TeamKind.objects.get(code="fast_track"), name="快执组", actor=None, at=at
    )
    leader = make_staff(courts.wenxian, Role.TEAM_LEADER, name="王立新", team=team)
    team_set_leader(team=team, leader=leader, actor=None, at=at)
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))

    page = client.get(reverse("courts:court_detail", args=[courts.wenxian.pk])).content.decode()

    assert "快执组" in page
    assert "速执/快执" in page
    assert "王立新" in page


@pytest.mark.django_db
def test_successful_login_is_audited(client, courts, make_staff, audit_rows):
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK, username="clerk1")

    response = client.post(reverse("login"), {"username": "clerk1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")

    assert response.status_code == 302
    logins = audit_rows("courts.login.succeeded")
    assert [(r["actor_id"], r["court_id"]) for r in logins] == [(clerk.pk, courts.wenxian.pk)]
    assert '"address":"10.0.0.8"' in logins[0]["data"]


@pytest.mark.django_db
def test_wrong_password_shows_a_chinese_error(client, courts, make_staff):
    make_staff(courts.wenxian, Role.FILING_CLERK, username="clerk1")

    response = client.post(
        reverse("login"), {"username": "clerk1", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client, courts, make_staff, settings):
    make_staff(courts.wenxian, Role.FILING_CLERK, username="clerk1")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "clerk1", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post(reverse("login"), {"username": "clerk1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")

    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert "用户名" in page


@pytest.mark.django_db
def test_english_is_an_explicit_choice_that_sticks(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    page = client.get(reverse("login")).content.decode()

    assert "Username" in page
    assert "用户名" not in page


@pytest.mark.django_db
def test_only_the_current_section_is_marked_in_the_navigation(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))

    page = client.get(reverse("courts:calendar")).content.decode()

    assert page.count('aria-current="page"') == 1
    assert re.search(r'href="/courts/calendar/" class="active"', page)
