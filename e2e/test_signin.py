"""Sign-in as each role through the real forms, navigation per role, language switch, 403 and 404."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, enable_totp, totp_code
from e2e.conftest import assert_accessible


def sign_in(page, site, email, password=TEST_PASSWORD):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_staff_signs_in_and_sees_staff_navigation(page, site, staff_b):
    sign_in(page, site, staff_b.email)
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()
    expect(page.get_by_test_id("role-badges")).to_contain_text("Medewerker")
    expect(page.get_by_role("button", name="Organisatie")).to_have_count(0)
    assert_accessible(page, context="staff home")


def test_wrong_password_gets_a_dutch_message_and_keeps_the_email(page, site, staff_b):
    sign_in(page, site, staff_b.email, password="fout-wachtwoord")
    expect(page.get_by_text("Het e-mailadres of wachtwoord is niet juist.")).to_be_visible()
    expect(page.get_by_label("E-mailadres")).to_have_value(staff_b.email)
    assert_accessible(page, context="login error")


def test_officer_signs_in_with_totp_and_sees_officer_navigation(page, site, officer):
    enable_totp(officer)
    sign_in(page, site, officer.email)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Deze code is niet juist of al gebruikt.").first).to_be_visible()
    page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-badges")).to_contain_text("CISO")
    page.get_by_role("button", name="Organisatie").click()
    expect(page.get_by_role("link", name="Medewerkers")).to_be_visible()
    assert_accessible(page, context="officer home")


def test_manager_without_mfa_must_set_it_up_before_any_page(page, site, manager_a):
    sign_in(page, site, manager_a.email)
    # Straight to setting up the second factor: the password just typed counts, it is not asked again.
    expect(page.get_by_role("heading", name="Authenticator-app activeren")).to_be_visible()
    expect(page.get_by_role("heading", name="Toegang bevestigen")).to_have_count(0)
    # Until it is set up, the menu offers only what works: signing out (and the language in the footer).
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Training")).to_have_count(0)
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(page.get_by_role("link", name="Voorkeuren")).to_have_count(0)
    page.keyboard.press("Escape")
    assert_accessible(page, context="mfa activation")
    page.goto(f"{site}/mensen/voorkeuren/")
    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    secret = page.get_by_label("Geheime sleutel voor de authenticator-app").input_value()
    page.get_by_label("Authenticatiecode").fill("123456")
    page.get_by_role("button", name="Activeer").click()
    expect(page.get_by_text("Deze code is niet juist of al gebruikt.").first).to_be_visible()
    page.get_by_label("Authenticatiecode").fill(totp_code(secret))
    page.get_by_role("button", name="Activeer").click()
    # The recovery codes, then onward to the home page.
    expect(page).to_have_url(re.compile("/accounts/2fa/recovery-codes/"))
    assert_accessible(page, context="recovery codes")
    page.get_by_role("link", name="Verder").click()
    expect(page.get_by_test_id("role-badges")).to_contain_text("Leidinggevende")


def test_language_switch_to_english_and_back(signed_in, site, staff_b):
    page = signed_in(staff_b)
    page.goto(site + "/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    assert_accessible(page, context="english home")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()


def test_staff_gets_403_on_an_officer_page(signed_in, site, staff_b):
    page = signed_in(staff_b)
    response = page.goto(f"{site}/mensen/medewerkers/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="U heeft geen toegang tot deze pagina")).to_be_visible()
    assert_accessible(page, context="403")


@pytest.mark.parametrize("path", ["/bestaat-niet/"])
def test_unknown_page_is_a_dutch_404(signed_in, site, staff_b, path):
    page = signed_in(staff_b)
    response = page.goto(site + path)
    assert response.status == 404
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()
    assert_accessible(page, context="404")
