"""
Identity numbers of parties: validation, derived facts, masking and generators. Pure: no database, no clock.

Basis:

- GB 11643-1999 《公民身份号码》: 18 characters — a 6-digit address code (GB/T 2260 administrative
  division), an 8-digit birth date ``YYYYMMDD``, a 3-digit sequence code whose last digit is odd for
  men and even for women, and a check character computed by ISO 7064:1983 MOD 11-2 (``X`` stands
  for 10).
- GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: 18 characters from the 31-character set
  ``0-9 A-H J-N P-R T-U W-Y`` (no I, O, S, V, Z) — registration-authority code (1), organisation
  type code (1), the registering authority's 6-digit administrative division (GB/T 2260), the
  9-character organisation code (GB 11714-1997, its 9th character being a MOD 11 check), and a
  final MOD 31 check character.
- Age: 《民法典》 第17条 (eighteen or over is an adult), 第201条 (the starting day is not counted)
  and 第202条 (a period in years without a corresponding day ends on the month's last day);
  《最高人民法院关于审理未成年人刑事案件具体应用法律若干问题的解释》(法释〔2006〕1号) 第2条 states
  the same counting: a full year of age is reached from the day after the birthday.

What the check characters guarantee (proved by the tests with Hypothesis):

- 身份证号: every single-character substitution and every transposition of two adjacent,
  different characters is rejected. MOD 11-2 weights every position with a non-zero weight modulo
  the prime 11 (the check character with weight 1) and adjacent weights differ, so the weighted
  sum always changes; a substituted ``X`` outside the last position fails the character check.
- 统一社会信用代码: the same two guarantees, because MOD 31 weights every position with a distinct
  power of 3 (a primitive root modulo the prime 31) and the check character with weight 1; a
  character outside the 31-character set fails the character check.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from zhixing.core.errors import ValidationFailed

# --- Administrative divisions (GB/T 2260) -------------------------------------------------------

#: First two digits of a GB/T 2260 code: the provinces, autonomous regions and municipalities, plus
#: 71 台湾, 81 香港, 82 澳门 and 83 (the 830000 code of residence permits for Taiwan residents).
#: The full county table changes every year and old numbers keep abolished codes, so only the
#: province part is checked; the rest of the code must be digits.
PROVINCE_CODES: Final = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip
#: A few real county-level codes the generators draw from (Henan first: the demo courts are there).
SAMPLE_REGION_CODES: Final = (
    "410825",  # 河南省焦作市温县
    "410823",  # 河南省焦作市武陟县
    "410802",  # 河南省焦作市解放区
    "410811",  # 河南省焦作市山阳区
    "410882",  # 河南省沁阳市
    "410105",  # 河南省郑州市金水区
    "371329",  # 山东省临沂市临沭县
    "371302",  # 山东省临沂市兰山区
    "110105",  # 北京市朝阳区
    "310115",  # 上海市浦东新区
    "440305",  # 广东省深圳市南山区
    "330106",  # 浙江省杭州市西湖区
)

# --- 居民身份证号 (GB 11643-1999) ----------------------------------------------------------------

#: The earliest birth date accepted: nobody born earlier is a living party to a case.
EARLIEST_BIRTH_DATE: Final = date(1900, 1, 1)
#: 《民法典》 第17条.
ADULT_AGE: Final = 18

_ID_WEIGHTS: Final = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK_CHARS: Final = "10X98765432"  # index: weighted sum mod 11
_ID_SHAPE = re.compile(r"\d{17}[\dX]")


class InvalidResidentId(ValidationFailed):
    """A 居民身份证号 that GB 11643-1999 does not allow; ``message`` says which part is wrong."""

    code = "invalid_resident_id"


class Sex(StrEnum):
    """The sex a 身份证号 encodes in its 17th digit (GB 11643-1999 §5.3)."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label(self) -> str:
        """Return the Chinese label."""
        return {Sex.MALE: "男", Sex.FEMALE: "女"}[self]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResidentId:
    """A valid 居民身份证号 and the facts it encodes."""

    number: str
    region_code: str
    birth_date: date
    sequence_code: str
    sex: Sex

    def age_on(self, *, on: date) -> int:
        """Return the full years of age on ``on`` (see :func:`age_on`)."""
        return age_on(birth_date=self.birth_date, on=on)

    def is_minor_on(self, *, on: date) -> bool:
        """Return whether the holder is under eighteen on ``on`` (see :func:`is_minor_on`)."""
        return is_minor_on(birth_date=self.birth_date, on=on)


def normalize_identifier(value: str) -> str:
    """
    Return ``value`` as typed identifiers are compared: NFKC (full-width → ASCII), no spaces, upper case.

    A lower-case ``x`` check character becomes ``X``; spaces and hyphens typed as separators go.
    """
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s\-]", "", text).upper()


