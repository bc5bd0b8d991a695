"""The organisation pages as their users: the superuser's organisations, the CISO's officers and department
corrections, and the public accessibility statement; each with axe and at a phone's width."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from accounts.models import Officer, Organisation
from accounts.tests.factories import UserFactory
from e2e.conftest import PHONE, assert_accessible


def _fits_a_phone(page) -> None:
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_superuser_creates_an_organisation(signed_in, site, org, department_b, officer):
    superuser = UserFactory(
        organisation=org, department=department_b, email="beheer@voorbeeld.test", is_superuser=True, is_staff=True
    )
    page = signed_in(superuser)
    page.goto(f"{site}/mensen/organisaties/")
    assert_accessible(page, context="organisations")
    _fits_a_phone(page)
    page.get_by_role("link", name="Nieuwe organisatie").click()
    assert_accessible(page, context="new organisation")
    _fits_a_phone(page)
    page.get_by_label("Naam van de organisatie").fill("Gemeente Testdorp")
    page.get_by_label("E-mailadres van de eerste CISO").fill(officer.email)
    page.get_by_role("button", name="Aanmaken en de CISO uitnodigen").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Er bestaat al een account met dit e-mailadres.")
    expect(page.get_by_label("Naam van de organisatie")).to_have_value("Gemeente Testdorp")
    assert_accessible(page, context="new organisation with an error")
    page.get_by_label("E-mailadres van de eerste CISO").fill("ciso@testdorp.nl")
    page.get_by_role("button", name="Aanmaken en de CISO uitnodigen").click()
    expect(page.get_by_test_id("organisations")).to_contain_text("Gemeente Testdorp")
    assert Organisation.objects.filter(name="Gemeente Testdorp").exists()


def test_the_last_ciso_cannot_end_their_own_role(signed_in, site, officer, privacy_officer):
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/mensen/organisatie/functionarissen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Rol beëindigen.*CISO, Karin CISO")).click()
    expect(page.get_by_role("alert").filter(has_text="ten minste één CISO")).to_be_visible()
    assert Officer.objects.filter(user=officer, kind="ciso").exists()
    assert_accessible(page, context="officers with an error")
    page.get_by_role("button", name=re.compile("Rol beëindigen.*Ahmed Privacy")).click()
    expect(page.get_by_text("De rol Privacy Officer van Ahmed Privacy is beëindigd.")).to_be_visible()
    assert not Officer.objects.filter(user=privacy_officer).exists()


def test_the_ciso_corrects_a_department(signed_in, site, officer, manager_a, staff_b, department_a):
    page = signed_in(officer)
    page.goto(f"{site}/mensen/afdelingen/{department_a.pk}/")
    page.get_by_role("link", name="Corrigeer leidinggevenden of Teams-webhook").click()
    assert_accessible(page, context="department correction")
    _fits_a_phone(page)
    page.get_by_label("Leidinggevende toevoegen (e-mailadres)").fill(staff_b.email)
    page.get_by_label("MS Teams-webhook van deze afdeling").fill("http://burgerzaken.example/hook")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("moet beginnen met https://")
    expect(page.get_by_label("Leidinggevende toevoegen (e-mailadres)")).to_have_value(staff_b.email)
    assert_accessible(page, context="department correction with an error")
    page.get_by_label("MS Teams-webhook van deze afdeling").fill(
        "https://burgerzaken.webhook.office.com/webhookb2/GEHEIM/wxyz"
    )
    page.get_by_label(manager_a.full_name).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De afdeling is bijgewerkt.")).to_be_visible()
    department_a.refresh_from_db()
    assert list(department_a.managers.all()) == [staff_b]
    assert department_a.teams_webhook_url.endswith("/GEHEIM/wxyz")
    page.goto(f"{site}/mensen/organisatie/")
    expect(page.get_by_test_id("department-webhooks")).to_contain_text("burgerzaken.webhook.office.com/…wxyz")
    assert "GEHEIM" not in page.content()


def test_the_accessibility_statement_without_signing_in(page, site, org):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/accounts/login/")
    page.get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", name="Toegankelijkheidsverklaring", level=1)).to_be_visible()
    expect(page.get_by_test_id("product-statement")).to_contain_text("WCAG 2.2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="accessibility statement")


def test_the_accessibility_statement_links_the_registered_one(signed_in, site, org, staff_b):
    org.accessibility_statement_url = "https://www.toegankelijkheidsverklaring.nl/register/4242"
    org.save()
    page = signed_in(staff_b, viewport=PHONE)
    page.goto(f"{site}/")
    expect(page.get_by_test_id("privacy-contact")).to_be_visible()
    page.get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("link", name="Toegankelijkheidsverklaring van Gemeente Voorbeeld")).to_have_attribute(
        "href", "https://www.toegankelijkheidsverklaring.nl/register/4242"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="accessibility statement of the organisation")
