"""Courts, teams, people and memberships: created through audited services; bad input changes nothing."""

from datetime import date

import pytest

from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.courts.choices import CourtLevel, Role
from zhixing.courts.models import Court, Membership, TeamKind, User
from zhixing.courts.services import (
    court_create,
    demo_seed,
    membership_grant,
    team_create,
    user_create,
)


@pytest.mark.django_db
def test_court_gets_materialised_path_and_audit_record(courts, audit_rows):
    assert courts.wenxian.path == f"/{courts.henan.pk}/{courts.jiaozuo.pk}/{courts.wenxian.pk}/"
    created = audit_rows("courts.court.created")
    assert [r["subject_label"] for r in created][:3] == [
        "河南省高级人民法院",
        "河南省焦作市中级人民法院",
        "温县人民法院",
    ]
    wenxian = next(r for r in created if r["subject_id"] == str(courts.wenxian.pk))
    assert wenxian["court_id"] == courts.wenxian.pk
    assert wenxian["chain"] == courts.wenxian.pk
    assert '"code":"豫0825"' in wenxian["data"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("豫825", "省份简称加四位数字"),
        ("鲁0825", "应以上级法院代字“豫08”开头"),
        ("豫08250", "省份简称加四位数字"),
    ],
)
def test_malformed_court_code_is_refused_and_changes_nothing(courts, audit_rows, at, code, message):
    before = (Court.objects.count(), len(audit_rows()))

    with pytest.raises(ValidationFailed) as error:
        court_create(code=code, name="新设法院", level=CourtLevel.BASIC, parent=courts.jiaozuo, actor=None, at=at)

    assert message in error.value.message
    assert (Court.objects.count(), len(audit_rows())) == before


@pytest.mark.django_db
def test_basic_court_under_a_high_court_is_refused(courts, at):
    with pytest.raises(ValidationFailed, match="之下不能设立基层人民法院"):
        court_create(code="豫0899", name="某县法院", level=CourtLevel.BASIC, parent=courts.henan, actor=None, at=at)


@pytest.mark.django_db
def test_duplicate_court_code_is_a_conflict(courts, at):
    with pytest.raises(Conflict, match="已被使用"):
        court_create(
            code="豫0825", name="另一个温县法院", level=CourtLevel.BASIC, parent=courts.jiaozuo, actor=None, at=at
        )


@pytest.mark.django_db
def test_person_cannot_hold_roles_in_two_courts_at_once(courts, make_staff, audit_rows, at):
    executor = make_staff(courts.wenxian, Role.EXECUTOR)
    before = (Membership.objects.count(), len(audit_rows()))

    with pytest.raises(Conflict, match="已在温县人民法院任职"):
        membership_grant(
            user=executor, court=courts.wuzhi, role=Role.EXECUTOR, active_from=date(2026, 6, 1), actor=None, at=at
        )

    assert (Membership.objects.count(), len(audit_rows())) == before


@pytest.mark.django_db
def test_person_moves_court_after_the_previous_membership_ends(courts, make_staff, at):
    executor = make_staff(courts.wenxian, Role.EXECUTOR)
    from zhixing.courts.services import membership_end

    membership_end(membership=executor.memberships.get(), active_to=date(2026, 7, 1), actor=None, at=at)
    moved = membership_grant(
        user=executor, court=courts.wuzhi, role=Role.EXECUTOR, active_from=date(2026, 7, 1), actor=None, at=at
    )

    assert moved.court == courts.wuzhi


@pytest.mark.django_db
def test_empty_membership_period_is_refused(courts, make_staff, at):
    executor = make_staff(courts.wenxian, Role.EXECUTOR)

    with pytest.raises(ValidationFailed, match="终止日期必须晚于起始日期"):
        membership_grant(
            user=executor,
            court=courts.wenxian,
            role=Role.TEAM_LEADER,
            active_from=date(2026, 7, 1),
            active_to=date(2026, 7, 1),
            actor=None,
            at=at,
        )


@pytest.mark.django_db
def test_team_with_a_department_of_another_court_is_refused(courts, at):
    from zhixing.courts.services import department_create

    department = department_create(court=courts.wuzhi, name="执行局", actor=None, at=at)
    kind = TeamKind.objects.get(code="fast_track")

    with pytest.raises(ValidationFailed, match="所选部门不属于该法院"):
        team_create(court=courts.wenxian, kind=kind, name="快执组", department=department, actor=None, at=at)


@pytest.mark.django_db
def test_weak_password_is_refused_in_chinese(at):
    with pytest.raises(ValidationFailed, match="密码不符合要求"):
        user_create(username="weak", name="弱密码", password="12345678", actor=None, at=at)
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_team_kinds_are_seeded_as_data():
    names = set(TeamKind.objects.values_list("name", flat=True))

    assert {
        "指挥中心",
        "查控组",
        "速执/快执",
        "普执",
        "精执",
        "流程程序",
        "综合组",
        "执行实施组",
        "执行裁判组",
        "打击拒执组",
        "审查终结组",
        "终本维护",
        "保全组",
        "卷宗评查组",
        "信访处置组",
        "应急处置团队",
    } <= names


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_staffs_every_role(at, audit_rows):
    first = demo_seed(at=at)
    records_after_first = len(audit_rows())

    second = demo_seed(at=at)

    assert (first.courts, first.teams) == (8, 24)
    assert (second.courts, second.teams, second.users, second.memberships) == (0, 0, 0, 0)
    assert len(audit_rows()) == records_after_first
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    wenxian = Court.objects.get(code="豫0825")
    assert wenxian.parent.code == "豫08"
    assert wenxian.parent.parent.code == "豫"
    assert wenxian.parent.parent.parent.code == "最高法"
    assert set(wenxian.memberships.values_list("role", flat=True)) >= {
        Role.FILING_CLERK,
        Role.EXECUTOR,
        Role.TEAM_LEADER,
        Role.BUREAU_CHIEF,
        Role.VICE_PRESIDENT,
        Role.PRESIDENT,
        Role.REVIEWER,
        Role.SUPERVISOR,
        Role.ADMIN,
    }
