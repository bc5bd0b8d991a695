"""Training corrections in the browser, as an officer on a phone: the sessions list searched, sorted and filtered
(the filters in the URL), a capacity refused, a colleague searched and enrolled, an enrolment removed after confirming, a
session cancelled with a reason."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from core.models import OutboxMessage
from e2e.conftest import PHONE, assert_accessible, sort_by
from training.models import Enrolment, TrainingSession
from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_officer_searches_and_sorts_the_sessions_on_a_phone(signed_in, site, org, officer):
    SessionFactory(
        module=ModuleFactory(organisation=org, title="Phishing herkennen"), trainer=officer, external_trainer=""
    )
    SessionFactory(module=ModuleFactory(organisation=org, title="Clean desk"), location="Zaal Noord")
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/training/sessies/")
    table = page.get_by_test_id("sessions")
    expect(table.get_by_role("link", name="Phishing herkennen", exact=True)).to_be_visible()
    _fits(page)
    assert_accessible(page, context="session list on a phone")

    page.get_by_label("Zoeken", exact=True).fill("noord")
    page.get_by_role("button", name="Filteren").click()
    expect(table.get_by_role("link", name="Clean desk", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="Phishing herkennen", exact=True)).to_have_count(0)
    assert "q=noord" in page.url
    expect(page.get_by_label("Zoeken", exact=True)).to_have_value("noord")

    page.get_by_label("Zoeken", exact=True).fill("")
    page.get_by_label("Tonen", exact=True).select_option(label="Sessies die ik geef")
    page.get_by_role("button", name="Filteren").click()
    expect(table.get_by_role("link", name="Phishing herkennen", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="Clean desk", exact=True)).to_have_count(0)
    assert "mijn=geef" in page.url

    page.goto(f"{site}/training/sessies/")
    sort_by(page, "Module")
    header = table.locator("th", has=page.get_by_role("link", name="Module", exact=True))
    expect(header).to_have_attribute("aria-sort", "ascending")
    rows = table.locator("tbody th")
    expect(rows.first).to_contain_text("Clean desk")
    sort_by(page, "Module")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("Phishing herkennen")
    _fits(page)


def test_an_officer_corrects_a_session_on_a_phone(signed_in, site, org, officer, staff_a, staff_b):
    session = SessionFactory(module=ModuleFactory(organisation=org, title="Phishing herkennen"), capacity=2)
    EnrolmentFactory(session=session, user=staff_b)
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/training/sessies/{session.pk}/bewerken/")
    page.get_by_label("Locatie").fill("Stadhuis, zaal 3")
    page.get_by_label("Capaciteit").fill("0")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Een sessie heeft minstens één plaats nodig.").first).to_be_visible()
    expect(page.get_by_label("Locatie")).to_have_value("Stadhuis, zaal 3")
    _fits(page)
    assert_accessible(page, context="session form with a capacity error")
    page.get_by_label("Capaciteit").fill("3")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De sessie is opgeslagen.")).to_be_visible()

    # Enrol a colleague, then remove an enrolment after confirming.
    # The colleague is searched on the server as the officer types (a combobox, not a select of every employee).
    colleague = page.get_by_role("combobox", name="Collega")
    colleague.fill(staff_a.email)
    option = page.get_by_role("option", name=f"{staff_a.full_name} ({staff_a.email})")
    expect(option).to_be_visible()
    expect(colleague).to_have_attribute("aria-expanded", "true")
    _fits(page)
    assert_accessible(page, context="enrol a colleague, suggestions open")
    colleague.press("ArrowDown")
    expect(colleague).to_have_attribute("aria-activedescendant", re.compile("id_user_listbox_1"))
    colleague.press("Enter")
    expect(colleague).to_have_value(f"{staff_a.full_name} ({staff_a.email})")
    expect(colleague).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Inschrijven", exact=True).click()
    expect(page.get_by_text(f"{staff_a.full_name} is ingeschreven.")).to_be_visible()
    assert Enrolment.objects.get(session=session, user=staff_a).status == Enrolment.Status.ENROLLED
    _fits(page)
    assert_accessible(page, context="session detail with participants (officer, phone)")
    page.get_by_role("link", name=f"Verwijderen {staff_b.full_name}").click()
    expect(page.get_by_role("heading", name="Inschrijving verwijderen")).to_be_visible()
    assert_accessible(page, context="remove enrolment confirmation")
    page.get_by_role("button", name="Inschrijving verwijderen").click()
    expect(page.get_by_text(f"De inschrijving van {staff_b.full_name} is verwijderd.")).to_be_visible()
    assert Enrolment.objects.get(session=session, user=staff_b).status == Enrolment.Status.CANCELLED

    # Cancel the session: a reason is needed, the enrolled are told.
    page.get_by_role("link", name="Sessie annuleren").click()
    page.get_by_role("button", name="De sessie annuleren").click()
    expect(page.get_by_text("Geef de reden van de annulering").first).to_be_visible()
    _fits(page)
    assert_accessible(page, context="cancel session with an error")
    page.get_by_label("Reden van de annulering").fill("De trainer is ziek.")
    page.get_by_role("button", name="De sessie annuleren").click()
    expect(page.get_by_test_id("session-cancelled")).to_contain_text("De trainer is ziek.")
    expect(page.get_by_text(re.compile("De sessie is geannuleerd; 1 deelnemer krijgt bericht."))).to_be_visible()
    session.refresh_from_db()
    assert session.is_cancelled and TrainingSession.objects.not_cancelled().count() == 0
    assert OutboxMessage.objects.filter(key__startswith="training-session-cancelled:").count() == 1
    _fits(page)
