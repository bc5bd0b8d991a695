from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from incidents.models import APNotification, DataLeak
from incidents.tests.factories import DataLeakFactory
from programme.kpis import registry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "hours,expected",
    [
        (0, "countdown-green"),
        (47.9, "countdown-green"),
        (48, "countdown-orange"),
        (59.9, "countdown-orange"),
        (60, "countdown-red"),
        (71.9, "countdown-red"),
        (72, "countdown-overdue"),
        (100, "countdown-overdue"),
    ],
)
def test_countdown_colour(leak_a, hours, expected):
    now = leak_a.aware_at + datetime.timedelta(hours=hours)
    assert leak_a.countdown_class(now) == expected
    assert leak_a.deadline == leak_a.aware_at + datetime.timedelta(hours=72)


def test_milestones_due(team_a, privacy_officer):
    now = timezone.now()
    fresh = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=5))
    day = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=25))
    red = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=61))
    late = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=90))
    decided = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=90), ap_decision="no_notify")
    closed = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=90), closed_at=timezone.now())
    due = dict(DataLeak.objects.milestones_due(now))
    assert due == {day: 24, red: 60, late: 72}
    assert fresh not in due and decided not in due and closed not in due


def test_yearly_counts_per_type_and_department(team_a, department_b, foreign_leak):
    notified = DataLeakFactory(department=team_a, category="cc_not_bcc", ap_decision="notify")
    APNotification.objects.create(leak=notified, notified_at=timezone.now(), ap_reference="M1")
    # Decided to notify but not yet notified, or notified and withdrawn: not counted as notified.
    withdrawn = DataLeakFactory(department=department_b, category="lost_device", ap_decision="notify")
    for kind in ("initial", "withdrawal"):
        APNotification.objects.create(leak=withdrawn, kind=kind, notified_at=timezone.now(), ap_reference="M2")
    DataLeakFactory(department=team_a, category="cc_not_bcc")
    DataLeakFactory(department=department_b, category="lost_device", no_leak_at=timezone.now())
    DataLeakFactory(department=department_b, category="lost_device", created_at=timezone.now().replace(year=2020))
    counts = DataLeak.objects.filter(organisation=team_a.organisation).yearly_counts(timezone.now().year)
    assert [(r["category"], r["count"], r["notified"], r["no_leak"]) for r in counts["per_type"]] == [
        ("cc_not_bcc", 2, 1, 0),
        ("lost_device", 2, 0, 1),
    ]
    assert {r["department__name"]: r["count"] for r in counts["per_department"]} == {
        "Team Balie": 2,
        "Werk en Inkomen": 2,
    }


def test_kpi_counts_reports_in_the_period_with_one_query(team_a, department_b, foreign_leak, django_assert_num_queries):
    DataLeakFactory(department=team_a)
    DataLeakFactory(department=department_b)
    DataLeakFactory(department=department_b, created_at=timezone.now() - datetime.timedelta(days=400))
    measure = registry.get("dataleak_reports")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    with django_assert_num_queries(1):
        assert measure.compute(team_a.organisation, start, today, None) == Decimal(2)
    assert measure.compute(team_a.organisation, start, today, [team_a.pk]) == Decimal(1)
