"""Training in the browser: an officer sets up a module and a session, ambassadors enrol until it is full,
the waiting list moves up on a cancellation, the trainer registers attendance, certificate and progress follow."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from ambassadors.tests.factories import AppointmentFactory
from e2e.conftest import assert_accessible
from training.models import Enrolment, Module, TrainingSession
from training.tests.factories import EnrolmentFactory, MaterialFactory, ModuleFactory, SessionFactory

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def ambassadors(org, department_a, ambassador_a):
    people = [ambassador_a]
    for name, email in (("Bram Ambassadeur", "bram@voorbeeld.test"), ("Chantal Ambassadeur", "chantal@voorbeeld.test")):
        user = UserFactory(organisation=org, department=department_a, full_name=name, email=email)
        AppointmentFactory(user=user, organisation=org, departments=[department_a])
        people.append(user)
    return people


def test_officer_sets_up_a_module_and_a_session(signed_in, site, officer):
    page = signed_in(officer)
    page.goto(f"{site}/")
    page.get_by_role("button", name="Training").click()
    page.get_by_role("link", name="Modules").click()
    expect(page.get_by_role("heading", name=re.compile("^Modules"))).to_be_visible()
    assert_accessible(page, context="module list")

    page.get_by_role("link", name="Nieuwe module").click()
    page.get_by_label("Titel").fill("Phishing herkennen")
    page.get_by_label("Leerdoelen").fill("U herkent een phishingmail en weet wat u dan doet.")
    page.get_by_label("Verplicht voor ambassadeurs").check()
    assert_accessible(page, context="module form")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De module is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Phishing herkennen"))).to_be_visible()
    assert_accessible(page, context="module detail")

    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    page.get_by_role("link", name="Nieuwe sessie").click()
    page.get_by_label("Begint om").fill(f"{day}T10:00")
    page.get_by_label("Eindigt om").fill(f"{day}T09:00")
    page.get_by_label("Locatie").fill("Stadhuis, zaal 2.14")
    page.get_by_label("Externe trainer").fill("Bureau Veilig")
    page.get_by_label("Capaciteit").fill("2")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De sessie moet eindigen na het begin.").first).to_be_visible()
    expect(page.get_by_label("Locatie")).to_have_value("Stadhuis, zaal 2.14")
    expect(page.get_by_label("Begint om")).to_have_value(f"{day}T10:00")
    assert not TrainingSession.objects.exists()
    assert_accessible(page, context="session form with error")

    page.get_by_label("Eindigt om").fill(f"{day}T12:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De sessie is opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("seats")).to_have_text("0 van 2 bezet")
    session = TrainingSession.objects.get()
    assert session.module == Module.objects.get(title="Phishing herkennen") and session.capacity == 2
    assert_accessible(page, context="session detail (officer)")

    page.get_by_role("button", name="Training").click()
    page.get_by_role("link", name="Sessies").click()
    expect(page.get_by_role("link", name="Phishing herkennen", exact=True)).to_be_visible()
    assert_accessible(page, context="session list")


def test_ambassadors_fill_a_session_and_the_waiting_list_moves_up(
    signed_in, site, org, officer, ambassadors, mailoutbox
):
    module = ModuleFactory(organisation=org, title="Herkennen en melden van datalekken")
    session = SessionFactory(module=module, trainer=officer, external_trainer="", capacity=2)
    url = f"{site}/training/sessies/{session.pk}/"
    first, second, third = ambassadors

    for user in (first, second):
        page = signed_in(user)
        page.goto(f"{site}/training/")
        expect(page.get_by_role("heading", name="Trainingsaanbod")).to_be_visible()
        page.get_by_role("link", name="Herkennen en melden van datalekken").click()
        page.get_by_role("button", name="Inschrijven").click()
        expect(page.get_by_text("U bent ingeschreven.")).to_be_visible()
        expect(page.get_by_test_id("my-status")).to_contain_text("Ingeschreven")
        page.close()

    page = signed_in(third)
    page.goto(f"{site}/training/")
    expect(page.get_by_text("vol", exact=True)).to_be_visible()
    assert_accessible(page, context="training offer")
    page.goto(url)
    expect(page.get_by_text("De sessie is vol; u kunt zich op de wachtlijst zetten.")).to_be_visible()
    page.get_by_role("button", name="Op de wachtlijst").click()
    expect(page.get_by_text("De sessie is vol: u staat op de wachtlijst.")).to_be_visible()
    expect(page.get_by_test_id("my-status")).to_contain_text("U bent nummer 1 op de wachtlijst.")
    assert_accessible(page, context="session detail, waitlisted")
    page.close()

    page = signed_in(first)
    page.goto(url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_text("Uw inschrijving is geannuleerd.")).to_be_visible()
    # The freed seat went to the waiting list at once: the session is full again.
    expect(page.get_by_role("button", name="Op de wachtlijst")).to_be_visible()
    page.close()

    assert [m.to for m in mailoutbox] == [[third.email]]
    assert mailoutbox[0].subject == "U heeft een plek: Herkennen en melden van datalekken"
    page = signed_in(third)
    page.goto(f"{site}/training/mijn/")
    expect(page.get_by_role("link", name="Herkennen en melden van datalekken")).to_be_visible()
    expect(
        page.locator("li", has_text="Herkennen en melden van datalekken").get_by_text("Ingeschreven")
    ).to_be_visible()
    assert_accessible(page, context="my trainings")


def test_trainer_registers_attendance_then_certificate_and_progress_follow(
    signed_in, site, org, officer, ambassadors, manager_a
):
    module = ModuleFactory(organisation=org, title="Phishing", is_mandatory=True)
    start = timezone.now() - datetime.timedelta(minutes=90)
    session = SessionFactory(
        module=module,
        trainer=officer,
        external_trainer="",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    first, second, third = ambassadors
    for user in (first, second):
        EnrolmentFactory(session=session, user=user)
    MaterialFactory(module=module, title="Slides phishing")

    page = signed_in(officer, viewport=TABLET)
    page.goto(f"{site}/training/sessies/{session.pk}/aanwezigheid/")
    expect(page.get_by_role("heading", name="Aanwezigheid registreren")).to_be_visible()
    page.get_by_label(first.full_name).check()
    assert_accessible(page, context="attendance checklist")
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_text("Aanwezigheid opgeslagen: 1 van 2 aanwezig.")).to_be_visible()
    expect(page.get_by_label(first.full_name)).to_be_checked()
    expect(page.get_by_label(second.full_name)).not_to_be_checked()
    page.get_by_role("link", name="Presentielijst om af te drukken").click()
    expect(page.get_by_role("heading", name="Presentielijst")).to_be_visible()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_visible()
    assert_accessible(page, context="printable attendance list")
    assert Enrolment.objects.get(user=first).attendance_registered_by == officer
    page.close()

    page = signed_in(first)
    page.goto(f"{site}/")
    expect(page.get_by_test_id("training-progress")).to_contain_text("1 van 1 verplichte modules")
    assert_accessible(page, context="home with training progress")
    page.get_by_role("link", name="Mijn trainingen").first.click()
    expect(page.get_by_text("afgerond")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Certificaat (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.get_by_role("button", name="Mijn agendalink aanmaken").click()
    expect(page.get_by_label("Uw agendalink")).to_have_value(re.compile(r"/training/agenda/.+\.ics$"))
    assert_accessible(page, context="my trainings with certificate")
    page.goto(f"{site}/training/sessies/{session.pk}/")
    expect(page.get_by_role("link", name="Slides phishing")).to_be_visible()
    page.close()

    page = signed_in(officer)
    page.goto(f"{site}/training/voortgang/")
    row = page.get_by_role("row", name=re.compile(first.full_name))
    expect(row.get_by_test_id("percent")).to_have_text("100%")
    expect(page.get_by_role("row", name=re.compile(third.full_name)).get_by_test_id("percent")).to_have_text("0%")
    assert_accessible(page, context="progress overview")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Herinneringen versturen").click()
    expect(page.get_by_text("Er wordt een herinnering gestuurd aan 1 ambassadeur.")).to_be_visible()
    page.close()

    page = signed_in(manager_a)
    page.goto(f"{site}/training/voortgang/")
    expect(page.get_by_role("heading", name=re.compile("Voortgang op de verplichte modules"))).to_be_visible()
    expect(page.get_by_role("button", name="Herinneringen versturen")).to_have_count(0)
    assert_accessible(page, context="progress overview for a manager")


def test_staff_see_sessions_open_to_them_on_a_phone(signed_in, site, org, staff_b):
    from e2e.conftest import PHONE

    module = ModuleFactory(organisation=org, title="Clean desk", is_mandatory=False)
    SessionFactory(module=module, open_to_all_staff=True)
    SessionFactory(module=ModuleFactory(organisation=org, title="Alleen ambassadeurs"))
    page = signed_in(staff_b, viewport=PHONE)
    page.goto(f"{site}/training/")
    expect(page.get_by_role("link", name="Clean desk")).to_be_visible()
    expect(page.get_by_role("link", name="Alleen ambassadeurs")).to_have_count(0)
    page.get_by_role("link", name="Clean desk").click()
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_text("U bent ingeschreven.")).to_be_visible()
    assert_accessible(page, context="staff enrolled on a phone")
