"""Login, lockout, navigation by role, the court in the header and the error pages, as seen in Chromium."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from zhixing.courts.choices import Role
from zhixing.courts.navigation import NAVIGATION
from zhixing.courts.rules import capabilities_of

pytestmark = pytest.mark.browser


def _nav_labels(page) -> list[str]:
    return page.locator("nav.mainnav a").all_inner_texts()


def test_clerk_sees_their_court_and_only_the_navigation_their_role_allows(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.FILING_CLERK, username="wx_clerk", name="李晓岚")
    allowed = capabilities_of(frozenset({Role.FILING_CLERK}))
    expected = [str(item.label) for item in NAVIGATION if item.capability is None or item.capability in allowed]

    log_in("wx_clerk")

    assert page.url.endswith("/")
    assert page.get_by_test_id("header-court").inner_text() == "温县人民法院"
    assert page.locator("header .who").inner_text() == "李晓岚 · 立案人员"
    assert page.locator("h1").inner_text() == "李晓岚，您好"
    assert _nav_labels(page) == expected
    assert "工作台" in expected
    assert "法院与团队" in expected
    assert "审计日志" not in expected


def test_bureau_chief_also_sees_the_audit_log(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.BUREAU_CHIEF, username="wx_chief", name="杨德明")

    log_in("wx_chief")

    assert "审计日志" in _nav_labels(page)
    assert page.get_by_test_id("header-court").inner_text() == "温县人民法院"


def test_wrong_password_shows_a_chinese_error_and_does_not_log_in(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.EXECUTOR, username="wx_exec")

    log_in("wx_exec", "not-the-password")

    assert page.get_by_test_id("login-error").inner_text() == "请输入一个正确的用户名和密码。注意，两者都区分大小写。"
    assert page.url.endswith("/accounts/login/")
    page.goto("/")
    assert "/accounts/login/?next=/" in page.url


def test_five_failures_lock_the_account_and_the_right_password_is_then_refused(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.EXECUTOR, username="wx_exec")

    for _ in range(4):
        log_in("wx_exec", "not-the-password")
        assert page.get_by_test_id("login-error").is_visible()
    log_in("wx_exec", "not-the-password")

    assert page.get_by_test_id("locked-out").is_visible()
    assert page.locator("h1").inner_text() == "账号已暂时锁定"
    assert page.title() == "账号已锁定 · 执行案件流程信息管理系统"

    log_in("wx_exec", PASSWORD)

    assert page.get_by_test_id("locked-out").is_visible()
    page.goto("/")
    assert "/accounts/login/?next=/" in page.url


def test_lockout_is_per_account(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.EXECUTOR, username="wx_exec")
    make_staff(courts.wenxian, Role.EXECUTOR, username="wx_other")
    for _ in range(5):
        log_in("wx_exec", "not-the-password")

    log_in("wx_other")

    assert page.get_by_test_id("header-court").inner_text() == "温县人民法院"


def test_another_courts_page_by_url_is_the_chinese_404_page(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.EXECUTOR, username="wx_exec")
    log_in("wx_exec")

    response = page.goto(f"/courts/{courts.wuzhi.pk}/")

    assert response.status == 404
    assert page.locator(".error-page h1").inner_text() == "未找到该页面"
    assert "不在您有权查看的范围内" in page.locator(".error-page").inner_text()
    assert "武陟" not in page.content()
    own = page.goto(f"/courts/{courts.wenxian.pk}/")
    assert own.status == 200


def test_a_missing_page_is_the_chinese_404_page(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.EXECUTOR, username="wx_exec")
    log_in("wx_exec")

    response = page.goto("/no-such-page/")

    assert response.status == 404
    assert page.title() == "页面不存在 · 执行案件流程信息管理系统"


def test_a_person_without_a_role_gets_the_chinese_403_page(page, log_in, django_user_model):
    django_user_model.objects.create_user(username="former", name="已离职", password=PASSWORD)
    log_in("former")

    response = page.goto("/courts/")

    assert response.status == 403
    assert page.locator(".error-page h1").inner_text() == "无权访问"
    assert "您没有在职的法院角色" in page.locator(".error-page").inner_text()
