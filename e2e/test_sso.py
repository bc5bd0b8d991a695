"""Sign-in with the municipal account in the browser, through a real OpenID Connect provider on loopback.

The provider (oidc-provider-mock) serves its own authorize page, issues a code, and signs the
ID token with its RSA key; the app follows the real redirects, exchanges the code and checks the
signature, issuer, audience, expiry and nonce. Nothing of allauth is mocked.
"""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from accounts import hr_import
from accounts.models import IdentityProvider
from accounts.tests.factories import (
    OfficerFactory,
    OrganisationFactory,
    UserFactory,
    enable_totp,
    totp_code,
)
from accounts.tests.oidc import TEST_CLIENT_SECRET, connect_organisation, running_provider
from e2e.conftest import PHONE, assert_accessible
from e2e.test_incidents_report import _fill_report
from incidents.models import DataLeak

LOOPBACK = {"127.0.0.1", "localhost"}


@pytest.fixture
def oidc(context):
    # The provider's page links a stylesheet on a CDN: no request leaves the machine.
    context.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).hostname in LOOPBACK else route.abort(),
    )
    with running_provider() as provider:
        yield provider


def _fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _start(page, site, email) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Inloggen met uw gemeenteaccount").click()


def _authorize(page, sub) -> None:
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_known_employee_signs_in_with_the_municipal_account(page, site, oidc, org, staff_b):
    connect_organisation(org, oidc, domains=("voorbeeld.test",))
    oidc.set_user(staff_b.email, email_verified=True, name=staff_b.full_name)
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/accounts/login/")
    expect(page.get_by_role("button", name="Inloggen met uw gemeenteaccount")).to_have_count(0)
    page.get_by_label("E-mailadres").fill(staff_b.email)
    expect(page.get_by_text("Bij Gemeente Voorbeeld kunt u inloggen met uw gemeenteaccount.")).to_be_visible()
    assert_accessible(page, context="login page with the SSO button")
    _fits_a_phone(page)
    page.get_by_role("button", name="Inloggen met uw gemeenteaccount").click()
    _authorize(page, staff_b.email)
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()
    expect(page.get_by_test_id("role-badges")).to_contain_text("Medewerker")


def test_an_unknown_person_is_refused_in_dutch(page, site, oidc, org):
    connect_organisation(org, oidc, domains=("voorbeeld.test",))
    page.set_viewport_size(PHONE)
    _start(page, site, "onbekend@voorbeeld.test")
    _authorize(page, "onbekend@voorbeeld.test")
    expect(page.get_by_test_id("sso-error")).to_contain_text("Er is geen account voor dit e-mailadres")
    assert_accessible(page, context="sso refusal")
    _fits_a_phone(page)


def test_an_address_of_another_organisation_is_refused(page, site, oidc, org, outsider):
    connect_organisation(org, oidc, domains=("voorbeeld.test",))
    oidc.set_user("login-bij-voorbeeld", email=outsider.email, email_verified=True)
    _start(page, site, "iemand@voorbeeld.test")
    _authorize(page, "login-bij-voorbeeld")
    expect(page.get_by_test_id("sso-error")).to_contain_text("buiten de domeinen van uw organisatie")
    page.goto(f"{site}/")
    expect(page).to_have_url(re.compile("/accounts/login/"))


def test_an_officer_whose_provider_proved_mfa_needs_no_totp(page, site, oidc, org, officer):
    connect_organisation(org, oidc, domains=("voorbeeld.test",), idp_mfa_counts=True)
    enable_totp(officer)
    oidc.set_user(officer.email, email_verified=True, amr=["pwd", "mfa"])
    _start(page, site, officer.email)
    _authorize(page, officer.email)
    expect(page.get_by_test_id("role-badges")).to_contain_text("CISO")
    page.goto(f"{site}/mensen/medewerkers/")
    expect(page.get_by_role("heading", name="Medewerkers")).to_be_visible()


