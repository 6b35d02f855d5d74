from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from zhixing.core.identity import (
    CREDIT_CODE_AUTHORITIES,
    CREDIT_CODE_CHARSET,
    CreditCode,
    InvalidCreditCode,
    InvalidResidentId,
    ResidentId,
    Sex,
    age_on,
    credit_code_check_char,
    credit_code_parse,
    credit_code_problem,
    generate_credit_code,
    generate_phone,
    generate_resident_id,
    is_minor_on,
    is_valid_credit_code,
    is_valid_resident_id,
    mask_credit_code,
    mask_phone,
    mask_resident_id,
    organization_code_check_char,
    resident_id_check_char,
    resident_id_parse,
    resident_id_problem,
)

TODAY = date(2026, 11, 23)
#: The example of GB 11643-1999 附录A.
STANDARD_EXAMPLE_ID = "11010519491231002X"
#: A published valid credit code (organisation code M000100Y-4).
KNOWN_CREDIT_CODE = "91350100M000100Y43"
ID_CHARS = "0123456789X"

seeds = st.integers(min_value=0, max_value=2**32 - 1)


# --- 居民身份证号 ------------------------------------------------------------------------------


def test_standard_example_is_valid_and_yields_its_facts():
    parsed = resident_id_parse(value=STANDARD_EXAMPLE_ID, today=TODAY)

    assert parsed == ResidentId(
        number="11010519491231002X",
        region_code="110105",
        birth_date=date(1949, 12, 31),
        sequence_code="002",
        sex=Sex.FEMALE,
    )
    assert parsed.sex.label == "女"


def test_check_char_of_standard_example_is_x():
    assert resident_id_check_char(body="11010519491231002") == "X"


def test_odd_sequence_digit_is_male():
    number = generate_resident_id(rng=random.Random(1), sex=Sex.MALE)

    assert resident_id_parse(value=number, today=TODAY).sex is Sex.MALE
    assert int(number[16]) % 2 == 1


@pytest.mark.parametrize(
    "typed",
    ["11010519491231002x", " 110105 19491231 002X ", "１１０１０５１９４９１２３１００２Ｘ", "110105-19491231-002X"],
)
def test_typing_variants_are_normalised(typed):
    assert resident_id_parse(value=typed, today=TODAY).number == STANDARD_EXAMPLE_ID


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "身份证号为空"),
        ("110105491231002", "这是15位的旧身份证号，请填写18位身份证号"),
        ("1101051949123100", "身份证号应为18位，实际为16位"),
        ("11010519491231002X1", "身份证号应为18位，实际为19位"),
        ("1101051949123100X2", "身份证号前17位应为数字，最后一位应为数字或X"),
        ("11010519491231002Y", "身份证号前17位应为数字，最后一位应为数字或X"),
        ("990105194912310020", "身份证号的地址码“990105”不是有效的行政区划代码（省级代码“99”不存在）"),
        ("110105194902300020", "身份证号中的出生日期“19490230”不是有效日期"),
        ("110105194913010020", "身份证号中的出生日期“19491301”不是有效日期"),
        ("440524188001010014", "身份证号中的出生日期1880-01-01早于1900年，不可能是在世当事人"),
        ("110105202611240020", "身份证号中的出生日期2026-11-24晚于今天（2026-11-23）"),
        ("110105194912310021", "身份证号校验位错误：应为 X"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(value, reason):
    assert resident_id_problem(value=value, today=TODAY) == reason
    with pytest.raises(InvalidResidentId) as caught:
        resident_id_parse(value=value, today=TODAY)
    assert caught.value.message == reason
    assert caught.value.code == "invalid_resident_id"
    assert caught.value.fields == {"id_number": reason}


def test_birth_today_is_accepted():
    number = generate_resident_id(rng=random.Random(3), birth_date=TODAY)

    assert is_valid_resident_id(value=number, today=TODAY)
    assert not is_valid_resident_id(value=number, today=date(2026, 11, 22))


def test_check_char_rejects_a_malformed_body():
    with pytest.raises(ValueError, match="17 ASCII digits"):
        resident_id_check_char(body="1101051949123100")


# --- Age ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2008, 6, 15), 0),
        (date(2026, 6, 14), 17),
        (date(2026, 6, 15), 17),  # the birthday itself: the year completes at its end
        (date(2026, 6, 16), 18),
        (date(2027, 1, 1), 18),
    ],
)
def test_age_counts_a_full_year_from_the_day_after_the_birthday(on, age):
    assert age_on(birth_date=date(2008, 6, 15), on=on) == age


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2026, 2, 28), 17),
        (date(2026, 3, 1), 18),  # 2026 has no 29 February: the birthday is the 28th
        (date(2028, 2, 29), 19),
        (date(2028, 3, 1), 20),
    ],
)
def test_age_of_someone_born_on_29_february(on, age):
    assert age_on(birth_date=date(2008, 2, 29), on=on) == age


