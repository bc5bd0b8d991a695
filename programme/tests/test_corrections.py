"""Corrections: edit and delete paths, measurements corrected with a reason, mailings until they are sent."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from programme import services
from programme.models import AnnualPlan, BudgetLine, Goal, Kpi, KpiMeasurement, Message, QuarterlyMailing, Topic
from programme.tests.factories import (
    BudgetLineFactory,
    GoalFactory,
    KpiFactory,
    MailingFactory,
    MessageFactory,
)

pytestmark = pytest.mark.django_db


def _measurement(kpi, value="40", day=None, user=None) -> KpiMeasurement:
    return KpiMeasurement.objects.create(
        kpi=kpi, value=Decimal(value), measured_on=day or kpi.period_start, source="enquête", recorded_by=user
    )


# A GET never writes -----------------------------------------------------------------------------


def test_opening_the_new_topic_form_of_a_year_without_plan_creates_nothing(client_as, officer, year):
    response = client_as(officer).get(reverse("programme:topic_create", args=[year + 1]))
    assert response.status_code == 302 and response["Location"] == reverse("programme:plan", args=[year + 1])
    assert not AnnualPlan.objects.filter(year=year + 1).exists()


def test_the_plan_page_offers_to_create_the_plan_and_the_post_creates_it(client_as, officer, org, year):
    client = client_as(officer)
    page = client.get(reverse("programme:plan", args=[year + 1])).content.decode()
    assert 'data-testid="plan-empty"' in page and "Jaarplan aanmaken" in page
    assert not AnnualPlan.objects.filter(year=year + 1).exists()
    assert client.get(reverse("programme:plan_create", args=[year + 1])).status_code == 405
    client.post(reverse("programme:plan_create", args=[year + 1]))
    plan = AnnualPlan.objects.get(organisation=org, year=year + 1)
    assert plan.status == AnnualPlan.Status.DRAFT
    assert client.get(reverse("programme:topic_create", args=[year + 1])).status_code == 200


@pytest.mark.parametrize("who", ["ambassador_a", "manager_a", "staff_a"])
def test_only_officers_create_a_plan(request, client_as, who, year):
    response = client_as(request.getfixturevalue(who)).post(reverse("programme:plan_create", args=[year + 1]))
    assert response.status_code == 403 and not AnnualPlan.objects.exists()


# Deletions ask for confirmation -----------------------------------------------------------------


def test_deleting_a_topic_asks_first_and_deletes_on_post(client_as, officer, topic):
    client = client_as(officer)
    url = reverse("programme:topic_delete", args=[topic.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="confirm-delete"' in page and Topic.objects.filter(pk=topic.pk).exists()
    client.post(url)
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_deleting_a_budget_line_asks_first(client_as, officer, org, year):
    line = BudgetLineFactory(organisation=org, year=year)
    client = client_as(officer)
    url = reverse("programme:budget_line_delete", args=[line.pk])
    assert 'data-testid="confirm-delete"' in client.get(url).content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    client.post(url)
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_deleting_a_message_asks_first(client_as, officer, topic):
    message = MessageFactory(topic=topic)
    client = client_as(officer)
    url = reverse("programme:message_delete", args=[message.pk])
    assert 'data-testid="confirm-delete"' in client.get(url).content.decode()
    assert client.post(url).status_code == 302 and not Message.objects.filter(pk=message.pk).exists()


def test_a_goal_and_kpi_without_measurements_are_deleted_and_audited(client_as, officer, org):
    goal = GoalFactory(organisation=org)
    kpi = KpiFactory(goal=goal)
    client = client_as(officer)
    client.post(reverse("programme:kpi_delete", args=[kpi.pk]))
    assert not Kpi.objects.filter(pk=kpi.pk).exists()
    client.post(reverse("programme:goal_delete", args=[goal.pk]))
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert {"programme.kpi_deleted", "programme.goal_deleted"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_a_kpi_with_measurements_is_not_deleted(client_as, officer, org):
    kpi = KpiFactory(goal=GoalFactory(organisation=org))
    _measurement(kpi)
    client = client_as(officer)
    for url in (reverse("programme:kpi_delete", args=[kpi.pk]), reverse("programme:goal_delete", args=[kpi.goal_id])):
        page = client.get(url).content.decode()
        assert 'data-testid="delete-refused"' in page and 'data-testid="confirm-delete"' not in page
        assert "metingen" in client.post(url).content.decode()
    assert Kpi.objects.filter(pk=kpi.pk).exists() and Goal.objects.filter(pk=kpi.goal_id).exists()


@pytest.mark.parametrize("who", ["ambassador_a", "manager_a", "staff_a"])
def test_only_officers_reach_the_deletions(request, client_as, who, org, topic):
    kpi = KpiFactory(goal=GoalFactory(organisation=org))
    message = MessageFactory(topic=topic)
    client = client_as(request.getfixturevalue(who))
    for url in (
        reverse("programme:topic_delete", args=[topic.pk]),
        reverse("programme:kpi_delete", args=[kpi.pk]),
        reverse("programme:goal_delete", args=[kpi.goal_id]),
        reverse("programme:message_delete", args=[message.pk]),
    ):
        assert client.get(url).status_code == 403 and client.post(url).status_code == 403, url
    assert Topic.objects.filter(pk=topic.pk).exists() and Kpi.objects.filter(pk=kpi.pk).exists()


def test_an_officer_never_deletes_another_organisations_objects(client_as, officer, other_org, foreign_topic):
    kpi = KpiFactory(goal=GoalFactory(organisation=other_org))
    line = BudgetLineFactory(organisation=other_org)
    client = client_as(officer)
    for url in (
        reverse("programme:topic_delete", args=[foreign_topic.pk]),
        reverse("programme:kpi_delete", args=[kpi.pk]),
        reverse("programme:goal_delete", args=[kpi.goal_id]),
        reverse("programme:budget_line_delete", args=[line.pk]),
    ):
        assert client.post(url).status_code == 404, url
    assert Topic.objects.filter(pk=foreign_topic.pk).exists() and BudgetLine.objects.filter(pk=line.pk).exists()


# Measurements -----------------------------------------------------------------------------------


def test_a_measurement_outside_the_kpi_period_is_refused(client_as, officer, org, year):
    kpi = KpiFactory(
        goal=GoalFactory(organisation=org),
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 6, 30),
    )
    response = client_as(officer).post(
        reverse("programme:measurement_create", args=[kpi.pk]),
        {"value": "55", "measured_on": f"{year}-07-01", "source": "Enquête juli"},
    )
    content = response.content.decode()
    assert response.status_code == 200 and "binnen de periode" in content and "Enquête juli" in content
    assert not KpiMeasurement.objects.exists()
    with pytest.raises(ValidationError):
        services.kpi_measurement_add(
            kpi=kpi, data={"value": 1, "measured_on": datetime.date(year - 1, 12, 31), "source": "x"}, user=officer
        )


def test_a_correction_keeps_the_old_value_with_its_reason_and_is_audited(client_as, officer, org, year):
    kpi = KpiFactory(goal=GoalFactory(organisation=org))
    measurement = _measurement(kpi, "62", day=datetime.date(year, 1, 15), user=officer)
    client = client_as(officer)
    url = reverse("programme:measurement_correct", args=[measurement.pk])
    response = client.post(url, {"value": "26", "measured_on": f"{year}-01-15", "source": "enquête", "reason": ""})
    assert "Geef de reden voor de correctie." in response.content.decode() and not measurement.corrections.exists()
    client.post(
        url,
        {"value": "26", "measured_on": f"{year}-01-15", "source": "enquête", "reason": "Tikfout: 62 in plaats van 26"},
    )
    measurement.refresh_from_db()
    assert measurement.value == Decimal("26")
    correction = measurement.corrections.get()
    assert Decimal(correction.changes[0]["old"]) == Decimal("62") and correction.corrected_by == officer
    assert AuditEntry.objects.filter(action="programme.measurement_corrected", object_id=str(measurement.pk)).exists()
    page = client.get(reverse("programme:goal", args=[kpi.goal_id])).content.decode()
    assert "Tikfout: 62 in plaats van 26" in page and 'data-testid="correction"' in page


def test_a_correction_cannot_move_a_measurement_out_of_its_period(officer, org, year):
    kpi = KpiFactory(goal=GoalFactory(organisation=org))
    measurement = _measurement(kpi)
    with pytest.raises(ValidationError):
        services.kpi_measurement_correct(
            measurement=measurement,
            data={"value": 1, "measured_on": datetime.date(year + 1, 1, 2), "source": "x"},
            reason="verkeerd jaar",
            user=officer,
        )
    assert not measurement.corrections.exists()


@pytest.mark.parametrize("who", ["ambassador_a", "manager_a"])
def test_only_officers_correct_measurements(request, client_as, who, org):
    measurement = _measurement(KpiFactory(goal=GoalFactory(organisation=org)))
    url = reverse("programme:measurement_correct", args=[measurement.pk])
    assert client_as(request.getfixturevalue(who)).get(url).status_code == 403


def test_an_officer_cannot_correct_another_organisations_measurement(client_as, officer, other_org):
    measurement = _measurement(KpiFactory(goal=GoalFactory(organisation=other_org)))
    url = reverse("programme:measurement_correct", args=[measurement.pk])
    assert client_as(officer).get(url).status_code == 404


def test_the_current_value_is_the_latest_measurement_within_the_period(org, year):
    kpi = KpiFactory(
        goal=GoalFactory(organisation=org),
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 3, 31),
    )
    _measurement(kpi, "10", day=datetime.date(year, 1, 10))
    _measurement(kpi, "20", day=datetime.date(year, 3, 31))
    _measurement(kpi, "99", day=datetime.date(year, 4, 1))  # outside: stored before the rule, never counted
    assert kpi.current_value(today=datetime.date(year, 12, 31)) == Decimal("20")
    assert kpi.current_value(today=datetime.date(year, 2, 1)) == Decimal("10")


# Mailings until they are sent --------------------------------------------------------------------


def test_a_mailing_is_edited_and_cancelled_before_it_is_sent(client_as, officer, org, year):
    mailing = MailingFactory(organisation=org, year=year, quarter=2)
    client = client_as(officer)
    client.post(reverse("programme:mailing_edit", args=[year, 2]), {"subject": "Nieuw", "body": "Tekst"})
    mailing.refresh_from_db()
    assert mailing.subject == "Nieuw"
    url = reverse("programme:mailing_cancel", args=[year, 2])
    assert "Ja, mailing annuleren" in client.get(url).content.decode()
    client.post(url)
    assert not QuarterlyMailing.objects.filter(pk=mailing.pk).exists()
    assert AuditEntry.objects.filter(action="programme.mailing_cancelled").exists()


def test_a_started_mailing_is_neither_edited_nor_cancelled(client_as, officer, org, year):
    mailing = MailingFactory(organisation=org, year=year, quarter=2, started_at=timezone.now())
    client = client_as(officer)
    response = client.post(
        reverse("programme:mailing_edit", args=[year, 2]), {"subject": "Te laat", "body": "x"}, follow=True
    )
    assert "kan niet meer worden gewijzigd" in response.content.decode()
    response = client.post(reverse("programme:mailing_cancel", args=[year, 2]), follow=True)
    assert "kan niet meer worden gewijzigd of geannuleerd" in response.content.decode()
    mailing.refresh_from_db()
    assert mailing.subject != "Te laat"
    with pytest.raises(ValidationError):
        services.mailing_cancel(mailing=mailing, user=officer)
    with pytest.raises(ValidationError):
        services.mailing_save(organisation=org, year=year, quarter=2, data={"subject": "x", "body": "y"})


def test_an_ambassador_cannot_cancel_a_mailing(client_as, ambassador_a, org, year):
    MailingFactory(organisation=org, year=year, quarter=2)
    assert client_as(ambassador_a).post(reverse("programme:mailing_cancel", args=[year, 2])).status_code == 403
    assert QuarterlyMailing.objects.exists()


@pytest.mark.parametrize("size", [1, 6])
def test_the_goal_page_with_corrections_runs_a_fixed_number_of_queries(
    client_as, officer, org, year, size, django_assert_max_num_queries
):
    goal = GoalFactory(organisation=org)
    client = client_as(officer)
    client.get(reverse("programme:goal", args=[goal.pk]))
    for _index in range(size):
        kpi = KpiFactory(goal=goal)
        measurement = _measurement(kpi, user=officer)
        services.kpi_measurement_correct(
            measurement=measurement,
            data={"value": 1, "measured_on": kpi.period_start, "source": "x"},
            reason="tikfout",
            user=officer,
        )
    with django_assert_max_num_queries(16):
        assert client.get(reverse("programme:goal", args=[goal.pk])).status_code == 200


def test_a_measurement_whose_recorder_left_can_still_be_corrected(officer, org):
    kpi = KpiFactory(goal=GoalFactory(organisation=org))
    measurement = _measurement(kpi, "5", user=None)
    services.kpi_measurement_correct(
        measurement=measurement,
        data={"value": 6, "measured_on": kpi.period_start, "source": "enquête"},
        reason="afronding",
        user=officer,
    )
    measurement.refresh_from_db()
    assert measurement.value == 6 and Decimal(measurement.corrections.get().changes[0]["old"]) == 5


# Create-once -------------------------------------------------------------------------------------


def test_a_repeated_submission_stores_one_measurement_and_one_suggestion(client_as, officer, org, year):
    from programme.models import TopicSuggestion

    kpi = KpiFactory(goal=GoalFactory(organisation=org))
    client = client_as(officer)
    measurement = {"value": "12", "measured_on": kpi.period_start.isoformat(), "source": "x", "submission_token": "m-1"}
    for _attempt in range(2):
        assert client.post(reverse("programme:measurement_create", args=[kpi.pk]), measurement).status_code == 302
    suggestion = {"title": "Deepfakes", "description": "", "for_year": year + 1, "submission_token": "s-1"}
    for _attempt in range(2):
        assert client.post(reverse("programme:suggestions"), suggestion).status_code == 302
    assert KpiMeasurement.objects.filter(kpi=kpi).count() == 1
    assert TopicSuggestion.objects.filter(title="Deepfakes").count() == 1
