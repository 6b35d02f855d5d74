"""Parties: validation, one record per person (串案), encrypted numbers, masking and the audited reveal."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhixing.cases.choices import PartyKind, PartyRole
from zhixing.cases.models import Party
from zhixing.cases.selectors import party_cases, party_display
from zhixing.cases.services import ID_NUMBER_AD, party_identity_reveal, party_register
from zhixing.cases.tests.conftest import ADULT_ID, CREDIT_CODE, MINOR_ID, OTHER_CREDIT_CODE
from zhixing.core.crypto import decrypt_field
from zhixing.core.errors import ValidationFailed
from zhixing.core.field_keys import field_keyring
from zhixing.courts.access import court_scope_for
from zhixing.courts.choices import Role

TODAY = date(2026, 11, 23)


@pytest.mark.django_db
def test_natural_person_is_stored_encrypted_and_shown_masked(at, audit_rows):
    party = party_register(
        kind=PartyKind.NATURAL_PERSON, name="张三", id_number=ADULT_ID, phone="+86 138-1234-5678", actor=None, at=at
    )

    party.refresh_from_db()
    assert ADULT_ID not in party.id_number_encrypted
    assert "13812345678" not in party.phone_encrypted
    assert ADULT_ID[6:14] not in party.id_number_encrypted
    assert decrypt_field(keyring=field_keyring(), envelope=party.id_number_encrypted, associated_data=ID_NUMBER_AD) == (
        ADULT_ID
    )
    assert party.birth_date == date(1980, 5, 17)
    assert party.is_minor_on(on=TODAY) is False
    display = party_display(party)
    assert display.identifier == "410105********5011"
    assert display.phone == "138****5678"
    [row] = audit_rows("cases.party.created")
    assert ADULT_ID not in row["data"]
    assert "13812345678" not in row["data"]
    assert "410105********5011" in row["data"]


@pytest.mark.django_db
def test_a_minor_is_recognised_from_the_id(at):
    party = party_register(kind=PartyKind.NATURAL_PERSON, name="李小四", id_number=MINOR_ID, actor=None, at=at)

    assert party.is_minor_on(on=TODAY) is True


@pytest.mark.django_db
def test_same_id_number_is_one_party_whatever_the_typing(at, audit_rows):
    first = party_register(kind=PartyKind.NATURAL_PERSON, name="张三", id_number=ADULT_ID, actor=None, at=at)
    typed = " ".join([ADULT_ID[:6], ADULT_ID[6:14], ADULT_ID[14:]])

    second = party_register(kind=PartyKind.NATURAL_PERSON, name="张三", id_number=typed, actor=None, at=at)

    assert second.pk == first.pk
    assert Party.objects.count() == 1
    assert len(audit_rows("cases.party.created")) == 1


@pytest.mark.django_db
def test_same_credit_code_is_one_party(at):
    first = party_register(kind=PartyKind.LEGAL_PERSON, name="甲公司", credit_code=CREDIT_CODE, actor=None, at=at)

    second = party_register(
        kind=PartyKind.LEGAL_PERSON, name="甲公司", credit_code=CREDIT_CODE.lower(), actor=None, at=at
    )
    other = party_register(kind=PartyKind.LEGAL_PERSON, name="乙公司", credit_code=OTHER_CREDIT_CODE, actor=None, at=at)

    assert second.pk == first.pk
    assert other.pk != first.pk
    assert Party.objects.count() == 2


@pytest.mark.django_db
def test_persons_without_id_are_separate_records(at):
    first = party_register(kind=PartyKind.NATURAL_PERSON, name="王五", actor=None, at=at)
    second = party_register(kind=PartyKind.NATURAL_PERSON, name="王五", actor=None, at=at)

    assert first.pk != second.pk


@pytest.mark.django_db
def test_same_id_under_another_name_is_refused(at):
    party_register(kind=PartyKind.NATURAL_PERSON, name="张三", id_number=ADULT_ID, actor=None, at=at)

    with pytest.raises(ValidationFailed) as error:
        party_register(kind=PartyKind.NATURAL_PERSON, name="张叁", id_number=ADULT_ID, actor=None, at=at)

    assert error.value.fields["name"] == "该身份证号已登记为“张三”，与填写的名称“张叁”不一致，请核对"
    assert Party.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"kind": PartyKind.NATURAL_PERSON, "id_number": ADULT_ID[:17] + "0"},
            "id_number",
            "身份证号校验位错误：应为 1",
        ),
        (
            {"kind": PartyKind.NATURAL_PERSON, "id_number": "41010519800517"},
            "id_number",
            "身份证号应为18位，实际为14位",
        ),
        (
            {"kind": PartyKind.LEGAL_PERSON, "credit_code": CREDIT_CODE[:17] + "0"},
            "credit_code",
            "统一社会信用代码校验位错误：应为 1",
        ),
        (
            {"kind": PartyKind.LEGAL_PERSON, "id_number": ADULT_ID},
            "id_number",
            "单位当事人不填身份证号，请填写统一社会信用代码",
        ),
        (
            {"kind": PartyKind.NATURAL_PERSON, "credit_code": CREDIT_CODE},
            "credit_code",
            "自然人不填统一社会信用代码，请填写身份证号",
        ),
        ({"kind": PartyKind.NATURAL_PERSON, "phone": "12"}, "phone", "联系电话“12”不是有效的电话号码"),
    ],
)
def test_invalid_numbers_are_refused_naming_the_field_and_nothing_is_saved(at, audit_rows, kwargs, field, message):
    with pytest.raises(ValidationFailed) as error:
        party_register(name="某某", actor=None, at=at, **kwargs)

    assert error.value.fields == {field: message}
    assert Party.objects.count() == 0
    assert audit_rows() == []


@pytest.mark.django_db
def test_missing_name_is_refused(at):
    with pytest.raises(ValidationFailed) as error:
        party_register(kind=PartyKind.NATURAL_PERSON, name="  ", actor=None, at=at)

    assert error.value.fields == {"name": "请填写当事人姓名或名称"}
    assert Party.objects.count() == 0


@pytest.mark.django_db
def test_reveal_is_refused_without_the_capability_and_not_audited(
    courts, make_staff, file_case, debtor, at, audit_rows
):
    file_case(courts.wenxian)
    chief = make_staff(courts.wenxian, Role.BUREAU_CHIEF)
    before = len(audit_rows())

    with pytest.raises(PermissionDenied):
        party_identity_reveal(scope=court_scope_for(user=chief, today=TODAY), party_id=debtor.pk, actor=chief, at=at)

    assert len(audit_rows()) == before
    assert audit_rows("cases.party.identity_revealed") == []


@pytest.mark.django_db
def test_reveal_with_the_capability_returns_the_number_and_is_audited(
    courts, make_staff, file_case, debtor, at, audit_rows
):
    file_case(courts.wenxian)
    executor = make_staff(courts.wenxian, Role.EXECUTOR)

    number = party_identity_reveal(
        scope=court_scope_for(user=executor, today=TODAY), party_id=debtor.pk, actor=executor, at=at
    )

    assert number == ADULT_ID
    [row] = audit_rows("cases.party.identity_revealed")
    assert row["actor_id"] == executor.pk
    assert row["court_id"] == courts.wenxian.pk
    assert row["subject_id"] == str(debtor.pk)
    assert ADULT_ID not in row["data"]


@pytest.mark.django_db
def test_reveal_of_a_party_in_another_courts_cases_is_not_found(courts, make_staff, file_case, debtor, at, audit_rows):
    file_case(courts.wenxian)
    executor = make_staff(courts.linshu, Role.EXECUTOR)

    with pytest.raises(Http404):
        party_identity_reveal(
            scope=court_scope_for(user=executor, today=TODAY), party_id=debtor.pk, actor=executor, at=at
        )

    assert audit_rows("cases.party.identity_revealed") == []


@pytest.mark.django_db
def test_party_cases_lists_a_debtors_other_cases_in_scope(courts, make_staff, file_case, debtor, applicant):
    first = file_case(courts.wenxian)
    second = file_case(courts.wenxian)
    file_case(courts.linshu)
    scope = court_scope_for(user=make_staff(courts.wenxian, Role.EXECUTOR), today=TODAY)

    others = party_cases(scope=scope, party_id=debtor.pk, role=PartyRole.DEBTOR, exclude_case_id=first.pk)

    assert [case.number for case in others] == [second.number]
    assert list(party_cases(scope=scope, party_id=applicant.pk, role=PartyRole.DEBTOR)) == []
    assert Party.objects.filter(name="张三").count() == 1