def resident_id_check_char(*, body: str) -> str:
    """
    Return the check character of the 17-digit ``body`` of a 身份证号.

    Basis: GB 11643-1999 §5.4 — ISO 7064:1983 MOD 11-2 with weights ``2^(18-i) mod 11``.
    """
    if len(body) != 17 or not body.isascii() or not body.isdigit():
        raise ValueError(f"body must be 17 ASCII digits, got {body!r}")
    total = sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def resident_id_problem(*, value: str, today: date) -> str | None:
    """
    Return why ``value`` is not a valid 居民身份证号 on ``today``, in Chinese, or ``None`` when it is valid.

    Checks in order: length and characters, the address code's province, the birth date (a real
    date, not before 1900, not after ``today``), and the GB 11643-1999 check character.
    """
    number = normalize_identifier(value)
    if not number:
        return "身份证号为空"
    if len(number) == 15 and number.isdigit():
        return "这是15位的旧身份证号，请填写18位身份证号"
    if len(number) != 18:
        return f"身份证号应为18位，实际为{len(number)}位"
    if not _ID_SHAPE.fullmatch(number):
        return "身份证号前17位应为数字，最后一位应为数字或X"
    if number[:2] not in PROVINCE_CODES:
        return f"身份证号的地址码“{number[:6]}”不是有效的行政区划代码（省级代码“{number[:2]}”不存在）"
    birth = _birth_date(number[6:14])
    if birth is None:
        return f"身份证号中的出生日期“{number[6:14]}”不是有效日期"
    if birth < EARLIEST_BIRTH_DATE:
        return f"身份证号中的出生日期{birth.isoformat()}早于1900年，不可能是在世当事人"
    if birth > today:
        return f"身份证号中的出生日期{birth.isoformat()}晚于今天（{today.isoformat()}）"
    expected = resident_id_check_char(body=number[:17])
    if number[17] != expected:
        return f"身份证号校验位错误：应为 {expected}"
    return None


def resident_id_parse(*, value: str, today: date) -> ResidentId:
    """
    Return the valid 居民身份证号 ``value`` (normalised) with its derived facts.

    Basis: GB 11643-1999.

    :raises InvalidResidentId: with the reason from :func:`resident_id_problem`
    """
    problem = resident_id_problem(value=value, today=today)
    if problem is not None:
        raise InvalidResidentId(problem, fields={"id_number": problem})
    number = normalize_identifier(value)
    birth = _birth_date(number[6:14])
    assert birth is not None  # checked above
    return ResidentId(
        number=number,
        region_code=number[:6],
        birth_date=birth,
        sequence_code=number[14:17],
        sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE,
    )


def is_valid_resident_id(*, value: str, today: date) -> bool:
    """Return whether ``value`` is a valid 居民身份证号 on ``today``."""
    return resident_id_problem(value=value, today=today) is None


def _birth_date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def age_on(*, birth_date: date, on: date) -> int:
    """
    Return the full years of age (周岁) of a person born on ``birth_date``, on the day ``on``.

    A year of age is complete at the end of the birthday, so it counts from the next day
    (《民法典》 第201条; 法释〔2006〕1号 第2条: "从周岁生日的第二天起算"). Someone born on 29 February
    has the birthday on 28 February in a common year (《民法典》 第202条: no corresponding day, the
    month's last day). This is the conservative reading for refusing 失信 to minors: on the
    eighteenth birthday itself the person still counts as seventeen.

    :raises ValueError: if ``on`` is before ``birth_date``
    """
    if on < birth_date:
        raise ValueError(f"{on} is before the birth date {birth_date}")
    years = on.year - birth_date.year
    if on <= _anniversary(birth_date=birth_date, year=on.year):
        years -= 1
    return max(years, 0)


def is_minor_on(*, birth_date: date, on: date) -> bool:
    """
    Return whether a person born on ``birth_date`` is under eighteen (未成年人) on ``on``.

    Basis: 《民法典》 第17条; counting per :func:`age_on`. A minor is never listed as 失信
    (《关于公布失信被执行人名单信息的若干规定》 第4条).
    """
    return age_on(birth_date=birth_date, on=on) < ADULT_AGE


def _anniversary(*, birth_date: date, year: int) -> date:
    if birth_date.month == 2 and birth_date.day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return birth_date.replace(year=year)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- 统一社会信用代码 (GB 32100-2015) -------------------------------------------------------------

#: The 31 characters of GB 32100-2015 §4.1, in the order of their values 0–30.
CREDIT_CODE_CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES: Final = {char: value for value, char in enumerate(CREDIT_CODE_CHARSET)}
_CREDIT_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)

