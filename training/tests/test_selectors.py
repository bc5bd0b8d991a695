from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from training.models import Enrolment
from training.selectors import ambassador_progress, training_attendance
from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _past(module, days=5):
    start = timezone.now() - datetime.timedelta(days=days)
    return SessionFactory(module=module, starts_at=start, ends_at=start + datetime.timedelta(hours=2))


def test_progress_counts_attended_mandatory_modules(org, make_ambassador, staff_a, django_assert_num_queries):
    year = timezone.localdate().year
    leaks, phishing = (ModuleFactory(organisation=org, title=t) for t in ("Datalekken", "Phishing"))
    optional = ModuleFactory(organisation=org, title="Clean desk", is_mandatory=False)
    ModuleFactory(organisation=org, title="Vorig jaar", year=year - 1)
    done, halfway, nothing = (make_ambassador(n) for n in ("Klaar", "Half", "Niets"))
    for module in (leaks, phishing, optional):
        EnrolmentFactory(session=_past(module), user=done, attended=True)
    EnrolmentFactory(session=_past(leaks), user=halfway, attended=True)
    EnrolmentFactory(session=SessionFactory(module=phishing), user=halfway, status=Enrolment.Status.WAITLISTED)
    EnrolmentFactory(session=_past(leaks), user=nothing, attended=True, status=Enrolment.Status.CANCELLED)
    EnrolmentFactory(session=_past(leaks), user=staff_a, attended=True)  # not an ambassador
    with django_assert_num_queries(1):
        rows = {
            u.full_name: (u.completed, u.total, u.percent, u.missing)
            for u in ambassador_progress(organisation_id=org.pk, year=year)
        }
    assert rows == {"Klaar": (2, 2, 100, 0), "Half": (1, 2, 50, 0), "Niets": (0, 2, 0, 2)}


def test_progress_is_restricted_to_departments(org, make_ambassador, department_a, department_b):
    make_ambassador("A")
    make_ambassador("B", department=department_b)
    names = [
        u.full_name for u in ambassador_progress(organisation_id=org.pk, year=2026, department_ids=[department_b.pk])
    ]
    assert names == ["B"]


def test_progress_without_mandatory_modules_is_complete(org, make_ambassador):
    make_ambassador("A")
    assert ambassador_progress(organisation_id=org.pk, year=2026).get().percent == 100


def test_kpi_is_attended_share_of_places_in_the_period(
    org, module, ambassador_a, staff_a, staff_b, other_org, django_assert_num_queries
):
    session = _past(module)
    EnrolmentFactory(session=session, user=ambassador_a, attended=True)
    EnrolmentFactory(session=session, user=staff_a, attended=True)
    EnrolmentFactory(session=session, user=staff_b, attended=False)
    EnrolmentFactory(session=session, status=Enrolment.Status.WAITLISTED)
    EnrolmentFactory(session=SessionFactory(module=module))  # upcoming: not counted
    EnrolmentFactory(session=_past(ModuleFactory(organisation=other_org)), attended=False)
    today = timezone.localdate()
    with django_assert_num_queries(1):
        value = training_attendance(org, today - datetime.timedelta(days=30), today, None)
    assert value == Decimal("66.7")
    assert training_attendance(org, today - datetime.timedelta(days=30), today, [staff_b.department_id]) == Decimal(
        "0.0"
    )
    assert (
        training_attendance(org, today - datetime.timedelta(days=400), today - datetime.timedelta(days=300), None)
        is None
    )


def test_kpi_is_registered():
    from programme.kpis import registry

    assert registry.get("training_attendance").compute is training_attendance
