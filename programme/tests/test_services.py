from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programme import services
from programme.kpis import Measure
from programme.models import AnnualPlan, HoursConfirmation, Message, Topic, TopicMaterial, TopicSuggestion
from programme.tests.factories import (
    AnnualPlanFactory,
    GoalFactory,
    KpiFactory,
    MailingFactory,
    MessageFactory,
    SuggestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_measure(measures):
    calls = []

    def compute(organisation, start, end, department_ids):
        calls.append((organisation.pk, start, end, department_ids))
        return Decimal("7")

    measures.register(Measure(key="test_reports", label="Testmeldingen", unit="meldingen", compute=compute))
    return calls


def test_copy_shifts_dates_resets_status_and_copies_links(plan, year):
    topic = TopicFactory(plan=plan, status="published", month=2, quarter=None, channels=["intranet", "poster"])
    TopicMaterial.objects.create(topic=topic, title="Site", url="https://example.org/phishing")
    MessageFactory(topic=topic, channel="poster", planned_on=datetime.date(year, 2, 10), status="sent")

    target = services.plan_copy(source=plan, year=year + 1)

    copied = target.topics.get()
    assert target.year == year + 1 and target.status == AnnualPlan.Status.DRAFT
    assert copied.status == Topic.Status.DRAFT and copied.month == 2 and copied.channels == ["intranet", "poster"]
    assert list(copied.materials.values_list("url", flat=True)) == ["https://example.org/phishing"]
    message = copied.messages.get()
    assert message.planned_on == datetime.date(year + 1, 2, 10) and message.status == Message.Status.PLANNED
    # The source is untouched.
    assert plan.topics.get().status == Topic.Status.PUBLISHED


def test_copy_refuses_a_year_that_already_has_topics(plan, year):
    TopicFactory(plan=plan)
    services.plan_copy(source=plan, year=year + 1)
    with pytest.raises(ValidationError):
        services.plan_copy(source=plan, year=year + 1)
    assert Topic.objects.filter(plan__year=year + 1).count() == 1


def test_suggestions_become_draft_topics_and_are_linked(plan, org, officer):
    open_one = SuggestionFactory(organisation=org, title="AI-tools", description="Plakken in chatbots")
    declined = SuggestionFactory(organisation=org, status="declined")
    topics = services.suggestions_pull(plan=plan, suggestions=[open_one, declined], quarter=3, owner=officer)
    assert len(topics) == 1
    open_one.refresh_from_db()
    assert open_one.status == TopicSuggestion.Status.ACCEPTED and open_one.topic == topics[0]
    assert topics[0].quarter == 3 and topics[0].status == "draft" and topics[0].why_it_matters == "Plakken in chatbots"


def test_stale_topic_update_is_refused_and_changes_nothing(topic):
    services.topic_update(topic=topic, expected_version=1, data={"title": "Eerste versie"}, reason="Titel")
    assert Topic.objects.get(pk=topic.pk).version == 2
    stale = Topic.objects.get(pk=topic.pk)
    with pytest.raises(services.StaleTopicError):
        services.topic_update(topic=stale, expected_version=1, data={"title": "Tweede versie"}, reason="Titel")
    assert Topic.objects.get(pk=topic.pk).title == "Eerste versie"


def test_kpi_periods_may_not_overlap_for_the_same_measure(org, year):
    goal = GoalFactory(organisation=org, year=year)
    KpiFactory(
        goal=goal, name="Klikratio", period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 6, 30)
    )
    data = {
        "name": "Klikratio",
        "measure": "",
        "unit": "procent",
        "target": 5,
        "period_start": datetime.date(year, 6, 1),
        "period_end": datetime.date(year, 12, 31),
    }
    with pytest.raises(ValidationError):
        services.kpi_save(goal=goal, data=data)
    data["period_start"] = datetime.date(year, 7, 1)
    assert services.kpi_save(goal=goal, data=data).pk


def test_computed_kpi_uses_the_registry(org, year, test_measure):
    kpi = KpiFactory(goal=GoalFactory(organisation=org, year=year), measure="test_reports")
    today = datetime.date(year, 3, 1)
    assert kpi.current_value(today) == Decimal("7")
    assert test_measure == [(org.pk, datetime.date(year, 1, 1), today, None)]