def test_minor_until_the_day_after_the_eighteenth_birthday():
    parsed = resident_id_parse(
        value=generate_resident_id(rng=random.Random(5), birth_date=date(2008, 11, 23)), today=TODAY
    )

    assert parsed.is_minor_on(on=date(2026, 11, 23)) is True
    assert parsed.is_minor_on(on=date(2026, 11, 24)) is False
    assert parsed.age_on(on=date(2026, 11, 24)) == 18


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(birth_date=date(2020, 1, 1), on=date(2019, 12, 31))


@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)), days=st.integers(0, 40_000))
def test_age_never_decreases_and_minor_means_under_eighteen(birth, days):
    on = date.fromordinal(min(birth.toordinal() + days, date(2100, 12, 31).toordinal()))
    later = date.fromordinal(min(on.toordinal() + 1, date(2100, 12, 31).toordinal()))

    assert age_on(birth_date=birth, on=later) >= age_on(birth_date=birth, on=on)
    assert is_minor_on(birth_date=birth, on=on) == (age_on(birth_date=birth, on=on) < 18)


# --- 身份证号 invariants -----------------------------------------------------------------------


@given(seed=seeds)
def test_every_generated_id_validates(seed):
    number = generate_resident_id(rng=random.Random(seed))

    assert resident_id_problem(value=number, today=TODAY) is None


@given(seed=seeds, position=st.integers(0, 17), replacement=st.sampled_from(ID_CHARS))
def test_any_single_substitution_makes_an_id_invalid(seed, position, replacement):
    number = generate_resident_id(rng=random.Random(seed))
    assume(number[position] != replacement)
    altered = number[:position] + replacement + number[position + 1 :]

    assert not is_valid_resident_id(value=altered, today=TODAY)


@given(seed=seeds, position=st.integers(0, 16))
def test_any_adjacent_transposition_makes_an_id_invalid(seed, position):
    number = generate_resident_id(rng=random.Random(seed))
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]

    assert not is_valid_resident_id(value=swapped, today=TODAY)


@given(seed=seeds, position=st.integers(0, 17), replacement=st.sampled_from(ID_CHARS))
def test_a_substitution_that_keeps_the_shape_is_caught_by_the_check_char(seed, position, replacement):
    # Region and date changes may happen to stay valid: then only the check character catches them.
    number = generate_resident_id(rng=random.Random(seed), birth_date=date(1990, 5, 17), region_code="410825")
    assume(number[position] != replacement and (replacement != "X" or position == 17))
    altered = number[:position] + replacement + number[position + 1 :]
    if position < 17:
        assert resident_id_check_char(body=altered[:17]) != altered[17]
    else:
        assert resident_id_check_char(body=altered[:17]) != replacement


# --- 统一社会信用代码 --------------------------------------------------------------------------


def test_known_credit_code_is_valid_and_yields_its_parts():
    parsed = credit_code_parse(value=KNOWN_CREDIT_CODE)

    assert parsed == CreditCode(
        code="91350100M000100Y43",
        authority_code="9",
        type_code="1",
        region_code="350100",
        organization_code="M000100Y4",
    )
    assert (parsed.authority_label, parsed.type_label) == ("工商", "企业")


def test_check_chars_of_known_code():
    assert organization_code_check_char(body="M000100Y") == "4"
    assert credit_code_check_char(body="91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("00000000", "0"),  # Σ = 0: 11 − 0 = 11 → 0
        ("00000001", "9"),  # Σ = 2
        ("00000010", "7"),  # Σ = 4
        ("00000100", "3"),  # Σ = 8
        ("00001000", "6"),  # Σ = 5
        ("0000000A", "2"),  # A = 10, Σ = 20 ≡ 9
        ("00000006", "X"),  # Σ = 12 ≡ 1: 11 − 1 = 10 → X
    ],
)
def test_organization_check_uses_gb_11714_weights(body, check):
    assert organization_code_check_char(body=body) == check


@pytest.mark.parametrize(
    "typed", ["91350100m000100y43", " 9135 0100 M000 100Y 43", "９１３５０１００Ｍ０００１００Ｙ４３"]
)
def test_credit_code_typing_variants_are_normalised(typed):
    assert credit_code_parse(value=typed).code == KNOWN_CREDIT_CODE


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "统一社会信用代码为空"),
        ("91350100M000100Y4", "统一社会信用代码应为18位，实际为17位"),
        ("91350100M000100I43", "统一社会信用代码含有不允许的字符：I（不使用 I、O、S、V、Z）"),
        ("9135O100M000100Z43", "统一社会信用代码含有不允许的字符：O、Z（不使用 I、O、S、V、Z）"),
        ("B1350100M000100Y43", "统一社会信用代码第1位登记管理部门代码“B”不存在"),
        ("94350100M000100Y43", "统一社会信用代码第2位机构类别代码“4”不属于登记管理部门“工商”"),
        ("91990100M000100Y43", "统一社会信用代码第3–8位行政区划码“990100”无效"),
        ("9135A100M000100Y43", "统一社会信用代码第3–8位行政区划码“35A100”无效"),
        ("91350100M000100Y53", "统一社会信用代码第9–17位组织机构代码“M000100Y5”校验位错误"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误：应为 3"),
    ],
)
def test_invalid_credit_codes_are_refused_with_the_reason(value, reason):
    assert credit_code_problem(value=value) == reason
    with pytest.raises(InvalidCreditCode) as caught:
        credit_code_parse(value=value)
    assert caught.value.message == reason
    assert caught.value.fields == {"credit_code": reason}


