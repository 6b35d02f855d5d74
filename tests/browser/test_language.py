"""Switching the interface to English through Django i18n, and back."""

from __future__ import annotations

import pytest

from zhixing.courts.choices import Role

pytestmark = pytest.mark.browser


def _choose_language(page, code: str) -> None:
    with page.expect_navigation():
        page.select_option("header select[name=language]", code)


def test_switching_to_english_shows_english_labels(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.FILING_CLERK, username="wx_clerk", name="李晓岚")
    log_in("wx_clerk")

    _choose_language(page, "en")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title() == "Workbench · Enforcement Case Management System"
    assert page.locator("nav.mainnav a").all_inner_texts() == [
        "Workbench", "Alerts", "Approvals", "Cases", "File a case", "Bulk import", "Battle chart", "Overdue ledger",
        "Routing model", "Courts and teams", "Working-day calendar", "API docs",
    ]
    assert page.locator("header .who").inner_text() == "李晓岚 · Filing clerk"
    assert page.locator("h1").inner_text() == "Hello, 李晓岚"
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.get_by_test_id("header-court").inner_text() == "温县人民法院"  # names are data, not labels


def test_the_login_page_in_english(page):
    page.goto("/accounts/login/")

    _choose_language(page, "en")

    assert page.locator("h1").inner_text() == "Log in"
    assert page.locator("label[for=id_username]").inner_text() == "Username"
    assert page.locator("label[for=id_password]").inner_text() == "Password"
    assert "locked for a while after 5 wrong passwords" in page.content()


def test_switching_back_to_chinese(page):
    page.goto("/accounts/login/")
    _choose_language(page, "en")

    _choose_language(page, "zh-hans")

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "登录"
