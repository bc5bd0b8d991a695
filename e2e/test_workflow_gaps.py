"""Workflow gaps in the browser: an officer adds a walk-in to a session that took place and downloads their
certificate; an ambassador opens and answers the colleague feedback of their department."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from ambassadors.models import Feedback
from ambassadors.tests.factories import FeedbackFactory
from e2e.conftest import PHONE, assert_accessible
from training.models import Enrolment
from training.tests.factories import ModuleFactory, SessionFactory


def test_officer_adds_a_walk_in_to_a_past_session_and_downloads_the_certificate(signed_in, site, officer, org, staff_a):
    start = timezone.now() - datetime.timedelta(days=2)
    session = SessionFactory(
        module=ModuleFactory(organisation=org, title="Phishing herkennen"),
        trainer=officer,
        external_trainer="",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/training/sessies/{session.pk}/")
    expect(page.get_by_role("heading", name="Deelnemer toevoegen die aanwezig was")).to_be_visible()
    colleague = page.get_by_role("combobox", name="Collega")
    colleague.fill(staff_a.email)
    expect(page.get_by_role("option", name=f"{staff_a.full_name} ({staff_a.email})")).to_be_visible()
    colleague.press("ArrowDown")
    colleague.press("Enter")
    page.get_by_role("button", name="Toevoegen als aanwezig").click()
    expect(page.get_by_text(f"{staff_a.full_name} is toegevoegd als aanwezig")).to_be_visible()
    enrolment = Enrolment.objects.get(session=session, user=staff_a)
    assert enrolment.attended
    assert_accessible(page, context="past session with a walk-in (officer, phone)")
    link = page.get_by_role("link", name=f"Certificaat (PDF) {staff_a.full_name}")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_ambassador_opens_and_answers_the_feedback_of_their_department(signed_in, site, ambassador_a, department_a):
    feedback = FeedbackFactory(department=department_a, message="Waar meld ik een verloren pas?")
    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/feedback/")
    page.get_by_role("link", name=re.compile("Waar meld ik een verloren pas")).click()
    expect(page).to_have_url(re.compile(f"/ambassadeurs/feedback/{feedback.pk}/"))
    assert_accessible(page, context="feedback follow-up (ambassador, phone)")
    page.get_by_label("Status").select_option(label="Toegelicht")
    page.get_by_label("Antwoord").fill("Bij de servicebalie, dezelfde dag.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De feedback is bijgewerkt.")).to_be_visible()
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.EXPLAINED and feedback.answered_by == ambassador_a

    # Recording feedback from a conversation starts on the ambassador's department.
    page.goto(f"{site}/ambassadeurs/feedback/vastleggen/")
    expect(page.get_by_label("Afdeling")).to_have_value(str(department_a.pk))