#: Registration-authority code → (name, {organisation-type code → name}). GB 32100-2015 附录A lists
#: 1 机构编制, 5 民政, 9 工商 and Y 其他; the other authorities (外交, 司法行政, 文化, 旅游, 宗教, 工会,
#: 军队, 农业) received codes later from the national code centre and appear on real certificates
#: (律师事务所 31…, 基层工会 81…, 村集体经济组织 N2…). Verify against the current code-centre list.
CREDIT_CODE_AUTHORITIES: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}
#: A region code of a unit registered by a national authority (e.g. 91100000… for 国家市场监督管理总局).
_NATIONAL_REGION_PREFIX: Final = "10"


class InvalidCreditCode(ValidationFailed):
    """A 统一社会信用代码 that GB 32100-2015 does not allow; ``message`` says which part is wrong."""

    code = "invalid_credit_code"


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditCode:
    """A valid 统一社会信用代码 and its parts."""

    code: str
    authority_code: str
    type_code: str
    region_code: str
    organization_code: str

    @property
    def authority_label(self) -> str:
        """Return the name of the registration authority (登记管理部门)."""
        return CREDIT_CODE_AUTHORITIES[self.authority_code][0]

    @property
    def type_label(self) -> str:
        """Return the name of the organisation type (机构类别)."""
        return CREDIT_CODE_AUTHORITIES[self.authority_code][1][self.type_code]


