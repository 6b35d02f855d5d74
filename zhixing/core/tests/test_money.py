from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.money import (
    InvalidAmount,
    amount_problem,
    format_amount,
    parse_amount,
    to_chinese_capital,
)

# --- parse_amount -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("100000", Decimal("100000.00")),
        ("100,000.50", Decimal("100000.50")),
        ("1,234,567", Decimal("1234567.00")),
        ("10万", Decimal("100000.00")),
        ("1.5万", Decimal("15000.00")),
        ("12.3456万", Decimal("123456.00")),
        ("3亿", Decimal("300000000.00")),
        ("2万亿", Decimal("2000000000000.00")),
        ("10万元", Decimal("100000.00")),
        ("¥1,000", Decimal("1000.00")),
        ("￥1,000.5", Decimal("1000.50")),
        ("人民币500元", Decimal("500.00")),
        ("１２３，４５６．７８", Decimal("123456.78")),
        (" 100 000 ", Decimal("100000.00")),
        ("0", Decimal("0.00")),
        ("0.01", Decimal("0.01")),
    ],
)
def test_parses_amounts(text, amount):
    parsed = parse_amount(text)

    assert parsed == amount
    assert parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "金额为空"),
        ("  ", "金额为空"),
        ("-100", "金额“-100”不能为负数"),
        ("－100", "金额“－100”不能为负数"),
        ("负100", "金额“负100”不能为负数"),
        ("1.234", "金额“1.234”超过两位小数：金额最多精确到分"),
        ("1.2345678万", "金额“1.2345678万”超过两位小数：金额最多精确到分"),
        ("abc", "金额“abc”不是有效的数字"),
        ("十万", "金额“十万”不是有效的数字"),
        ("1e5", "金额“1e5”不是有效的数字"),
        (".5", "金额“.5”不是有效的数字"),
        ("5.", "金额“5.”不是有效的数字"),
        ("1.2.3", "金额“1.2.3”不是有效的数字"),
        ("NaN", "金额“NaN”不是有效的数字"),
        ("1,00,000", "金额“1,00,000”的千位分隔符位置不对"),
        ("1000,000", "金额“1000,000”的千位分隔符位置不对"),
        ("10000000000000000", "金额“10000000000000000”过大"),
        ("1亿亿", "金额“1亿亿”不是有效的数字"),
    ],
)
def test_refuses_bad_amounts_with_the_reason(text, reason):
    assert amount_problem(text) == reason
    with pytest.raises(InvalidAmount) as caught:
        parse_amount(text)
    assert caught.value.message == reason
    assert caught.value.code == "invalid_amount"
    assert caught.value.fields == {"amount": reason}


def test_good_amount_has_no_problem():
    assert amount_problem("100,000.50") is None


# --- to_chinese_capital -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "capital"),
    [
        ("0", "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角"),
        ("0.35", "人民币叁角伍分"),
        ("1", "人民币壹元整"),
        ("10", "人民币壹拾元整"),
        ("16", "人民币壹拾陆元整"),
        ("100.05", "人民币壹佰元零伍分"),
        ("101.10", "人民币壹佰零壹元壹角"),
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("10500", "人民币壹万零伍佰元整"),
        ("10005.30", "人民币壹万零伍元叁角"),
        ("100000", "人民币壹拾万元整"),
        ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
        ("325000000", "人民币叁亿贰仟伍佰万元整"),
        ("100000100", "人民币壹亿零壹佰元整"),
        ("100010000", "人民币壹亿零壹万元整"),
        ("110000000", "人民币壹亿壹仟万元整"),
        ("1000000000000", "人民币壹万亿元整"),
        ("1000000000001", "人民币壹万亿零壹元整"),
        ("1000100000000", "人民币壹万零壹亿元整"),
        ("9999999999999999.99", "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_chinese_capitals(amount, capital):
    assert to_chinese_capital(Decimal(amount)) == capital


def test_trailing_zero_decimals_are_the_same_amount():
    assert to_chinese_capital(Decimal("100000.00")) == to_chinese_capital(Decimal("100000")) == "人民币壹拾万元整"


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        (Decimal("-1"), "金额-1不能为负数"),
        (Decimal("1.001"), "金额1.001超过两位小数：金额最多精确到分"),
        (Decimal("10000000000000000"), "金额10000000000000000过大"),
        (Decimal("NaN"), "金额不是有限数"),
    ],
)
def test_capitals_refuse_bad_amounts(amount, reason):
    with pytest.raises(InvalidAmount) as caught:
        to_chinese_capital(amount)
    assert caught.value.message == reason


def test_capitals_refuse_a_float():
    with pytest.raises(TypeError, match="amount must be a Decimal, got float"):
        to_chinese_capital(0.1)  # type: ignore[arg-type]