def test_an_officer_without_mfa_at_the_provider_enters_the_totp_code(page, site, oidc, org, officer):
    connect_organisation(org, oidc, domains=("voorbeeld.test",), idp_mfa_counts=True)
    enable_totp(officer)
    oidc.set_user(officer.email, email_verified=True, amr=["pwd"])
    _start(page, site, officer.email)
    _authorize(page, officer.email)
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    page.goto(f"{site}/mensen/medewerkers/")
    expect(page).to_have_url(re.compile("/accounts/"))
    page.goto(f"{site}/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("role-badges")).to_contain_text("CISO")


def test_a_tampered_state_is_refused(page, site, oidc, org, staff_b):
    connect_organisation(org, oidc, domains=("voorbeeld.test",))

    def tamper(route):
        # The provider's real answer (a redirect back with code and state), with the state changed on the way.
        if route.request.method != "POST":
            return route.continue_()
        answer = route.fetch(max_redirects=0)
        parts = urlsplit(answer.headers["location"])
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        query["state"] = "vervalst" + query["state"]
        tampered = f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"
        route.fulfill(status=302, headers={**answer.headers, "location": tampered})

    page.route(re.compile(r".*/oauth2/authorize.*"), tamper)
    _start(page, site, staff_b.email)
    _authorize(page, staff_b.email)
    expect(page.get_by_test_id("sso-error")).to_contain_text("Probeer opnieuw in te loggen")
    page.goto(f"{site}/")
    expect(page).to_have_url(re.compile("/accounts/login/"))


def test_a_new_municipality_connects_sign_in_and_an_employee_reports_a_data_leak(page, site, oidc, signed_in):
    """The onboarding path with SSO: the CISO connects the provider in the browser, an HR-imported employee signs in
    with the municipal account and reports a data leak."""
    testdorp = OrganisationFactory(name="Gemeente Testdorp", slug="testdorp")
    ciso = UserFactory(organisation=testdorp, department=None, email="ciso@testdorp.test", full_name="Carla CISO")
    OfficerFactory(user=ciso, kind="ciso")
    csv = b"e-mailadres;naam;afdelingscode;afdeling\nwim@testdorp.test;Wim Werknemer;BZ;Burgerzaken\n"
    assert hr_import.plan_import(testdorp, hr_import.read_rows(io.BytesIO(csv), "hr.csv"), apply=True).applied

    admin = signed_in(ciso, viewport=PHONE)
    admin.goto(f"{site}/mensen/organisaties/testdorp/inloggen/")
    expect(admin.get_by_role("heading", name="Inloggen met het gemeenteaccount")).to_be_visible()
    assert_accessible(admin, context="sign-in settings")
    _fits_a_phone(admin)
    admin.get_by_label("Soort").select_option("openid_connect")
    admin.get_by_label("Issuer (uitgever)").fill(oidc.url)
    admin.get_by_label("Client-ID").fill("testdorp-app")
    admin.get_by_label("E-maildomeinen van de organisatie").fill("testdorp.test")
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_test_id("error-summary")).to_contain_text("Vul het clientgeheim in.")
    expect(admin.get_by_label("Client-ID")).to_have_value("testdorp-app")
    assert_accessible(admin, context="sign-in settings with errors")
    admin.get_by_label("Clientgeheim (client secret)").fill(TEST_CLIENT_SECRET)
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_text("De inloginstellingen zijn opgeslagen.")).to_be_visible()
    expect(admin.get_by_text(TEST_CLIENT_SECRET)).to_have_count(0)
    assert IdentityProvider.objects.get(organisation=testdorp).client_id == "testdorp-app"
    admin.close()

    oidc.set_user("wim@testdorp.test", email_verified=True, name="Wim Werknemer")
    employee = page.context.browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    employee.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).hostname in LOOPBACK else route.abort(),
    )
    staff_page = employee.new_page()
    _start(staff_page, site, "wim@testdorp.test")
    _authorize(staff_page, "wim@testdorp.test")
    expect(staff_page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()
    staff_page.goto(f"{site}/datalekken/melden/")
    _fill_report(staff_page)
    staff_page.get_by_role("button", name="Melding versturen").click()
    expect(staff_page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    leak = DataLeak.objects.get()
    assert leak.reported_by.email == "wim@testdorp.test" and leak.department.organisation == testdorp
    employee.close()
