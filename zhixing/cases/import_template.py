"""
The Excel side of the bulk import: the template, the reader and the error report (openpyxl).

One row per case, from row 2; headers in Chinese (row 1). A case has one applicant and one or two
debtors here — the columns a migrated docket usually has; richer cases are filed one by one. The reader
turns cells into :class:`~zhixing.cases.inputs.CaseFilingInput` values and reports what it cannot read
(a date that is not a date) with the same field paths the filing rules use, so that the error report
names the Excel row and column of every problem, whichever step found it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from zhixing.cases.choices import BasisKind, CaseType, DebtorAttitude, PartyKind
from zhixing.cases.inputs import CaseFilingInput, PartyInput
from zhixing.cases.services import ImportProblem
from zhixing.core.errors import ValidationFailed
from zhixing.core.money import InvalidAmount, parse_amount

MAX_ROWS: Final = 20_000
MAX_BYTES: Final = 20 * 1024 * 1024
FIRST_ROW: Final = 2

_CASE_COLUMNS: Final = (
    ("type_code", "案件类型代字"),
    ("application_received_on", "收到申请日期"),
    ("amount_claimed", "申请执行标的额（元）"),
    ("costs", "执行费用（元）"),
    ("basis_issuing_body", "执行依据作出机关"),
    ("basis_document_number", "执行依据文书号"),
    ("basis_effective_on", "执行依据生效日期"),
    ("basis_performance_due_on", "履行期限届满日"),
    ("basis_kind", "执行依据类别"),
    ("basis_obligations", "执行依据确定的义务"),
    ("trial_case_number", "原审案号"),
    ("debtor_attitude", "被执行人履行态度"),
)
_PARTY_COLUMNS: Final = (
    ("kind", "类型"),
    ("name", "姓名或名称"),
    ("id_number", "身份证号"),
    ("credit_code", "统一社会信用代码"),
    ("phone", "联系电话"),
    ("address", "住所地"),
    ("legal_representative", "法定代表人"),
    ("employer", "工作单位"),
    ("is_public_servant", "是否公职人员"),
)
_SIDES: Final = (("applicants[0]", "申请执行人"), ("debtors[0]", "被执行人1"), ("debtors[1]", "被执行人2"))
#: Every column: (field path, Chinese header).
COLUMNS: Final = (
    *_CASE_COLUMNS,
    *((f"{path}.{field}", f"{label}{header}") for path, label in _SIDES for field, header in _PARTY_COLUMNS),
)
HEADERS: Final = tuple(header for _path, header in COLUMNS)
_HEADER_OF: Final = dict(COLUMNS)
_SIDE_LABELS: Final = dict(_SIDES) | {"applicants": "申请执行人", "debtors": "被执行人"}

_KIND_BY_LABEL: Final = {str(label): value for value, label in PartyKind.choices}
_BASIS_BY_LABEL: Final = {str(label): value for value, label in BasisKind.choices}
_ATTITUDE_BY_LABEL: Final = {str(label): value for value, label in DebtorAttitude.choices}
_YES: Final = {"是", "Y", "YES", "1", "TRUE"}
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


class ImportFileRefused(ValidationFailed):
    """The uploaded file cannot be read as a docket (not .xlsx, wrong headers, too many rows)."""

    code = "import_file_refused"


@dataclass(frozen=True, slots=True)
class ParsedDocket:
    """What the reader made of a file: the rows it could read, their Excel row numbers, and its problems."""

    inputs: tuple[CaseFilingInput, ...]
    rows: tuple[int, ...]
    problems: tuple[ImportProblem, ...]


def column_label(field: str) -> str:
    """Return the Excel column header of a field path (``debtors[1].id_number`` → ``被执行人2身份证号``)."""
    if field in _HEADER_OF:
        return _HEADER_OF[field]
    for path, label in _SIDES:
        if field.startswith(path + "."):
            rest = field[len(path) + 1 :]
            return label + dict(_PARTY_COLUMNS).get(rest, rest)
    return _SIDE_LABELS.get(field, {"file": "文件"}.get(field, field))


def template_workbook() -> bytes:
    """Return the empty template (.xlsx): the headers, and one example row to overwrite."""
    book = Workbook()
    sheet = book.active
    sheet.title = "案件"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append(
        [
            "执", "2026-11-20", "100000.00", "0", "温县人民法院", "（2026）豫0825民初100号", "2026-09-01",
            "2026-09-11", "诉讼类", "被告于判决生效之日起十日内偿还原告借款100000元。", "（2026）豫0825民初100号",
            "不详",
            "法人", "温县农村商业银行股份有限公司", "", "91410825XG612DD261", "0391-6123456", "河南省焦作市温县",
            "王建国", "", "否",
            "自然人", "张三", "410105198005175011", "", "13812345678", "河南省焦作市温县温泉街道", "", "", "否",
        ]
    )  # fmt: skip
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(header) * 2 + 2)
    notes = book.create_sheet("填写说明")
    for line in (
        ("每行一件案件，从第2行起填写；第1行表头不要改动。示例行请覆盖或删除。",),
        (f"案件类型代字：{'、'.join(CaseType.values)}。",),
        ("日期写作 2026-11-20；金额写数字（可带千分位，如 100,000.50，或 10万）。",),
        (f"当事人类型：{'、'.join(_KIND_BY_LABEL)}；执行依据类别：{'、'.join(_BASIS_BY_LABEL)}。",),
        (f"被执行人履行态度：{'、'.join(_ATTITUDE_BY_LABEL)}。",),
        ("自然人填身份证号，单位填统一社会信用代码；被执行人2可不填。",),
        ("任一行有错误时整个文件都不导入，并可下载错误报告（注明行号和列）。",),
    ):
        notes.append(line)
    return _save(book)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_TEXT.fullmatch(_text(value))
    if match is None:
        raise ValueError
    return date(int(match[1]), int(match[2]), int(match[3]))


def _amount(value: Any) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = repr(value)
    return parse_amount(_text(value))


def _choice(mapping: dict[str, str], values: list[str]) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = _text(value)
        if text in mapping:
            return mapping[text]
        if text in values:
            return text
        raise ValueError

    return read


_CASE_READERS: Final[dict[str, tuple[Callable[[Any], Any], str]]] = {
    "type_code": (_choice({}, list(CaseType.values)), f"应为{'、'.join(CaseType.values)}之一"),
    "application_received_on": (_date, "应为日期，如 2026-11-20"),
    "amount_claimed": (_amount, "应为金额数字"),
    "basis_effective_on": (_date, "应为日期，如 2026-11-20"),
    "basis_kind": (_choice(_BASIS_BY_LABEL, list(BasisKind.values)), "应为“诉讼类”或“非诉讼类”"),
}


def _read_row(cells: dict[str, Any], row: int) -> tuple[CaseFilingInput | None, list[ImportProblem]]:
    problems: list[ImportProblem] = []
    values: dict[str, Any] = {}

    def read(field: str, reader: Callable[[Any], Any], hint: str, *, optional: bool = False) -> Any:
        raw = cells.get(field)
        if optional and _text(raw) == "":
            return None
        if _text(raw) == "":
            problems.append(ImportProblem(row, field, f"请填写{column_label(field)}"))
            return None
        try:
            return reader(raw)
        except (ValueError, InvalidAmount) as error:
            detail = error.message if isinstance(error, InvalidAmount) else hint
            problems.append(ImportProblem(row, field, f"{column_label(field)}“{_text(raw)}”无法识别：{detail}"))
            return None

    for field, (reader, hint) in _CASE_READERS.items():
        values[field] = read(field, reader, hint)
    values["costs"] = read("costs", _amount, "应为金额数字", optional=True) or Decimal("0.00")
    values["basis_performance_due_on"] = read(
        "basis_performance_due_on", _date, "应为日期，如 2026-11-20", optional=True
    )
    values["debtor_attitude"] = (
        read(
            "debtor_attitude",
            _choice(_ATTITUDE_BY_LABEL, list(DebtorAttitude.values)),
            f"应为{'、'.join(_ATTITUDE_BY_LABEL)}之一",
            optional=True,
        )
        or DebtorAttitude.UNKNOWN
    )
    for field in ("basis_issuing_body", "basis_document_number", "basis_obligations", "trial_case_number"):
        values[field] = _text(cells.get(field))
    parties: dict[str, list[PartyInput]] = {"applicants": [], "debtors": []}
    for path, _label in _SIDES:
        fields = {name: cells.get(f"{path}.{name}") for name, _header in _PARTY_COLUMNS}
        if all(_text(value) == "" for value in fields.values()):
            continue
        kind = read(f"{path}.kind", _choice(_KIND_BY_LABEL, list(PartyKind.values)), "应为自然人、法人或非法人组织")
        parties[path.split("[")[0]].append(
            PartyInput(
                kind=kind or "",
                name=_text(fields["name"]),
                id_number=_text(fields["id_number"]),
                credit_code=_text(fields["credit_code"]),
                phone=_text(fields["phone"]),
                address=_text(fields["address"]),
                legal_representative=_text(fields["legal_representative"]),
                employer=_text(fields["employer"]),
                is_public_servant=_text(fields["is_public_servant"]).upper() in _YES,
            )
        )
    if problems:
        return None, problems
    return CaseFilingInput(
        applicants=tuple(parties["applicants"]), debtors=tuple(parties["debtors"]), **values
    ), problems


def docket_read(*, content: bytes, max_rows: int = MAX_ROWS) -> ParsedDocket:
    """
    Read an uploaded docket (.xlsx bytes) into filing inputs with their Excel row numbers.

    :raises ImportFileRefused: in Chinese, for a file that is not .xlsx, has other headers, or too many rows
    """
    if len(content) > MAX_BYTES:
        raise ImportFileRefused(f"文件超过{MAX_BYTES // 1024 // 1024}MB，请分批导入。", fields={"file": "文件过大"})
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise ImportFileRefused(
            "文件不是有效的Excel工作簿（.xlsx），请使用下载的模板填写。", fields={"file": "不是xlsx文件"}
        ) from error
    sheet = book.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header = [_text(value) for value in next(iterator, ())]
    while header and header[-1] == "":
        header.pop()
    if tuple(header) != HEADERS:
        missing = [h for h in HEADERS if h not in header]
        detail = f"缺少列：{'、'.join(missing[:5])}" if missing else "列的顺序或名称与模板不一致"
        raise ImportFileRefused(f"表头与模板不一致（{detail}），请使用下载的模板填写。", fields={"file": "表头不符"})
    inputs: list[CaseFilingInput] = []
    rows: list[int] = []
    problems: list[ImportProblem] = []
    fields = [path for path, _header in COLUMNS]
    for number, values in enumerate(iterator, start=FIRST_ROW):
        if values is None or all(_text(value) == "" for value in values):
            continue
        if len(rows) + len({p.row for p in problems}) >= max_rows:
            raise ImportFileRefused(f"文件超过{max_rows}行，请分批导入。", fields={"file": f"超过{max_rows}行"})
        cells = dict(zip(fields, values, strict=False))
        data, row_problems = _read_row(cells, number)
        if data is None:
            problems.extend(row_problems)
        else:
            inputs.append(data)
            rows.append(number)
    book.close()
    return ParsedDocket(inputs=tuple(inputs), rows=tuple(rows), problems=tuple(problems))


def error_report(*, errors: list[dict[str, Any]], file_name: str) -> bytes:
    """Return the error report (.xlsx) of a refused import: one line per problem, naming row and column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "错误报告"
    sheet.append(["行号", "列", "错误说明", "字段"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in errors:
        sheet.append([error["row"] or "", column_label(error["field"]), error["message"], error["field"]])
    for letter, width in (("A", 8), ("B", 24), ("C", 80), ("D", 28)):
        sheet.column_dimensions[letter].width = width
    info = book.create_sheet("说明")
    info.append([f"文件“{file_name}”有{len(errors)}处错误，整个文件未导入。请按行号和列修改后重新上传。"])
    return _save(book)
