"""A clerk files a case in Chromium: bad input is explained field by field and kept; the case page follows."""

from __future__ import annotations

import re

import pytest

from zhixing.cases.tests.conftest import ADULT_ID, CREDIT_CODE
from zhixing.courts.choices import Role

pytestmark = pytest.mark.browser


def _fill_case(page, *, debtor_id: str) -> None:
    page.select_option("[name=type_code]", "执")
    page.fill("[name=application_received_on]", "2026-11-20")
    page.fill("[name=amount_claimed]", "8,000.50")
    page.fill("[name=basis_issuing_body]", "温县人民法院")
    page.fill("[name=basis_document_number]", "（2026）豫0825民初321号")
    page.select_option("[name=basis_kind]", "litigation")
    page.fill("[name=basis_effective_on]", "2026-09-01")
    page.fill("[name=basis_obligations]", "被告张伟于判决生效之日起十日内偿还原告借款8000.50元。")
    page.select_option("[name=applicants-0-kind]", "legal_person")
    page.fill("[name=applicants-0-name]", "温县农村商业银行股份有限公司")
    page.fill("[name=applicants-0-credit_code]", CREDIT_CODE)
    page.select_option("[name=debtors-0-kind]", "natural_person")
    page.fill("[name=debtors-0-name]", "张伟")
    page.fill("[name=debtors-0-id_number]", debtor_id)


def test_clerk_files_a_case_and_lands_on_its_page(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.FILING_CLERK, username="wx_clerk", name="李晓岚")
    log_in("wx_clerk")

    page.goto("/cases/file/")
    _fill_case(page, debtor_id=ADULT_ID)
    with page.expect_navigation():
        page.get_by_role("button", name="立案", exact=True).click()

    assert re.search(r"/cases/\d+/$", page.url)
    assert page.locator("h1").inner_text().startswith("（2026）豫0825执1号")
    body = page.locator("main").inner_text()
    assert "张伟" in body
    assert f"{ADULT_ID[:6]}********{ADULT_ID[-4:]}" in body
    assert ADULT_ID not in body
    assert "简案" in body  # 8,000.50 元 is under the default small-claim threshold


def test_a_wrong_id_number_is_named_and_everything_typed_is_kept(page, log_in, courts, make_staff):
    make_staff(courts.wenxian, Role.FILING_CLERK, username="wx_clerk", name="李晓岚")
    log_in("wx_clerk")
    wrong = ADULT_ID[:-1] + ("0" if ADULT_ID[-1] != "0" else "1")

    page.goto("/cases/file/")
    _fill_case(page, debtor_id=wrong)
    page.get_by_role("button", name="立案", exact=True).click()
    page.wait_for_load_state()

    assert page.url.endswith("/cases/file/")
    assert "校验位" in page.locator("main").inner_text()
    assert page.input_value("[name=debtors-0-id_number]") == wrong
    assert page.input_value("[name=basis_document_number]") == "（2026）豫0825民初321号"
    assert page.input_value("[name=amount_claimed]") == "8,000.50"
