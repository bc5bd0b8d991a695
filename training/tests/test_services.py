from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import OutboxMessage
from training import services
from training.models import Enrolment
from training.tests.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_it_enrols_until_full_then_waitlists(session, make_ambassador):
    first, second, third = (make_ambassador(name) for name in ("Een", "Twee", "Drie"))
    assert services.enrolment_create(session=session, user=first).status == Enrolment.Status.ENROLLED
    assert services.enrolment_create(session=session, user=second).status == Enrolment.Status.ENROLLED
    assert services.enrolment_create(session=session, user=third).status == Enrolment.Status.WAITLISTED


def test_it_refuses_a_second_enrolment(session, ambassador_a):
    services.enrolment_create(session=session, user=ambassador_a)
    with pytest.raises(services.EnrolmentError, match="al ingeschreven"):
        services.enrolment_create(session=session, user=ambassador_a)
    assert Enrolment.objects.filter(session=session, user=ambassador_a).count() == 1


def test_it_refuses_a_second_place_on_the_waiting_list(session, make_ambassador, ambassador_a):
    for name in ("Een", "Twee"):
        services.enrolment_create(session=session, user=make_ambassador(name))
    services.enrolment_create(session=session, user=ambassador_a)
    with pytest.raises(services.EnrolmentError, match="wachtlijst"):
        services.enrolment_create(session=session, user=ambassador_a)


def test_it_refuses_a_past_session(past_session, ambassador_a):
    with pytest.raises(services.EnrolmentError, match="al plaatsgevonden"):
        services.enrolment_create(session=past_session, user=ambassador_a)
    assert not Enrolment.objects.exists()


def test_it_refuses_after_the_deadline(module, ambassador_a):
    session = SessionFactory(module=module, enrolment_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.EnrolmentError, match="inschrijftermijn"):
        services.enrolment_create(session=session, user=ambassador_a)


def test_it_allows_enrolling_again_after_cancelling(session, ambassador_a):
    enrolment = services.enrolment_create(session=session, user=ambassador_a)
    services.enrolment_cancel(enrolment=enrolment)
    again = services.enrolment_create(session=session, user=ambassador_a)
    assert again.pk != enrolment.pk and again.status == Enrolment.Status.ENROLLED


def test_cancel_moves_the_first_waitlisted_up_with_a_mail(
    session, make_ambassador, django_capture_on_commit_callbacks, mailoutbox
):
    first, second, third, fourth = (make_ambassador(name) for name in ("Een", "Twee", "Drie", "Vier"))
    leaving = services.enrolment_create(session=session, user=first)
    services.enrolment_create(session=session, user=second)
    services.enrolment_create(session=session, user=third)
    services.enrolment_create(session=session, user=fourth)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=leaving)
    statuses = dict(Enrolment.objects.filter(session=session).values_list("user__full_name", "status"))
    assert statuses == {"Een": "cancelled", "Twee": "enrolled", "Drie": "enrolled", "Vier": "waitlisted"}
    assert [m.to for m in mailoutbox] == [[third.email]]
    assert "Phishing" in mailoutbox[0].subject
    assert "U heeft een plek" in mailoutbox[0].subject
    assert OutboxMessage.objects.get(key__startswith="training-promoted").done_at is not None


def test_cancelling_a_waitlisted_place_promotes_nobody(session, make_ambassador, mailoutbox):
    users = [make_ambassador(name) for name in ("Een", "Twee", "Drie")]
    enrolments = [services.enrolment_create(session=session, user=user) for user in users]
    services.enrolment_cancel(enrolment=enrolments[2])
    assert Enrolment.objects.enrolled().filter(session=session).count() == 2
    assert not OutboxMessage.objects.exists()


def test_it_refuses_to_cancel_after_the_start(past_session, ambassador_a):
    enrolment = EnrolmentFactory(session=past_session, user=ambassador_a)
    with pytest.raises(services.EnrolmentError):
        services.enrolment_cancel(enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_lowering_capacity_below_enrolled_is_refused_with_names(session, make_ambassador):
    session.capacity = 3
    session.save()
    for name in ("Een", "Twee", "Drie"):
        services.enrolment_create(session=session, user=make_ambassador(name))
    session.capacity = 1
    with pytest.raises(ValidationError) as info:
        services.session_save(session=session)
    message = info.value.message_dict["capacity"][0]
    assert "Twee" in message and "Drie" in message and "Een" not in message
    session.refresh_from_db()
    assert session.capacity == 3


def test_raising_capacity_moves_the_waiting_list_up(
    session, make_ambassador, django_capture_on_commit_callbacks, mailoutbox
):
    for name in ("Een", "Twee", "Drie"):
        services.enrolment_create(session=session, user=make_ambassador(name))
    session.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    assert Enrolment.objects.enrolled().filter(session=session).count() == 3
    assert len(mailoutbox) == 1


def test_attendance_sets_and_clears(past_session, make_ambassador, officer):
    a, b = (EnrolmentFactory(session=past_session, user=make_ambassador(n)) for n in ("Een", "Twee"))
    waiting = EnrolmentFactory(session=past_session, user=make_ambassador("Drie"), status=Enrolment.Status.WAITLISTED)
    assert services.attendance_register(session=past_session, attended_ids={a.pk, b.pk, waiting.pk}, by=officer) == 2
    a.refresh_from_db()
    assert a.attended and a.attendance_registered_by == officer and a.attendance_registered_at
    waiting.refresh_from_db()
    assert not waiting.attended
    # Changing registered attendance is a correction: it needs a reason.
    with pytest.raises(ValidationError):
        services.attendance_register(session=past_session, attended_ids={a.pk}, by=officer)
    assert services.attendance_register(session=past_session, attended_ids={a.pk}, by=officer, reason="Vergist") == 1
    b.refresh_from_db()
    assert not b.attended


def test_attendance_is_refused_before_the_day(module, officer, ambassador_a):
    session = SessionFactory(module=module, starts_at=timezone.now() + datetime.timedelta(days=3))
    enrolment = EnrolmentFactory(session=session, user=ambassador_a)
    with pytest.raises(services.EnrolmentError):
        services.attendance_register(session=session, attended_ids={enrolment.pk}, by=officer)


def test_unenrolled_reminders_mail_once_per_day(
    org, module, session, make_ambassador, ambassador_a, django_capture_on_commit_callbacks, mailoutbox
):
    enrolled = make_ambassador("Al Ingeschreven")
    services.enrolment_create(session=session, user=enrolled)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unenrolled_reminders_send(organisation_id=org.pk, year=module.year) == 1
    assert [m.to for m in mailoutbox] == [[ambassador_a.email]]
    assert "Phishing" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unenrolled_reminders_send(organisation_id=org.pk, year=module.year) == 0
    assert len(mailoutbox) == 1


def test_session_reminders_once_per_enrolment(module, ambassador_a, django_capture_on_commit_callbacks, mailoutbox):
    soon = SessionFactory(module=module, starts_at=timezone.now() + datetime.timedelta(days=1, hours=20))
    later = SessionFactory(module=module, starts_at=timezone.now() + datetime.timedelta(days=5))
    EnrolmentFactory(session=soon, user=ambassador_a)
    EnrolmentFactory(session=later, user=ambassador_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders_enqueue() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders_enqueue() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Herinnering: Phishing")


def test_calendar_token_rotates(ambassador_a):
    first = services.calendar_feed_rotate(user=ambassador_a).token
    assert services.calendar_feed_rotate(user=ambassador_a).token != first
