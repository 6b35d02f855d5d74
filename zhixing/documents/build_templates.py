"""
Build the .docx templates under ``templates_docx/`` with python-docx; the output is committed.

Run ``.venv/bin/python -m zhixing.documents.build_templates`` after changing a text below, and commit
the files it writes; ``tests/test_templates.py`` fails when the committed files differ from what this
script builds. The texts carry docxtpl (Jinja) tags, each inside a single run so that Word cannot split it.

Layout follows court document practice: the court's name and the title centred in 小标宋 (falling back
to 宋体), the 案号 right-aligned, the body in 仿宋 三号 with a two-character first-line indent, the date of
signing in Chinese characters and the seal's place marked （院印）.
"""

from __future__ import annotations

import io
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhixing.documents.catalogue import TEMPLATES, DocumentTemplate
from zhixing.documents.rendering import normalized_zip

#: Fixed core properties, so that building twice gives the same bytes.
_BUILT_AT: Final = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))


class Block(Enum):
    """The kinds of paragraph a court document is made of."""

    COURT = "court"  # the court's name, centred, bold
    TITLE = "title"  # the document's title, centred, bold, larger
    NUMBER = "number"  # the 案号, right-aligned
    ADDRESSEE = "addressee"  # flush left
    BODY = "body"  # first-line indent of two characters
    SIGN = "sign"  # date and seal, right-aligned


_HEADER: Final = [
    (Block.COURT, "{{ court_name }}"),
]
_FOOTER: Final = [
    (Block.SIGN, "{{ document_date }}"),
    (Block.SIGN, "（院印）"),
]

TEXTS: Final[dict[str, list[tuple[Block, str]]]] = {
    "acceptance_notice": [
        *_HEADER,
        (Block.TITLE, "受理通知书"),
        (Block.NUMBER, "{{ case_number }}"),
        (Block.ADDRESSEE, "{{ applicant_name }}："),
        (
            Block.BODY,
            "你（单位）申请执行{{ respondent_name }}一案，执行依据为{{ basis_issuer }}作出的{{ basis_number }}，"
            "该法律文书已于{{ basis_effective_on }}发生法律效力。本院经审查，符合受理条件，已于{{ filed_on }}立案执行，"
            "案号为{{ case_number }}。申请执行标的金额为人民币{{ amount_figures }}元（{{ amount_capital }}）。"
            "现将有关事项通知如下：",
        ),
        (
            Block.BODY,
            "一、申请执行费人民币{{ costs_figures }}元（{{ costs_capital }}），依照《诉讼费用交纳办法》第二十条的规定，"
            "执行后交纳，由被执行人负担。",
        ),
        (
            Block.BODY,
            "二、申请执行人应当向本院提供其所了解的被执行人的财产状况或者财产线索；"
            "被执行人的财产状况发生变化的，应当及时告知本院。",
        ),
        (Block.BODY, "三、申请执行人的联系方式、送达地址发生变更的，应当及时书面告知本院。"),
        (Block.BODY, "四、执行中双方当事人自行达成和解协议的，申请执行人应当及时告知本院。"),
        (Block.BODY, "特此通知。"),
        *_FOOTER,
    ],
    "execution_notice": [
        *_HEADER,
        (Block.TITLE, "执行通知书"),
        (Block.NUMBER, "{{ case_number }}"),
        (Block.ADDRESSEE, "{{ respondent_name }}："),
        (
            Block.BODY,
            "{{ basis_issuer }}作出的{{ basis_number }}已于{{ basis_effective_on }}发生法律效力。"
            "申请执行人{{ applicant_name }}向本院申请强制执行，本院于{{ filed_on }}依法立案执行。"
            "依照《中华人民共和国民事诉讼法》第二百五十一条、第二百六十四条和《最高人民法院关于适用"
            "〈中华人民共和国民事诉讼法〉的解释》第四百八十条的规定，责令你（单位）自收到本通知之日起立即履行下列义务：",
        ),
        (Block.BODY, "一、履行生效法律文书确定的义务：{{ obligations }}"),
        (Block.BODY, "二、支付执行标的金额人民币{{ amount_figures }}元（{{ amount_capital }}）；"),
        (Block.BODY, "三、负担申请执行费人民币{{ costs_figures }}元（{{ costs_capital }}）；"),
        (
            Block.BODY,
            "四、加倍支付迟延履行期间的债务利息：按未履行的金钱债务，以日万分之一点七五（0.0175%）计算，"
            "自生效法律文书确定的履行期间届满之次日起至实际履行之日止。",
        ),
        (
            Block.BODY,
            "你（单位）应当按照本院报告财产令的要求，如实报告当前以及收到本通知之日前一年的财产情况。"
            "拒绝报告、虚假报告或者无正当理由逾期报告的，本院将根据情节轻重予以罚款、拘留，"
            "并依法纳入失信被执行人名单；构成犯罪的，依法追究刑事责任。",
        ),
        (Block.BODY, "逾期不履行的，本院将依法强制执行。"),
        (Block.BODY, "特此通知。"),
        *_FOOTER,
    ],
    "property_report_order": [
        *_HEADER,
        (Block.TITLE, "报告财产令"),
        (Block.NUMBER, "{{ case_number }}"),
        (Block.ADDRESSEE, "{{ respondent_name }}："),
        (
            Block.BODY,
            "本院受理申请执行人{{ applicant_name }}申请执行{{ basis_issuer }}作出的{{ basis_number }}一案，"
            "你（单位）未履行的金钱债务为人民币{{ amount_figures }}元（{{ amount_capital }}）。"
            "依照《中华人民共和国民事诉讼法》第二百五十二条和《最高人民法院关于民事执行中财产调查若干问题的规定》"
            "第三条、第五条的规定，责令你（单位）自收到本令之日起{{ report_deadline_days }}日内，"
            "向本院如实书面报告当前以及收到执行通知之日前一年的财产情况。",
        ),
        (
            Block.BODY,
            "应当报告的财产包括：（一）收入、银行存款、现金、理财产品、有价证券；（二）土地使用权、房屋等不动产；"
            "（三）交通运输工具、机器设备、产品、原材料等动产；（四）债权、股权、投资权益、基金份额、信托受益权、"
            "知识产权等财产性权利；（五）其他应当报告的财产。",
        ),
        (
            Block.BODY,
            "财产已出租、已设立担保物权等权利负担，或者存在共有、权属争议等情形的，应当一并报告；"
            "动产由第三人占有，或者不动产、特定动产、其他财产权等登记在第三人名下的，也应当一并报告。",
        ),
        (
            Block.BODY,
            "报告财产后，财产情况发生变动，影响申请执行人债权实现的，应当自变动之日起十日内向本院补充报告。"
            "在上述期限内提交书面报告确有困难的，可以向本院书面申请延长期限。",
        ),
        (
            Block.BODY,
            "你（单位）拒绝报告、虚假报告或者无正当理由逾期报告财产情况的，本院将根据情节轻重对你（单位）"
            "或者你单位的主要负责人、直接责任人员予以罚款、拘留，并依法纳入失信被执行人名单；"
            "构成犯罪的，依法追究刑事责任。",
        ),
        (Block.BODY, "此令。"),
        *_FOOTER,
    ],
}