# --- format_amount ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "0.00"),
        ("5.5", "5.50"),
        ("999.99", "999.99"),
        ("1000", "1,000.00"),
        ("100000.5", "100,000.50"),
        ("1234567890.12", "1,234,567,890.12"),
    ],
)
def test_formats_with_thousands_separators(amount, text):
    assert format_amount(Decimal(amount)) == text


@given(fen=st.integers(0, 10**14))
def test_format_parses_back(fen):
    amount = Decimal(fen) / 100

    assert parse_amount(format_amount(amount)) == amount


# --- The reference inverse of the capitals ------------------------------------------------------

_DIGIT_VALUES = {char: value for value, char in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNIT_VALUES = {"拾": 10, "佰": 100, "仟": 1000}


def _read_section(text: str) -> int:
    """Read capitals below 10^4 (壹仟零壹拾): each digit is followed by its unit, or ends the text."""
    total, digit = 0, 0
    for char in text.replace("零", ""):
        if char in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[char]
        else:
            total += digit * _UNIT_VALUES[char]
            digit = 0
    return total + digit


def _read_integer(text: str) -> int:
    """Read capitals below 10^16, splitting at the one 亿 and then at the last 万 of each half."""
    if "亿" in text:
        high, low = text.split("亿")
        return _read_integer(high) * 10**8 + _read_integer(low)
    if "万" in text:
        high, low = text.rsplit("万", 1)
        return _read_section(high) * 10**4 + _read_section(low)
    return _read_section(text)


def _read_capital(text: str) -> Decimal:
    body = text.removeprefix("人民币").removesuffix("整")
    yuan_text, _, cents = body.rpartition("元") if "元" in body else ("", "", body)
    jiao = _DIGIT_VALUES[cents[cents.index("角") - 1]] if "角" in cents else 0
    fen = _DIGIT_VALUES[cents[cents.index("分") - 1]] if "分" in cents else 0
    return Decimal(_read_integer(yuan_text)) + Decimal(jiao) / 10 + Decimal(fen) / 100


@given(fen=st.integers(0, 10**14))
def test_reference_reader_inverts_the_capitals(fen):
    amount = Decimal(fen) / 100

    assert _read_capital(to_chinese_capital(amount)) == amount


@given(fen=st.integers(0, 10**14))
def test_capitals_follow_the_zero_and_ending_rules(fen):
    amount = Decimal(fen) / 100
    text = to_chinese_capital(amount)

    assert text.startswith("人民币")
    assert "零零" not in text
    assert fen == 0 or not any(f"零{unit}" in text for unit in ("万", "亿", "元", "拾", "佰", "仟", "角", "整"))
    assert text.endswith("整") == (fen % 100 == 0)
    assert ("零" in text[3:4]) == (fen == 0)  # only zero itself starts with 零
    assert ("角" in text) == (fen // 10 % 10 != 0)
    assert ("分" in text) == (fen % 10 != 0)


def _expected_zero_count(yuan: int) -> int:
    """
    Count the 零 of the integer part from the digits alone.

    Each run of zero digits between two non-zero digits is written as one 零, except a run that ends
    at a 万 or 亿 place (the lower part then starts at its top digit: 壹拾万柒仟). That exception has
    its own exception: a run ending at a 万 place that also empties the top of its 亿 half (places
    7…4, as in 壹亿零柒仟) skips a whole section and is written.
    """
    digits = str(yuan)
    count, position = 0, 0
    significant = digits.rstrip("0")
    while position < len(significant):
        if significant[position] != "0":
            position += 1
            continue
        run_end = position
        while significant[run_end] == "0":
            run_end += 1
        first_place, last_place = len(digits) - 1 - position, len(digits) - run_end
        skips_a_whole_section = last_place % 8 == 4 and first_place >= last_place + 3
        count += 0 if last_place % 4 == 0 and not skips_a_whole_section else 1
        position = run_end
    return count


@pytest.mark.parametrize(
    ("yuan", "zeros"),
    [(107000, 0), (10005, 1), (100007000, 1), (100000100, 1), (1000010000000, 0), (1001001, 1), (10010101, 3)],
)
def test_expected_zero_count_of_examples(yuan, zeros):
    assert _expected_zero_count(yuan) == zeros


@given(fen=st.integers(0, 10**14))
def test_zero_is_written_exactly_where_a_run_of_zero_digits_is_skipped(fen):
    yuan = fen // 100
    text = to_chinese_capital(Decimal(fen) / 100)
    integer_text = text.removeprefix("人民币").split("元")[0] if yuan else ""

    assert integer_text.count("零") == (_expected_zero_count(yuan) if yuan else 0)
