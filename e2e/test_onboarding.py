"""A new municipality from an empty database, through the real pages and mails.

create_organisation -> the CISO follows the invitation, chooses a password and sets up TOTP -> fills in the
settings (a bad KvK number first) -> imports the employees -> appoints a Privacy Officer -> an employee chooses a
password, signs in and reports a data leak, which reaches the new Privacy Officer.
"""

from __future__ import annotations

import re

from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Officer, Organisation, User
from accounts.tests.factories import totp_code
from e2e.conftest import PHONE, assert_accessible
from e2e.test_incidents_report import _fill_report
from incidents.models import DataLeak

PASSWORD = "Testdorp-wachtwoord-2026"


def _link_in(mail) -> str:
    return re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.body).group(0)


def _choose_password(page, url: str) -> None:
    page.goto(url)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.locator("main")).to_contain_text("gewijzigd")


def _sign_in(page, site: str, email: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def _fits_a_phone(page) -> None:
    page.set_viewport_size(PHONE)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-responsive') && e.getBoundingClientRect().right > 391)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_new_municipality_from_an_empty_database(page, site, settings, mailoutbox, tmp_path):
    assert not Organisation.objects.exists()
    settings.SITE_URL = site
    call_command("create_organisation", name="Gemeente Testdorp", ciso_email="ciso@testdorp.nl")
    invitation = mailoutbox[-1]
    assert invitation.to == ["ciso@testdorp.nl"]

    # The CISO chooses a password, signs in and must set up the second factor before any page.
    _choose_password(page, _link_in(invitation))
    _sign_in(page, site, "ciso@testdorp.nl")
    expect(
        page.get_by_role("heading", name=re.compile("Toegang bevestigen|Authenticator-app activeren"))
    ).to_be_visible()
    if page.get_by_role("heading", name="Toegang bevestigen").is_visible():
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Authenticator-app activeren")).to_be_visible()
    page.goto(f"{site}/mensen/organisatie/")
    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    secret = page.get_by_label("Geheime sleutel voor de authenticator-app").input_value()
    page.get_by_label("Authenticatiecode").fill(totp_code(secret))
    page.get_by_role("button", name="Activeer").click()

    # The settings: a KvK number of 7 digits is refused with nothing lost, then corrected.
    page.goto(f"{site}/mensen/organisatie/")
    expect(page.get_by_role("heading", name="Instellingen van de organisatie")).to_be_visible()
    assert_accessible(page, context="organisation settings")
    _fits_a_phone(page)
    page.get_by_label("Statutaire naam").fill("Gemeente Testdorp")
    page.get_by_label("KvK-nummer").fill("1234567")
    page.get_by_label("functionaris gegevensbescherming (FG): naam", exact=False).first.fill("Fatima FG")
    page.get_by_label("MS Teams-webhook").fill("http://testdorp.webhook.office.com/x")
    page.get_by_role("button", name="Instellingen opslaan").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Een KvK-nummer heeft precies 8 cijfers.")
    expect(summary).to_contain_text("moet beginnen met https://")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Statutaire naam")).to_have_value("Gemeente Testdorp")
    assert_accessible(page, context="organisation settings with errors")
    _fits_a_phone(page)
    assert Organisation.objects.get().kvk_number == ""
    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_label("MS Teams-webhook").fill("https://testdorp.webhook.office.com/webhookb2/GEHEIM/abcd")
    page.get_by_label("contactpersoon Privacy Officer: e-mail", exact=False).first.fill("privacy@testdorp.nl")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_text("De instellingen zijn opgeslagen.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("testdorp.webhook.office.com/…abcd")
    assert "GEHEIM" not in page.content()
    organisation = Organisation.objects.get()
    assert organisation.kvk_number == "12345678" and organisation.dpo_name == "Fatima FG"

    # The employees from the HR export.
    export = tmp_path / "hr.csv"
    export.write_text(
        "e-mailadres;naam;afdelingscode;afdeling;leidinggevende\n"
        "p.privacy@testdorp.nl;Pim Privacy;JZ;Juridische Zaken;nee\n"
        "m.medewerker@testdorp.nl;Mila Medewerker;BZ;Burgerzaken;nee\n",
        encoding="utf-8",
    )
    page.goto(f"{site}/mensen/medewerkers/import/")
    page.get_by_label("HR-export (CSV of XLSX)").set_input_files(str(export))
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.get_by_text("Import voltooid: 2 medewerkers toegevoegd")).to_be_visible()

    # A Privacy Officer.
    page.goto(f"{site}/mensen/organisatie/functionarissen/")
    assert_accessible(page, context="officers")
    _fits_a_phone(page)
    page.get_by_label("E-mailadres van de medewerker").fill("p.privacy@testdorp.nl")
    page.get_by_label("Rol").select_option("privacy_officer")
    page.get_by_role("button", name="Aanstellen").click()
    expect(page.get_by_text("Pim Privacy is nu Privacy Officer.")).to_be_visible()
    expect(page.get_by_test_id("officer-roles")).to_contain_text("Pim Privacy")
    assert Officer.objects.filter(user__email="p.privacy@testdorp.nl", kind="privacy_officer").exists()
    page.context.clear_cookies()

    # An employee chooses a password (the ordinary reset), signs in and reports a data leak.
    page.goto(f"{site}/accounts/password/reset/")
    page.get_by_label("E-mailadres").fill("m.medewerker@testdorp.nl")
    page.locator("main button[type=submit]").click()
    reset = next(mail for mail in reversed(mailoutbox) if mail.to == ["m.medewerker@testdorp.nl"])
    _choose_password(page, _link_in(reset))
    _sign_in(page, site, "m.medewerker@testdorp.nl")
    expect(page.get_by_test_id("header-organisation")).to_have_text("Gemeente Testdorp")
    expect(page.get_by_test_id("privacy-contact")).to_contain_text("privacy@testdorp.nl")
    page.get_by_role("link", name="Datalek melden").first.click()
    _fill_report(page)
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    leak = DataLeak.objects.get()
    assert leak.organisation == organisation
    assert leak.reported_by == User.objects.get(email="m.medewerker@testdorp.nl")
    assert any(mail.to == ["p.privacy@testdorp.nl"] for mail in mailoutbox)
