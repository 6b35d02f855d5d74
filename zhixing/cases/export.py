"""
Excel export of the workbench list: the current filters, masked numbers only, bounded, audited.

The workbook is written in openpyxl's write-only mode (rows streamed into the file, not held as cells),
reading the list a keyset page at a time; above ``EXPORT_MAX_ROWS`` the export is refused with a message
asking for narrower filters. Each export is recorded (``cases.list.exported``) with its filters and row count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils.timezone import localdate
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zhixing.audit.services import record
from zhixing.cases.selectors import CaseFilters, CaseRow, case_count, case_list
from zhixing.core.errors import ValidationFailed
from zhixing.courts.access import CourtScope

EXPORT_MAX_ROWS = 50_000
_CHUNK = 1000
HEADER = (
    "案号", "法院", "案件类型", "状态", "繁简分流", "立案日期", "执行期限届满日", "是否超期",
    "申请执行标的额（元）", "申请执行人", "被执行人", "被执行人证件号码（脱敏）", "承办团队", "承办人",
)  # fmt: skip


class ExportTooLarge(ValidationFailed):
    """More rows than an export may hold."""

    code = "export_too_large"


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseExport:
    """An exported workbook and how many cases it holds."""

    content: bytes
    row_count: int
    file_name: str


def _values(row: CaseRow) -> list[Any]:
    return [
        row.number,
        row.court_name,
        row.type_label,
        row.status_label,
        row.triage_label,
        row.filed_on,
        row.period_ends_on,
        "是" if row.overdue else "否",
        row.amount_claimed,
        "、".join(p.name for p in row.applicants),
        "、".join(p.name for p in row.debtors),
        "、".join(p.identifier for p in row.debtors if p.identifier),
        row.team_name,
        row.executor_name,
    ]


def _cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif not isinstance(value, str) and value is not None:
        cell.number_format = "#,##0.00"
    return cell


def case_list_export(*, scope: CourtScope, filters: CaseFilters, actor: Any, at: datetime) -> CaseExport:
    """
    Return the cases ``scope`` may read that match ``filters`` as an .xlsx workbook, and record the export.

    :raises ExportTooLarge: when more than ``EXPORT_MAX_ROWS`` cases match (nothing is recorded)
    """
    if case_count(scope=scope, filters=filters, cap=EXPORT_MAX_ROWS) > EXPORT_MAX_ROWS:
        message = (
            f"符合条件的案件超过{EXPORT_MAX_ROWS:,}件，无法导出。请缩小筛选范围（如立案日期、状态或承办人）后再导出。"
        )
        raise ExportTooLarge(message, fields={"filters": message})
    today = localdate(at)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("执行案件")
    sheet.append(HEADER)
    count, after = 0, None
    while True:
        page = case_list(scope=scope, filters=filters, after=after, limit=_CHUNK, today=today)
        for row in page.rows:
            sheet.append([_cell(sheet, value) for value in _values(row)])
        count += len(page.rows)
        after = page.next_cursor
        if after is None or count >= EXPORT_MAX_ROWS:
            break
    buffer = BytesIO()
    book.save(buffer)
    with transaction.atomic():
        record(
            action="cases.list.exported",
            at=at,
            actor=actor,
            court_id=scope.court.pk if scope.court is not None else None,
            data={"filters": filters.as_audit_data(), "rows": count},
        )
    return CaseExport(content=buffer.getvalue(), row_count=count, file_name=f"执行案件_{today:%Y%m%d}.xlsx")
