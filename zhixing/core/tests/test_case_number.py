from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.case_number import (
    MAX_YEAR,
    MIN_YEAR,
    PROVINCE_ABBREVIATIONS,
    TYPE_CODES_LONGEST_FIRST,
    CaseNumber,
    EnforcementCaseType,
    InvalidCaseNumber,
    case_number_problem,
    parse_case_number,
)

WENXIAN_FIRST = CaseNumber(year=2026, court_code="豫0825", type_code=EnforcementCaseType.FIRST_ENFORCEMENT, serial=123)
TYPE_LIST = "执、执恢、执保、执异、执复、执监、执协、执他"


def test_formats_the_official_form():
    assert WENXIAN_FIRST.format() == "（2026）豫0825执123号"
    assert str(WENXIAN_FIRST) == "（2026）豫0825执123号"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（2026）豫0825执123号", WENXIAN_FIRST),
        ("(2026)豫0825执123号", WENXIAN_FIRST),
        ("〔2026〕豫0825执123号", WENXIAN_FIRST),
        ("[2026]豫0825执123号", WENXIAN_FIRST),
        ("【2026】豫0825执123号", WENXIAN_FIRST),
        (" （2026） 豫 0825 执 123 号 ", WENXIAN_FIRST),
        ("（２０２６）豫０８２５执１２３号", WENXIAN_FIRST),
        ("(2026)豫0825执123", WENXIAN_FIRST),
        ("（2026）豫0825执\u3000123号", WENXIAN_FIRST),
    ],
)
def test_parses_common_variants(text, expected):
    assert parse_case_number(text) == expected


@pytest.mark.parametrize(
    ("text", "court_code", "type_code"),
    [
        ("（2026）最高法执监5号", "最高法", EnforcementCaseType.SUPERVISION),
        ("（2026）豫执复5号", "豫", EnforcementCaseType.RECONSIDERATION),
        ("（2026）豫08执异5号", "豫08", EnforcementCaseType.OBJECTION),
        ("（2026）鲁1329执保5号", "鲁1329", EnforcementCaseType.PRESERVATION),
        ("（2026）沪72执5号", "沪72", EnforcementCaseType.FIRST_ENFORCEMENT),
        ("（2026）豫0825执恢5号", "豫0825", EnforcementCaseType.RESUMED),
        ("（2026）豫0825执协5号", "豫0825", EnforcementCaseType.COORDINATION),
        ("（2026）豫0825执他5号", "豫0825", EnforcementCaseType.OTHER),
    ],
)
def test_parses_every_court_level_and_type(text, court_code, type_code):
    parsed = parse_case_number(text)

    assert (parsed.year, parsed.court_code, parsed.type_code, parsed.serial) == (2026, court_code, type_code, 5)


def test_longest_type_code_is_tried_first():
    assert TYPE_CODES_LONGEST_FIRST[-1] == "执"
    assert all(len(code) == 2 for code in TYPE_CODES_LONGEST_FIRST[:-1])
    assert parse_case_number("（2026）豫0825执恢12号").type_code is EnforcementCaseType.RESUMED


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "案号为空"),
        ("   ", "案号为空"),
        ("2026豫0825执1号", "案号应以括号中的收案年度开头，如（2026）"),
        ("（2026豫0825执1号", "案号中的年度缺少右括号"),
        ("（2026〕豫0825执1号", "案号中的年度缺少右括号"),
        ("（26）豫0825执1号", "案号中的年度“26”应为四位数字"),
        ("（二〇二六）豫0825执1号", "案号中的年度“二〇二六”应为四位数字"),
        ("（2015）豫0825执1号", "案号中的年度2015超出范围（2016–2100）"),
        ("（2101）豫0825执1号", "案号中的年度2101超出范围（2016–2100）"),
        ("（2026）执1号", "案号缺少法院代字"),
        ("（2026）X0825执1号", "法院代字“X0825”无效：应以“最高法”或省级简称（如 豫）开头"),
        ("（2026）温县执1号", "法院代字“温”无效：应以“最高法”或省级简称（如 豫）开头"),
        ("（2026）豫082执1号", "法院代字“豫082”无效：省级简称后应为0、2或4位数字（如 豫、豫08、豫0825）"),
        ("（2026）豫08250执1号", "法院代字“豫08250”无效：省级简称后应为0、2或4位数字（如 豫、豫08、豫0825）"),
        ("（2026）最高法01执1号", "法院代字“最高法01”无效：最高人民法院的代字“最高法”后不带数字"),
        ("（2026）豫0825民初1号", f"案件类型代字“民初”不是执行案件类型（应为 {TYPE_LIST} 之一）"),
        ("（2026）豫0825执请1号", f"案件类型代字“执请”不是执行案件类型（应为 {TYPE_LIST} 之一）"),
        ("（2026）豫0825执恢x1号", f"案件类型代字“执恢x”不是执行案件类型（应为 {TYPE_LIST} 之一）"),
        ("（2026）豫0825号", f"案号缺少案件类型代字（应为 {TYPE_LIST} 之一）"),
        ("（2026）豫0825执号", "案号缺少案件编号（类型代字后应为数字）"),
        ("（2026）豫0825执恢", "案号缺少案件编号（类型代字后应为数字）"),
        ("（2026）豫0825执0号", "案件编号0应为正整数"),
        ("（2026）豫0825执007号", "案件编号“007”不应以0开头"),
        ("（2026）豫0825执1号之一", "案号末尾有多余内容“之一”"),
        ("（2026）豫0825执1号号", "案号末尾有多余内容“号”"),
        ("（2026）豫0825执1号abc", "案号末尾有多余内容“abc”"),
        ("（2015）温法执字第123号", "这是2016年以前的旧式案号（含“字第”），请填写现行格式，如（2026）豫0825执123号"),
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(text, reason):
    assert case_number_problem(text) == reason
    with pytest.raises(InvalidCaseNumber) as caught:
        parse_case_number(text)
    assert caught.value.message == reason
    assert caught.value.code == "invalid_case_number"
    assert caught.value.fields == {"case_number": reason}