def _set_font(style: object, *, east_asian: str, size: float, bold: bool = False) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = "Times New Roman"
    font.size = Pt(size)
    font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), east_asian)


def build(template: DocumentTemplate) -> bytes:
    """Return the .docx template for ``template``, with reproducible bytes."""
    document = Document()
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = template.title, "执行", "执行"
    properties.created = properties.modified = _BUILT_AT
    properties.revision = 1
    styles = document.styles
    _set_font(styles["Normal"], east_asian="仿宋", size=16)
    for block in Block:
        style = styles.add_style(f"zx-{block.value}", 1)  # 1: paragraph style
        style.base_style = styles["Normal"]
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), Pt(28)
        if block is Block.COURT:
            _set_font(style, east_asian="方正小标宋简体", size=22, bold=True)
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block is Block.TITLE:
            _set_font(style, east_asian="方正小标宋简体", size=26, bold=True)
            fmt.alignment, fmt.space_before, fmt.space_after = WD_ALIGN_PARAGRAPH.CENTER, Pt(6), Pt(12)
        elif block in (Block.NUMBER, Block.SIGN):
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block is Block.BODY:
            fmt.first_line_indent = Pt(32)  # two characters of 三号
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for block, text in TEXTS[template.code]:
        document.add_paragraph(style=f"zx-{block.value}").add_run(text)
    out = io.BytesIO()
    document.save(out)
    return normalized_zip(out.getvalue())


def main() -> None:
    """Write every catalogue template to ``templates_docx/``."""
    for template in TEMPLATES.values():
        Path(template.path).write_bytes(build(template))


if __name__ == "__main__":
    main()
