"""
Generating and handing out documents: each act is atomic and audited, each file is hashed with SM3.

Files are stored under a content address (``models.document_path``), written before the row. If the
transaction then rolls back, the file stays behind unreferenced; that is harmless, because the path
is the hash of the bytes: it never holds anything else, and the next generation of the same bytes
reuses it. Deleting it on rollback would be wrong, since another row may point to the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from zhixing.audit.chain import sm3_hex
from zhixing.audit.services import record
from zhixing.core.case_number import InvalidCaseNumber, parse_case_number
from zhixing.core.chinese_date import chinese_date
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.core.money import InvalidAmount, format_amount, parse_amount, to_chinese_capital
from zhixing.courts.access import CourtScope
from zhixing.courts.models import Court
from zhixing.documents.catalogue import FIELDS, TEMPLATES, DocumentTemplate, FieldKind, FieldSpec
from zhixing.documents.models import GeneratedDocument, document_path
from zhixing.documents.rendering import docx_render
from zhixing.documents.selectors import document_get


class DocumentTampered(Conflict):
    """The stored file no longer hashes to the recorded SM3 digest: it was changed or damaged on disk."""

    code = "document_tampered"


def _body_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _field_value(spec: FieldSpec, value: Any, *, court: Court) -> tuple[dict[str, Any], str | None]:
    """Return the template variables for one supplied field, or the Chinese reason it is refused."""
    label = spec.label
    if spec.kind is FieldKind.TEXT:
        if not isinstance(value, str):
            return {}, f"“{label}”应为文字"
        return {spec.key: value.strip()}, None
    if spec.kind is FieldKind.CASE_NUMBER:
        try:
            number = parse_case_number(str(value))
        except InvalidCaseNumber as error:
            return {}, f"“{label}”有误：{error.message}"
        if number.court_code != court.code:
            return {}, f"“{label}”{number}的法院代字不是本院（{court.code}）"
        return {spec.key: number.format()}, None
    if spec.kind is FieldKind.MONEY:
        try:
            amount = value if isinstance(value, Decimal) else parse_amount(str(value))
        except InvalidAmount as error:
            return {}, f"“{label}”有误：{error.message}"
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            return {}, f"“{label}”应为不小于零、最多两位小数的金额"
        return {f"{spec.key}_figures": format_amount(amount), f"{spec.key}_capital": to_chinese_capital(amount)}, None
    if spec.kind is FieldKind.DATE:
        if not isinstance(value, date) or isinstance(value, datetime):
            return {}, f"“{label}”应为日期"
        text = chinese_date(value) if spec.key == "document_date" else _body_date(value)
        return {spec.key: text}, None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:  # FieldKind.DAYS
        return {}, f"“{label}”应为正整数"
    return {spec.key: str(value)}, None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def document_context(*, court: Court, template: DocumentTemplate, context: Mapping[str, Any]) -> dict[str, Any]:
    """
    Return the template variables for ``template`` from the caller's ``context``, checked against the catalogue.

    :raises ValidationFailed: naming, in Chinese, every missing or invalid field (``fields`` keyed by field)
    """
    variables: dict[str, Any] = {"court_name": court.name, "title": template.title}
    problems: dict[str, str] = {}
    for key in template.required:
        spec = FIELDS[key]
        if _blank(context.get(key)):
            problems[key] = f"缺少“{spec.label}”"
            continue
        values, problem = _field_value(spec, context[key], court=court)
        if problem is not None:
            problems[key] = problem
        variables.update(values)
    if problems:
        raise ValidationFailed(f"无法生成《{template.title}》：" + "；".join(problems.values()), fields=problems)
    return variables


def _store(content: bytes, *, sm3: str) -> str:
    """Write ``content`` at its content address (reusing an intact copy) and return the storage name."""
    name = document_path(sm3)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if sm3_hex(existing.read()) == sm3:
                return name
        default_storage.delete(name)  # a damaged copy: replace it with the bytes the address stands for
    return default_storage.save(name, ContentFile(content))


def document_generate(
    *,
    court: Court,
    template_code: str,
    context: Mapping[str, Any],
    actor: Any,
    at: datetime,
    case_id: int | None = None,
    addressee: str = "",
) -> GeneratedDocument:
    """
    Render ``template_code`` for ``court`` with ``context``, store the file with its SM3 hash, and audit it.

    ``context`` is a plain mapping of the catalogue's fields (``catalogue.FIELDS``); nothing is saved
    when a field is missing or invalid.

    :raises ValidationFailed: for an unknown template, or naming each missing or invalid field in Chinese
    """
    template = TEMPLATES.get(template_code)
    if template is None:
        raise ValidationFailed(f"没有编号为“{template_code}”的文书模板", fields={"template_code": "文书模板不存在"})
    variables = document_context(court=court, template=template, context=context)
    content = docx_render(template_path=template.path, context=variables)
    sm3 = sm3_hex(content)
    name = _store(content, sm3=sm3)  # before the transaction: the file write holds no lock
    with transaction.atomic():
        document = GeneratedDocument.objects.create(
            court=court,
            case_id=case_id,
            template_code=template.code,
            title=template.title,
            document_number=variables.get("case_number", ""),
            addressee=addressee.strip()[:200],
            file=name,
            sm3=sm3,
            size=len(content),
            generated_by=actor,
            generated_at=at,
        )
        record(
            action="documents.document.generated",
            at=at,
            actor=actor,
            court_id=court.pk,
            case_id=case_id,
            subject=document,
            data={"template": template.code, "sm3": sm3, "size": len(content), "file": name},
        )
    return document


@dataclass(frozen=True, slots=True)
class Download:
    """The bytes of a document, checked against its hash, and the name to offer them under."""

    filename: str
    content: bytes


def document_download(*, scope: CourtScope, document_id: int, actor: Any, at: datetime) -> Download:
    """
    Return document ``document_id`` for download after checking its bytes against the recorded SM3 hash.

    A good download is recorded as ``documents.document.downloaded``; a mismatch is recorded as
    ``documents.document.tamper_detected`` (in its own transaction, so that the record survives the refusal).

    :raises Http404: when the document is outside ``scope``
    :raises DocumentTampered: when the file is missing or its hash differs from the recorded one
    """
    document = document_get(scope=scope, document_id=document_id)
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        content = b""
    actual = sm3_hex(content) if content else ""
    audit = {"sm3": document.sm3, "file": document.file.name}
    if actual != document.sm3:
        with transaction.atomic():
            record(
                action="documents.document.tamper_detected",
                at=at,
                actor=actor,
                court_id=document.court_id,
                case_id=document.case_id,
                subject=document,
                data={**audit, "actual_sm3": actual or None},
            )
        raise DocumentTampered(
            f"《{document.title}》{document.document_number}的存档文件与生成时记录的 SM3 摘要不一致，"
            "可能已被篡改或损坏，已拒绝下载并记录在案。请联系本院系统管理员。"
        )
    with transaction.atomic():
        record(
            action="documents.document.downloaded",
            at=at,
            actor=actor,
            court_id=document.court_id,
            case_id=document.case_id,
            subject=document,
            data=audit,
        )
    return Download(filename=document.download_name, content=content)
