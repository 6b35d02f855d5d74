import io
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from zhixing.audit.chain import sm3_hex
from zhixing.core.errors import ValidationFailed
from zhixing.courts.choices import Role
from zhixing.documents.catalogue import TEMPLATES
from zhixing.documents.models import GeneratedDocument
from zhixing.documents.services import document_generate


def _paragraphs(document: GeneratedDocument) -> list[str]:
    with document.file.open("rb") as handle:
        return [p.text for p in Document(io.BytesIO(handle.read())).paragraphs]


@pytest.fixture
def clerk(courts, make_staff):
    return make_staff(courts.wenxian, Role.EXECUTOR, name="李执行")


def test_execution_notice_text(courts, clerk, context, at):
    document = document_generate(
        court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at, case_id=7
    )
    text = _paragraphs(document)
    assert text[:4] == ["温县人民法院", "执行通知书", "（2026）豫0825执123号", "焦作市某某建材有限公司："]
    assert text[4] == (
        "温县人民法院作出的（2026）豫0825民初456号民事判决书已于2026年9月30日发生法律效力。"
        "申请执行人张三向本院申请强制执行，本院于2026年11月20日依法立案执行。"
        "依照《中华人民共和国民事诉讼法》第二百五十一条、第二百六十四条和《最高人民法院关于适用"
        "〈中华人民共和国民事诉讼法〉的解释》第四百八十条的规定，责令你（单位）自收到本通知之日起立即履行下列义务："
    )
    assert text[5] == f"一、履行生效法律文书确定的义务：{context['obligations']}"
    assert text[6] == "二、支付执行标的金额人民币100,000.00元（人民币壹拾万元整）；"
    assert text[7] == "三、负担申请执行费人民币1,800.00元（人民币壹仟捌佰元整）；"
    assert "日万分之一点七五（0.0175%）" in text[8]
    assert "如实报告当前以及收到本通知之日前一年的财产情况" in text[9]
    assert "罚款、拘留" in text[9]
    assert text[-4:] == ["逾期不履行的，本院将依法强制执行。", "特此通知。", "二〇二六年十一月二十三日", "（院印）"]
    assert document.title == "执行通知书"
    assert document.document_number == "（2026）豫0825执123号"
    assert document.case_id == 7
    assert document.generated_by == clerk
    assert document.generated_at == at


def test_acceptance_notice_text(courts, clerk, context, at):
    document = document_generate(
        court=courts.wenxian, template_code="acceptance_notice", context=context, actor=clerk, at=at
    )
    text = _paragraphs(document)
    assert text[:4] == ["温县人民法院", "受理通知书", "（2026）豫0825执123号", "张三："]
    assert text[4] == (
        "你（单位）申请执行焦作市某某建材有限公司一案，执行依据为温县人民法院作出的（2026）豫0825民初456号民事判决书，"
        "该法律文书已于2026年9月30日发生法律效力。本院经审查，符合受理条件，已于2026年11月20日立案执行，"
        "案号为（2026）豫0825执123号。申请执行标的金额为人民币100,000.00元（人民币壹拾万元整）。现将有关事项通知如下："
    )
    assert text[5] == (
        "一、申请执行费人民币1,800.00元（人民币壹仟捌佰元整），依照《诉讼费用交纳办法》第二十条的规定，"
        "执行后交纳，由被执行人负担。"
    )
    assert text[-3:] == ["特此通知。", "二〇二六年十一月二十三日", "（院印）"]


def test_property_report_order_text(courts, clerk, context, at):
    document = document_generate(
        court=courts.wenxian, template_code="property_report_order", context=context, actor=clerk, at=at
    )
    text = _paragraphs(document)
    assert text[:4] == ["温县人民法院", "报告财产令", "（2026）豫0825执123号", "焦作市某某建材有限公司："]
    assert text[4] == (
        "本院受理申请执行人张三申请执行温县人民法院作出的（2026）豫0825民初456号民事判决书一案，"
        "你（单位）未履行的金钱债务为人民币100,000.00元（人民币壹拾万元整）。"
        "依照《中华人民共和国民事诉讼法》第二百五十二条和《最高人民法院关于民事执行中财产调查若干问题的规定》"
        "第三条、第五条的规定，责令你（单位）自收到本令之日起5日内，"
        "向本院如实书面报告当前以及收到执行通知之日前一年的财产情况。"
    )
    assert "拒绝报告、虚假报告或者无正当理由逾期报告财产情况的" in text[-4]
    assert "纳入失信被执行人名单" in text[-4]
    assert text[-3:] == ["此令。", "二〇二六年十一月二十三日", "（院印）"]