def test_valid_number_has_no_problem():
    assert case_number_problem("（2026）豫0825执123号") is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"year": 2015}, "案号中的年度2015超出范围（2016–2100）"),
        ({"court_code": "豫082"}, "法院代字“豫082”无效：省级简称后应为0、2或4位数字（如 豫、豫08、豫0825）"),
        ({"type_code": "民初"}, f"案件类型代字“民初”不是执行案件类型（应为 {TYPE_LIST} 之一）"),
        ({"serial": 0}, "案件编号0应为正整数"),
        ({"serial": -3}, "案件编号-3应为正整数"),
    ],
)
def test_constructor_refuses_invalid_parts(changes, reason):
    parts = {"year": 2026, "court_code": "豫0825", "type_code": EnforcementCaseType.FIRST_ENFORCEMENT, "serial": 1}

    with pytest.raises(InvalidCaseNumber) as caught:
        CaseNumber(**(parts | changes))
    assert caught.value.message == reason


def test_constructor_accepts_a_type_code_string():
    number = CaseNumber(year=2026, court_code="豫0825", type_code="执恢", serial=1)  # type: ignore[arg-type]

    assert number.type_code is EnforcementCaseType.RESUMED
    assert number.format() == "（2026）豫0825执恢1号"


def test_labels_of_type_codes():
    assert [t.label for t in EnforcementCaseType] == [
        "首次执行", "恢复执行", "财产保全执行", "执行异议", "执行复议", "执行监督", "执行协调", "其他执行",
    ]  # fmt: skip


def test_numbers_order_by_year_court_type_serial():
    later = CaseNumber(year=2026, court_code="豫0825", type_code=EnforcementCaseType.FIRST_ENFORCEMENT, serial=124)

    assert sorted([later, WENXIAN_FIRST]) == [WENXIAN_FIRST, later]


court_codes = st.one_of(
    st.just("最高法"),
    st.builds(
        lambda abbreviation, digits: abbreviation + digits,
        st.sampled_from(sorted(PROVINCE_ABBREVIATIONS)),
        st.one_of(st.just(""), st.from_regex(r"[0-9]{2}", fullmatch=True), st.from_regex(r"[0-9]{4}", fullmatch=True)),
    ),
)
case_numbers = st.builds(
    CaseNumber,
    year=st.integers(MIN_YEAR, MAX_YEAR),
    court_code=court_codes,
    type_code=st.sampled_from(EnforcementCaseType),
    serial=st.integers(1, 10**7),
)


@given(number=case_numbers)
def test_parse_inverts_format(number):
    assert parse_case_number(number.format()) == number


@given(number=case_numbers)
def test_parse_inverts_the_half_width_variant(number):
    half_width = number.format().replace("（", "(").replace("）", ")").removesuffix("号")

    assert CaseNumber.parse(half_width) == number
