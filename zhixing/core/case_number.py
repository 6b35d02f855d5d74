"""
The 案号 of an enforcement case: a value type, its official form and a tolerant parser. Pure.

Basis: 《最高人民法院关于人民法院案件案号的若干规定》(法〔2015〕137号, in force 1 January 2016, revised
2018) and its annexes 《人民法院案件类型及其代字标准》 and 《各级法院代字表》: a case number is
``（收案年度）法院代字 + 类型代字 + 案件编号 + 号``, with full-width brackets, for example
``（2026）豫0825执123号``. The court code is ``最高法`` for the Supreme People's Court, or a
province-level abbreviation followed by nothing (the high court), two digits (an intermediate or
specialised court, e.g. 豫08, 沪72) or four digits (a basic court, e.g. 豫0825).

Numbers before 2016 (``（2015）温法执字第123号``) follow the older form and are refused here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Self

from zhixing.core.errors import ValidationFailed

#: The first year of the current numbering (法〔2015〕137号 took effect on 2016-01-01).
MIN_YEAR: Final = 2016
MAX_YEAR: Final = 2100
SUPREME_COURT_CODE: Final = "最高法"
#: Province-level abbreviations of the 法院代字表, plus 兵 (新疆生产建设兵团) and 军 (military courts).
PROVINCE_ABBREVIATIONS: Final = frozenset("京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵军")


class EnforcementCaseType(StrEnum):
    """
    The 类型代字 of enforcement cases (《人民法院案件类型及其代字标准》, 执行类).

    执请 (执行请示) appears in some versions of the catalogue: verify before adding it.
    """

    FIRST_ENFORCEMENT = "执"
    RESUMED = "执恢"
    PRESERVATION = "执保"
    OBJECTION = "执异"
    RECONSIDERATION = "执复"
    SUPERVISION = "执监"
    COORDINATION = "执协"
    OTHER = "执他"

    @property
    def label(self) -> str:
        """Return the Chinese name of the case type."""
        return _TYPE_LABELS[self]


_TYPE_LABELS: Final = {
    EnforcementCaseType.FIRST_ENFORCEMENT: "首次执行",
    EnforcementCaseType.RESUMED: "恢复执行",
    EnforcementCaseType.PRESERVATION: "财产保全执行",
    EnforcementCaseType.OBJECTION: "执行异议",
    EnforcementCaseType.RECONSIDERATION: "执行复议",
    EnforcementCaseType.SUPERVISION: "执行监督",
    EnforcementCaseType.COORDINATION: "执行协调",
    EnforcementCaseType.OTHER: "其他执行",
}
#: Longest first, so that 执恢 is never read as 执 followed by 恢.
TYPE_CODES_LONGEST_FIRST: Final = tuple(sorted((t.value for t in EnforcementCaseType), key=len, reverse=True))
_TYPE_CODES: Final = frozenset(t.value for t in EnforcementCaseType)
_ALL_TYPE_CODES: Final = "、".join(t.value for t in EnforcementCaseType)

_OPENING_BRACKETS: Final = "(〔[【"
_CLOSING_FOR: Final = {"(": ")", "〔": "〕", "[": "]", "【": "】"}
_WHITESPACE = re.compile(r"\s+")
_COURT_CODE = re.compile(
    r"(?:最高法|[京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵军](?:[0-9]{2}){0,2})"
)


class InvalidCaseNumber(ValidationFailed):
    """A 案号 that is malformed or names something that does not exist; ``message`` says what."""

    code = "invalid_case_number"


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class CaseNumber:
    """
    An enforcement 案号: year, court code, type code and serial number.

    :raises InvalidCaseNumber: if any part is out of range or malformed
    """

    year: int
    court_code: str
    type_code: EnforcementCaseType
    serial: int

    def __post_init__(self) -> None:
        type_code = str(self.type_code)
        problem = (
            _year_problem(self.year)
            or _court_code_problem(self.court_code)
            or (None if type_code in _TYPE_CODES else _type_problem(type_code))
            or _serial_problem(self.serial)
        )
        if problem is not None:
            raise _fail(problem)
        object.__setattr__(self, "type_code", EnforcementCaseType(type_code))

    def format(self) -> str:
        """Return the official form, ``（2026）豫0825执123号``."""
        return f"（{self.year}）{self.court_code}{self.type_code.value}{self.serial}号"

    def __str__(self) -> str:
        return self.format()

    @classmethod
    def parse(cls, text: str) -> Self:
        """Return the case number written in ``text`` (see :func:`parse_case_number`)."""
        return cls(**_parse_parts(text))


def parse_case_number(text: str) -> CaseNumber:
    """
    Return the 案号 written in ``text``, accepting the common variants.

    Accepted: full-width or half-width brackets and 〔〕, [] or 【】; spaces anywhere; full-width digits;
    a missing final 号. Refused, with a Chinese reason naming the part: a missing or unclosed year,
    a year outside 2016–2100, a court code that is not 最高法 or a province abbreviation with 0, 2 or 4
    digits, a type code that is not an enforcement type, a serial that is missing, zero or has a
    leading zero, and anything after 号.

    :raises InvalidCaseNumber: naming what is wrong
    """
    return CaseNumber.parse(text)


def case_number_problem(text: str) -> str | None:
    """Return why ``text`` is not a valid enforcement 案号, in Chinese, or ``None`` when it is one."""
    try:
        parse_case_number(text)
    except InvalidCaseNumber as error:
        return error.message
    return None


def _fail(message: str) -> InvalidCaseNumber:
    return InvalidCaseNumber(message, fields={"case_number": message})


def _parse_parts(text: str) -> dict[str, Any]:
    # NFKC turns full-width digits and brackets into ASCII; 〔〕 and 【】 have no compatibility form.
    compact = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    if not compact:
        raise _fail("案号为空")
    if "字第" in compact:
        raise _fail("这是2016年以前的旧式案号（含“字第”），请填写现行格式，如（2026）豫0825执123号")
    opening = compact[0]
    if opening not in _OPENING_BRACKETS:
        raise _fail("案号应以括号中的收案年度开头，如（2026）")
    closing_at = compact.find(_CLOSING_FOR[opening])
    if closing_at < 0:
        raise _fail("案号中的年度缺少右括号")
    year_text = compact[1:closing_at]
    if not (len(year_text) == 4 and year_text.isascii() and year_text.isdigit()):
        raise _fail(f"案号中的年度“{year_text}”应为四位数字")
    year = int(year_text)
    if problem := _year_problem(year):
        raise _fail(problem)
    rest = compact[closing_at + 1 :]

    court_match = re.match(r"(?:最高法|[^0-9])[0-9]*", rest)
    court_code = "" if rest.startswith("执") or court_match is None else court_match.group(0)
    if problem := _court_code_problem(court_code):
        raise _fail(problem)
    rest = rest[len(court_code) :]

    type_segment = _leading(rest, digits=False)
    type_code = next((code for code in TYPE_CODES_LONGEST_FIRST if type_segment.startswith(code)), None)
    if type_code is None or type_segment.removesuffix("号") not in (type_code, ""):
        raise _fail(_type_problem(type_segment.removesuffix("号")))
    rest = rest[len(type_code) :]

    serial_text = _leading(rest, digits=True)
    if not serial_text:
        raise _fail("案号缺少案件编号（类型代字后应为数字）")
    if int(serial_text) == 0:
        raise _fail(f"案件编号{serial_text}应为正整数")
    if serial_text.startswith("0"):
        raise _fail(f"案件编号“{serial_text}”不应以0开头")
    rest = rest[len(serial_text) :]
    trailing = rest.removeprefix("号")
    if trailing:
        raise _fail(f"案号末尾有多余内容“{trailing}”")
    return {
        "year": year,
        "court_code": court_code,
        "type_code": EnforcementCaseType(type_code),
        "serial": int(serial_text),
    }


def _leading(text: str, *, digits: bool) -> str:
    """Return the longest prefix of ``text`` made of digits (or of non-digits)."""
    end = 0
    while end < len(text) and (text[end] in "0123456789") == digits:
        end += 1
    return text[:end]


def _year_problem(year: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"案号中的年度{year}超出范围（{MIN_YEAR}–{MAX_YEAR}）"
    return None


def _court_code_problem(court_code: str) -> str | None:
    if _COURT_CODE.fullmatch(court_code):
        return None
    if not court_code:
        return "案号缺少法院代字"
    if court_code.startswith(SUPREME_COURT_CODE):
        return f"法院代字“{court_code}”无效：最高人民法院的代字“最高法”后不带数字"
    if court_code[0] not in PROVINCE_ABBREVIATIONS:
        return f"法院代字“{court_code}”无效：应以“最高法”或省级简称（如 豫）开头"
    return f"法院代字“{court_code}”无效：省级简称后应为0、2或4位数字（如 豫、豫08、豫0825）"


def _type_problem(type_segment: str) -> str:
    if not type_segment:
        return f"案号缺少案件类型代字（应为 {_ALL_TYPE_CODES} 之一）"
    return f"案件类型代字“{type_segment}”不是执行案件类型（应为 {_ALL_TYPE_CODES} 之一）"


def _serial_problem(serial: int) -> str | None:
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 1:
        return f"案件编号{serial}应为正整数"
    return None