def test_kpi_with_an_unregistered_measure_has_no_value(org, year, measures):
    kpi = KpiFactory(goal=GoalFactory(organisation=org, year=year), measure="not_registered_anywhere")
    assert kpi.current_value() is None


def test_manual_kpi_value_is_the_latest_measurement(org, year, officer):
    kpi = KpiFactory(goal=GoalFactory(organisation=org, year=year))
    services.kpi_measurement_add(
        kpi=kpi, data={"value": 20, "measured_on": datetime.date(year, 1, 5), "source": "Simulatie"}, user=officer
    )
    services.kpi_measurement_add(
        kpi=kpi, data={"value": 15, "measured_on": datetime.date(year, 2, 5), "source": "Simulatie"}, user=officer
    )
    assert kpi.current_value() == Decimal("15")


def test_mailing_render_lists_the_departments_topics_and_is_signed_by_its_ambassador(
    org, plan, year, department_a, team_a, department_b, ambassador_a
):
    TopicFactory(plan=plan, title="Clean desk", status="published", quarter=2, department=department_a)
    TopicFactory(plan=plan, title="Thuiswerken", status="published", month=5, quarter=None)
    TopicFactory(plan=plan, title="Bewaartermijnen", status="published", quarter=2, department=department_b)
    TopicFactory(plan=plan, title="Concept", status="draft", quarter=2)
    TopicFactory(plan=plan, title="Ander kwartaal", status="published", quarter=3)
    mailing = MailingFactory(organisation=org, year=year, quarter=2, subject="Q2 & meer")

    subject, text, html = services.mailing_render(mailing=mailing, department=team_a, language="nl")

    assert subject == "Q2 & meer"
    assert "Clean desk" in text and "Thuiswerken" in text
    assert "Bewaartermijnen" not in text and "Concept" not in text and "Ander kwartaal" not in text
    assert "Sanne Ambassadeur" in text and "Sanne Ambassadeur" in html
    assert "Met vriendelijke groet" in text


def test_mailing_without_an_ambassador_is_signed_by_the_team(org, plan, year, department_b):
    mailing = MailingFactory(organisation=org, year=year, quarter=1)
    _subject, text, _html = services.mailing_render(mailing=mailing, department=department_b, language="en")
    assert "information security and privacy team of Gemeente Voorbeeld" in text


def test_hours_confirmations_keep_history_and_feed_the_time_budget(org, year, department_a, manager_a, measures):
    measures._measures.pop(services.HOURS_MEASURE, None)
    services.hours_confirm(department=department_a, year=year, hours_per_month=Decimal("4"), user=manager_a)
    services.hours_confirm(department=department_a, year=year, hours_per_month=Decimal("6"), user=manager_a)
    assert HoursConfirmation.objects.filter(department=department_a).count() == 2
    budget = services.time_budget(organisation=org, year=year)
    assert budget.allotted == Decimal("72")
    assert budget.logged is None  # no measure of logged hours is registered


def test_time_budget_uses_the_hours_measure_when_registered(org, year, measures):
    measures._measures.pop(services.HOURS_MEASURE, None)
    measures.register(Measure(key=services.HOURS_MEASURE, label="Uren", unit="uur", compute=lambda *a: Decimal("12.5")))
    assert services.time_budget(organisation=org, year=year).logged == Decimal("12.5")


def test_budget_line_refuses_negative_amounts(org, year):
    with pytest.raises(ValidationError):
        services.budget_line_save(
            organisation=org,
            year=year,
            data={"category": "training", "description": "E-learning", "planned": Decimal("-1"), "actual": 0},
        )


def test_calendar_token_rotation_changes_the_secret(officer):
    first = services.calendar_token_rotate(user=officer).token
    assert services.calendar_token_rotate(user=officer).token != first


def test_plan_publish_publishes_its_topics(org, year):
    plan = AnnualPlanFactory(organisation=org, year=year)
    TopicFactory(plan=plan, status="draft")
    services.plan_publish(plan=plan)
    assert Topic.objects.published().count() == 1
