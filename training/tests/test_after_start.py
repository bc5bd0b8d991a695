"""After a session has started: an officer adds who attended (a walk-in, a session entered afterwards), the session
page links each attendee's certificate, and registered attendance is corrected with a reason in the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Correction
from training.models import Enrolment
from training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"training:{name}", args=args)


def test_officer_adds_a_walk_in_to_a_past_session_who_gets_a_certificate(
    client_as, officer, past_session, make_ambassador
):
    walk_in = make_ambassador("Wil Binnenloper")
    client = client_as(officer)
    page = client.get(_url("session_detail", past_session.pk)).content.decode()
    assert "Deelnemer toevoegen die aanwezig was" in page
    response = client.post(_url("session_enrol_colleague", past_session.pk), {"user": walk_in.pk}, follow=True)
    assert "Wil Binnenloper is toegevoegd als aanwezig" in response.content.decode()
    enrolment = Enrolment.objects.get(session=past_session, user=walk_in)
    assert enrolment.status == Enrolment.Status.ENROLLED and enrolment.attended
    assert enrolment.attendance_registered_by == officer
    certificate = _url("certificate", enrolment.pk)
    assert f'href="{certificate}"' in response.content.decode()
    assert client.get(certificate).status_code == 200


def test_a_walk_in_beyond_the_seats_is_added_and_the_waiting_list_moves_in(
    client_as, officer, past_session, make_ambassador
):
    past_session.capacity = 1
    past_session.save()
    EnrolmentFactory(session=past_session, user=make_ambassador("Eerste"))
    waiting = EnrolmentFactory(session=past_session, user=make_ambassador("Wachter"), status="waitlisted")
    client = client_as(officer)
    client.post(_url("session_enrol_colleague", past_session.pk), {"user": waiting.user.pk})
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED and waiting.attended


def test_someone_already_enrolled_is_refused_with_a_pointer_to_attendance(
    client_as, officer, past_session, make_ambassador
):
    enrolled = EnrolmentFactory(session=past_session, user=make_ambassador("Al Ingeschreven"))
    response = client_as(officer).post(_url("session_enrol_colleague", past_session.pk), {"user": enrolled.user.pk})
    assert response.status_code == 400
    # Not a choice: the picker offers only colleagues not in the session.
    assert "Kies een collega uit de lijst." in response.content.decode()


def test_only_officers_add_attendees(client_as, ambassador_a, past_session, make_ambassador):
    other = make_ambassador("Ander")
    assert (
        client_as(ambassador_a).post(_url("session_enrol_colleague", past_session.pk), {"user": other.pk}).status_code
        == 403
    )
    assert not Enrolment.objects.filter(user=other).exists()


def test_the_officers_session_page_has_no_certificate_link_without_attendance(
    client_as, officer, past_session, make_ambassador
):
    absent = EnrolmentFactory(session=past_session, user=make_ambassador("Afwezig"))
    page = client_as(officer).get(_url("session_detail", past_session.pk)).content.decode()
    assert _url("certificate", absent.pk) not in page


def test_changing_registered_attendance_needs_a_reason_and_is_kept_in_the_history(
    client_as, officer, past_session, make_ambassador
):
    a = EnrolmentFactory(session=past_session, user=make_ambassador("Anna Aanwezig"))
    client = client_as(officer)
    client.post(_url("attendance", past_session.pk), {"attended": [str(a.pk)]})
    assert not Correction.objects.exists()  # the first registration is no correction

    response = client.post(_url("attendance", past_session.pk), {"attended": []})
    assert response.status_code == 400
    assert "Geef de reden voor de correctie." in response.content.decode()
    a.refresh_from_db()
    assert a.attended

    client.post(_url("attendance", past_session.pk), {"attended": [], "reason": "Verkeerd aangevinkt"})
    a.refresh_from_db()
    assert not a.attended
    correction = Correction.objects.get()
    assert correction.record == a and correction.reason == "Verkeerd aangevinkt"
    page = client.get(_url("session_detail", past_session.pk)).content.decode()
    assert "Verkeerd aangevinkt" in page and "Anna Aanwezig" in page
