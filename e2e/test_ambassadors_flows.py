"""Browser tests of the ambassadors app: selection, activity log on a phone, feedback loop, events, recognition."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible


@pytest.fixture
def plan_topic(org):
    from programme.models import AnnualPlan, Topic

    today = timezone.localdate()
    plan = AnnualPlan.objects.create(organisation=org, year=today.year, status=AnnualPlan.Status.PUBLISHED)
    return Topic.objects.create(
        plan=plan, title="Phishing herkennen", quarter=(today.month - 1) // 3 + 1, status=Topic.Status.PUBLISHED
    )


def test_employee_volunteers_and_officer_appoints_them(signed_in, site, staff_b, officer, department_b):
    page = signed_in(staff_b)
    page.goto(f"{site}/")
    page.get_by_role("link", name="Word ambassadeur").click()
    expect(page.get_by_role("heading", name="Word ambassadeur", level=1)).to_be_visible()
    page.get_by_label("Motivatie").fill("Ik wil collega's helpen om veilig te werken.")
    page.get_by_label("Affiniteit met informatiebeveiliging en privacy").fill("Cursus privacy gevolgd.")
    page.get_by_label("Invloed in de afdeling").fill("Collega's vragen mij vaak om advies.")
    page.get_by_label("Beschikbare tijd (uren per maand)").fill("6")
    page.get_by_role("button", name="Voordracht indienen").click()
    expect(page.get_by_text("Bedankt voor uw aanmelding")).to_be_visible()
    assert_accessible(page, context="nomination form")

    page = signed_in(officer)
    page.goto(f"{site}/ambassadeurs/voordrachten/")
    assert_accessible(page, context="nomination list")
    page.get_by_role("link", name=staff_b.full_name).click()
    expect(page.get_by_role("heading", name=re.compile("Voordracht van"))).to_be_visible()
    page.get_by_label("Afdelingen").select_option(label="Werk en Inkomen")
    page.get_by_label("Begin termijn").fill("2026-06-01")
    page.get_by_label("Einde termijn").fill("2026-05-01")
    page.get_by_role("button", name="Aanstellen als ambassadeur").click()
    expect(page.get_by_text("De termijn kan niet eindigen voordat hij begint.", exact=True)).to_be_visible()
    expect(page.get_by_label("Begin termijn")).to_have_value("2026-06-01")
    assert_accessible(page, context="nomination detail with error")
    today = timezone.localdate()
    page.get_by_label("Begin termijn").fill(today.isoformat())
    page.get_by_label("Einde termijn").fill((today + datetime.timedelta(days=730)).isoformat())
    page.get_by_role("button", name="Aanstellen als ambassadeur").click()
    expect(page.get_by_text(f"{staff_b.full_name} is aangesteld als ambassadeur.")).to_be_visible()
    expect(page.get_by_role("heading", name="Dekking door ambassadeurs")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Werk en Inkomen"))).to_contain_text(staff_b.full_name)
    assert_accessible(page, context="coverage")


def test_ambassador_logs_activities_on_a_phone(signed_in, site, ambassador_a, plan_topic):
    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/activiteiten/nieuw/")
    expect(page.get_by_role("heading", name="Activiteit vastleggen")).to_be_visible()
    page.get_by_label("Soort").select_option(label="Bijdrage aan een teamoverleg")
    page.get_by_label("Uren").fill("0.5")
    page.get_by_label("Collega's bereikt").fill("12")
    page.get_by_label("Onderwerp uit het jaarplan").select_option(label="Phishing herkennen")
    page.get_by_label("Notitie").fill("Phishingvoorbeelden besproken")
    assert_accessible(page, context="activity form on phone")
    page.get_by_role("button", name="Opslaan en nog een vastleggen").click()
    expect(page.get_by_text("Uw activiteit is vastgelegd.")).to_be_visible()

    # A future date is refused in Dutch and what was typed stays.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Soort").select_option(label="Vraag beantwoord")
    page.get_by_label("Datum").fill(tomorrow.isoformat())
    page.get_by_label("Notitie").fill("Vraag over thuisprinten")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Een activiteit kan niet in de toekomst liggen.", exact=True)).to_be_visible()
    expect(page.get_by_label("Notitie")).to_have_value("Vraag over thuisprinten")
    assert_accessible(page, context="activity form error")
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opslaan", exact=True).click()

    expect(page.get_by_role("heading", name="Mijn activiteiten")).to_be_visible()
    expect(page.get_by_test_id("activity-totals")).to_contain_text("1,5")
    expect(page.get_by_role("cell", name="Phishing herkennen")).to_be_visible()
    assert_accessible(page, context="activity list on phone")


def test_feedback_reaches_the_officer_and_comes_back_to_the_department(
    signed_in, site, staff_a, team_a, officer, ambassador_a
):
    page = signed_in(staff_a)
    page.goto(f"{site}/")
    page.get_by_role("link", name="Feedback geven").first.click()
    expect(page.get_by_role("heading", name="Feedback voor Team Balie")).to_be_visible()
    page.get_by_label("Een procedure die in de praktijk niet werkt").check()
    page.get_by_label("Uw feedback").fill("Versleuteld mailen werkt niet met webmail van burgers.")
    page.get_by_role("button", name="Feedback versturen").click()
    expect(page.get_by_text("Bedankt voor uw feedback.")).to_be_visible()

    # Anonymous with an empty message: a Dutch error, the choices stay.
    page.get_by_label("Een vraag").check()
    page.get_by_label("Deze feedback anoniem geven").check()
    page.get_by_role("button", name="Feedback versturen").click()
    expect(page.get_by_text("Schrijf uw feedback op: ten minste een paar woorden.", exact=True)).to_be_visible()
    expect(page.get_by_label("Deze feedback anoniem geven")).to_be_checked()
    expect(page.get_by_label("Een vraag")).to_be_checked()
    assert_accessible(page, context="feedback form error")
    page.get_by_label("Uw feedback").fill("Mag ik een kopie van een paspoort bewaren?")
    page.get_by_role("button", name="Feedback versturen").click()
    expect(page.get_by_text("Bedankt voor uw feedback.")).to_be_visible()

    page.get_by_role("link", name="Poster met QR-code voor dit formulier").click()
    expect(page.locator("svg.qr-code")).to_be_visible()
    assert_accessible(page, context="poster")

    page = signed_in(ambassador_a)
    page.goto(f"{site}/ambassadeurs/feedback/")
    expect(page.get_by_role("cell", name="Anoniem")).to_be_visible()
    assert_accessible(page, context="ambassador feedback list")

    page = signed_in(officer)
    page.goto(f"{site}/ambassadeurs/feedback/")
    page.get_by_role("link", name=re.compile("Versleuteld mailen")).click()
    expect(page.get_by_role("heading", name="Feedback behandelen")).to_be_visible()
    page.get_by_label("Status").select_option(label="Procedure aangepast")
    page.get_by_label("Antwoord").fill("We sturen nu een beveiligde downloadlink.")
    page.get_by_label("Betrokken procedure").fill("Werkinstructie versleuteld mailen")
    assert_accessible(page, context="triage")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De feedback is bijgewerkt.")).to_be_visible()

    page = signed_in(staff_a)
    page.goto(f"{site}/ambassadeurs/feedback/afdeling/{team_a.pk}/")
    said = page.get_by_test_id("you-said-we-did")
    expect(said).to_contain_text("Versleuteld mailen werkt niet")
    expect(said).to_contain_text("We sturen nu een beveiligde downloadlink.")
    assert_accessible(page, context="you said, we did")


def test_event_is_planned_and_attended(signed_in, site, officer, ambassador_a):
    page = signed_in(officer)
    page.goto(f"{site}/ambassadeurs/bijeenkomsten/nieuw/")
    start = timezone.localtime() + datetime.timedelta(days=7)
    page.get_by_label("Titel").fill("Ambassadeursoverleg najaar")
    page.get_by_label("Begint om").fill(start.strftime("%Y-%m-%dT15:00"))
    page.get_by_label("Eindigt om").fill(start.strftime("%Y-%m-%dT14:00"))
    page.get_by_label("Plaats").fill("Stadhuis, zaal 2.14")
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_text("De bijeenkomst moet eindigen nadat hij begint.", exact=True)).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Ambassadeursoverleg najaar")
    assert_accessible(page, context="event form error")
    page.get_by_label("Eindigt om").fill(start.strftime("%Y-%m-%dT16:30"))
    page.get_by_label("Maximum aantal deelnemers").fill("10")
    page.get_by_label("Agenda").fill("1. Ervaringen\n2. Phishingcampagne")
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("heading", name="Ambassadeursoverleg najaar")).to_be_visible()
    event_url = page.url

    page = signed_in(ambassador_a)
    page.goto(event_url)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("U bent aangemeld.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Toevoegen aan agenda (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert_accessible(page, context="event detail")
    page.goto(f"{site}/ambassadeurs/bijeenkomsten/")
    expect(page.get_by_role("link", name="Ambassadeursoverleg najaar")).to_be_visible()
    assert_accessible(page, context="event list")

    page = signed_in(officer)
    page.goto(event_url)
    page.get_by_label(ambassador_a.full_name).check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_text("De aanwezigheid is opgeslagen.")).to_be_visible()
    expect(page.get_by_label(ambassador_a.full_name)).to_be_checked()
    page.get_by_role("link", name="Bijeenkomst bewerken").click()
    page.get_by_label("Aantekeningen en gedeelde ervaringen").fill("Goede discussie over phishing.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("event-notes")).to_contain_text("Goede discussie over phishing.")
    assert_accessible(page, context="event after")


def test_recognition_appears_on_the_profile(signed_in, site, officer, ambassador_a):
    page = signed_in(officer)
    page.goto(f"{site}/ambassadeurs/profiel/{ambassador_a.pk}/")
    page.get_by_role("link", name="Erkenning vastleggen").click()
    expect(page.get_by_role("combobox", name="Ambassadeur")).to_have_value(str(ambassador_a.pk))
    page.get_by_label("Soort").select_option(label="Mijlpaal")
    page.get_by_label("Titel").fill("Een jaar ambassadeur")
    page.get_by_label("Bericht").fill("Dank voor een jaar inzet!")
    assert_accessible(page, context="recognition form")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_test_id("recognitions")).to_contain_text("Een jaar ambassadeur")
    assert_accessible(page, context="profile (officer)")

    page = signed_in(ambassador_a)
    page.goto(f"{site}/")
    page.get_by_role("button", name="Ambassadeurs").click()
    page.get_by_role("link", name="Mijn profiel").click()
    expect(page.get_by_test_id("recognitions")).to_contain_text("Een jaar ambassadeur")
    assert_accessible(page, context="own profile")


def test_overview_pages_per_role_are_accessible(
    signed_in, site, org, officer, manager_a, ambassador_a, department_a, team_a
):
    from ambassadors.models import Feedback, Recognition

    Feedback.objects.create(organisation=org, department=team_a, category="idea", message="Stickers op de balie")
    Recognition.objects.create(organisation=org, ambassador=ambassador_a, title="Dank je wel", given_by=officer)

    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/feedback/vastleggen/")
    page.get_by_label("Afdeling").select_option(label="Burgerzaken")
    page.get_by_label("Categorie").select_option(label="Een vraag")
    page.get_by_role("button", name="Feedback vastleggen").click()
    expect(page.get_by_text("Schrijf uw feedback op: ten minste een paar woorden.", exact=True)).to_be_visible()
    assert_accessible(page, context="record feedback error")
    page.get_by_label("Wat zei de collega?").fill("Mag ik thuis dossiers printen?")
    page.get_by_role("button", name="Feedback vastleggen").click()
    expect(page.get_by_text("De feedback is vastgelegd voor de functionarissen.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Gesprek"))).to_be_visible()

    page = signed_in(manager_a)
    page.goto(f"{site}/ambassadeurs/overzicht/")
    expect(page.get_by_role("link", name=ambassador_a.full_name)).to_be_visible()
    assert_accessible(page, context="ambassador overview (manager)")
    page.goto(f"{site}/ambassadeurs/feedback/statistieken/")
    expect(page.get_by_role("row", name=re.compile("Team Balie"))).to_be_visible()
    expect(page.get_by_text("Stickers op de balie")).to_have_count(0)
    assert_accessible(page, context="feedback statistics (manager)")
    page.goto(f"{site}/ambassadeurs/afdelingen/{department_a.pk}/geschiedenis/")
    expect(page.get_by_text(ambassador_a.full_name)).to_be_visible()
    assert_accessible(page, context="department history")

    page = signed_in(officer)
    page.goto(f"{site}/ambassadeurs/erkenningen/")
    expect(page.get_by_role("cell", name="Dank je wel")).to_be_visible()
    assert_accessible(page, context="recognition list")
    page.goto(f"{site}/ambassadeurs/feedback/")
    page.get_by_label("Status").select_option(label="Nieuw")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("link", name=re.compile("Stickers op de balie"))).to_be_visible()
    assert_accessible(page, context="feedback triage list")
    page.goto(f"{site}/")
    assert_accessible(page, context="officer home with panels")
