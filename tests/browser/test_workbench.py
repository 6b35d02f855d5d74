"""The executor's workbench in Chromium: filter the list, open a case, reveal a debtor's number (audited)."""

from __future__ import annotations

import pytest

from zhixing.cases.tests.conftest import ADULT_ID
from zhixing.courts.choices import Role

pytestmark = pytest.mark.browser


def test_executor_filters_opens_a_case_and_reveals_the_id_once(
    page, log_in, courts, make_staff, file_case, debtor, audit_rows
):
    executor = make_staff(courts.wenxian, Role.EXECUTOR, username="wx_exec", name="赵文博")
    case = file_case(courts.wenxian)
    file_case(courts.wuzhi, basis_document_number="（2026）豫0823民初9号")  # another court: never listed
    log_in("wx_exec")

    page.goto("/cases/")
    page.fill("[name=party]", "张")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    rows = page.locator("table.list tbody tr")

    assert rows.count() == 1
    assert "（2026）豫0825执1号" in rows.first.inner_text()

    page.get_by_role("link", name="（2026）豫0825执1号").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert ADULT_ID not in page.locator("main").inner_text()

    page.get_by_test_id(f"reveal-{debtor.pk}").click()
    page.get_by_text(ADULT_ID).wait_for()

    revealed = audit_rows("cases.party.identity_revealed")
    assert [(r["actor_id"], r["subject_id"]) for r in revealed] == [(executor.pk, str(debtor.pk))]
