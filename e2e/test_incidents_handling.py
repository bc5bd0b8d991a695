"""The Privacy Officer's 72-hour workflow, the register export, and the manager's counts."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import assert_accessible
from incidents.models import DataLeak
from incidents.tests.factories import DataLeakFactory
from programme.models import TopicSuggestion


def test_privacy_officer_handles_a_report_from_queue_to_lesson(signed_in, site, privacy_officer, staff_a, team_a):
    leak = DataLeakFactory(
        reported_by=staff_a, department=team_a, aware_at=timezone.now() - datetime.timedelta(hours=50)
    )
    page = signed_in(privacy_officer)
    page.goto(f"{site}/datalekken/behandelen/")
    expect(page.get_by_role("heading", name="Te behandelen meldingen")).to_be_visible()
    countdown = page.get_by_test_id("countdown").first
    expect(countdown).to_contain_text("nog 21 u")
    expect(countdown).to_have_class(re.compile("countdown-orange"))
    assert_accessible(page, context="queue")

    page.get_by_role("link", name=leak.reference).click()
    page.get_by_role("button", name="Beoordeling starten").click()
    expect(page.get_by_text("De beoordeling is gestart.")).to_be_visible()
    assert_accessible(page, context="detail for the privacy officer")

    page.get_by_role("link", name="Beoordeling en besluiten").click()
    page.get_by_label("vertrouwelijkheid (gegevens gezien door anderen)").check()
    page.get_by_label("Burgerservicenummer (BSN)").check()
    page.get_by_label("aantal personen (precies)").fill("1")
    page.get_by_label("waarschijnlijke gevolgen").fill("Identiteitsfraude is mogelijk.")
    page.get_by_label("Ernst", exact=True).select_option("significant")
    page.get_by_label("genomen corrigerende maatregelen").fill("De ontvanger heeft de mail verwijderd.")
    page.get_by_label("Melden bij de AP", exact=True).select_option("notify")
    page.get_by_label("motivering van het besluit over de AP").fill("Er is een BSN gelekt.")
    page.get_by_label("Betrokkenen informeren", exact=True).select_option("inform")
    page.get_by_label("motivering van het besluit over de betrokkenen").fill("Risico op fraude.")
    assert_accessible(page, context="assessment form")
    page.get_by_role("button", name="Beoordeling opslaan").click()
    expect(page.get_by_test_id("ap-decision")).to_contain_text("Melden bij de AP")

    page.get_by_role("link", name="Melding AP").click()
    expect(page.get_by_role("heading", name="1. Soort melding")).to_be_visible()
    expect(page.get_by_role("heading", name="10. Vervolgacties")).to_be_visible()
    expect(page.get_by_test_id("missing-count")).to_contain_text("ontbreken nog")
    assert_accessible(page, context="AP notification page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als PDF").click()
    assert download.value.suggested_filename == f"{leak.reference}-melding-AP.pdf"
    page.get_by_label("meldnummer van de AP").fill("M2026-4711")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.get_by_text("De melding aan de AP is vastgelegd.")).to_be_visible()

    page.get_by_role("link", name="Betrokkenen").click()
    expect(page.get_by_label("Tekst van de brief")).to_have_value(re.compile("Identiteitsfraude is mogelijk."))
    assert_accessible(page, context="data-subject letter")
    page.get_by_label("kanaal").select_option("letter")
    page.get_by_label("aantal geïnformeerde personen").fill("1")
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    expect(page.get_by_text("Het informeren van de betrokkenen is vastgelegd.")).to_be_visible()

    page.get_by_role("link", name="Melding afsluiten").click()
    page.get_by_role("textbox", name="Oorzaak").fill("Automatisch aanvullen van het adres in Outlook.")
    page.get_by_role("textbox", name="Geleerde les").fill("Controleer de ontvanger voordat u op verzenden drukt.")
    page.get_by_label("Ik begrijp dat de melding wordt afgesloten en dat dit definitief is").check()
    assert_accessible(page, context="close form")
    page.get_by_role("button", name="Melding afsluiten").click()
    expect(page.get_by_text("De melding is afgesloten.")).to_be_visible()
    page.get_by_role("button", name="Les voorstellen als onderwerp").click()
    expect(page.get_by_text("De les is voorgesteld als onderwerp voor het jaarplan")).to_be_visible()
    suggestion = TopicSuggestion.objects.get()
    assert suggestion.source == "data_leak" and suggestion.source_reference == leak.reference
    assert DataLeak.objects.get().state == "closed"
    expect(page.get_by_test_id("timeline")).to_contain_text("M2026-4711")
    assert_accessible(page, context="closed report")


def test_register_exports(signed_in, site, privacy_officer, team_a, department_b):
    first = DataLeakFactory(department=team_a, category="cc_not_bcc")
    DataLeakFactory(department=department_b, category="lost_device")
    page = signed_in(privacy_officer)
    page.goto(f"{site}/datalekken/register/")
    page.get_by_label("Soort").select_option("cc_not_bcc")
    page.get_by_role("button", name=re.compile("^Filter")).click()
    expect(page.get_by_role("table").first).to_contain_text(first.reference)
    expect(page.get_by_text("1 datalek", exact=True)).to_be_visible()
    assert_accessible(page, context="register")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren naar Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren naar CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        content = handle.read()
    assert first.reference in content and content.count("DL-") == 1


def test_manager_sees_counts_only(signed_in, site, manager_a, team_a, department_b):
    DataLeakFactory(department=team_a, category="cc_not_bcc", description="Vertrouwelijke inhoud")
    DataLeakFactory(department=department_b, category="lost_device")
    page = signed_in(manager_a)
    page.goto(f"{site}/")
    page.get_by_role("button", name="Datalekken").click()
    page.get_by_role("link", name="Datalekstatistieken").click()
    table = page.get_by_test_id("statistics")
    expect(table).to_contain_text("CC gebruikt in plaats van BCC")
    expect(table).not_to_contain_text("Laptop")
    expect(page.locator("main")).not_to_contain_text("Vertrouwelijke inhoud")
    expect(page.locator("main")).not_to_contain_text("DL-")
    assert_accessible(page, context="manager statistics")
