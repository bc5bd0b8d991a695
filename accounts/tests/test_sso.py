"""Matching rules, the settings page (guards, validation, the secret) and the start of an Entra ID sign-in."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts import sso
from accounts.models import EmailDomain, IdentityProvider, User
from accounts.tests.factories import OfficerFactory, OrganisationFactory, UserFactory
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

TENANT = "0a1b2c3d-1111-2222-3333-444455556666"


def _provider(organisation, domains=("voorbeeld.test",), **policy) -> IdentityProvider:
    provider = IdentityProvider.objects.create(
        organisation=organisation,
        kind=IdentityProvider.Kind.OPENID_CONNECT,
        issuer="https://idp.voorbeeld.test",
        client_id="app",
        client_secret_encrypted=sso.encrypt_secret("s3cret-waarde"),
        client_secret_hint="s3c",
        **policy,
    )
    for domain in domains:
        EmailDomain.objects.create(organisation=organisation, domain=domain)
    return provider


def _identity(email, verified=True, amr=()):
    return sso.Identity(email=email, email_verified=verified, name="Iemand", amr=tuple(amr))


# Matching
def test_it_matches_the_existing_user_by_email(org, staff_b):
    _provider(org)
    assert sso.match_user(org, _identity(staff_b.email.upper())) == staff_b


def test_it_refuses_an_unknown_person_without_jit(org):
    _provider(org)
    with pytest.raises(sso.SignInRefused) as refused:
        sso.match_user(org, _identity("nieuw@voorbeeld.test"))
    assert refused.value.reason == "unknown"
    assert not User.objects.filter(email="nieuw@voorbeeld.test").exists()


def test_jit_creates_plain_staff_without_a_department_and_no_role(org):
    _provider(org, allows_just_in_time_accounts=True)
    user = sso.match_user(org, _identity("nieuw@voorbeeld.test", amr=["mfa"]))
    assert user.organisation == org and user.department is None
    assert not user.is_superuser and not user.is_staff
    assert not user.officer_roles.exists() and not user.managed_departments.exists()


def test_it_never_joins_a_user_of_another_organisation(org, other_org):
    _provider(org)
    foreign = UserFactory(organisation=other_org, department=None, email="wissel@voorbeeld.test")
    with pytest.raises(sso.SignInRefused) as refused:
        sso.match_user(org, _identity(foreign.email))
    assert refused.value.reason == "other_organisation"
    foreign.refresh_from_db()
    assert foreign.organisation == other_org


def test_it_refuses_an_address_outside_the_organisations_domains(org, outsider):
    _provider(org)
    with pytest.raises(sso.SignInRefused) as refused:
        sso.match_user(org, _identity(outsider.email))
    assert refused.value.reason == "domain"


def test_it_refuses_a_deactivated_user(org, staff_b):
    _provider(org, allows_just_in_time_accounts=True)
    User.objects.filter(pk=staff_b.pk).update(is_active=False)
    with pytest.raises(sso.SignInRefused) as refused:
        sso.match_user(org, _identity(staff_b.email))
    assert refused.value.reason == "inactive"


@pytest.mark.parametrize("verified", [False])
def test_it_refuses_an_unverified_address(org, staff_b, verified):
    _provider(org)
    with pytest.raises(sso.SignInRefused):
        sso.match_user(org, _identity(staff_b.email, verified=verified))


def test_it_refuses_an_account_linked_to_another_user(org, staff_b, staff_a):
    _provider(org)
    with pytest.raises(sso.SignInRefused) as refused:
        sso.match_user(org, _identity(staff_b.email), linked_user=staff_a)
    assert refused.value.reason == "mismatch"


@pytest.mark.parametrize(
    ("counts", "amr", "proven"),
    [
        (True, ["pwd", "mfa"], True),
        (True, ["otp"], True),
        (True, ["hwk"], True),
        (True, ["pwd"], False),
        (True, [], False),
        (False, ["mfa"], False),
    ],
)
def test_idp_mfa_counts_only_when_allowed_and_shown(org, counts, amr, proven):
    _provider(org, idp_mfa_counts=counts)
    assert sso.idp_mfa_proven(org, _identity("x@voorbeeld.test", amr=amr)) is proven


def test_password_sign_in_off_spares_officers_and_superusers(org, staff_b, officer):
    _provider(org, password_login_disabled=True)
    superuser = UserFactory(organisation=org, is_superuser=True, email="beheer@voorbeeld.test")
    assert sso.password_login_refused(staff_b)
    assert not sso.password_login_refused(officer)
    assert not sso.password_login_refused(superuser)


def test_the_secret_is_encrypted_at_rest(org):
    provider = _provider(org)
    assert "s3cret-waarde" not in provider.client_secret_encrypted
    assert sso.decrypt_secret(provider.client_secret_encrypted) == "s3cret-waarde"
    assert sso.masked(provider).startswith("s3c") and "waarde" not in sso.masked(provider)


def test_the_login_hint_shows_the_button_only_for_a_domain_with_sso(client, org):
    _provider(org)
    shown = client.get(reverse("sso:hint"), {"login": "iemand@voorbeeld.test"}).content.decode()
    assert "Inloggen met uw gemeenteaccount" in shown
    assert (
        "Inloggen met uw gemeenteaccount"
        not in client.get(reverse("sso:hint"), {"login": "x@elders.test"}).content.decode()
    )


def test_an_entra_sign_in_goes_to_the_organisations_own_tenant(client, org):
    provider = _provider(org)
    provider.kind = IdentityProvider.Kind.MICROSOFT
    provider.tenant_id = TENANT
    provider.save()
    response = client.post(reverse("sso:start"), {"login": "iemand@voorbeeld.test"})
    url = urlsplit(response.context["authorize_url"])
    assert f'content="0;url={response.context["authorize_url"]}' in response.content.decode().replace("&amp;", "&")
    assert (
        f"{url.scheme}://{url.netloc}{url.path}" == f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize"
    )
    query = parse_qs(url.query)
    assert "openid" in query["scope"][0] and query["nonce"][0] and query["client_id"] == ["app"]


def test_allauths_unbound_provider_views_are_gone(client):
    assert client.get("/accounts/oidc/org-1/login/").status_code == 404
    assert client.get("/accounts/microsoft/login/callback/").status_code == 404


# The settings page
def _url(organisation) -> str:
    return reverse("sso:settings", kwargs={"slug": organisation.slug})


def _form(**overrides) -> dict:
    data = {
        "kind": "openid_connect",
        "issuer": "https://idp.voorbeeld.test/realms/gemeente",
        "tenant_id": "",
        "client_id": "ambassadeurs",
        "client_secret": "nieuw-geheim-123",
        "domains": "voorbeeld.test\nVoorbeeld.NL",
        "is_enabled": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_settings_page_anonymous_is_sent_to_login(client, org):
    response = client.get(_url(org))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("character", ["privacy_officer", "manager_a", "staff_b", "ambassador_a"])
def test_settings_page_is_forbidden_to_others_than_the_ciso(client_as, org, character, request):
    assert client_as(request.getfixturevalue(character)).get(_url(org)).status_code == 403


def test_settings_page_of_another_organisation_does_not_exist(client_as, officer, other_org):
    assert client_as(officer).get(_url(other_org)).status_code == 404


def test_ciso_configures_sign_in_and_the_secret_stays_hidden(client_as, officer, org):
    client = client_as(officer)
    response = client.post(_url(org), _form())
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(organisation=org)
    assert sso.decrypt_secret(provider.client_secret_encrypted) == "nieuw-geheim-123"
    assert set(org.email_domains.values_list("domain", flat=True)) == {"voorbeeld.test", "voorbeeld.nl"}
    page = client.get(_url(org)).content.decode()
    assert "nieuw-geheim-123" not in page and "nie••••" in page
    assert f"/accounts/sso/{org.slug}/callback/" in page
    entry = AuditEntry.objects.get(action="sign_in_settings_changed")
    assert "client_secret" in entry.detail and "nieuw-geheim" not in entry.detail
    # An empty secret keeps the stored one.
    client.post(_url(org), _form(client_secret="", client_id="ander"))
    provider.refresh_from_db()
    assert provider.client_id == "ander" and sso.decrypt_secret(provider.client_secret_encrypted) == "nieuw-geheim-123"


def test_superuser_configures_any_organisation(client_as, other_org):
    superuser = UserFactory(organisation=None, department=None, is_superuser=True, email="root@beheer.test")
    assert client_as(superuser).post(_url(other_org), _form(domains="naburig.test")).status_code == 302
    assert IdentityProvider.objects.filter(organisation=other_org).exists()


def test_a_domain_of_another_organisation_is_refused(client_as, officer, org, other_org):
    EmailDomain.objects.create(organisation=other_org, domain="naburig.test")
    response = client_as(officer).post(_url(org), _form(domains="voorbeeld.test\nnaburig.test"))
    assert response.status_code == 200
    assert "Het domein naburig.test hoort al bij een andere organisatie." in response.content.decode()
    assert not IdentityProvider.objects.filter(organisation=org).exists()
    assert not EmailDomain.objects.filter(organisation=org).exists()
    # What was typed is kept.
    assert "idp.voorbeeld.test/realms/gemeente" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "microsoft", "tenant_id": "common"}, "met &#x27;common&#x27; komt elke Microsoft-organisatie binnen"),
        ({"kind": "microsoft", "tenant_id": "gemeente.nl"}, "een GUID"),
        ({"issuer": "http://idp.voorbeeld.test"}, "De issuer moet een https://-adres zijn."),
        ({"client_secret": ""}, "Vul het clientgeheim in."),
        ({"domains": "geen domein!"}, "is geen e-maildomein"),
    ],
)
def test_bad_input_gets_a_dutch_error(client_as, officer, org, overrides, message):
    response = client_as(officer).post(_url(org), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IdentityProvider.objects.filter(organisation=org).exists()


def test_a_ciso_of_another_organisation_is_not_a_ciso_here(client_as, org, other_org):
    foreign_ciso = UserFactory(organisation=other_org, department=None, email="ciso2@naburig.test")
    OfficerFactory(user=foreign_ciso, kind="ciso")
    assert client_as(foreign_ciso).get(_url(org)).status_code == 404
    assert OrganisationFactory(slug="derde").pk
