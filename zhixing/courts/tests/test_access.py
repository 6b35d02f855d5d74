"""The court scope: own court read and write; supervisors read their subtree, read-only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhixing.courts.access import court_scope_for, scoped, scoped_get
from zhixing.courts.choices import Role
from zhixing.courts.models import Court, Team
from zhixing.courts.rules import Capability
from zhixing.courts.services import membership_end

TODAY = date(2026, 11, 23)


@pytest.mark.django_db
def test_executor_reads_and_writes_only_their_own_court(courts, make_staff):
    executor = make_staff(courts.wenxian, Role.EXECUTOR)

    scope = court_scope_for(user=executor, today=TODAY)

    assert scope.court == courts.wenxian
    assert scope.readable_court_ids == {courts.wenxian.pk}
    assert scope.writable_court_ids == {courts.wenxian.pk}
    assert scope.can(Capability.EXECUTE_CASES)
    assert not scope.can(Capability.VIEW_AUDIT)


@pytest.mark.django_db
def test_upper_supervisor_reads_whole_subtree_and_writes_nothing(courts, make_staff):
    supervisor = make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR)

    scope = court_scope_for(user=supervisor, today=TODAY)

    assert scope.readable_court_ids == {courts.jiaozuo.pk, courts.wenxian.pk, courts.wuzhi.pk}
    assert scope.writable_court_ids == frozenset()
    assert not scope.may_read(courts.linshu.pk)
    assert not scope.may_read(courts.henan.pk)


@pytest.mark.django_db
def test_high_court_supervisor_reads_every_level_below(courts, make_staff):
    supervisor = make_staff(courts.henan, Role.UPPER_SUPERVISOR)

    scope = court_scope_for(user=supervisor, today=TODAY)

    assert scope.readable_court_ids == {courts.henan.pk, courts.jiaozuo.pk, courts.wenxian.pk, courts.wuzhi.pk}


@pytest.mark.django_db
def test_ended_membership_gives_no_scope(courts, make_staff, at):
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK)
    membership_end(membership=clerk.memberships.get(), active_to=date(2026, 6, 1), actor=None, at=at)

    scope = court_scope_for(user=clerk, today=TODAY)

    assert not scope.is_staff_member
    assert scope.readable_court_ids == frozenset()


@pytest.mark.django_db
def test_membership_counts_from_its_first_day_and_not_on_its_end_day(courts, make_staff, at):
    clerk = make_staff(courts.wenxian, Role.FILING_CLERK)
    membership_end(membership=clerk.memberships.get(), active_to=date(2026, 6, 1), actor=None, at=at)

    assert court_scope_for(user=clerk, today=date(2026, 1, 1)).is_staff_member
    assert court_scope_for(user=clerk, today=date(2026, 5, 31)).is_staff_member
    assert not court_scope_for(user=clerk, today=date(2026, 6, 1)).is_staff_member
    assert not court_scope_for(user=clerk, today=date(2025, 12, 31)).is_staff_member


@pytest.mark.django_db
def test_scoped_filters_rows_of_other_courts(courts, make_staff):
    executor = make_staff(courts.wenxian, Role.EXECUTOR)
    scope = court_scope_for(user=executor, today=TODAY)

    assert list(scoped(Court.objects.all(), scope=scope, court_field="pk")) == [courts.wenxian]


@pytest.mark.django_db
def test_scoped_get_hides_other_courts_rows_as_not_found(courts, make_staff):
    executor = make_staff(courts.wenxian, Role.EXECUTOR)
    scope = court_scope_for(user=executor, today=TODAY)

    with pytest.raises(Http404):
        scoped_get(Court.objects.all(), scope=scope, pk=courts.wuzhi.pk, court_field="pk")
    with pytest.raises(Http404):
        scoped_get(Team.objects.all(), scope=scope, pk="not-a-number")


@pytest.mark.django_db
def test_scoped_get_for_write_refuses_a_readable_lower_court(courts, make_staff):
    supervisor = make_staff(courts.jiaozuo, Role.SUPERVISOR)
    scope = court_scope_for(user=supervisor, today=TODAY)

    assert scoped_get(Court.objects.all(), scope=scope, pk=courts.wenxian.pk, court_field="pk") == courts.wenxian
    with pytest.raises(PermissionDenied):
        scoped_get(Court.objects.all(), scope=scope, pk=courts.wenxian.pk, court_field="pk", write=True)
    assert scoped_get(Court.objects.all(), scope=scope, pk=courts.jiaozuo.pk, court_field="pk", write=True)


@pytest.mark.django_db
def test_person_without_membership_sees_nothing(django_user_model):
    user = django_user_model.objects.create_user(username="nobody", name="无任职", password="x" * 12)

    scope = court_scope_for(user=user, today=TODAY)

    assert not scope.is_staff_member
    assert not scope.capabilities
