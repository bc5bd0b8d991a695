from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ambassadors import services
from ambassadors.models import Appointment, Feedback, Nomination, Registration, quarter_bounds
from ambassadors.tests.factories import AppointmentFactory, EventFactory, FeedbackFactory, NominationFactory
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _appoint_data(department, **extra):
    today = timezone.localdate()
    return {
        "departments": [department],
        "kind": Appointment.Kind.INTERNAL,
        "term_start": today,
        "term_end": today + datetime.timedelta(days=365),
        "hours_per_month": Decimal("6"),
        **extra,
    }


def test_successor_takes_over_and_the_predecessor_term_ends_the_day_before(
    org, officer, department_a, ambassador_a, staff_a
):
    predecessor = Appointment.objects.get(user=ambassador_a)
    nomination = NominationFactory(organisation=org, nominee=staff_a)
    start = timezone.localdate() + datetime.timedelta(days=10)
    appointment = services.nomination_accept(
        nomination=nomination,
        officer=officer,
        data=_appoint_data(
            department_a, term_start=start, predecessor=predecessor, handover_note="Sleutelkast zit in B2."
        ),
    )
    predecessor.refresh_from_db()
    assert predecessor.term_end == start - datetime.timedelta(days=1)
    assert appointment.predecessor == predecessor
    assert list(predecessor.successors.all()) == [appointment]


def test_a_decided_nomination_cannot_be_decided_again(org, officer, department_a, staff_a):
    nomination = NominationFactory(organisation=org, nominee=staff_a)
    services.nomination_decline(nomination=nomination, officer=officer, reason="Nu niet")
    with pytest.raises(ValidationError):
        services.nomination_accept(nomination=nomination, officer=officer, data=_appoint_data(department_a))
    assert not Appointment.objects.filter(user=staff_a).exists()


