"""
Court scope: the one place that decides which courts' data a person may read and change.

A person reads and acts on their own court's data; supervisory roles also read every court below
theirs, read-only. Every view, API endpoint and selector that returns court data filters through
``scoped`` or fetches through ``scoped_get``; ``CourtScopeMiddleware`` puts the scope on each request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission

from zhixing.courts.choices import Role
from zhixing.courts.models import Court, Membership, User
from zhixing.courts.rules import Capability, capabilities_of

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True, kw_only=True)
class CourtScope:
    """What one person may see and do today: their court, roles, capabilities and readable courts."""

    user_id: int | None
    court: Court | None = None
    roles: frozenset[Role] = frozenset()
    capabilities: frozenset[Capability] = frozenset()
    readable_court_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff_member(self) -> bool:
        """Return whether the person holds any role in a court today."""
        return self.court is not None

    @property
    def writable_court_ids(self) -> frozenset[int]:
        """Return the courts whose data the person may change: their own, when a role allows acting."""
        if self.court is None or Capability.ACT not in self.capabilities:
            return frozenset()
        return frozenset({self.court.pk})

    def can(self, capability: Capability) -> bool:
        """Return whether any of the person's roles allows ``capability``."""
        return capability in self.capabilities

    def may_read(self, court_id: int | None) -> bool:
        """Return whether the person may read data of court ``court_id``."""
        return court_id in self.readable_court_ids

    def may_write(self, court_id: int | None) -> bool:
        """Return whether the person may change data of court ``court_id``."""
        return court_id in self.writable_court_ids


NO_SCOPE = CourtScope(user_id=None)


def _active(today: date) -> Q:
    return Q(active_from__lte=today) & (Q(active_to__isnull=True) | Q(active_to__gt=today))


def court_scope_for(*, user: Any, today: date) -> CourtScope:
    """
    Return the scope of ``user`` on ``today`` from their active memberships (two queries).

    A person with no active membership (or an anonymous one) gets an empty scope and sees nothing.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    memberships = list(
        Membership.objects.filter(_active(today), user_id=user.pk)
        .select_related("court")
        .order_by("-active_from", "id")
    )
    if not memberships:
        return CourtScope(user_id=user.pk)
    court = memberships[0].court  # the service keeps one court per person at a time
    roles = frozenset(Role(m.role) for m in memberships if m.court_id == court.pk)
    capabilities = capabilities_of(roles)
    if Capability.VIEW_SUBTREE in capabilities:
        readable = frozenset(Court.objects.filter(path__startswith=court.path).values_list("pk", flat=True))
    else:
        readable = frozenset({court.pk})
    return CourtScope(user_id=user.pk, court=court, roles=roles, capabilities=capabilities, readable_court_ids=readable)


def role_holders(*, court_id: int, role: Role, today: date, team_id: int | None = None) -> list[Any]:
    """
    Return the people who hold ``role`` in court ``court_id`` on ``today`` (earliest appointed first).

    ``team_id`` narrows to the members of one team (an executor of that team, its leader).
    """
    memberships = Membership.objects.filter(_active(today), court_id=court_id, role=role, user__is_active=True)
    if team_id is not None:
        memberships = memberships.filter(team_id=team_id)
    ids = list(memberships.order_by("active_from", "id").values_list("user_id", flat=True))
    users = {user.pk: user for user in User.objects.filter(pk__in=ids)}
    return [users[pk] for pk in dict.fromkeys(ids) if pk in users]


def scoped(queryset: QuerySet[M], *, scope: CourtScope, court_field: str = "court", write: bool = False) -> QuerySet[M]:
    """
    Return ``queryset`` narrowed to the rows of courts ``scope`` may read (or, with ``write``, change).

    ``court_field`` is the lookup path from the model to its court's id (``court``, ``case__court``, or
    ``pk`` for ``Court`` itself).
    """
    ids = scope.writable_court_ids if write else scope.readable_court_ids
    lookup = court_field if court_field == "pk" else f"{court_field}_id" if "__" not in court_field else court_field
    return queryset.filter(**{f"{lookup}__in": sorted(ids)})


def scoped_get(
    queryset: QuerySet[M], *, scope: CourtScope, pk: Any, court_field: str = "court", write: bool = False
) -> M:
    """
    Return the row ``pk`` of ``queryset`` if ``scope`` may read it (or change it, with ``write``).

    :raises Http404: when the row does not exist or lies outside the readable courts (its existence is not revealed)
    :raises PermissionDenied: when ``write`` is asked and the row is readable but not writable
    """
    try:
        obj = scoped(queryset, scope=scope, court_field=court_field).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("未找到该对象，或您无权查看。") from error
    if write and not scoped(queryset, scope=scope, court_field=court_field, write=True).filter(pk=obj.pk).exists():
        raise PermissionDenied("您对该法院的数据只有查看权限。")
    return obj


def require(scope: CourtScope, capability: Capability) -> None:
    """
    Check that ``scope`` allows ``capability``.

    :raises PermissionDenied: with a message in Chinese when it does not
    """
    if not scope.can(capability):
        raise PermissionDenied("您的角色无权执行此操作。")


class IsCourtStaff(BasePermission):
    """DRF permission: an authenticated person with a role in a court today; writes need a writing role."""

    message = "您没有在职的法院角色，无权访问。"

    def has_permission(self, request: Any, view: Any) -> bool:
        scope: CourtScope = request.scope
        if not scope.is_staff_member:
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return bool(scope.writable_court_ids)


def staff_required(capability: Capability = Capability.VIEW_COURT) -> Any:
    """
    Decorate a view: the person must be logged in, hold a role in a court today, and have ``capability``.

    Anonymous people are sent to the login page; others without the capability get the 403 page.
    """
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.scope.is_staff_member:
                raise PermissionDenied("您没有在职的法院角色，请联系本院系统管理员。")
            require(request.scope, capability)
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorate
