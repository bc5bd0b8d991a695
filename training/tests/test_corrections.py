"""Corrections of the training programme: a session's capacity, cancelling a session with a reason, officers
enrolling a colleague and removing an enrolment; and the sessions list (search, sort, mine, query counts)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from core.models import OutboxMessage
from training import tasks
from training.models import Enrolment, TrainingSession
from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"training:{name}", args=args)


def _session_data(session, **overrides):
    data = {
        "starts_at": session.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": session.ends_at.strftime("%Y-%m-%dT%H:%M"),
        "location": session.location,
        "online_url": "",
        "trainer": session.trainer_id or "",
        "external_trainer": session.external_trainer,
        "capacity": str(session.capacity),
        "enrolment_deadline": "",
    }
    data.update(overrides)
    return data


def test_a_capacity_of_zero_is_refused_in_dutch_and_the_input_kept(client_as, officer, session):
    response = client_as(officer).post(
        _url("session_edit", session.pk), _session_data(session, location="Zaal 3", capacity="0")
    )
    body = response.content.decode()
    assert "Een sessie heeft minstens één plaats nodig." in body
    assert 'value="Zaal 3"' in body
    session.refresh_from_db()
    assert session.capacity == 2


# Cancelling a session.


def test_an_officer_cancels_a_session_and_everyone_in_it_is_told(
    client_as, officer, session, make_ambassador, django_capture_on_commit_callbacks
):
    enrolled = EnrolmentFactory(session=session, user=make_ambassador("Ann"))
    waiting = EnrolmentFactory(session=session, user=make_ambassador("Bob"), status=Enrolment.Status.WAITLISTED)
    client = client_as(officer)
    assert "Sessie annuleren" in client.get(_url("session_detail", session.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_url("session_call_off", session.pk), {"reason": "De trainer is ziek."})
    assert response.status_code == 302
    assert callbacks, "the mails are queued after commit"
    session.refresh_from_db()
    assert session.is_cancelled and session.cancel_reason == "De trainer is ziek." and session.cancelled_by == officer
    assert set(Enrolment.objects.filter(session=session).values_list("status", flat=True)) == {"cancelled"}
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert {f"training-session-cancelled:{enrolled.pk}", f"training-session-cancelled:{waiting.pk}"} <= keys
    body = client.get(_url("session_detail", session.pk)).content.decode()
    assert "De trainer is ziek." in body and "Sessie annuleren" not in body


def test_the_cancellation_mail_gives_the_reason(officer, session, make_ambassador):
    enrolment = EnrolmentFactory(session=session, user=make_ambassador("Ann"))
    from training import services

    services.session_cancel(session=session, by=officer, reason="Te weinig aanmeldingen.")
    tasks.send_session_cancelled.run(enrolment.pk)
    assert len(mail.outbox) == 1
    assert "Te weinig aanmeldingen." in mail.outbox[0].body
    assert mail.outbox[0].to == [enrolment.user.email]


def test_cancelling_needs_a_reason(client_as, officer, session):
    response = client_as(officer).post(_url("session_call_off", session.pk), {"reason": "  "})
    assert response.status_code == 400
    assert "Geef de reden van de annulering" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_cancelled


def test_a_cancelled_session_leaves_the_offer_and_refuses_enrolment(client_as, officer, session, ambassador_a):
    from training import services

    services.session_cancel(session=session, by=officer, reason="Vervalt.")
    client = client_as(ambassador_a)
    assert session not in list(client.get(_url("offer")).context["page"])
    client.post(_url("session_enrol", session.pk))
    assert not Enrolment.objects.filter(session=session, user=ambassador_a).exists()
    edit = client_as(officer).get(_url("session_edit", session.pk))
    assert edit.status_code == 302


def test_only_officers_cancel_sessions(client_as, ambassador_a, trainer_session_for, session, foreign_session):
    assert client_as(ambassador_a).get(_url("session_call_off", session.pk)).status_code == 403
    assert client_as(ambassador_a).post(_url("session_call_off", session.pk), {"reason": "x"}).status_code == 403
    session.refresh_from_db()
    assert not session.is_cancelled


def test_an_officer_never_reaches_another_organisations_session(client_as, officer, foreign_session):
    client = client_as(officer)
    assert client.get(_url("session_call_off", foreign_session.pk)).status_code == 404
    assert client.post(_url("session_enrol_colleague", foreign_session.pk), {"user": officer.pk}).status_code == 404
    enrolment = EnrolmentFactory(session=foreign_session)
    assert client.get(_url("enrolment_remove", enrolment.pk)).status_code == 404


# Officers enrol a colleague and remove an enrolment.


def test_an_officer_enrols_a_colleague_then_the_waiting_list(
    client_as, officer, session, staff_a, staff_b, make_ambassador
):
    session.capacity = 1
    session.save()
    client = client_as(officer)
    assert "Een collega inschrijven" in client.get(_url("session_detail", session.pk)).content.decode()
    client.post(_url("session_enrol_colleague", session.pk), {"user": staff_a.pk})
    client.post(_url("session_enrol_colleague", session.pk), {"user": staff_b.pk})
    assert Enrolment.objects.get(session=session, user=staff_a).status == Enrolment.Status.ENROLLED
    assert Enrolment.objects.get(session=session, user=staff_b).status == Enrolment.Status.WAITLISTED


def test_enrolling_a_colleague_twice_or_nobody_is_explained(client_as, officer, session, staff_a):
    client = client_as(officer)
    client.post(_url("session_enrol_colleague", session.pk), {"user": staff_a.pk})
    response = client.post(_url("session_enrol_colleague", session.pk), {"user": staff_a.pk})
    assert response.status_code == 400
    assert "Kies een collega uit de lijst." in response.content.decode()
    response = client.post(_url("session_enrol_colleague", session.pk), {"user": ""})
    assert "Kies de collega die u wilt inschrijven." in response.content.decode()
    assert Enrolment.objects.filter(session=session, user=staff_a).count() == 1


def test_a_colleague_of_another_organisation_cannot_be_enrolled(client_as, officer, session, outsider):
    response = client_as(officer).post(_url("session_enrol_colleague", session.pk), {"user": outsider.pk})
    assert response.status_code == 400
    assert not Enrolment.objects.filter(user=outsider).exists()


def test_only_officers_enrol_colleagues_or_remove_enrolments(client_as, ambassador_a, session, staff_a):
    client = client_as(ambassador_a)
    assert client.post(_url("session_enrol_colleague", session.pk), {"user": staff_a.pk}).status_code == 403
    enrolment = EnrolmentFactory(session=session, user=staff_a)
    assert client.get(_url("enrolment_remove", enrolment.pk)).status_code == 403
    assert client.post(_url("enrolment_remove", enrolment.pk)).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_an_officer_removes_an_enrolment_after_confirming(client_as, officer, session, staff_a, staff_b):
    session.capacity = 1
    session.save()
    removed = EnrolmentFactory(session=session, user=staff_a)
    waiting = EnrolmentFactory(session=session, user=staff_b, status=Enrolment.Status.WAITLISTED)
    client = client_as(officer)
    confirm = client.get(_url("enrolment_remove", removed.pk))
    assert confirm.status_code == 200 and staff_a.full_name in confirm.content.decode()
    removed.refresh_from_db()
    assert removed.status == Enrolment.Status.ENROLLED, "a GET changes nothing"
    assert client.post(_url("enrolment_remove", removed.pk)).status_code == 302
    removed.refresh_from_db()
    waiting.refresh_from_db()
    assert removed.status == Enrolment.Status.CANCELLED
    assert waiting.status == Enrolment.Status.ENROLLED


# The sessions list.


@pytest.fixture
def trainer_session_for(module):
    def make(trainer, **kwargs):
        return SessionFactory(module=module, trainer=trainer, external_trainer="", **kwargs)

    return make


def test_the_sessions_list_searches_module_location_and_trainer(client_as, officer, org):
    phishing = SessionFactory(module=ModuleFactory(organisation=org, title="Phishing herkennen"))
    clean_desk = SessionFactory(module=ModuleFactory(organisation=org, title="Clean desk"), location="Zaal Noord")
    client = client_as(officer)
    assert list(client.get(_url("session_list"), {"q": "phishing"}).context["sessions"]) == [phishing]
    assert list(client.get(_url("session_list"), {"q": "noord"}).context["sessions"]) == [clean_desk]
    assert list(client.get(_url("session_list"), {"q": "extern bureau clean"}).context["sessions"]) == [clean_desk]


def test_the_sessions_list_sorts_by_its_columns(client_as, officer, org):
    b = SessionFactory(module=ModuleFactory(organisation=org, title="Beta"), capacity=5)
    a = SessionFactory(module=ModuleFactory(organisation=org, title="alfa"), capacity=5)
    EnrolmentFactory(session=b)
    client = client_as(officer)
    assert list(client.get(_url("session_list"), {"sort": "module"}).context["sessions"]) == [a, b]
    assert list(client.get(_url("session_list"), {"sort": "-ingeschreven"}).context["sessions"]) == [b, a]
    response = client.get(_url("session_list"), {"sort": "-module", "q": "a"})
    assert list(response.context["sessions"]) == [b, a]
    body = response.content.decode()
    assert 'aria-sort="descending"><a href="?sort=module&amp;q=a"' in body
    # An unknown key never reaches the database's ORDER BY.
    assert client.get(_url("session_list"), {"sort": "module__organisation"}).status_code == 200


def test_the_sessions_list_filters_on_mine(client_as, officer, trainer_session_for, module):
    taught = trainer_session_for(officer)
    attending = SessionFactory(module=module)
    EnrolmentFactory(session=attending, user=officer)
    SessionFactory(module=module)
    client = client_as(officer)
    assert list(client.get(_url("session_list"), {"mijn": "geef"}).context["sessions"]) == [taught]
    assert list(client.get(_url("session_list"), {"mijn": "ingeschreven"}).context["sessions"]) == [attending]
    assert len(client.get(_url("session_list"), {"mijn": "iets"}).context["sessions"]) == 3


def test_the_sessions_list_never_shows_another_organisation(client_as, officer, session, foreign_session):
    sessions = list(client_as(officer).get(_url("session_list")).context["sessions"])
    assert session in sessions and foreign_session not in sessions


def test_the_sessions_list_keeps_its_filters_across_pages(client_as, officer, module):
    for _ in range(51):
        SessionFactory(module=module)
    body = client_as(officer).get(_url("session_list"), {"q": "stadhuis", "sort": "trainer"}).content.decode()
    assert "q=stadhuis&amp;sort=trainer&amp;page=2" in body


def test_the_sessions_list_runs_a_fixed_number_of_queries(
    client_as, officer, module, trainer_session_for, django_assert_max_num_queries
):
    client = client_as(officer)
    query = {"q": "zaal", "sort": "-aanwezig", "mijn": "geef"}
    for _ in range(3):
        EnrolmentFactory(session=trainer_session_for(officer))
    client.get(_url("session_list"), query)
    with django_assert_max_num_queries(12):
        client.get(_url("session_list"), query)
    for _ in range(20):
        EnrolmentFactory(session=trainer_session_for(officer))
    with django_assert_max_num_queries(12):
        response = client.get(_url("session_list"), query)
    assert len(response.context["sessions"]) == 23
    assert TrainingSession.objects.count() == 23


def test_the_training_scopes_live_in_the_permissions_package(
    officer, ambassador_a, manager_a, staff_a, department_a, department_b, session, foreign_session
):
    from accounts.permissions import (
        can_cancel_training_session,
        can_manage_enrolments,
        sees_all_training_sessions,
        training_progress_scope,
    )

    assert sees_all_training_sessions(officer) and sees_all_training_sessions(ambassador_a)
    assert not sees_all_training_sessions(staff_a)
    assert training_progress_scope(officer) is None
    scope = training_progress_scope(manager_a)
    assert department_a.pk in scope and department_b.pk not in scope
    assert can_manage_enrolments(officer, session) and can_cancel_training_session(officer, session)
    assert not can_manage_enrolments(officer, foreign_session) and not can_cancel_training_session(
        officer, foreign_session
    )
    assert not can_manage_enrolments(ambassador_a, session)
