"""The Privacy Officer closes reports through confirmation pages, and withdraws a notification to the AP before a
notified report becomes "no data leak"; the register then says "ingetrokken"."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible
from incidents.models import APNotification, DataLeak
from incidents.tests.factories import DataLeakFactory

CONFIRM_NO_LEAK = 'Ik begrijp dat de melding wordt afgesloten als "geen datalek" en dat dit definitief is'


def test_a_notified_report_is_withdrawn_before_it_becomes_no_data_leak(signed_in, site, privacy_officer, team_a):
    now = timezone.now()
    leak = DataLeakFactory(
        department=team_a,
        aware_at=now - datetime.timedelta(hours=30),
        assessment_started_at=now,
        assignee=privacy_officer,
    )
    APNotification.objects.create(
        leak=leak, kind="initial", notified_at=now - datetime.timedelta(hours=2), ap_reference="M2026-0815"
    )
    page = signed_in(privacy_officer)
    page.goto(f"{site}/datalekken/{leak.pk}/")
    expect(page.get_by_test_id("clock-stopped")).to_have_text("Gemeld aan AP")

    # "Not a data leak" on a notified report: the page says the withdrawal comes first and offers no button.
    page.get_by_role("link", name="Geen datalek").click()
    expect(page.get_by_test_id("what-becomes-final")).to_contain_text("Gemeld (voorlopig)")
    expect(page.get_by_test_id("withdraw-first")).to_contain_text("intrekking")
    expect(page.get_by_role("button", name='Afsluiten als "geen datalek"')).to_have_count(0)
    assert_accessible(page, context="no data leak, withdrawal first")

    # The withdrawal, as the AP's form calls it, with its reason: first without one.
    page.get_by_role("link", name="Intrekking vastleggen").click()
    expect(page.locator("#id_kind")).to_have_value("withdrawal")
    page.get_by_label("meldnummer van de AP").fill("M2026-0815")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(
        page.get_by_text("Geef de reden van de intrekking, zoals het formulier van de AP vraagt.").first
    ).to_be_visible()
    expect(page.get_by_label("meldnummer van de AP")).to_have_value("M2026-0815")
    assert_accessible(page, context="withdrawal without a reason")
    page.get_by_label("notities").fill("Na onderzoek bleek de mail geen persoonsgegevens te bevatten.")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.get_by_text("De melding aan de AP is vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("ap-status")).to_have_text("Ingetrokken")
    expect(page.get_by_test_id("timeline")).to_contain_text("Reden: Na onderzoek bleek")

    # Now "no data leak" goes through its confirmation page; without the confirmation what was typed stays.
    page.get_by_role("link", name="Geen datalek").click()
    expect(page.get_by_test_id("what-becomes-final")).to_contain_text("Ingetrokken")
    page.get_by_label("Waarom is dit geen datalek?").fill("Geen persoonsgegevens in de mail.")
    page.get_by_role("button", name='Afsluiten als "geen datalek"').click()
    expect(page.get_by_text("Bevestig dat u de melding afsluit als geen datalek.").first).to_be_visible()
    expect(page.get_by_label("Waarom is dit geen datalek?")).to_have_value("Geen persoonsgegevens in de mail.")
    assert_accessible(page, context="no data leak confirmation with an error")
    page.get_by_label(CONFIRM_NO_LEAK).check()
    page.get_by_role("button", name='Afsluiten als "geen datalek"').click()
    expect(page.get_by_text('De melding is afgesloten als "geen datalek".')).to_be_visible()
    expect(page.get_by_test_id("leak-state").first).to_have_text("Geen datalek")
    assert DataLeak.objects.get().state == "no_leak"

    page.goto(f"{site}/datalekken/register/")
    expect(page.get_by_test_id(f"notified-{leak.reference}")).to_contain_text("Ingetrokken")
    assert_accessible(page, context="register with a withdrawn notification")


def test_closing_shows_what_becomes_final_on_a_phone(signed_in, site, privacy_officer, team_a):
    leak = DataLeakFactory(
        department=team_a,
        assessment_started_at=timezone.now(),
        ap_decision="no_notify",
        ap_decision_reason="Eén ontvanger, mail verwijderd.",
        subjects_decision="no_inform",
        subjects_decision_reason="Geen risico.",
    )
    page = signed_in(privacy_officer, viewport=PHONE)
    page.goto(f"{site}/datalekken/{leak.pk}/afsluiten/")
    final = page.get_by_test_id("what-becomes-final")
    expect(final).to_contain_text("Afgesloten")
    expect(final).to_contain_text("Niet melden bij de AP")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page, context="close confirmation on a phone")
    page.get_by_role("textbox", name="Oorzaak").fill("Verkeerde ontvanger gekozen.")
    page.get_by_role("textbox", name="Geleerde les").fill("Controleer de ontvanger.")
    page.get_by_role("button", name="Melding afsluiten").click()
    expect(page.get_by_text("Bevestig dat u de melding afsluit.").first).to_be_visible()
    expect(page.get_by_role("textbox", name="Oorzaak")).to_have_value("Verkeerde ontvanger gekozen.")
    assert DataLeak.objects.get().state == "assessment"
    page.get_by_label("Ik begrijp dat de melding wordt afgesloten en dat dit definitief is").check()
    page.get_by_role("button", name="Melding afsluiten").click()
    expect(page.get_by_text("De melding is afgesloten.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Afgesloten. Oorzaak: Verkeerde ontvanger gekozen.")
    assert DataLeak.objects.get().state == "closed"