def test_national_region_code_is_accepted():
    code = generate_credit_code(rng=random.Random(7), region_code="100000")

    assert credit_code_parse(value=code).region_code == "100000"


@pytest.mark.parametrize(
    ("authority", "kind"),
    [(authority, kind) for authority, (_, kinds) in CREDIT_CODE_AUTHORITIES.items() for kind in kinds],
)
def test_every_authority_and_type_pair_generates_a_valid_code(authority, kind):
    code = generate_credit_code(rng=random.Random(11), authority_code=authority, type_code=kind)

    assert code[:2] == authority + kind
    assert is_valid_credit_code(value=code)


def test_generator_refuses_an_undefined_pair():
    with pytest.raises(ValueError, match="unknown authority/type code 94"):
        generate_credit_code(rng=random.Random(1), authority_code="9", type_code="4")


@given(seed=seeds)
def test_every_generated_credit_code_validates(seed):
    assert credit_code_problem(value=generate_credit_code(rng=random.Random(seed))) is None


@given(seed=seeds, position=st.integers(0, 17), replacement=st.sampled_from(CREDIT_CODE_CHARSET + "IOSVZ"))
def test_any_single_substitution_makes_a_credit_code_invalid(seed, position, replacement):
    code = generate_credit_code(rng=random.Random(seed))
    assume(code[position] != replacement)
    altered = code[:position] + replacement + code[position + 1 :]

    assert not is_valid_credit_code(value=altered)


@given(seed=seeds, position=st.integers(0, 16))
def test_any_adjacent_transposition_makes_a_credit_code_invalid(seed, position):
    code = generate_credit_code(rng=random.Random(seed))
    assume(code[position] != code[position + 1])
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]

    assert not is_valid_credit_code(value=swapped)


@given(seed=seeds, position=st.integers(0, 16), replacement=st.sampled_from(CREDIT_CODE_CHARSET))
def test_the_final_check_alone_catches_any_substitution_in_the_body(seed, position, replacement):
    code = generate_credit_code(rng=random.Random(seed))
    assume(code[position] != replacement)
    altered = code[:position] + replacement + code[position + 1 :]

    assert credit_code_check_char(body=altered[:17]) != altered[17]


# --- Masking -----------------------------------------------------------------------------------


def test_masks_an_id_keeping_region_and_last_four():
    assert mask_resident_id("410825199001011234") == "410825********1234"
    assert mask_resident_id("41082519900101123x") == "410825********123X"


def test_masks_a_mobile_number():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("１３８-１２３４-５６７８") == "138****5678"


def test_masks_a_landline_and_a_short_number():
    assert mask_phone("0391-6123456") == "039****3456"
    assert mask_phone("12345") == "***45"
    assert mask_phone("") == ""


def test_masks_a_credit_code_keeping_first_eight_and_last_two():
    assert mask_credit_code(KNOWN_CREDIT_CODE) == "91350100********43"


def test_masks_malformed_values_keeping_at_most_two_characters():
    assert mask_resident_id("123456") == "****56"
    assert mask_credit_code("ABC") == "**C"
    assert mask_resident_id("12") == "**"


# --- Generators --------------------------------------------------------------------------------


def test_generators_are_deterministic_for_a_seed():
    first = random.Random(2026)
    second = random.Random(2026)

    assert [generate_resident_id(rng=first) for _ in range(3)] == [generate_resident_id(rng=second) for _ in range(3)]
    assert generate_credit_code(rng=first) == generate_credit_code(rng=second)
    assert generate_phone(rng=first) == generate_phone(rng=second)


def test_generator_honours_the_given_facts():
    number = generate_resident_id(
        rng=random.Random(9), birth_date=date(2010, 3, 4), sex=Sex.FEMALE, region_code="410825"
    )
    parsed = resident_id_parse(value=number, today=TODAY)

    assert (parsed.region_code, parsed.birth_date, parsed.sex) == ("410825", date(2010, 3, 4), Sex.FEMALE)


def test_generated_phone_is_an_eleven_digit_mobile():
    phone = generate_phone(rng=random.Random(4))

    assert len(phone) == 11
    assert phone.isdigit()
    assert phone.startswith("1")
