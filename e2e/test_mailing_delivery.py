"""The officer sends the quarterly mailing: a test to themselves, then to everyone, and sees the delivery status."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import assert_accessible
from programme.models import QuarterlyMailing


def test_officer_tests_sends_and_follows_the_mailing(signed_in, site, officer, staff_a, staff_b, mailoutbox):
    mailing = QuarterlyMailing.objects.create(
        organisation=officer.organisation, year=2026, quarter=2, subject="Onderwerpen Q2", body="Beste collega,"
    )
    page = signed_in(officer)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{site}/programma/communicatie/{mailing.year}/kwartaal/{mailing.quarter}/voorbeeld/")
    expect(page.get_by_role("heading", name="Verzending")).to_be_visible()
    assert_accessible(page, context="mailing delivery")

    page.get_by_role("button", name="Testmail naar mijzelf").click()
    expect(page.get_by_text(f"Er is een testexemplaar verzonden naar {officer.email}.")).to_be_visible()
    assert mailoutbox[-1].subject == "[TEST] Onderwerpen Q2"

    page.get_by_role("button", name="Nu naar alle medewerkers versturen").click()
    expect(page.get_by_text("De mailing wordt verzonden naar 3 medewerkers.")).to_be_visible()
    progress = page.get_by_test_id("mailing-progress")
    expect(progress.locator("tbody td").first).to_have_text("3")
    expect(page.get_by_role("button", name="Nu naar alle medewerkers versturen")).to_have_count(0)
    assert sorted(m.to[0] for m in mailoutbox[1:]) == sorted([officer.email, staff_a.email, staff_b.email])
    assert_accessible(page, context="mailing sent")