def test_one_open_nomination_per_person_is_enforced_by_the_database(org, staff_a):
    NominationFactory(organisation=org, nominee=staff_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        NominationFactory(organisation=org, nominee=staff_a)


def test_term_end_reminders_go_once_to_officers_and_managers(
    org, officer, manager_a, department_a, staff_b, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    ending = AppointmentFactory(
        organisation=org, departments=[department_a], term_end=today + datetime.timedelta(days=50)
    )
    AppointmentFactory(organisation=org, departments=[department_a], term_end=today + datetime.timedelta(days=200))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.appointment_send_term_end_reminders(today=today) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([officer.email, manager_a.email])
    assert ending.user.full_name in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_send_term_end_reminders(today=today)
        services.appointment_send_term_end_reminders(today=today + datetime.timedelta(days=1))
    assert len(mailoutbox) == 2
    assert OutboxMessage.objects.filter(key__startswith="ambassadors:term-end:").count() == 1


def test_ending_within_selects_current_terms_ending_in_two_months(org):
    today = timezone.localdate()
    soon = AppointmentFactory(organisation=org, term_end=today + datetime.timedelta(days=60))
    AppointmentFactory(organisation=org, term_end=today + datetime.timedelta(days=90))
    AppointmentFactory(organisation=org, term_end=None)
    AppointmentFactory(
        organisation=org, term_start=today - datetime.timedelta(days=400), term_end=today - datetime.timedelta(days=1)
    )
    assert list(Appointment.objects.ending_within(services.TERM_END_NOTICE_DAYS, today)) == [soon]


def test_anonymous_feedback_keeps_nothing_even_when_given_a_user_and_address(staff_a, team_a):
    feedback, created = services.feedback_submit(
        department=team_a,
        author=staff_a,
        data={"category": "question", "message": "Anoniem bericht", "is_anonymous": True},
        ip="192.0.2.7",
    )
    assert created
    row = Feedback.objects.filter(pk=feedback.pk).values("author_id", "ip_address", "recorded_by_id").get()
    assert row == {"author_id": None, "ip_address": None, "recorded_by_id": None}


def test_database_refuses_an_anonymous_row_with_an_author(staff_a, team_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(department=team_a, is_anonymous=True, author=staff_a)


def test_feedback_token_stores_once(staff_a, team_a):
    token = uuid.uuid4()
    data = {"category": "idea", "message": "Idee"}
    first, created = services.feedback_submit(department=team_a, author=staff_a, data=data, token=token)
    second, created_again = services.feedback_submit(department=team_a, author=staff_a, data=data, token=token)
    assert created and not created_again
    assert first == second


def test_rate_limit_counts_per_user_and_per_address():
    for _ in range(services.FEEDBACK_RATE_LIMIT):
        assert not services.feedback_rate_limited(user_id=1, ip="192.0.2.1")
    assert services.feedback_rate_limited(user_id=1, ip="192.0.2.2")  # the user is over the limit
    assert services.feedback_rate_limited(user_id=2, ip="192.0.2.1")  # the address is over the limit
    assert not services.feedback_rate_limited(user_id=3, ip="192.0.2.3")


def test_event_refuses_registration_when_full(org, staff_a, staff_b):
    event = EventFactory(organisation=org, capacity=1)
    services.event_register(event=event, user=staff_a)
    services.event_register(event=event, user=staff_a)
    with pytest.raises(services.EventFull):
        services.event_register(event=event, user=staff_b)
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_is_unique_per_person_in_the_database(org, staff_a):
    event = EventFactory(organisation=org)
    Registration.objects.create(event=event, user=staff_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=staff_a)


def test_activity_log_fills_appointment_and_department(ambassador_a, department_a):
    activity, created = services.activity_log(
        user=ambassador_a,
        data={"kind": "talk", "date": timezone.localdate(), "hours": Decimal("1"), "colleagues_reached": 5},
        token=uuid.uuid4(),
    )
    assert created
    assert activity.department == department_a
    assert activity.appointment.user == ambassador_a


def test_quarter_bounds_and_months_of_term():
    assert quarter_bounds(datetime.date(2026, 11, 28)) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert quarter_bounds(datetime.date(2026, 2, 1)) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    appointment = Appointment(term_start=datetime.date(2026, 2, 15), term_end=None, hours_per_month=Decimal("8"))
    assert appointment.months_in(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)) == 2
    assert appointment.hours_agreed(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) == Decimal("88")
    assert appointment.months_in(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == 0


def test_nomination_submit_refuses_a_second_open_one(org, staff_a):
    data = {"motivation": "m", "affinity": "a", "influence": "i", "hours_available": Decimal("4")}
    services.nomination_submit(nominee=staff_a, nominated_by=staff_a, data=data)
    with pytest.raises(ValidationError):
        services.nomination_submit(nominee=staff_a, nominated_by=staff_a, data=data)
    assert Nomination.objects.count() == 1


def test_recognition_without_mail_queues_nothing(
    org, officer, ambassador_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.recognition_create(
            ambassador=ambassador_a, given_by=officer, data={"kind": "award", "title": "Prijs", "send_mail": False}
        )
    assert mailoutbox == []
    assert not OutboxMessage.objects.exists()


def test_anonymous_feedback_keeps_no_user_with_its_submission_token(org, department_a, staff_a):
    from core.models import SubmissionToken

    token = uuid.uuid4()
    data = {"category": Feedback.Category.IDEA, "message": "Meer posters", "is_anonymous": True}
    first, created = services.feedback_submit(department=department_a, author=staff_a, data=data, token=token)
    again, created_again = services.feedback_submit(department=department_a, author=staff_a, data=data, token=token)
    assert created and not created_again and first.pk == again.pk
    assert Feedback.objects.count() == 1 and first.author_id is None
    assert SubmissionToken.objects.get().user_id is None


def test_each_create_once_service_stores_once_per_token(org, officer, ambassador_a, department_a):
    token = uuid.uuid4()
    data = {"kind": "talk", "date": timezone.localdate(), "hours": 1, "colleagues_reached": 2}
    assert services.activity_log(user=ambassador_a, data=data, token=token)[1]
    assert not services.activity_log(user=ambassador_a, data=data, token=token)[1]
    start = timezone.now() + datetime.timedelta(days=3)
    event = {"kind": "meeting", "title": "Overleg", "starts_at": start, "ends_at": start, "location": "Zaal 1"}
    token = uuid.uuid4()
    assert services.event_create(organisation=org, officer=officer, data=event, token=token)[1]
    assert not services.event_create(organisation=org, officer=officer, data=event, token=token)[1]
    recognition = {"kind": "thanks", "title": "Dank", "message": ""}
    token = uuid.uuid4()
    assert services.recognition_create(ambassador=ambassador_a, given_by=officer, data=recognition, token=token)[1]
    assert not services.recognition_create(ambassador=ambassador_a, given_by=officer, data=recognition, token=token)[1]
    recorded = {"department": department_a, "category": "idea", "message": "Uit een gesprek"}
    token = uuid.uuid4()
    assert services.feedback_record(ambassador=ambassador_a, data=recorded, token=token)[1]
    assert not services.feedback_record(ambassador=ambassador_a, data=recorded, token=token)[1]