def organization_code_check_char(*, body: str) -> str:
    """
    Return the check character of the 8-character ``body`` of an organisation code.

    Basis: GB 11714-1997 §4 — weights 3 7 9 10 5 8 4 2, ``C9 = 11 − (Σ mod 11)``, 10 → ``X``, 11 → ``0``;
    letters count as A=10 … Z=35.
    """
    if len(body) != 8 or not all(char.isascii() and char.isalnum() and not char.islower() for char in body):
        raise ValueError(f"body must be 8 ASCII digits or capital letters, got {body!r}")
    total = sum(int(char, 36) * weight for char, weight in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_check_char(*, body: str) -> str:
    """
    Return the check character of the 17-character ``body`` of a 统一社会信用代码.

    Basis: GB 32100-2015 §5 — weights ``3^(i-1) mod 31``, ``C18 = 31 − (Σ mod 31)`` (31 → ``0``),
    mapped back through the 31-character set.
    """
    if len(body) != 17 or any(char not in _CREDIT_VALUES for char in body):
        raise ValueError(f"body must be 17 characters of the GB 32100 set, got {body!r}")
    total = sum(_CREDIT_VALUES[char] * weight for char, weight in zip(body, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(*, value: str) -> str | None:
    """
    Return why ``value`` is not a valid 统一社会信用代码, in Chinese, or ``None`` when it is valid.

    Checks in order: length and character set, registration-authority and type codes, the region
    code's shape, the organisation code's GB 11714 check, and the final GB 32100 check character.
    """
    code = normalize_identifier(value)
    if not code:
        return "统一社会信用代码为空"
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    bad = sorted({char for char in code if char not in _CREDIT_VALUES})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、S、V、Z）"
    authority = CREDIT_CODE_AUTHORITIES.get(code[0])
    if authority is None:
        return f"统一社会信用代码第1位登记管理部门代码“{code[0]}”不存在"
    authority_name, types = authority
    if code[1] not in types:
        return f"统一社会信用代码第2位机构类别代码“{code[1]}”不属于登记管理部门“{authority_name}”"
    region = code[2:8]
    if not region.isdigit() or region[:2] not in PROVINCE_CODES | {_NATIONAL_REGION_PREFIX}:
        return f"统一社会信用代码第3–8位行政区划码“{region}”无效"
    organization = code[8:17]
    if organization[8] != organization_code_check_char(body=organization[:8]):
        return f"统一社会信用代码第9–17位组织机构代码“{organization}”校验位错误"
    expected = credit_code_check_char(body=code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：应为 {expected}"
    return None


def credit_code_parse(*, value: str) -> CreditCode:
    """
    Return the valid 统一社会信用代码 ``value`` (normalised) with its parts.

    Basis: GB 32100-2015.

    :raises InvalidCreditCode: with the reason from :func:`credit_code_problem`
    """
    problem = credit_code_problem(value=value)
    if problem is not None:
        raise InvalidCreditCode(problem, fields={"credit_code": problem})
    code = normalize_identifier(value)
    return CreditCode(
        code=code, authority_code=code[0], type_code=code[1], region_code=code[2:8], organization_code=code[8:17]
    )


def is_valid_credit_code(*, value: str) -> bool:
    """Return whether ``value`` is a valid 统一社会信用代码."""
    return credit_code_problem(value=value) is None


# --- Masking for display -----------------------------------------------------------------------


def mask_resident_id(value: str) -> str:
    """
    Return a 身份证号 for display: the first 6 (region) and last 4 characters kept, the rest ``*``.

    ``410825199001011234`` → ``410825********1234``. A value shorter than 11 characters is masked
    entirely but for its last 2, so a malformed number never shows more than a valid one would.
    """
    text = normalize_identifier(value)
    if len(text) <= 10:
        return _mask_keep(text, head=0, tail=min(2, max(len(text) - 2, 0)))
    return _mask_keep(text, head=6, tail=4)


def normalize_phone(value: str) -> str:
    """
    Return the digits of a phone number, as displayed and indexed.

    Full-width digits become ASCII, separators go, and a mainland mobile number loses its
    ``+86``/``0086`` prefix (``+86 138-1234-5678`` → ``13812345678``).
    """
    digits = "".join(char for char in unicodedata.normalize("NFKC", value) if char in "0123456789")
    for prefix in ("0086", "86"):
        rest = digits.removeprefix(prefix)
        if rest != digits and len(rest) == 11 and rest.startswith("1"):
            return rest
    return digits


def mask_phone(value: str) -> str:
    """
    Return a phone number for display: the first 3 and last 4 digits kept, the middle ``*``.

    The digits are those of :func:`normalize_phone`.

    ``13812345678`` → ``138****5678``; a landline keeps the same rule (``0391-6123456`` →
    ``039****3456``). Fewer than 8 digits keep only the last 2.
    """
    text = normalize_phone(value)
    if len(text) < 8:
        return _mask_keep(text, head=0, tail=min(2, max(len(text) - 2, 0)))
    return _mask_keep(text, head=3, tail=4)


def mask_credit_code(value: str) -> str:
    """
    Return a 统一社会信用代码 for display: the first 8 and last 2 characters kept, the middle ``*``.

    ``91410825MA9ABCDE1X`` → ``91410825********1X``. The first 8 (authority, type, region) say what
    kind of unit it is and where it is registered; the organisation code in the middle is what
    identifies it. Credit codes are public (国家企业信用信息公示系统), so masking is for consistency
    on lists, not secrecy. Values shorter than 11 characters keep only the last 2.
    """
    text = normalize_identifier(value)
    if len(text) <= 10:
        return _mask_keep(text, head=0, tail=min(2, max(len(text) - 2, 0)))
    return _mask_keep(text, head=8, tail=2)


def _mask_keep(text: str, *, head: int, tail: int) -> str:
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


# --- Generators (tests and the demo) -----------------------------------------------------------


def generate_resident_id(
    *,
    rng: random.Random,
    birth_date: date | None = None,
    sex: Sex | None = None,
    region_code: str | None = None,
) -> str:
    """
    Return a valid 身份证号 drawn from ``rng`` (deterministic for a seeded ``random.Random``).

    Unspecified parts are drawn: the region from :data:`SAMPLE_REGION_CODES`, a birth date between
    1940 and 2005, the sex at random.
    """
    region = region_code if region_code is not None else rng.choice(SAMPLE_REGION_CODES)
    born = (
        birth_date
        if birth_date is not None
        else date.fromordinal(rng.randint(date(1940, 1, 1).toordinal(), date(2005, 12, 31).toordinal()))
    )
    chosen_sex = sex if sex is not None else rng.choice((Sex.MALE, Sex.FEMALE))
    sequence = rng.randint(0, 99)
    sex_digit = rng.choice((1, 3, 5, 7, 9) if chosen_sex is Sex.MALE else (0, 2, 4, 6, 8))
    body = f"{region}{born:%Y%m%d}{sequence:02d}{sex_digit}"
    return body + resident_id_check_char(body=body)


def generate_credit_code(
    *,
    rng: random.Random,
    authority_code: str = "9",
    type_code: str = "1",
    region_code: str | None = None,
) -> str:
    """
    Return a valid 统一社会信用代码 drawn from ``rng`` (deterministic for a seeded ``random.Random``).

    Defaults to an enterprise registered by 市场监管 (``91``); the organisation code is drawn from
    the 31-character set and given its GB 11714 check, then the GB 32100 check is appended.

    :raises ValueError: for an authority/type pair GB 32100 does not define
    """
    if type_code not in CREDIT_CODE_AUTHORITIES.get(authority_code, ("", {}))[1]:
        raise ValueError(f"unknown authority/type code {authority_code}{type_code}")
    region = region_code if region_code is not None else rng.choice(SAMPLE_REGION_CODES)
    organization_body = "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(8))
    organization_code = organization_body + organization_code_check_char(body=organization_body)
    body = f"{authority_code}{type_code}{region}{organization_code}"
    return body + credit_code_check_char(body=body)


def generate_phone(*, rng: random.Random) -> str:
    """Return a plausible 11-digit mainland mobile number drawn from ``rng``."""
    prefix = rng.choice(("130", "131", "135", "137", "138", "139", "150", "151", "158", "166", "177", "186", "189"))
    return prefix + f"{rng.randint(0, 99_999_999):08d}"
