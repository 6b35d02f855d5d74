"""
The documents the system can generate: a registry in code, reviewed like code and fixed by law.

Each entry names its .docx template under ``templates_docx/`` (built by ``build_templates.py``), the
context fields the caller must supply, and the legal basis the document rests on. The caller passes a
plain mapping (cases will build it from a case); ``document_generate`` checks it against ``FIELDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates_docx"


class FieldKind(StrEnum):
    """How a context field is checked and shown."""

    TEXT = "text"  # a non-blank string
    CASE_NUMBER = "case_number"  # a 案号 of the generating court, shown in the official form
    MONEY = "money"  # a non-negative Decimal (or text parse_amount accepts), shown in figures and capitals
    DATE = "date"  # a datetime.date, shown as 2026年3月5日 in the body
    DAYS = "days"  # a positive whole number of days


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldSpec:
    """One context field: its key, its Chinese name (used in every message) and its kind."""

    key: str
    label: str
    kind: FieldKind


#: Every field a template may require, by key.
FIELDS: Final[dict[str, FieldSpec]] = {
    spec.key: spec
    for spec in (
        FieldSpec(key="case_number", label="案号", kind=FieldKind.CASE_NUMBER),
        FieldSpec(key="applicant_name", label="申请执行人", kind=FieldKind.TEXT),
        FieldSpec(key="respondent_name", label="被执行人", kind=FieldKind.TEXT),
        FieldSpec(key="basis_issuer", label="执行依据作出机关", kind=FieldKind.TEXT),
        FieldSpec(key="basis_number", label="执行依据文书编号", kind=FieldKind.TEXT),
        FieldSpec(key="basis_effective_on", label="执行依据生效日期", kind=FieldKind.DATE),
        FieldSpec(key="obligations", label="执行依据确定的义务", kind=FieldKind.TEXT),
        FieldSpec(key="amount", label="执行标的金额", kind=FieldKind.MONEY),
        FieldSpec(key="costs", label="申请执行费", kind=FieldKind.MONEY),
        FieldSpec(key="filed_on", label="立案日期", kind=FieldKind.DATE),
        FieldSpec(key="report_deadline_days", label="报告财产期限（日）", kind=FieldKind.DAYS),
        FieldSpec(key="document_date", label="落款日期", kind=FieldKind.DATE),
    )
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentTemplate:
    """A document the system generates: code, title, template file, required fields and legal basis."""

    code: str
    title: str
    filename: str
    required: tuple[str, ...]
    basis: str

    @property
    def path(self) -> Path:
        """Return the committed .docx template's path."""
        return TEMPLATES_DIR / self.filename


_BASIS_FIELDS: Final = ("basis_issuer", "basis_number", "basis_effective_on")

TEMPLATES: Final[dict[str, DocumentTemplate]] = {
    template.code: template
    for template in (
        DocumentTemplate(
            code="acceptance_notice",
            title="受理通知书",
            filename="acceptance_notice.docx",
            required=(
                "case_number", "applicant_name", "respondent_name", *_BASIS_FIELDS,
                "amount", "costs", "filed_on", "document_date",
            ),
            basis="《最高人民法院关于人民法院执行工作若干问题的规定（试行）》（2020年修正）；《诉讼费用交纳办法》第二十条",
        ),
        DocumentTemplate(
            code="execution_notice",
            title="执行通知书",
            filename="execution_notice.docx",
            required=(
                "case_number", "applicant_name", "respondent_name", *_BASIS_FIELDS,
                "obligations", "amount", "costs", "filed_on", "document_date",
            ),
            basis=(
                "《中华人民共和国民事诉讼法》（2023年修正）第二百六十四条；"
                "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》（2022年修正）第四百八十条；"
                "《最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释》第一条（日万分之一点七五）"
            ),
        ),
        DocumentTemplate(
            code="property_report_order",
            title="报告财产令",
            filename="property_report_order.docx",
            required=(
                "case_number", "applicant_name", "respondent_name", "basis_issuer", "basis_number",
                "amount", "report_deadline_days", "document_date",
            ),
            basis=(
                "《中华人民共和国民事诉讼法》（2023年修正）第二百五十二条；"
                "《最高人民法院关于民事执行中财产调查若干问题的规定》（2020年修正）第三条、第五条"
            ),
        ),
    )
}
