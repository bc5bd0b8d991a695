import datetime

import pytest
from django.utils import timezone

from accounts.models import Department
from accounts.permissions import (
    can_view_department_dashboard,
    get_roles,
    is_ambassador,
    is_manager,
    is_officer,
    is_privacy_officer,
    requires_mfa,
)
from accounts.permissions.roles import forget_roles
from accounts.tests.factories import DepartmentFactory, UserFactory
from ambassadors.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_every_active_user_is_staff_without_other_roles(staff_b):
    roles = get_roles(staff_b)
    assert not (roles.is_officer or roles.is_manager or roles.is_ambassador)
    assert not requires_mfa(staff_b)


def test_officer_kinds(officer, privacy_officer):
    assert is_officer(officer) and not is_privacy_officer(officer)
    assert is_officer(privacy_officer) and is_privacy_officer(privacy_officer)
    assert requires_mfa(officer)


def test_manager_manages_the_subtree_below(manager_a, department_a, team_a, department_b):
    roles = get_roles(manager_a)
    assert is_manager(manager_a)
    assert roles.managed_ids == {department_a.pk, team_a.pk}
    assert can_view_department_dashboard(manager_a, team_a)
    assert not can_view_department_dashboard(manager_a, department_b)
    assert requires_mfa(manager_a)


def test_ambassador_role_follows_the_term(org, department_a, staff_b):
    today = timezone.localdate()
    appointment = AppointmentFactory(
        user=staff_b,
        organisation=org,
        departments=[department_a],
        term_start=today + datetime.timedelta(days=1),
        term_end=today + datetime.timedelta(days=100),
    )
    assert not is_ambassador(staff_b)
    appointment.term_start = today - datetime.timedelta(days=365)
    appointment.term_end = today - datetime.timedelta(days=1)
    appointment.save()
    forget_roles(staff_b)
    assert not is_ambassador(staff_b)
    appointment.term_end = today
    appointment.save()
    forget_roles(staff_b)
    assert get_roles(staff_b).ambassador_ids == {department_a.pk}


def test_roles_are_computed_once_per_user_object(officer, django_assert_num_queries):
    get_roles(officer)
    with django_assert_num_queries(0):
        get_roles(officer)
        is_officer(officer)


def test_inactive_user_has_no_roles(officer):
    officer.is_active = False
    assert not is_officer(officer)


def test_anonymous_has_no_roles():
    from django.contrib.auth.models import AnonymousUser

    assert not get_roles(AnonymousUser()).is_officer


def test_roles_never_cross_organisations(outsider, department_a):
    assert is_officer(outsider)
    assert not can_view_department_dashboard(outsider, department_a)


def test_department_path_moves_with_its_subtree(org):
    top = DepartmentFactory(organisation=org, code="T")
    middle = DepartmentFactory(organisation=org, code="M", parent=top)
    leaf = DepartmentFactory(organisation=org, code="L", parent=middle)
    other = DepartmentFactory(organisation=org, code="O")
    assert leaf.path.startswith(top.path)
    middle.parent = other
    middle.save()
    leaf.refresh_from_db()
    assert leaf.path.startswith(other.path) and not leaf.path.startswith(top.path)
    assert set(Department.objects.subtree_of([other]).values_list("code", flat=True)) == {"O", "M", "L"}
    assert leaf.depth == 3


def test_user_email_is_unique_and_normalised(org):
    user = UserFactory(organisation=org, email="Anna@Voorbeeld.TEST")
    user.full_clean(exclude=["password"])
    assert user.email == "anna@voorbeeld.test"
