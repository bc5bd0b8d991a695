from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.models import CalendarFeedToken, OutboxMessage
from training.models import Enrolment, Material, Module, TrainingSession
from training.tests.factories import EnrolmentFactory, MaterialFactory, ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _url(name, *args):
    return reverse(f"training:{name}", args=args)


# Anonymous visitors are sent to the login page everywhere but the secret feed.


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("offer", None),
        ("mine", None),
        ("session_list", None),
        ("module_list", None),
        ("module_create", None),
        ("progress", None),
        ("session_detail", "session"),
        ("session_edit", "session"),
        ("attendance", "session"),
        ("attendance_list", "session"),
        ("module_detail", "module"),
        ("session_create", "module"),
        ("certificate", "enrolment"),
        ("enrolment_invite", "enrolment"),
        ("material_download", "material"),
    ],
)
def test_anonymous_is_redirected_to_login(client, session, ambassador_a, name, needs):
    objects = {
        "session": session,
        "module": session.module,
        "enrolment": EnrolmentFactory(session=session, user=ambassador_a),
        "material": MaterialFactory(module=session.module),
    }
    response = client.get(_url(name, objects[needs].pk) if needs else _url(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["module_list", "module_create", "session_list"])
@pytest.mark.parametrize("who", ["ambassador_a", "staff_b", "manager_a"])
def test_officer_pages_are_forbidden_to_others(client_as, request, name, who):
    assert client_as(request.getfixturevalue(who)).get(_url(name)).status_code == 403


@pytest.mark.parametrize(
    "name", ["session_detail", "session_edit", "attendance", "attendance_list", "session_enrol", "session_cancel"]
)
def test_sessions_of_another_organisation_are_404(client_as, officer, foreign_session, name):
    client = client_as(officer)
    method = client.post if name in ("session_enrol", "session_cancel") else client.get
    assert method(_url(name, foreign_session.pk)).status_code == 404


@pytest.mark.parametrize("name", ["module_detail", "module_edit", "session_create"])
def test_modules_of_another_organisation_are_404(client_as, officer, foreign_session, name):
    assert client_as(officer).get(_url(name, foreign_session.module_id)).status_code == 404


# The offer and one's own trainings.


def test_offer_shows_upcoming_sessions_with_a_fixed_number_of_queries(
    client_as, ambassador_a, module, session, past_session, foreign_session, django_assert_max_num_queries
):
    client = client_as(ambassador_a)
    client.get(_url("offer"))
    for index in range(8):
        extra = SessionFactory(module=module, starts_at=timezone.now() + datetime.timedelta(days=10 + index))
        EnrolmentFactory(session=extra)
    with django_assert_max_num_queries(14):
        response = client.get(_url("offer"))
    assert response.status_code == 200
    sessions = list(response.context["page"])
    assert session in sessions and past_session not in sessions and foreign_session not in sessions
    assert len(sessions) == 9


def test_offer_is_paginated_with_counts_and_own_status_on_every_page(client_as, ambassador_a, module, session):
    start = timezone.now() + datetime.timedelta(days=30)
    later = [
        SessionFactory(module=module, starts_at=start + datetime.timedelta(days=index), capacity=1)
        for index in range(55)
    ]
    last = later[-1]
    EnrolmentFactory(session=last)
    EnrolmentFactory(session=last, status=Enrolment.Status.WAITLISTED)
    EnrolmentFactory(session=last, user=ambassador_a, status=Enrolment.Status.WAITLISTED)
    client = client_as(ambassador_a)
    first = client.get(_url("offer"))
    assert list(first.context["page"])[0] == session and len(first.context["page"]) == 50
    second = client.get(_url("offer"), {"page": 2})
    rows = list(second.context["page"])
    assert len(rows) == 6 and rows[-1] == last
    assert (rows[-1].enrolled_count, rows[-1].waitlist_count, rows[-1].my_status) == (1, 2, "waitlisted")
    assert "Pagina 2 van 2" in second.content.decode()


def test_staff_see_only_sessions_open_to_them(client_as, staff_b, module, session):
    open_session = SessionFactory(module=module, open_to_all_staff=True)
    response = client_as(staff_b).get(_url("offer"))
    assert list(response.context["page"]) == [open_session]
    assert client_as(staff_b).get(_url("session_detail", session.pk)).status_code == 403


def test_mine_lists_own_enrolments_and_certificates(
    client_as, ambassador_a, staff_a, session, past_session, django_assert_max_num_queries
):
    EnrolmentFactory(session=session, user=ambassador_a)
    EnrolmentFactory(session=past_session, user=ambassador_a, attended=True)
    EnrolmentFactory(session=session, user=staff_a)
    client = client_as(ambassador_a)
    client.get(_url("mine"))
    with django_assert_max_num_queries(16):
        response = client.get(_url("mine"))
    assert [e.session for e in response.context["upcoming"]] == [session]
    assert [e.session for e in response.context["past"]] == [past_session]
    assert "Certificaat (PDF)" in response.content.decode()


# Session detail, enrolling and cancelling.


def test_session_detail_for_an_ambassador(client_as, ambassador_a, session):
    MaterialFactory(module=session.module, title="Geheime slides")
    response = client_as(ambassador_a).get(_url("session_detail", session.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Inschrijven" in content
    assert "Geheime slides" not in content  # materials only after enrolment
    assert "Deelnemers" not in content


def test_session_detail_shows_materials_once_enrolled(client_as, ambassador_a, session):
    MaterialFactory(module=session.module, title="Slides phishing")
    EnrolmentFactory(session=session, user=ambassador_a)
    assert "Slides phishing" in client_as(ambassador_a).get(_url("session_detail", session.pk)).content.decode()


def test_enrol_and_double_submit_stores_once(client_as, ambassador_a, session):
    client = client_as(ambassador_a)
    first = client.post(_url("session_enrol", session.pk), follow=True)
    assert "U bent ingeschreven" in first.content.decode()
    second = client.post(_url("session_enrol", session.pk), follow=True)
    assert "U bent al ingeschreven voor deze sessie." in second.content.decode()
    assert Enrolment.objects.filter(session=session, user=ambassador_a).count() == 1


def test_enrol_when_full_puts_on_the_waiting_list(client_as, ambassador_a, session):
    EnrolmentFactory.create_batch(2, session=session)
    response = client_as(ambassador_a).post(_url("session_enrol", session.pk), follow=True)
    assert "wachtlijst" in response.content.decode()
    assert Enrolment.objects.get(user=ambassador_a).status == Enrolment.Status.WAITLISTED


def test_enrol_in_a_past_session_gets_a_dutch_error(client_as, ambassador_a, past_session):
    response = client_as(ambassador_a).post(_url("session_enrol", past_session.pk), follow=True)
    assert "Deze sessie heeft al plaatsgevonden" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_staff_may_not_enrol_in_an_ambassador_session(client_as, staff_b, session):
    assert client_as(staff_b).post(_url("session_enrol", session.pk)).status_code == 403


def test_enrol_rejects_get(client_as, ambassador_a, session):
    assert client_as(ambassador_a).get(_url("session_enrol", session.pk)).status_code == 405


def test_cancel_moves_the_waiting_list_up(
    client_as, ambassador_a, session, make_ambassador, django_capture_on_commit_callbacks, mailoutbox
):
    EnrolmentFactory(session=session, user=ambassador_a)
    EnrolmentFactory(session=session)
    waiting = EnrolmentFactory(session=session, user=make_ambassador("Wachtende"), status=Enrolment.Status.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(ambassador_a).post(_url("session_cancel", session.pk), follow=True)
    assert "Uw inschrijving is geannuleerd." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED
    assert mailoutbox[0].to == [waiting.user.email]


# Calendar.


def test_invite_is_only_for_ones_own_enrolment(client_as, ambassador_a, staff_a, session):
    enrolment = EnrolmentFactory(session=session, user=ambassador_a)
    response = client_as(ambassador_a).get(_url("enrolment_invite", enrolment.pk))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Phishing"
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert client_as(staff_a).get(_url("enrolment_invite", enrolment.pk)).status_code == 404


def test_feed_by_secret_token_and_rotation(client, client_as, ambassador_a, session, module):
    EnrolmentFactory(session=session, user=ambassador_a)
    EnrolmentFactory(session=SessionFactory(module=module), user=ambassador_a, status=Enrolment.Status.CANCELLED)
    client_as(ambassador_a).post(_url("feed_rotate"))
    token = CalendarFeedToken.objects.get(user=ambassador_a, feed="training").token
    client.logout()
    response = client.get(_url("feed", token))
    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1
    client_as(ambassador_a).post(_url("feed_rotate"))
    client.logout()
    assert client.get(_url("feed", token)).status_code == 404
    assert client.get(_url("feed", "verzonnen")).status_code == 404


# Certificates.


def test_certificate_for_the_attendee_and_officers_only(
    client_as, ambassador_a, staff_a, officer, outsider, past_session
):
    enrolment = EnrolmentFactory(session=past_session, user=ambassador_a, attended=True)
    response = client_as(ambassador_a).get(_url("certificate", enrolment.pk))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert client_as(officer).get(_url("certificate", enrolment.pk)).status_code == 200
    assert client_as(staff_a).get(_url("certificate", enrolment.pk)).status_code == 404
    assert client_as(outsider).get(_url("certificate", enrolment.pk)).status_code == 404


def test_no_certificate_without_attendance(client_as, ambassador_a, past_session):
    enrolment = EnrolmentFactory(session=past_session, user=ambassador_a, attended=False)
    assert client_as(ambassador_a).get(_url("certificate", enrolment.pk)).status_code == 404


# Materials.


def test_material_access(client_as, ambassador_a, staff_a, officer, outsider, session):
    material = Material.objects.create(
        module=session.module, title="Slides", file=SimpleUploadedFile("x.pdf", PDF_BYTES), original_name="slides.pdf"
    )
    assert client_as(ambassador_a).get(_url("material_download", material.pk)).status_code == 403
    EnrolmentFactory(session=session, user=ambassador_a)
    response = client_as(ambassador_a).get(_url("material_download", material.pk))
    assert response.status_code == 200
    assert "slides.pdf" in response["Content-Disposition"]
    assert client_as(officer).get(_url("material_download", material.pk)).status_code == 200
    assert client_as(outsider).get(_url("material_download", material.pk)).status_code == 404
    assert client_as(staff_a).post(_url("material_delete", material.pk)).status_code == 403
    assert client_as(outsider).post(_url("material_delete", material.pk)).status_code == 404


def test_officer_uploads_material_and_a_bad_file_is_refused(client_as, officer, module):
    client = client_as(officer)
    bad = SimpleUploadedFile("slides.pdf", b"MZ not a pdf")
    response = client.post(_url("module_detail", module.pk), {"title": "Slides", "file": bad})
    assert response.status_code == 200
    assert "niet toegestaan" in response.content.decode()
    assert 'value="Slides"' in response.content.decode()
    response = client.post(
        _url("module_detail", module.pk), {"title": "Slides", "file": SimpleUploadedFile("slides.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.original_name == "slides.pdf" and material.file.name.startswith("training/")
    response = client.post(_url("module_detail", module.pk), {"title": "Leeg"})
    assert "Upload een bestand of geef een link" in response.content.decode()
    client.post(_url("material_delete", material.pk))
    assert not Material.objects.exists()


# Modules and sessions.


def test_module_list_with_a_fixed_number_of_queries(client_as, officer, org, django_assert_max_num_queries):
    client = client_as(officer)
    for index in range(6):
        SessionFactory(module=ModuleFactory(organisation=org, title=f"M{index}"))
    with django_assert_max_num_queries(12):
        response = client.get(_url("module_list"))
    assert len(response.context["modules"]) == 6


def test_officer_creates_a_module_and_a_duplicate_is_refused(client_as, officer, org):
    client = client_as(officer)
    data = {"year": 2030, "title": "Phishing", "description": "Leerdoelen", "is_mandatory": "on"}
    response = client.post(_url("module_create"), data)
    module = Module.objects.get()
    assert response["Location"] == _url("module_detail", module.pk)
    assert module.organisation == org and module.is_mandatory
    response = client.post(_url("module_create"), {**data, "title": "phishing"})
    assert "Er is al een module met deze titel in 2030." in response.content.decode()
    assert Module.objects.count() == 1


def _session_data(**overrides):
    start = timezone.localtime() + datetime.timedelta(days=10)
    data = {
        "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT11:00"),
        "location": "Stadhuis",
        "online_url": "",
        "external_trainer": "Bureau Veilig",
        "capacity": "12",
        "enrolment_deadline": "",
    }
    return {**data, **overrides}


def test_session_end_before_start_is_refused_in_dutch_and_keeps_input(client_as, officer, module):
    data = _session_data()
    data["ends_at"] = data["starts_at"].replace("T09:00", "T08:00")
    response = client_as(officer).post(_url("session_create", module.pk), data)
    content = response.content.decode()
    assert "De sessie moet eindigen na het begin." in content
    assert 'value="Bureau Veilig"' in content
    assert not TrainingSession.objects.exists()


def test_session_needs_a_trainer_and_a_place(client_as, officer, module):
    response = client_as(officer).post(
        _url("session_create", module.pk), _session_data(location="", external_trainer="")
    )
    content = response.content.decode()
    assert "Geef een locatie of een online link." in content
    assert "Kies een officer als trainer" in content


def test_officer_creates_a_session(client_as, officer, module):
    response = client_as(officer).post(
        _url("session_create", module.pk), _session_data(trainer=officer.pk, external_trainer="")
    )
    session = TrainingSession.objects.get()
    assert response["Location"] == _url("session_detail", session.pk)
    assert session.trainer == officer and session.capacity == 12


def test_lowering_capacity_in_the_form_names_the_people(client_as, officer, session, make_ambassador):
    for name in ("Een", "Twee"):
        EnrolmentFactory(session=session, user=make_ambassador(name))
    data = _session_data(
        starts_at=timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        trainer=officer.pk,
        external_trainer="",
        capacity="1",
    )
    response = client_as(officer).post(_url("session_edit", session.pk), data)
    assert "Twee" in response.content.decode() and "capaciteit" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 2


def test_session_list_with_a_fixed_number_of_queries(
    client_as, officer, module, past_session, django_assert_max_num_queries
):
    client = client_as(officer)
    for _index in range(6):
        EnrolmentFactory(session=SessionFactory(module=module))
    with django_assert_max_num_queries(12):
        response = client.get(_url("session_list"))
    assert len(response.context["sessions"]) == 6
    assert list(client.get(_url("session_list") + "?periode=verleden").context["sessions"]) == [past_session]


# Attendance.


def test_attendance_by_the_trainer(client_as, officer, past_session, make_ambassador):
    a, b = (EnrolmentFactory(session=past_session, user=make_ambassador(n)) for n in ("Een", "Twee"))
    client = client_as(officer)
    assert client.get(_url("attendance", past_session.pk)).status_code == 200
    response = client.post(_url("attendance", past_session.pk), {"attended": [str(a.pk)]}, follow=True)
    assert "Aanwezigheid opgeslagen: 1 van 2 aanwezig." in response.content.decode()
    assert list(Enrolment.objects.filter(attended=True)) == [a]
    listing = client.get(_url("attendance_list", past_session.pk)).content.decode()
    assert "Een" in listing and "Twee" in listing


def test_a_non_officer_trainer_may_register_attendance(client_as, staff_b, module):
    start = timezone.now() - datetime.timedelta(hours=1)
    session = SessionFactory(
        module=module,
        trainer=staff_b,
        external_trainer="",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    assert client_as(staff_b).get(_url("attendance", session.pk)).status_code == 200


def test_attendance_is_forbidden_to_participants(client_as, ambassador_a, past_session):
    EnrolmentFactory(session=past_session, user=ambassador_a)
    assert client_as(ambassador_a).get(_url("attendance", past_session.pk)).status_code == 403
    assert client_as(ambassador_a).get(_url("attendance_list", past_session.pk)).status_code == 403


# Progress.


def test_progress_for_officers_with_a_fixed_number_of_queries(
    client_as, officer, module, make_ambassador, django_assert_max_num_queries
):
    client = client_as(officer)
    for index in range(6):
        make_ambassador(f"Ambassadeur {index}")
    with django_assert_max_num_queries(14):
        response = client.get(_url("progress"))
    assert len(response.context["people"]) == 6
    assert len(response.context["not_enrolled"]) == 6


def test_progress_table_is_paginated_and_the_not_enrolled_list_capped_with_a_link_to_all(
    client_as, officer, module, make_ambassador, past_session
):
    for index in range(55):
        make_ambassador(f"Ambassadeur {index:02}")
    done = make_ambassador("Zeker Klaar")
    EnrolmentFactory(session=past_session, user=done, attended=True)
    client = client_as(officer)
    first = client.get(_url("progress"))
    content = first.content.decode()
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 56
    assert "56 ambassadeurs" in content and "Pagina 1 van 2" in content
    # Every ambassador without an enrolment is counted on every page, not only those of the page shown; the
    # first 50 are listed, a link shows all of them.
    assert len(first.context["not_enrolled"]) == 55
    assert "Ambassadeur 49: 1 module zonder inschrijving" in content
    assert "Ambassadeur 54: 1 module zonder inschrijving" not in content
    assert "De eerste 50 van 55 ambassadeurs." in content and 'href="?niet_ingeschreven=alle#missing-title"' in content
    every = client.get(_url("progress"), {"niet_ingeschreven": "alle"}).content.decode()
    assert "Ambassadeur 54: 1 module zonder inschrijving" in every and "De eerste 50" not in every
    second = client.get(_url("progress"), {"page": 2})
    rows = list(second.context["page"])
    assert [row["full_name"] for row in rows][-1] == "Zeker Klaar" and rows[-1]["percent"] == 100
    assert len(rows) == 6 and "Pagina 2 van 2" in second.content.decode()


def test_the_not_enrolled_list_escapes_names_and_says_each_number_in_its_plural(
    client_as, officer, module, make_ambassador, past_session
):
    from training.tests.factories import ModuleFactory

    ModuleFactory(organisation=officer.organisation, year=module.year, is_mandatory=True, title="Tweede module")
    make_ambassador("<b>Jan</b> & Piet")
    half = make_ambassador("Half Ingeschreven")
    EnrolmentFactory(session=past_session, user=half)
    content = client_as(officer).get(_url("progress")).content.decode()
    assert "<li>&lt;b&gt;Jan&lt;/b&gt; &amp; Piet: 2 modules zonder inschrijving</li>" in content
    assert "<li>Half Ingeschreven: 1 module zonder inschrijving</li>" in content
    assert "<b>Jan</b>" not in content


def test_managers_see_their_departments_only(client_as, manager_a, ambassador_a, make_ambassador, department_b, module):
    make_ambassador("Elders", department=department_b)
    response = client_as(manager_a).get(_url("progress"))
    assert [p["full_name"] for p in response.context["people"]] == [ambassador_a.full_name]
    assert "Herinneringen versturen" not in response.content.decode()


def test_progress_is_forbidden_to_ambassadors_and_staff(client_as, ambassador_a, staff_b):
    assert client_as(ambassador_a).get(_url("progress")).status_code == 403
    assert client_as(staff_b).get(_url("progress")).status_code == 403


def test_reminders_once_a_day(
    client_as, officer, manager_a, ambassador_a, module, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_as(officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_url("progress_remind"), follow=True)
    assert "Er wordt een herinnering gestuurd aan 1 ambassadeur." in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(_url("progress_remind"), follow=True)
    assert "al herinnerd" in second.content.decode()
    assert len(mailoutbox) == 1 and OutboxMessage.objects.count() == 1
    assert client_as(manager_a).post(_url("progress_remind")).status_code == 403


# Home panel and navigation.


def test_home_panel_shows_an_ambassadors_progress(client_as, ambassador_a, past_session):
    EnrolmentFactory(session=past_session, user=ambassador_a, attended=True)
    content = client_as(ambassador_a).get("/").content.decode()
    assert "1 van 1 verplichte modules" in content


def test_navigation_per_role(client_as, officer, staff_b):
    officer_page = client_as(officer).get("/").content.decode()
    assert _url("module_list") in officer_page and _url("progress") in officer_page
    staff_page = client_as(staff_b).get("/").content.decode()
    assert _url("offer") in staff_page and _url("module_list") not in staff_page


def test_officer_edits_a_module(client_as, officer, module):
    client = client_as(officer)
    assert client.get(_url("module_edit", module.pk)).status_code == 200
    data = {"year": module.year, "title": "Phishing en smishing", "description": "Nieuw", "is_mandatory": ""}
    assert client.post(_url("module_edit", module.pk), data).status_code == 302
    module.refresh_from_db()
    assert module.title == "Phishing en smishing" and not module.is_mandatory


def test_enrol_after_the_deadline_gets_a_dutch_error(client_as, ambassador_a, module):
    session = SessionFactory(module=module, enrolment_deadline=timezone.now() - datetime.timedelta(hours=1))
    response = client_as(ambassador_a).post(_url("session_enrol", session.pk), follow=True)
    assert "De inschrijftermijn van deze sessie is verstreken." in response.content.decode()
    assert not Enrolment.objects.exists()
