"""
Excel export of the 超6个月未执结 ledger (seed 001 §9: 逐案建立台帐): the filtered list, bounded, audited.

The workbook is written in openpyxl's write-only mode with a Chinese header row; dates are real dates
(``yyyy-mm-dd``) and the days past the six months a number, so that the sheet sorts and sums. Above
``EXPORT_MAX_ROWS`` entries the export is refused; each export is recorded (``flow.ledger.exported``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils.timezone import localdate, localtime
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zhixing.audit.services import record
from zhixing.core.errors import ValidationFailed
from zhixing.courts.access import CourtScope
from zhixing.flow.choices import LedgerStatus
from zhixing.flow.models import OverdueLedgerEntry
from zhixing.flow.selectors import ledger_entries

EXPORT_MAX_ROWS = 20_000
HEADER = (
    "案号", "法院", "承办团队", "承办人", "满六个月日", "入账日", "超期天数", "状态",
    "评查意见、报备情况", "评查人", "评查时间", "报备时间",
)  # fmt: skip
_WIDTHS = (26, 18, 14, 10, 12, 12, 10, 14, 40, 10, 18, 18)


class LedgerExportTooLarge(ValidationFailed):
    """More ledger entries than an export may hold."""

    code = "export_too_large"


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerExport:
    """An exported workbook and how many entries it holds."""

    content: bytes
    row_count: int
    file_name: str


def _values(entry: OverdueLedgerEntry, *, today: date) -> list[Any]:
    case = entry.case
    return [
        case.number,
        entry.court.name,
        case.team.name if case.team else "",
        case.executor.name if case.executor else "",
        entry.due_on,
        entry.entered_on,
        None if entry.status == LedgerStatus.CLOSED else (today - entry.due_on).days,
        str(entry.get_status_display()),
        entry.review_note,
        entry.reviewed_by.name if entry.reviewed_by else "",
        localtime(entry.reviewed_at).replace(tzinfo=None) if entry.reviewed_at else None,
        localtime(entry.reported_at).replace(tzinfo=None) if entry.reported_at else None,
    ]


def _cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int):
        cell.number_format = "0"
    return cell


def ledger_export(*, scope: CourtScope, status: str, actor: Any, at: datetime) -> LedgerExport:
    """
    Return the ledger entries of the courts ``scope`` may read (``status`` filter optional) as .xlsx; record it.

    :raises LedgerExportTooLarge: when more than ``EXPORT_MAX_ROWS`` entries match (nothing is recorded)
    """
    entries = ledger_entries(court_ids=scope.readable_court_ids, status=status)
    if entries[: EXPORT_MAX_ROWS + 1].count() > EXPORT_MAX_ROWS:
        message = f"符合条件的台帐超过{EXPORT_MAX_ROWS:,}条，无法导出。请按状态筛选后再导出。"
        raise LedgerExportTooLarge(message, fields={"status": message})
    today = localdate(at)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("超6个月未执结台帐")
    for index, width in enumerate(_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append(HEADER)
    count = 0
    for entry in entries.iterator(chunk_size=1000):
        sheet.append([_cell(sheet, value) for value in _values(entry, today=today)])
        count += 1
    buffer = BytesIO()
    book.save(buffer)
    with transaction.atomic():
        record(
            action="flow.ledger.exported",
            at=at,
            actor=actor,
            court_id=scope.court.pk if scope.court is not None else None,
            data={"status": status, "rows": count, "courts": sorted(scope.readable_court_ids)},
        )
    return LedgerExport(content=buffer.getvalue(), row_count=count, file_name=f"超6个月未执结台帐_{today:%Y%m%d}.xlsx")