def test_recorded_hash_is_sm3_of_the_stored_file_and_is_audited(courts, clerk, context, at, audit_rows, media_root):
    document = document_generate(
        court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at, case_id=7
    )
    stored = Path(media_root, document.file.name).read_bytes()
    assert document.sm3 == sm3_hex(stored)
    assert document.size == len(stored)
    assert document.file.name == f"documents/sm3/{document.sm3[:2]}/{document.sm3[2:4]}/{document.sm3}.docx"
    [row] = audit_rows("documents.document.generated")
    assert row["court_id"] == courts.wenxian.pk
    assert row["case_id"] == 7
    assert row["actor_id"] == clerk.pk
    assert row["subject_id"] == str(document.pk)
    assert row["subject_label"] == "执行通知书（2026）豫0825执123号"
    assert row["at"] == at
    assert f'"sm3":"{document.sm3}"' in row["data"]


def test_regenerating_makes_a_new_row_sharing_the_same_file(courts, clerk, context, at, audit_rows):
    first = document_generate(
        court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at
    )
    second = document_generate(
        court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at
    )
    assert first.pk != second.pk
    assert (first.sm3, first.file.name) == (second.sm3, second.file.name)
    assert GeneratedDocument.objects.count() == 2
    assert len(audit_rows("documents.document.generated")) == 2


def test_missing_fields_are_named_and_nothing_is_saved(courts, clerk, context, at, audit_rows, media_root):
    del context["respondent_name"]
    context["amount"] = None
    context["basis_number"] = "  "
    with pytest.raises(ValidationFailed) as caught:
        document_generate(court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at)
    assert caught.value.fields == {
        "respondent_name": "缺少“被执行人”",
        "basis_number": "缺少“执行依据文书编号”",
        "amount": "缺少“执行标的金额”",
    }
    assert caught.value.message == (
        "无法生成《执行通知书》：缺少“被执行人”；缺少“执行依据文书编号”；缺少“执行标的金额”"
    )
    assert GeneratedDocument.objects.count() == 0
    assert audit_rows("documents.document.generated") == []
    assert not Path(media_root).exists()


def test_invalid_values_are_refused(courts, clerk, context, at):
    context.update(
        case_number="（2026）鲁1329执5号", costs=Decimal("-1"), filed_on="2026-11-20", report_deadline_days=0
    )
    with pytest.raises(ValidationFailed) as caught:
        document_generate(
            court=courts.wenxian, template_code="property_report_order", context=context, actor=clerk, at=at
        )
    assert caught.value.fields == {
        "case_number": "“案号”（2026）鲁1329执5号的法院代字不是本院（豫0825）",
        "report_deadline_days": "“报告财产期限（日）”应为正整数",
    }
    with pytest.raises(ValidationFailed) as caught:
        document_generate(court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at)
    assert set(caught.value.fields) == {"case_number", "costs", "filed_on"}
    assert caught.value.fields["filed_on"] == "“立案日期”应为日期"
    assert GeneratedDocument.objects.count() == 0


def test_amount_as_text_is_parsed(courts, clerk, context, at):
    context["amount"] = "10万"
    document = document_generate(
        court=courts.wenxian, template_code="property_report_order", context=context, actor=clerk, at=at
    )
    assert "人民币100,000.00元（人民币壹拾万元整）" in _paragraphs(document)[4]


def test_unknown_template_is_refused(courts, clerk, context, at):
    with pytest.raises(ValidationFailed) as caught:
        document_generate(court=courts.wenxian, template_code="nonesuch", context=context, actor=clerk, at=at)
    assert caught.value.fields == {"template_code": "文书模板不存在"}
    assert GeneratedDocument.objects.count() == 0


def test_markup_in_names_is_escaped_not_interpreted(courts, clerk, context, at):
    context["respondent_name"] = "A&B <公司> {{ court_name }}"
    document = document_generate(
        court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at
    )
    assert _paragraphs(document)[3] == "A&B <公司> {{ court_name }}："


def test_every_catalogue_template_generates(courts, clerk, context, at):
    for code in TEMPLATES:
        document = document_generate(court=courts.wenxian, template_code=code, context=context, actor=clerk, at=at)
        assert _paragraphs(document)[1] == TEMPLATES[code].title
