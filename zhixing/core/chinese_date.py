"""
Dates written the way court documents write them: 二〇二六年十一月二十三日. Pure: no Django, no clock.

The year is read digit by digit with 〇 for zero (二〇二六); month and day are read as numbers
(十一月, 二十三日, 三十日), as 《党政机关公文格式》(GB/T 9704-2012) 7.3.5.1 and court document practice
write the date of signing.
"""

from __future__ import annotations

from datetime import date
from typing import Final

_DIGITS: Final = "〇一二三四五六七八九"


def _number(value: int) -> str:
    """Return ``1 <= value <= 31`` as a Chinese number: 一, 十, 十一, 二十, 二十三, 三十一."""
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def chinese_date(value: date) -> str:
    """Return ``value`` in Chinese characters, e.g. ``date(2026, 11, 23)`` → ``二〇二六年十一月二十三日``."""
    year = "".join(_DIGITS[int(digit)] for digit in f"{value.year:04d}")
    return f"{year}年{_number(value.month)}月{_number(value.day)}日"
