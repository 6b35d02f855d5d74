"""
Money: parsing typed amounts, Chinese financial capitals (大写金额) and display. Decimal only; pure.

Basis: 中国人民银行《支付结算办法》(银发〔1997〕393号) 附件一《正确填写票据和结算凭证的基本规定》:

- 大写数字 零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整, preceded by 人民币;
- an amount ending at 元 is followed by 整; one ending at 角 or 分 takes no 整;
- a zero between non-zero digits is written 零, and a run of zeros as one 零 (¥1,409.50 →
  人民币壹仟肆佰零玖元伍角);
- when the 万 or 元 digit is zero (with zeros before it) but the next lower digit is not, one
  零 may be written or left out: this module leaves it out at 万 and at 元 (¥107,000.53 →
  人民币壹拾万柒仟元伍角叁分; ¥1,680.32 → 人民币壹仟陆佰捌拾元叁角贰分), and writes it when a
  whole section is missing or starts with zeros (¥100,000,100 → 人民币壹亿零壹佰元整; ¥10,005.30 →
  人民币壹万零伍元叁角);
- 角 zero and 分 non-zero: 零 between 元 and 分 (¥100.05 → 人民币壹佰元零伍分);
- 壹拾 is written out in full (¥16 → 人民币壹拾陆元整), so a 壹 cannot be added in front.

Amounts up to 9,999,999,999,999,999.99 (below 一亿亿) are supported; 10^12 is 壹万亿.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Final

from zhixing.core.errors import ValidationFailed

FEN: Final = Decimal("0.01")
MAX_AMOUNT: Final = Decimal("9999999999999999.99")
_DIGITS: Final = "零壹贰叁肆伍陆柒捌玖"
_SECTION_UNITS: Final = ("", "拾", "佰", "仟")
_MULTIPLIERS: Final = (("万亿", Decimal(10) ** 12), ("亿", Decimal(10) ** 8), ("万", Decimal(10) ** 4))
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_GROUPED_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


class InvalidAmount(ValidationFailed):
    """An amount that is not a non-negative number of yuan with at most two decimals."""

    code = "invalid_amount"


def amount_problem(text: str) -> str | None:
    """Return why ``text`` is not an acceptable amount, in Chinese, or ``None`` when it is."""
    try:
        parse_amount(text)
    except InvalidAmount as error:
        return error.message
    return None


def parse_amount(text: str) -> Decimal:
    """
    Return the amount in yuan written in ``text``, as a Decimal with two places.

    Accepted: ``100000``, ``100,000.50`` (correctly grouped thousands), ``10万``, ``1.5亿``, ``3万亿``,
    full-width digits and punctuation, spaces, a leading ``¥``/``￥``/``人民币`` and a trailing ``元``.
    Refused with a Chinese reason: empty text, a negative amount, a misplaced thousands separator,
    anything that is not a number, more than two decimal places (after applying 万/亿), and amounts
    above :data:`MAX_AMOUNT`.

    :raises InvalidAmount: naming what is wrong
    """
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not compact:
        raise _fail("金额为空")
    number = compact.removeprefix("人民币").removeprefix("¥").removesuffix("元")
    if number[:1] in ("-", "−", "负"):
        raise _fail(f"金额“{text.strip()}”不能为负数")
    multiplier = Decimal(1)
    for suffix, factor in _MULTIPLIERS:
        if number.endswith(suffix):
            number, multiplier = number.removesuffix(suffix), factor
            break
    if "," in number:
        if not _GROUPED_NUMBER.fullmatch(number):
            raise _fail(f"金额“{text.strip()}”的千位分隔符位置不对")
        number = number.replace(",", "")
    elif not _PLAIN_NUMBER.fullmatch(number):
        raise _fail(f"金额“{text.strip()}”不是有效的数字")
    try:
        amount = Decimal(number) * multiplier
    except InvalidOperation as error:  # pragma: no cover - the patterns admit only valid decimals
        raise _fail(f"金额“{text.strip()}”不是有效的数字") from error
    if amount != amount.quantize(FEN):
        raise _fail(f"金额“{text.strip()}”超过两位小数：金额最多精确到分")
    if amount > MAX_AMOUNT:
        raise _fail(f"金额“{text.strip()}”过大")
    return amount.quantize(FEN)


def _fail(message: str) -> InvalidAmount:
    return InvalidAmount(message, fields={"amount": message})


def _checked(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, got {type(amount).__name__}")
    if not amount.is_finite():
        raise _fail("金额不是有限数")
    if amount < 0:
        raise _fail(f"金额{amount}不能为负数")
    if amount != amount.quantize(FEN):
        raise _fail(f"金额{amount}超过两位小数：金额最多精确到分")
    if amount > MAX_AMOUNT:
        raise _fail(f"金额{amount}过大")
    return amount.quantize(FEN)


def to_chinese_capital(amount: Decimal) -> str:
    """
    Return ``amount`` in Chinese financial capitals: ``Decimal("100000")`` → ``人民币壹拾万元整``.

    Basis: 《正确填写票据和结算凭证的基本规定》 (rules in the module docstring).

    :raises InvalidAmount: if ``amount`` is negative, has more than two decimals or is too large
    :raises TypeError: if ``amount`` is not a Decimal (a float cannot hold fen exactly)
    """
    fen_total = int(_checked(amount) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    text = "人民币"
    if yuan:
        text += _integer_capital(yuan) + "元"
    if not jiao and not fen:
        return text + "整" if yuan else "人民币零元整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return text


def _integer_capital(number: int) -> str:
    """Return ``0 < number < 10^16`` in capitals, sections joined by 万 and 亿 with the 零 rules."""
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if number >= size:
            high, low = divmod(number, size)
            gap = "零" if 0 < low < size // 10 else ""
            return _integer_capital(high) + unit + gap + (_integer_capital(low) if low else "")
    return _section_capital(number)


def _section_capital(number: int) -> str:
    """Return ``0 < number < 10^4`` in capitals: inner zeros as one 零, trailing zeros dropped."""
    digits = f"{number:04d}".lstrip("0")
    text = ""
    pending_zero = False
    for position, char in enumerate(digits):
        digit = int(char)
        place = len(digits) - 1 - position
        if digit == 0:
            pending_zero = True
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        text += _DIGITS[digit] + _SECTION_UNITS[place]
    return text


def format_amount(amount: Decimal) -> str:
    """
    Return ``amount`` with thousands separators and two decimals: ``Decimal("100000.5")`` → ``100,000.50``.

    :raises TypeError: if ``amount`` is not a Decimal
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, got {type(amount).__name__}")
    return f"{amount.quantize(FEN):,.2f}"
