"""Each access rule of the ambassadors app, proven per role."""

from __future__ import annotations

import datetime

import pytest

from accounts.permissions import (
    can_change_activity,
    can_give_feedback,
    can_log_activity,
    can_manage_ambassadors,
    can_recognise,
    can_view_activity,
    can_view_ambassador_profile,
    can_view_events,
    can_view_feedback,
    can_view_feedback_list,
    can_view_feedback_statistics,
    covered_department_ids,
)
from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def test_ambassadors_see_and_change_only_their_own_activities(
    org, ambassador_a, manager_a, officer, staff_a, outsider, department_a
):
    own = ActivityFactory(organisation=org, user=ambassador_a, department=department_a)
    closed = ActivityFactory(
        organisation=org, user=ambassador_a, department=department_a, date=datetime.date(2001, 1, 1)
    )
    colleague = AppointmentFactory(organisation=org, departments=[department_a]).user
    theirs = ActivityFactory(organisation=org, user=colleague, department=department_a)
    assert can_view_activity(ambassador_a, own) and can_change_activity(ambassador_a, own)
    assert not can_change_activity(ambassador_a, closed)
    assert not can_view_activity(ambassador_a, theirs) and not can_change_activity(ambassador_a, theirs)
    assert can_view_activity(manager_a, theirs) and not can_change_activity(manager_a, theirs)
    assert can_view_activity(officer, theirs) and not can_change_activity(officer, theirs)
    assert not can_view_activity(staff_a, own)
    assert not can_view_activity(outsider, own)


def test_ambassadors_see_feedback_of_covered_departments_and_the_teams_below(
    ambassador_a, department_a, team_a, department_b, officer, manager_a, outsider, other_department
):
    assert covered_department_ids(ambassador_a) == {department_a.pk, team_a.pk}
    assert can_view_feedback(ambassador_a, FeedbackFactory(department=team_a))
    assert not can_view_feedback(ambassador_a, FeedbackFactory(department=department_b))
    assert can_view_feedback(officer, FeedbackFactory(department=department_b))
    assert not can_view_feedback(officer, FeedbackFactory(department=other_department))
    # Managers get statistics, never the items.
    assert not can_view_feedback(manager_a, FeedbackFactory(department=department_a))
    assert can_view_feedback_statistics(manager_a) and not can_view_feedback_list(manager_a)
    assert not can_view_feedback_statistics(ambassador_a)


def test_profiles_are_seen_by_self_officers_and_managers_of_the_department(
    org, ambassador_a, manager_a, officer, staff_a, outsider, department_b
):
    other = AppointmentFactory(organisation=org, departments=[department_b]).user
    assert can_view_ambassador_profile(ambassador_a, ambassador_a)
    assert can_view_ambassador_profile(manager_a, ambassador_a)
    assert can_view_ambassador_profile(officer, other)
    assert not can_view_ambassador_profile(manager_a, other)
    assert not can_view_ambassador_profile(staff_a, ambassador_a)
    assert not can_view_ambassador_profile(outsider, ambassador_a)


def test_recognitions_by_officers_and_managers_of_the_ambassador(
    org, ambassador_a, manager_a, officer, staff_a, outsider, department_b
):
    other = AppointmentFactory(organisation=org, departments=[department_b]).user
    assert can_recognise(officer, ambassador_a) and can_recognise(officer, other)
    assert can_recognise(manager_a, ambassador_a) and not can_recognise(manager_a, other)
    assert not can_recognise(staff_a, ambassador_a)
    assert not can_recognise(ambassador_a, ambassador_a)
    assert not can_recognise(outsider, ambassador_a)


def test_roles_for_the_other_pages(ambassador_a, officer, staff_a, manager_a, department_a, other_department):
    assert can_log_activity(ambassador_a) and not can_log_activity(staff_a) and not can_log_activity(officer)
    assert can_manage_ambassadors(officer) and not can_manage_ambassadors(manager_a)
    assert can_view_events(ambassador_a) and can_view_events(officer) and not can_view_events(staff_a)
    assert can_give_feedback(staff_a, department_a) and not can_give_feedback(staff_a, other_department)
