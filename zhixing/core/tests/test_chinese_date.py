from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.chinese_date import chinese_date


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2026, 11, 23), "二〇二六年十一月二十三日"),
        (date(2026, 1, 1), "二〇二六年一月一日"),
        (date(2020, 10, 10), "二〇二〇年十月十日"),
        (date(2000, 12, 31), "二〇〇〇年十二月三十一日"),
        (date(2026, 2, 20), "二〇二六年二月二十日"),
        (date(2026, 3, 30), "二〇二六年三月三十日"),
        (date(2026, 5, 19), "二〇二六年五月十九日"),
        (date(1999, 9, 9), "一九九九年九月九日"),
    ],
)
def test_chinese_date(value, text):
    assert chinese_date(value) == text


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_chinese_date_never_has_arabic_digits_and_ends_with_ri(value):
    text = chinese_date(value)
    assert not any(ch.isascii() for ch in text)
    assert text.endswith("日")
    assert text.index("年") == 4
