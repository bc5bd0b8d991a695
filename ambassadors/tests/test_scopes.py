"""The page scopes of the ambassadors app (accounts.permissions): None is the organisation, else department ids."""

from __future__ import annotations

import pytest

from accounts.permissions import (
    activity_department_ids,
    ambassador_overview_scope,
    can_view_department_histories,
    feedback_scope,
    feedback_statistics_scope,
    has_ambassador_standing,
    nomination_candidate_department_ids,
    profile_activity_scope,
    recognisable_scope,
)
from ambassadors.models import Activity, Appointment, Feedback
from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def test_officers_see_the_organisation_managers_their_departments(officer, manager_a, department_a, team_a):
    for scope in (ambassador_overview_scope, feedback_statistics_scope, recognisable_scope):
        assert scope(officer) is None
        assert set(scope(manager_a)) == {department_a.pk, team_a.pk}
    assert set(nomination_candidate_department_ids(manager_a)) == {department_a.pk, team_a.pk}
    assert can_view_department_histories(officer) and can_view_department_histories(manager_a)


def test_staff_have_no_scope(staff_b):
    assert not ambassador_overview_scope(staff_b) and not feedback_scope(staff_b)
    assert not nomination_candidate_department_ids(staff_b) and not can_view_department_histories(staff_b)
    assert not has_ambassador_standing(staff_b) and not activity_department_ids(staff_b)


def test_ambassadors_see_the_feedback_of_what_they_cover(ambassador_a, officer, department_a, team_a):
    assert set(feedback_scope(ambassador_a)) == {department_a.pk, team_a.pk}
    assert feedback_scope(officer) is None
    assert has_ambassador_standing(ambassador_a)
    assert department_a.pk in activity_department_ids(ambassador_a)


def test_a_profile_shows_a_manager_only_their_departments_activities(
    org, ambassador_a, manager_a, officer, department_a, department_b
):
    assert profile_activity_scope(officer, ambassador_a) is None
    assert profile_activity_scope(ambassador_a, ambassador_a) is None
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_b)
    shown = Activity.objects.visible_to(manager_a).within(profile_activity_scope(manager_a, ambassador_a))
    assert set(shown.values_list("department_id", flat=True)) == {department_a.pk}


def test_within_narrows_every_list_to_the_scope(org, manager_a, department_a, department_b):
    AppointmentFactory(organisation=org, departments=[department_b])
    FeedbackFactory(organisation=org, department=department_b)
    scope = ambassador_overview_scope(manager_a)
    assert not Appointment.objects.visible_to(manager_a).within(scope).exists()
    assert not Feedback.objects.visible_to(manager_a).within(feedback_statistics_scope(manager_a)).exists()
    assert Appointment.objects.visible_to(manager_a).within(None).exists()
