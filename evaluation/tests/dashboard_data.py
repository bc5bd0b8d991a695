"""Known data for the dashboard tests: figures in department A (with team A), B and another organisation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.tests.factories import DepartmentFactory, UserFactory
from ambassadors.models import Feedback
from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory
from incidents.tests.factories import DataLeakFactory
from programme.tests.factories import GoalFactory, KpiFactory, TopicFactory


def populate(*, org, department_a, team_a, department_b, ambassador_a, other_department) -> dict:
    """Department A: 3 activities (4.5 h), 2 leaks, 2 feedback (1 handled). B: 1 activity (2 h), 1 leak, 1 feedback."""
    today = timezone.localdate()
    topic = TopicFactory(plan__organisation=org, title="Phishing")
    for _i in range(3):
        ActivityFactory(
            organisation=org, user=ambassador_a, department=team_a, hours=Decimal("1.5"), date=today, topic=topic
        )
    ambassador_b = UserFactory(organisation=org, department=department_b, full_name="Bram Ambassadeur")
    AppointmentFactory(user=ambassador_b, organisation=org, departments=[department_b])
    ActivityFactory(organisation=org, user=ambassador_b, department=department_b, hours=Decimal("2"), date=today)
    DataLeakFactory(department=team_a, category="email_wrong_recipient", description="GEHEIM-A1 inhoud")
    DataLeakFactory(department=department_a, category="lost_device", description="GEHEIM-A2 inhoud")
    DataLeakFactory(department=department_b, category="lost_device", description="GEHEIM-B inhoud")
    FeedbackFactory(
        department=team_a,
        status=Feedback.Status.PROCEDURE_CHANGED,
        answer="Het formulier is aangepast.",
        procedure="Verzenden van besluiten",
        answered_at=timezone.now(),
    )
    FeedbackFactory(department=department_a)
    FeedbackFactory(department=department_b)
    # Another organisation's figures must never show.
    outsider_ambassador = UserFactory(organisation=other_department.organisation, department=other_department)
    for _i in range(5):
        ActivityFactory(
            organisation=other_department.organisation,
            user=outsider_ambassador,
            department=other_department,
            date=today,
        )
    DataLeakFactory(department=other_department)
    goal = GoalFactory(organisation=org, year=today.year, title="Bewustzijn")
    KpiFactory(goal=goal, name="Uren besteed", measure="ambassador_hours_ratio", target=80, unit="%")
    return {"topic": topic, "ambassador_b": ambassador_b}


def add_bulk(*, org, departments: list, count: int) -> None:
    """Many rows across several departments, to show the query count does not grow."""
    today = timezone.localdate()
    for index in range(count):
        department = departments[index % len(departments)]
        user = UserFactory(organisation=org, department=department)
        AppointmentFactory(user=user, organisation=org, departments=[department])
        ActivityFactory(organisation=org, user=user, department=department, date=today - datetime.timedelta(days=40))
        DataLeakFactory(department=department)
        FeedbackFactory(department=department)


def more_departments(org, count: int) -> list:
    return [DepartmentFactory(organisation=org, name=f"Extra {i}") for i in range(count)]
