"""What a Privacy Officer files with: the whole AP questionnaire, a corrected AP reference, reopening, the letter
and the register report; the reporter's additions; the ambassador's need-to-know."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from core.models import OutboxMessage
from e2e.conftest import PHONE, assert_accessible
from incidents.models import APNotification, DataLeak
from incidents.tests.factories import DataLeakFactory

DESKTOP = {"width": 1280, "height": 900}


def _fits_a_phone(page, *, context: str) -> None:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{context}: {width} px wide at a 390 px viewport"
    page.set_viewport_size(DESKTOP)


def _organisation(org) -> None:
    org.legal_name = "Gemeente Voorbeeld"
    org.street = "Stadhuisplein 1"
    org.postcode = "1234 AB"
    org.town = "Voorbeeld"
    org.kvk_number = "12345678"
    org.dpo_name = "Fatima FG"
    org.dpo_email = "fg@voorbeeld.test"
    org.privacy_contact_name = "Privacyloket"
    org.privacy_contact_email = "privacyloket@voorbeeld.test"
    org.privacy_contact_phone = "14 010"
    org.save()


def test_privacy_officer_files_a_complete_notification_corrects_it_and_reopens(
    signed_in, site, privacy_officer, staff_a, team_a
):
    _organisation(team_a.organisation)
    now = timezone.now()
    leak = DataLeakFactory(
        reported_by=staff_a,
        department=team_a,
        occurred_at=now - datetime.timedelta(hours=6),
        discovered_at=now - datetime.timedelta(hours=5),
    )
    page = signed_in(privacy_officer, viewport=DESKTOP)
    page.goto(f"{site}/datalekken/behandelen/")
    page.get_by_role("link", name=leak.reference).click()
    page.get_by_role("button", name="Beoordeling starten").click()
    page.get_by_role("link", name="Beoordeling en besluiten").click()

    form = page.locator("main form")
    form.locator("[name=ongoing]").select_option("no")
    form.locator("[name=na_breach_ended_at]").check()
    form.locator("[name=discovery_method]").fill("De medewerker zag het zelf in de verzonden items.")
    form.locator("[name=breach_confidentiality]").check()
    form.locator("[name=personal_data_categories][value=bsn]").check()
    form.locator("[name=na_special_categories]").check()
    form.locator("[name=na_records_count]").check()
    form.locator("[name=persons_exact]").fill("1")
    form.locator("[name=affected_groups]").fill("Inwoners met een uitkering")
    form.locator("[name=encrypted]").select_option("no")
    form.locator("[name=consequences]").fill("Identiteitsfraude is mogelijk.")
    form.locator("[name=severity]").select_option("significant")
    form.locator("[name=severity_explanation]").fill("Naam, adres en BSN samen.")
    form.locator("[name=na_consequences_organisation]").check()
    form.locator("[name=measures_taken]").fill("De ontvanger heeft de mail verwijderd.")
    form.locator("[name=measures_preventive]").fill("Automatisch aanvullen van adressen uitgezet.")
    form.locator("[name=na_processors_involved]").check()
    form.locator("[name=na_other_supervisors]").check()
    form.locator("[name=na_joint_controllers]").check()
    form.locator("[name=other_notification_duty]").select_option("none")
    form.locator("[name=na_documents_sent]").check()
    form.locator("[name=dpo_involved]").select_option("yes")
    form.locator("[name=ap_decision]").select_option("notify")
    form.locator("[name=ap_decision_reason]").fill("Er is een BSN gelekt.")
    form.locator("[name=subjects_decision]").select_option("inform")
    form.locator("[name=subjects_decision_reason]").fill("Risico op fraude.")
    form.locator("[name=subjects_informed_how]").fill("Per brief, binnen een week.")
    assert_accessible(page, context="assessment with not-applicable boxes")
    page.get_by_role("button", name="Beoordeling opslaan").click()
    expect(page.get_by_text("De beoordeling is opgeslagen.")).to_be_visible()

    page.get_by_role("link", name="Melding AP").click()
    expect(page.get_by_role("heading", name="3. De verwerkingsverantwoordelijke")).to_be_visible()
    expect(page.get_by_test_id("missing-count")).to_have_text("Elke vraag heeft een antwoord.")
    expect(page.locator('[data-state="missing"]')).to_have_count(0)
    expect(page.get_by_test_id("answer-3.3")).to_contain_text("12345678")
    expect(page.get_by_test_id("answer-6.2")).to_contain_text("niet van toepassing")
    assert_accessible(page, context="complete AP questionnaire")
    page.get_by_label("meldnummer van de AP").fill("M-TYPO")
    page.get_by_label("de melding is volledig").check()
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.get_by_text("De melding aan de AP is vastgelegd.")).to_be_visible()
    assert APNotification.objects.get().complete

    page.get_by_role("link", name=re.compile("melding corrigeren", re.IGNORECASE)).click()
    assert_accessible(page, context="correction form")
    _fits_a_phone(page, context="correction form")
    page.get_by_label("meldnummer van de AP").fill("M-2026-0001")
    page.get_by_label("Reden van de correctie").fill("Tikfout in het meldnummer.")
    page.get_by_role("button", name="Correctie vastleggen").click()
    expect(page.get_by_text("De correctie is vastgelegd")).to_be_visible()
    # The correction is in the report's history, beside the timeline.
    corrections = page.get_by_test_id("corrections")
    expect(corrections).to_contain_text("M-TYPO")
    expect(corrections).to_contain_text("M-2026-0001")
    expect(corrections).to_contain_text("Tikfout in het meldnummer.")

    page.get_by_role("link", name="Betrokkenen").click()
    expect(page.get_by_label("Tekst van de brief")).to_have_value(re.compile("Privacyloket"))
    assert_accessible(page, context="letter")
    _fits_a_phone(page, context="letter")
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als .docx").click()
    assert download.value.suggested_filename == f"{leak.reference}-brief-betrokkenen.docx"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"

    page.goto(f"{site}/datalekken/register/")
    register = page.get_by_test_id("register")
    expect(register).to_contain_text("M-2026-0001")
    expect(register).not_to_contain_text("M-TYPO")
    assert_accessible(page, context="register")
    _fits_a_phone(page, context="register")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Registerrapport")).click()
    assert download.value.suggested_filename == f"datalekkenregister-{timezone.localdate().year}.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    page.goto(f"{site}/datalekken/{leak.pk}/")
    page.get_by_role("link", name="Melding afsluiten").click()
    page.get_by_role("textbox", name="Oorzaak").fill("Automatisch aanvullen in Outlook.")
    page.get_by_role("textbox", name="Geleerde les").fill("Controleer de ontvanger.")
    page.get_by_label("Ik begrijp dat de melding wordt afgesloten en dat dit definitief is").check()
    page.get_by_role("button", name="Melding afsluiten").click()
    expect(page.get_by_text("De melding is afgesloten.")).to_be_visible()
    page.get_by_role("link", name="Melding heropenen").click()
    assert_accessible(page, context="reopen form")
    _fits_a_phone(page, context="reopen form")
    page.get_by_role("button", name="Melding heropenen").click()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_visible()
    page.get_by_label("Waarom heropent u de melding?").fill("De ontvanger heeft de mail toch doorgestuurd.")
    page.get_by_role("button", name="Melding heropenen").click()
    expect(page.get_by_text("De melding is heropend.")).to_be_visible()
    assert DataLeak.objects.get().state == "ap_notified"
    page.get_by_role("link", name="Melding afsluiten").click()
    page.get_by_role("textbox", name="Oorzaak").fill("Automatisch aanvullen in Outlook.")
    page.get_by_role("textbox", name="Geleerde les").fill("Controleer de ontvanger.")
    page.get_by_label("Ik begrijp dat de melding wordt afgesloten en dat dit definitief is").check()
    page.get_by_role("button", name="Melding afsluiten").click()
    expect(page.get_by_text("De melding is afgesloten.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("De ontvanger heeft de mail toch doorgestuurd.")
    assert DataLeak.objects.get().state == "closed"


def test_reporter_adds_information_on_a_phone(signed_in, site, staff_a, privacy_officer, team_a, tmp_path):
    _organisation(team_a.organisation)
    leak = DataLeakFactory(reported_by=staff_a, department=team_a)
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/datalekken/{leak.pk}/")
    expect(page.get_by_test_id("privacy-contact")).to_contain_text("privacyloket@voorbeeld.test")
    page.get_by_role("link", name="Informatie toevoegen").first.click()
    assert_accessible(page, context="addition form")
    page.get_by_role("button", name="Aanvulling versturen").click()
    expect(page.get_by_text("Schrijf iets of voeg een bestand toe.")).to_be_visible()
    screenshot = tmp_path / "scherm.pdf"
    screenshot.write_bytes(b"%PDF-1.4 bewijs")
    page.get_by_label("Wat wilt u aanvullen?").fill("Het waren drie ontvangers, niet één.")
    page.get_by_label("Bijlagen (niet verplicht)").set_input_files(str(screenshot))
    page.get_by_role("button", name="Aanvulling versturen").click()
    expect(page.get_by_text("Uw aanvulling is naar de privacy officer gestuurd.")).to_be_visible()
    expect(page.get_by_test_id("additions")).to_contain_text("Het waren drie ontvangers, niet één.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(page, context="report with the reporter's addition")
    assert OutboxMessage.objects.filter(key__contains="addition", kwargs__user_id=privacy_officer.pk).exists()
    assert leak.attachments.get().original_name == "scherm.pdf"


def test_ambassador_sees_the_facts_but_not_the_reporters_contact_details(
    signed_in, site, ambassador_a, staff_a, team_a
):
    leak = DataLeakFactory(
        reported_by=staff_a,
        department=team_a,
        contact_name="Anna Medewerker",
        contact_email="anna@voorbeeld.test",
        contact_phone="06 1234 5678",
    )
    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/datalekken/mijn-afdelingen/")
    page.get_by_role("link", name=leak.reference).click()
    main = page.locator("main")
    expect(page.get_by_test_id("description")).to_contain_text(leak.description)
    expect(page.get_by_test_id("reporter-hidden")).to_be_visible()
    expect(main).not_to_contain_text("anna@voorbeeld.test")
    expect(main).not_to_contain_text("06 1234 5678")
    expect(main).not_to_contain_text("Anna Medewerker")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="report for an ambassador who was not involved")


def test_privacy_officer_corrects_the_informing_of_the_data_subjects(signed_in, site, privacy_officer, team_a):
    from incidents.models import SubjectNotification

    leak = DataLeakFactory(department=team_a, assessment_started_at=timezone.now())
    SubjectNotification.objects.create(
        leak=leak, channel="letter", informed_on=timezone.localdate(), number_informed=30
    )
    page = signed_in(privacy_officer, viewport=DESKTOP)
    page.goto(f"{site}/datalekken/{leak.pk}/betrokkenen/")
    page.get_by_role("link", name="Corrigeren").click()
    assert_accessible(page, context="correction of the data-subject notification")
    _fits_a_phone(page, context="correction of the data-subject notification")
    page.get_by_label("aantal geïnformeerde personen").fill("3")
    page.get_by_label("Reden van de correctie").fill("Een nul te veel getypt.")
    page.get_by_role("button", name="Correctie vastleggen").click()
    # The old and the new number of people informed, in the report's history.
    corrections = page.get_by_test_id("corrections")
    expect(corrections).to_contain_text("30 → 3")
    expect(corrections).to_contain_text("Een nul te veel getypt.")
    assert SubjectNotification.objects.get().number_informed == 3
