"""
Browser tests: Playwright drives Debian's Chromium (``/usr/bin/chromium``) against pytest-django's live server.

No browser is ever downloaded. Without ``/usr/bin/chromium`` the tests are skipped, unless
``ZHIXING_REQUIRE_SERVICES=1`` (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """
    Start one headless Chromium per test module.

    Playwright's sync API keeps an asyncio loop registered as running in this thread while it is
    started, which Django's async-safety guard mistakes for async code around the ORM calls tests make
    to arrange data. Those calls are synchronous, so the guard is lifted while the browser runs — and
    only then: the browser stops with its module, so later tests keep the guard.
    """
    if not CHROMIUM.exists():
        if os.environ.get("ZHIXING_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """Return a fresh page (own cookies, Chinese locale) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page) -> Callable[..., None]:
    """Return a function that logs ``username`` in through the login form."""
    from conftest import PASSWORD

    def submit(username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button[type=submit]")

    return submit


# The cases app's fixtures (a filed case, its parties) for the workbench pages.
from zhixing.cases.tests.conftest import applicant, debtor, file_case  # noqa: E402, F401
