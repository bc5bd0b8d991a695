"""Reporting a data leak in the browser: on a phone, on behalf of a colleague, and after a lost session."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from e2e.conftest import PHONE, assert_accessible
from incidents.models import DataLeak


def _moment(hours_ago: float) -> str:
    return (timezone.localtime() - datetime.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def _fill_report(page) -> None:
    page.get_by_label("E-mail naar de verkeerde ontvanger").check()
    page.get_by_label("Beschrijf wat er is gebeurd").fill(
        "Mail met een uitkeringsbesluit naar de verkeerde Jan gestuurd."
    )
    page.get_by_label("Wanneer is het (ongeveer) gebeurd?").fill(_moment(3))
    page.get_by_label("Wanneer is het ontdekt?").fill(_moment(1))
    page.get_by_label("Burgerservicenummer (BSN)").check()
    page.get_by_label("Om hoeveel mensen gaat het ongeveer?").select_option("1")


def test_staff_reports_a_leak_on_a_phone_and_gets_a_reference(
    signed_in, site, staff_a, privacy_officer, ambassador_a, mailoutbox
):
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/")
    page.get_by_role("link", name="Datalek melden").first.click()
    expect(page.get_by_role("heading", name="Datalek melden", level=1)).to_be_visible()
    assert_accessible(page, context="report form")
    # Submitting empty: clear Dutch messages.
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_text("Beschrijf kort wat er is gebeurd.", exact=True)).to_be_visible()
    _fill_report(page)
    page.get_by_label("Wat is er al gedaan? (niet verplicht)").fill("Ontvanger gevraagd de mail te verwijderen.")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    leak = DataLeak.objects.get()
    expect(page.get_by_test_id("reference")).to_have_text(leak.reference)
    assert re.fullmatch(r"DL-\d{4}-0001", leak.reference)
    assert {mail.to[0] for mail in mailoutbox} == {staff_a.email, privacy_officer.email, ambassador_a.email}
    assert_accessible(page, context="report received")
    page.get_by_role("link", name="Mijn meldingen").last.click()
    expect(page.get_by_role("link", name=leak.reference)).to_be_visible()
    assert_accessible(page, context="my reports")


def test_what_was_typed_survives_a_lost_session(signed_in, site, context, staff_a):
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/datalekken/melden/")
    _fill_report(page)
    # The session ends while the form is open (idle timeout, logout in another tab).
    context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("E-mailadres").fill(staff_a.email)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile("/datalekken/melden/"))
    expect(page.get_by_text("Wat u eerder had ingevuld is teruggezet.")).to_be_visible()
    expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value(
        "Mail met een uitkeringsbesluit naar de verkeerde Jan gestuurd."
    )
    expect(page.get_by_label("Burgerservicenummer (BSN)")).to_be_checked()
    assert DataLeak.objects.count() == 0
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    assert DataLeak.objects.count() == 1
    # The draft is gone once the report is received.
    page.goto(f"{site}/datalekken/melden/")
    expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value("")
    assert_accessible(page, context="report form after lost session")


def test_ambassador_reports_on_behalf_of_a_colleague(signed_in, site, ambassador_a, staff_a, team_a):
    page = signed_in(ambassador_a)
    page.goto(f"{site}/datalekken/melden/")
    page.get_by_label("Ik meld dit namens een collega").check()
    page.get_by_label("Naam van de collega").fill("Anna Medewerker")
    page.get_by_label("E-mailadres van de collega").fill(staff_a.email)
    _fill_report(page)
    # The department is a combobox searched on the server.
    department = page.get_by_role("combobox", name="Om welke afdeling gaat het?")
    department.fill("Balie")
    expect(page.get_by_role("option", name=re.compile(team_a.name))).to_be_visible()
    department.press("ArrowDown")
    department.press("Enter")
    expect(department).to_have_value(team_a.name)
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    leak = DataLeak.objects.get()
    assert leak.reported_by == ambassador_a and leak.on_behalf_of == staff_a
    page.get_by_role("link", name="Melding bekijken").click()
    expect(page.get_by_text("Anna Medewerker (gemeld door Sanne Ambassadeur)")).to_be_visible()
    assert_accessible(page, context="report detail for the ambassador")
