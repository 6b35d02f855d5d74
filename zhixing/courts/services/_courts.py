"""Courts, departments, teams, people and their role memberships."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhixing.audit.services import record
from zhixing.core.errors import Conflict, ValidationFailed
from zhixing.courts.choices import CHILD_LEVEL, CourtLevel, Role
from zhixing.courts.models import Court, Department, Membership, Team, TeamKind, User
from zhixing.courts.rules import court_code_problem
from zhixing.courts.selectors import membership_conflict


@transaction.atomic
def court_create(
    *, code: str, name: str, level: CourtLevel, parent: Court | None, actor: Any, at: datetime, short_name: str = ""
) -> Court:
    """
    Create a court under ``parent`` with its 法院代字, checking the level and code shape.

    :raises ValidationFailed: for a wrong level under the parent, a malformed code, or a missing name
    :raises Conflict: when the code or the name is already used
    """
    code, name = code.strip(), name.strip()
    if not name:
        raise ValidationFailed("请填写法院名称。", fields={"name": "必填"})
    if parent is None and level != CourtLevel.SUPREME and level != CourtLevel.HIGH:
        raise ValidationFailed(f"{CourtLevel(level).label}必须有上级法院。", fields={"parent": "必填"})
    if parent is not None and CHILD_LEVEL.get(CourtLevel(parent.level)) != level:
        raise ValidationFailed(
            f"{parent.name}（{parent.get_level_display()}）之下不能设立{CourtLevel(level).label}。",
            fields={"level": "层级不符"},
        )
    if problem := court_code_problem(
        code=code, level=level, parent_code=parent.code if parent and parent.level != CourtLevel.SUPREME else None
    ):
        raise ValidationFailed(problem, fields={"code": problem})
    if Court.objects.filter(Q(code=code) | Q(name=name)).exists():
        raise Conflict(f"法院代字“{code}”或名称“{name}”已被使用。")
    court = Court.objects.create(code=code, name=name, short_name=short_name, level=level, parent=parent, path="")
    court.path = f"{parent.path if parent else '/'}{court.pk}/"
    court.save(update_fields=["path"])
    record(
        action="courts.court.created",
        at=at,
        actor=actor,
        court_id=court.pk,
        subject=court,
        after={"code": code, "name": name, "level": level, "parent_id": parent.pk if parent else None},
    )
    return court


@transaction.atomic
def department_create(*, court: Court, name: str, actor: Any, at: datetime) -> Department:
    """
    Create a department in ``court``.

    :raises ValidationFailed: for an empty name
    :raises Conflict: when the court already has a department of that name
    """
    name = name.strip()
    if not name:
        raise ValidationFailed("请填写部门名称。", fields={"name": "必填"})
    if Department.objects.filter(court=court, name=name).exists():
        raise Conflict(f"{court.name}已有名为“{name}”的部门。")
    department = Department.objects.create(court=court, name=name)
    record(action="courts.department.created", at=at, actor=actor, subject=department, after={"name": name})
    return department


@transaction.atomic
def team_kind_ensure(*, code: str, name: str, description: str, sort_order: int, actor: Any, at: datetime) -> TeamKind:
    """Return the team kind ``code``, creating it (audited) when it does not exist yet."""
    kind = TeamKind.objects.filter(code=code).first()
    if kind is not None:
        return kind
    kind = TeamKind.objects.create(code=code, name=name, description=description, sort_order=sort_order)
    record(action="courts.team_kind.created", at=at, actor=actor, subject=kind, after={"code": code, "name": name})
    return kind


@transaction.atomic
def team_create(
    *,
    court: Court,
    kind: TeamKind,
    name: str,
    actor: Any,
    at: datetime,
    department: Department | None = None,
    area: str = "",
    leader: User | None = None,
) -> Team:
    """
    Create a team of ``kind`` in ``court``.

    :raises ValidationFailed: for an empty name, or a department of another court
    :raises Conflict: when the court already has a team of that name
    """
    name = name.strip()
    if not name:
        raise ValidationFailed("请填写团队名称。", fields={"name": "必填"})
    if department is not None and department.court_id != court.pk:
        raise ValidationFailed("所选部门不属于该法院。", fields={"department": "法院不符"})
    if Team.objects.filter(court=court, name=name).exists():
        raise Conflict(f"{court.name}已有名为“{name}”的团队。")
    team = Team.objects.create(court=court, kind=kind, name=name, department=department, area=area, leader=leader)
    record(
        action="courts.team.created",
        at=at,
        actor=actor,
        subject=team,
        after={"name": name, "kind": kind.code, "area": area, "leader_id": leader.pk if leader else None},
    )
    return team


@transaction.atomic
def team_set_leader(*, team: Team, leader: User | None, actor: Any, at: datetime) -> Team:
    """Make ``leader`` the leader of ``team`` (None: no leader)."""
    before = team.leader_id
    team.leader = leader
    team.save(update_fields=["leader"])
    record(
        action="courts.team.changed",
        at=at,
        actor=actor,
        subject=team,
        before={"leader_id": before},
        after={"leader_id": leader.pk if leader else None},
    )
    return team


@transaction.atomic
def user_create(
    *, username: str, name: str, password: str | None, actor: Any, at: datetime, court_id: int | None = None
) -> User:
    """
    Create a login for a person; ``password`` None makes an account that cannot log in with a password.

    :raises ValidationFailed: for an empty username or name, or a password the validators refuse
    :raises Conflict: when the username is taken
    """
    username, name = username.strip(), name.strip()
    if not username or not name:
        raise ValidationFailed("请填写用户名和姓名。", fields={"username": "必填", "name": "必填"})
    if User.objects.filter(username=username).exists():
        raise Conflict(f"用户名“{username}”已被使用。")
    user = User(username=username, name=name)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except DjangoValidationError as error:
            raise ValidationFailed(
                "密码不符合要求：" + "；".join(error.messages), fields={"password": error.messages}
            ) from error
        user.set_password(password)
    user.save()
    record(
        action="courts.user.created",
        at=at,
        actor=actor,
        court_id=court_id,
        subject=user,
        after={"username": username, "name": name},
    )
    return user


@transaction.atomic
def membership_grant(
    *,
    user: User,
    court: Court,
    role: Role,
    active_from: date,
    actor: Any,
    at: datetime,
    team: Team | None = None,
    active_to: date | None = None,
) -> Membership:
    """
    Give ``user`` the ``role`` in ``court`` from ``active_from`` (inclusive) to ``active_to`` (exclusive).

    A person works in one court at a time: a membership overlapping one in another court is refused.

    :raises ValidationFailed: for an empty period or a team of another court
    :raises Conflict: for an overlapping membership in another court, or the same role twice at once
    """
    if active_to is not None and active_to <= active_from:
        raise ValidationFailed("终止日期必须晚于起始日期。", fields={"active_to": "早于起始日期"})
    if team is not None and team.court_id != court.pk:
        raise ValidationFailed("所选团队不属于该法院。", fields={"team": "法院不符"})
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise grants to the same person
    if conflict := membership_conflict(user=user, court=court, role=role, active_from=active_from, active_to=active_to):
        raise Conflict(conflict)
    membership = Membership.objects.create(
        user=user, court=court, role=role, team=team, active_from=active_from, active_to=active_to
    )
    record(
        action="courts.membership.granted",
        at=at,
        actor=actor,
        court_id=court.pk,
        subject=membership,
        after={
            "user_id": user.pk,
            "role": role,
            "team_id": team.pk if team else None,
            "active_from": active_from,
            "active_to": active_to,
        },
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, active_to: date, actor: Any, at: datetime) -> Membership:
    """
    End ``membership`` on ``active_to`` (exclusive); the row stays as history.

    :raises ValidationFailed: when ``active_to`` is not after the start or after an earlier end
    """
    if active_to <= membership.active_from:
        raise ValidationFailed("终止日期必须晚于起始日期。", fields={"active_to": "早于起始日期"})
    if membership.active_to is not None and active_to > membership.active_to:
        raise ValidationFailed("任职已在更早的日期终止。", fields={"active_to": "晚于原终止日期"})
    before = membership.active_to
    membership.active_to = active_to
    membership.save(update_fields=["active_to"])
    record(
        action="courts.membership.ended",
        at=at,
        actor=actor,
        court_id=membership.court_id,
        subject=membership,
        before={"active_to": before},
        after={"active_to": active_to},
    )
    return membership


def login_record(*, user: User, at: datetime, address: str) -> None:
    """Record a successful login in the person's court's chain (the caller holds the transaction)."""
    today = timezone.localdate(at)
    membership = (
        Membership.objects.filter(user=user, active_from__lte=today)
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=today))
        .first()
    )
    record(
        action="courts.login.succeeded",
        at=at,
        actor=user,
        court_id=membership.court_id if membership else None,
        subject=user,
        data={"address": address},
    )


def api_token_issue(*, user: User, at: datetime) -> Any:
    """Return the person's API token, creating it (audited) on first request; the caller holds the transaction."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    if created:
        record(action="courts.api_token.issued", at=at, actor=user, subject=user, data={"token_prefix": token.key[:6]})
    return token


def _field_value(obj: Any, name: str) -> Any:
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


@transaction.atomic
def config_object_save(*, obj: Any, changed_fields: list[str], is_new: bool, actor: Any, at: datetime) -> Any:
    """
    Save a configuration row edited in Django admin, recording what changed (before and after).

    Used only by the admin, for data without rules of its own (names, areas, sort orders); anything
    with rules (courts, memberships) is created through its own service.
    """
    label = obj._meta.model_name
    action = f"courts.{'team_kind' if label == 'teamkind' else label}.{'created' if is_new else 'changed'}"
    before: dict[str, Any] = {}
    if not is_new and changed_fields:
        previous = type(obj).objects.get(pk=obj.pk)
        before = {name: _field_value(previous, name) for name in changed_fields}
    obj.save()
    after = {name: _field_value(obj, name) for name in changed_fields}
    record(
        action=action,
        at=at,
        actor=actor,
        subject=obj,
        court_id=getattr(obj, "court_id", None),
        before=before or None,
        after=after,
    )
    return obj
