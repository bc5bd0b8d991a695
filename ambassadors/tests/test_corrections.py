"""Corrections: what was recorded is corrected by those allowed to record it; facts keep the old value and a reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import get_roles
from accounts.tests.factories import UserFactory
from ambassadors.models import Activity, Appointment, Event, Feedback, Nomination, Recognition
from ambassadors.tests.factories import (
    ActivityFactory,
    EventFactory,
    FeedbackFactory,
    NominationFactory,
    RecognitionFactory,
)
from core.models import AuditEntry, Correction

pytestmark = pytest.mark.django_db


# --- Appointments: end or extend a term ---------------------------------------------------------------


def test_an_officer_ends_a_term_with_a_reason(client_as, officer, ambassador_a):
    appointment = Appointment.objects.get(user=ambassador_a)
    client = client_as(officer)
    url = reverse("ambassadors:appointment_correct", args=[appointment.pk])
    assert client.get(url).status_code == 200
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, {"term_end": yesterday.isoformat(), "hours_per_month": "4", "reason": ""})
    assert "Geef de reden voor de correctie." in response.content.decode()
    response = client.post(
        url,
        {"term_end": yesterday.isoformat(), "hours_per_month": "4", "reason": "Vertrokken naar een andere gemeente"},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.term_end == yesterday
    correction = appointment.corrections.get()
    assert correction.reason == "Vertrokken naar een andere gemeente" and correction.corrected_by == officer
    assert correction.changes[0]["new"] == yesterday.strftime("%d-%m-%Y")
    assert AuditEntry.objects.filter(action="ambassadors.appointment_corrected", object_id=str(appointment.pk)).exists()
    ambassador_a.refresh_from_db()
    assert not get_roles(type(ambassador_a).objects.get(pk=ambassador_a.pk)).is_ambassador
    profile = client.get(reverse("ambassadors:profile", args=[ambassador_a.pk])).content.decode()
    assert "Vertrokken naar een andere gemeente" in profile


def test_a_term_cannot_end_before_it_starts(client_as, officer, ambassador_a):
    appointment = Appointment.objects.get(user=ambassador_a)
    before = appointment.term_start - datetime.timedelta(days=3)
    response = client_as(officer).post(
        reverse("ambassadors:appointment_correct", args=[appointment.pk]),
        {"term_end": before.isoformat(), "hours_per_month": "4", "reason": "Vergissing"},
    )
    assert response.status_code == 200 and "kan niet eindigen voordat" in response.content.decode()
    assert "Vergissing" in response.content.decode()  # what was typed stays
    assert not Correction.objects.exists()


def test_only_officers_correct_terms(client_as, manager_a, ambassador_a, staff_a):
    appointment = Appointment.objects.get(user=ambassador_a)
    url = reverse("ambassadors:appointment_correct", args=[appointment.pk])
    for user in (manager_a, ambassador_a, staff_a):
        assert client_as(user).get(url).status_code == 404


# --- Activities --------------------------------------------------------------------------------------


def test_an_officer_corrects_an_activity_in_a_closed_quarter(client_as, officer, ambassador_a, org, department_a):
    old_day = timezone.localdate().replace(month=1, day=2) - datetime.timedelta(days=365)
    activity = ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=old_day, hours=3)
    url = reverse("ambassadors:activity_correct", args=[activity.pk])
    client = client_as(officer)
    data = {
        "kind": Activity.Kind.TALK,
        "date": old_day.isoformat(),
        "hours": "1.5",
        "colleagues_reached": "10",
        "note": "Teamoverleg",
    }
    response = client.post(url, {**data, "reason": "Dubbel geteld: 1,5 uur in plaats van 3"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.hours == Decimal("1.5")
    correction = activity.corrections.get()
    assert correction.readable_changes() == [{"field": "uren", "old": "3,0", "new": "1,5"}]
    assert "Dubbel geteld" in client.get(reverse("ambassadors:profile", args=[ambassador_a.pk])).content.decode()
    # The ambassador cannot: the quarter is closed, and it is not theirs to correct this way.
    assert client_as(ambassador_a).get(url).status_code == 404


def test_the_activity_form_offers_only_the_plan_of_the_activitys_year(
    client_as, ambassador_a, org, department_a, topic
):
    from programme.models import AnnualPlan, Topic

    last_plan = AnnualPlan.objects.create(organisation=org, year=topic.plan.year - 1, status="published")
    last_year = Topic.objects.create(plan=last_plan, title=topic.title, quarter=topic.quarter, status="published")
    client = client_as(ambassador_a)
    page = client.get(reverse("ambassadors:activity_create"))
    choices = [value for value, _label in page.context["form"].fields["topic"].choices]
    assert topic.pk in choices and last_year.pk not in choices
    assert f"jaarplan {topic.plan.year}" in page.content.decode()
    data = {
        "kind": Activity.Kind.TALK,
        "date": timezone.localdate().isoformat(),
        "hours": "1",
        "colleagues_reached": "3",
        "topic": last_year.pk,
        "note": "Quiz",
    }
    response = client.post(reverse("ambassadors:activity_create"), data)
    assert response.status_code == 200
    assert f"hoort bij het jaarplan van {last_year.plan.year}" in response.content.decode()
    assert not Activity.objects.filter(note="Quiz").exists()


def test_deleting_an_activity_asks_first(client_as, ambassador_a, org, department_a):
    activity = ActivityFactory(organisation=org, user=ambassador_a, department=department_a)
    client = client_as(ambassador_a)
    url = reverse("ambassadors:activity_delete", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert client.post(url).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()


# --- Recognitions --------------------------------------------------------------------------------------


def test_who_gave_a_recognition_corrects_and_deletes_it(client_as, manager_a, officer, ambassador_a, org):
    recognition = RecognitionFactory(ambassador=ambassador_a, given_by=manager_a, title="Dank je wel")
    client = client_as(manager_a)
    url = reverse("ambassadors:recognition_update", args=[recognition.pk])
    response = client.post(url, {"kind": Recognition.Kind.AWARD, "title": "", "message": ""})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    assert client.post(url, {"kind": Recognition.Kind.AWARD, "title": "Award 2026", "message": ""}).status_code == 302
    recognition.refresh_from_db()
    assert recognition.title == "Award 2026" and recognition.kind == Recognition.Kind.AWARD
    delete = reverse("ambassadors:recognition_delete", args=[recognition.pk])
    assert "Award 2026" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not Recognition.objects.filter(pk=recognition.pk).exists()


def test_another_manager_cannot_touch_a_recognition(client_as, officer, ambassador_a, org, department_b):
    recognition = RecognitionFactory(ambassador=ambassador_a, given_by=officer)
    manager_b = UserFactory(organisation=org, department=department_b)
    department_b.managers.add(manager_b)
    for name in ("recognition_update", "recognition_delete"):
        assert client_as(manager_b).get(reverse(f"ambassadors:{name}", args=[recognition.pk])).status_code == 404
    assert client_as(officer).get(reverse("ambassadors:recognition_update", args=[recognition.pk])).status_code == 200


# --- Events ---------------------------------------------------------------------------------------------


def test_an_officer_calls_off_an_upcoming_event_after_confirming(client_as, officer, org):
    event = EventFactory(organisation=org, title="Ambassadeursoverleg")
    client = client_as(officer)
    url = reverse("ambassadors:event_delete", args=[event.pk])
    assert "Ambassadeursoverleg" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_past_event_is_not_deleted(client_as, officer, org):
    start = timezone.now() - datetime.timedelta(days=3)
    event = EventFactory(organisation=org, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    response = client_as(officer).post(reverse("ambassadors:event_delete", args=[event.pk]))
    assert response.status_code == 302 and Event.objects.filter(pk=event.pk).exists()


def test_ambassadors_cannot_delete_events(client_as, ambassador_a, org):
    event = EventFactory(organisation=org)
    assert client_as(ambassador_a).post(reverse("ambassadors:event_delete", args=[event.pk])).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


# --- Nominations ----------------------------------------------------------------------------------------


def test_a_volunteer_withdraws_an_open_nomination(client_as, staff_a, staff_b, org):
    nomination = NominationFactory(organisation=org, nominee=staff_a, nominated_by=staff_a)
    url = reverse("ambassadors:nomination_withdraw", args=[nomination.pk])
    assert client_as(staff_b).get(url).status_code == 404
    client = client_as(staff_a)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Nomination.objects.filter(pk=nomination.pk).exists()


def test_a_decided_nomination_stays(client_as, staff_a, org):
    nomination = NominationFactory(
        organisation=org, nominee=staff_a, nominated_by=staff_a, status=Nomination.Status.DECLINED
    )
    assert client_as(staff_a).post(reverse("ambassadors:nomination_withdraw", args=[nomination.pk])).status_code == 404


# --- Feedback answers -------------------------------------------------------------------------------------


def test_changing_an_answer_already_given_needs_a_reason_and_keeps_the_old_one(client_as, officer, org, department_a):
    feedback = FeedbackFactory(
        organisation=org,
        department=department_a,
        status=Feedback.Status.EXPLAINED,
        answer="Gebruik de blauwe container.",
        answered_at=timezone.now(),
    )
    client = client_as(officer)
    url = reverse("ambassadors:feedback_triage", args=[feedback.pk])
    data = {"status": Feedback.Status.EXPLAINED, "answer": "Gebruik de grijze container.", "procedure": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and "Geef de reden voor de correctie." in response.content.decode()
    assert client.post(url, {**data, "correction_reason": "Verkeerde kleur genoemd"}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.answer == "Gebruik de grijze container."
    correction = feedback.corrections.get()
    assert correction.changes[0]["old"] == "Gebruik de blauwe container."
    page = client.get(url).content.decode()
    assert "Verkeerde kleur genoemd" in page and "blauwe container" in page


def test_a_first_answer_needs_no_reason(client_as, officer, org, department_a):
    feedback = FeedbackFactory(organisation=org, department=department_a)
    response = client_as(officer).post(
        reverse("ambassadors:feedback_triage", args=[feedback.pk]),
        {"status": Feedback.Status.EXPLAINED, "answer": "Zo werkt het.", "procedure": ""},
    )
    assert response.status_code == 302 and not Correction.objects.exists()


def test_profile_with_corrections_runs_fixed_queries(
    client_as, officer, org, ambassador_a, department_a, django_assert_max_num_queries
):
    from ambassadors import services

    for size in (1, 6):
        for _ in range(size):
            activity = ActivityFactory(organisation=org, user=ambassador_a, department=department_a, hours=2)
            services.activity_correct(
                activity=activity,
                officer=officer,
                data={"kind": activity.kind, "date": activity.date, "hours": Decimal("1"), "reason": "Te veel"},
            )
            RecognitionFactory(ambassador=ambassador_a, given_by=officer)
        client = client_as(officer)
        with django_assert_max_num_queries(22):
            client.get(reverse("ambassadors:profile", args=[ambassador_a.pk]))
