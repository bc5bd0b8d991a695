from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ambassadors.models import Feedback
from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory
from programme.kpis import registry

pytestmark = pytest.mark.django_db


def _compute(key, org, start, end, ids=None):
    return registry.get(key).compute(org, start, end, ids)


def test_measures_are_registered():
    for key in ("ambassador_coverage", "ambassador_hours_logged", "ambassador_hours_ratio", "feedback_answered_30d"):
        assert registry.get(key) is not None


def test_coverage_counts_units_with_a_current_ambassador(
    org, ambassador_a, department_a, department_b, team_a, other_department, django_assert_max_num_queries
):
    today = timezone.localdate()
    with django_assert_max_num_queries(1):
        assert _compute("ambassador_coverage", org, today, today) == Decimal("50.0")
    assert _compute("ambassador_coverage", org, today, today, [department_a.pk]) == Decimal("100.0")
    assert _compute("ambassador_coverage", org, today, today, [department_b.pk]) == Decimal("0.0")


def test_hours_logged_and_ratio(org, ambassador_a, department_a, department_b):
    today = timezone.localdate()
    start = today.replace(day=1)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, hours=Decimal("4"), date=start)
    ActivityFactory(organisation=org, department=department_b, hours=Decimal("2"), date=start)
    assert _compute("ambassador_hours_logged", org, start, today) == Decimal("6")
    assert _compute("ambassador_hours_logged", org, start, today, [department_a.pk]) == Decimal("4")
    # ambassador_a has 8 hours per month agreed; one month in the period.
    assert _compute("ambassador_hours_ratio", org, start, today, [department_a.pk]) == Decimal("50.0")
    assert _compute("ambassador_hours_ratio", org, start, today, [department_b.pk]) is None


def test_feedback_answered_within_30_days(org, department_a, department_b):
    now = timezone.now()
    quick = FeedbackFactory(department=department_a, answer="Ja", status=Feedback.Status.EXPLAINED)
    Feedback.objects.filter(pk=quick.pk).update(answered_at=now + datetime.timedelta(days=3))
    slow = FeedbackFactory(department=department_a, answer="Later", status=Feedback.Status.EXPLAINED)
    Feedback.objects.filter(pk=slow.pk).update(answered_at=now + datetime.timedelta(days=40))
    FeedbackFactory(department=department_b)
    today = timezone.localdate()
    assert _compute("feedback_answered_30d", org, today, today) == Decimal("33.3")
    assert _compute("feedback_answered_30d", org, today, today, [department_a.pk]) == Decimal("50.0")
    assert (
        _compute(
            "feedback_answered_30d", org, today - datetime.timedelta(days=400), today - datetime.timedelta(days=300)
        )
        is None
    )


def test_measures_never_cross_organisations(other_org, ambassador_a, department_a):
    today = timezone.localdate()
    ActivityFactory(organisation=ambassador_a.organisation, user=ambassador_a, department=department_a)
    AppointmentFactory(organisation=ambassador_a.organisation, departments=[department_a])
    assert _compute("ambassador_hours_logged", other_org, today, today) == Decimal("0")
    assert _compute("ambassador_coverage", other_org, today, today) is None
