"""Case documents: built from the case, one per addressee, opened and read; the panel and its permissions."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from zhixing.cases.choices import CaseStatus, PartyKind
from zhixing.cases.services import case_document_generate, case_transition, party_register
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.courts.choices import Role
from zhixing.documents.models import GeneratedDocument


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text_of(document: GeneratedDocument) -> str:
    with document.file.open("rb") as handle:
        parsed = Document(io.BytesIO(handle.read()))
    cells = [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in parsed.paragraphs] + cells)


@pytest.fixture
def second_debtor(at):
    return party_register(
        kind=PartyKind.LEGAL_PERSON,
        name="焦作市某某建材有限公司",
        credit_code="914108112HD1TJ3Y9X",
        actor=None,
        at=at,
    )


def test_execution_notice_one_per_debtor(courts, file_case, at, debtor, second_debtor, audit_rows):
    case = file_case(courts.wenxian, debtors=[debtor, second_debtor], costs=Decimal("2300.00"))
    documents = case_document_generate(case=case, template_code="execution_notice", actor=None, at=at)
    assert [d.title for d in documents] == ["执行通知书", "执行通知书"]
    assert {d.case_id for d in documents} == {case.pk}
    first, second = (text_of(d) for d in documents)
    for text in (first, second):
        assert "（2026）豫0825执1号" in text
        assert "温县农村商业银行股份有限公司" in text
        assert "人民币壹拾万元整" in text
        assert "100,000.00" in text
    assert "张三" in first
    assert "焦作市某某建材有限公司" not in first
    assert "焦作市某某建材有限公司" in second
    rows = audit_rows("cases.case.document_generated")
    assert [(r["case_id"], r["subject_id"]) for r in rows] == [(case.pk, str(d.pk)) for d in documents]


def test_property_report_order_per_debtor(courts, file_case, at):
    case = file_case(courts.wenxian)
    [document] = case_document_generate(case=case, template_code="property_report_order", actor=None, at=at)
    text = text_of(document)
    assert document.title == "报告财产令"
    assert "（2026）豫0825执1号" in text
    assert "张三" in text
    assert "人民币壹拾万元整" in text


def test_acceptance_notice_to_applicant(courts, file_case, at):
    case = file_case(courts.wenxian)
    [document] = case_document_generate(case=case, template_code="acceptance_notice", actor=None, at=at)
    text = text_of(document)
    assert document.title == "受理通知书"
    assert "温县农村商业银行股份有限公司" in text
    assert "张三" in text
    assert "人民币壹拾万元整" in text


def test_unknown_template_refused(courts, file_case, at):
    case = file_case(courts.wenxian)
    with pytest.raises(ValidationFailed) as error:
        case_document_generate(case=case, template_code="ruling", actor=None, at=at)
    assert error.value.fields == {"template_code": "不是案件文书"}
    assert GeneratedDocument.objects.count() == 0


def test_withdrawn_case_refused(courts, file_case, at):
    case = file_case(courts.wenxian)
    case_transition(case=case, to=CaseStatus.DEFERRED, actor=None, at=at, reason="暂缓")
    case_transition(case=case, to=CaseStatus.WITHDRAWN, actor=None, at=at, reason="撤回")
    with pytest.raises(Conflict):
        case_document_generate(case=case, template_code="execution_notice", actor=None, at=at)
    assert GeneratedDocument.objects.count() == 0


def test_panel_lists_documents_with_addressee_and_download(client, courts, file_case, make_staff, at, debtor):
    case = file_case(courts.wenxian)
    [document] = case_document_generate(case=case, template_code="execution_notice", actor=None, at=at)
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    body = client.get(reverse("cases:documents", args=[case.pk])).content.decode()
    assert "<td>执行通知书</td><td>张三</td>" in body
    assert f'href="/documents/{document.pk}/download/"' in body
    assert document.sm3[:12] in body
    assert "生成受理通知书" in body


def test_panel_hides_buttons_from_reviewer(client, courts, file_case, make_staff):
    case = file_case(courts.wenxian)
    client.force_login(make_staff(courts.wenxian, Role.REVIEWER))
    body = client.get(reverse("cases:documents", args=[case.pk])).content.decode()
    assert 'data-testid="documents-generate"' not in body


def test_generate_post_by_filing_clerk(client, courts, file_case, make_staff):
    case = file_case(courts.wenxian)
    client.force_login(make_staff(courts.wenxian, Role.FILING_CLERK))
    response = client.post(reverse("cases:document_generate", args=[case.pk]), {"template_code": "acceptance_notice"})
    assert response.status_code == 200
    assert "<td>受理通知书</td><td>温县农村商业银行股份有限公司</td>" in response.content.decode()
    assert GeneratedDocument.objects.filter(case_id=case.pk).count() == 1


def test_generate_post_bad_template_refused(client, courts, file_case, make_staff):
    case = file_case(courts.wenxian)
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    response = client.post(reverse("cases:document_generate", args=[case.pk]), {"template_code": "x"})
    assert response.status_code == 400
    assert "不是可生成的案件文书。" in response.content.decode()
    assert GeneratedDocument.objects.count() == 0
