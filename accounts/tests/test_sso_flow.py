"""Sign-in through a real OpenID Connect provider on loopback, with the test client (the browser tests are in e2e/)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, enable_totp, totp_code
from accounts.tests.oidc import connect_organisation, running_provider
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def oidc():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def connected(org, oidc):
    return connect_organisation(org, oidc, domains=("voorbeeld.test",))


def _authorize_url(client, email: str) -> str:
    response = client.post(reverse("sso:start"), {"login": email})
    assert response.status_code == 200, response.content
    return response.context["authorize_url"]


def _authorize(client, email: str, sub: str | None = None, *, action: str | None = None):
    """Start at the login page's button, authorize at the provider as ``sub``; the provider's redirect back."""
    authorize_url = _authorize_url(client, email)
    data = {"action": action} if action else {"sub": sub or email}
    answer = httpx.post(authorize_url, data=data)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


def _back(client, location: str):
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def _signed_in_user(client):
    return client.session.get("_auth_user_id")


def test_a_known_employee_signs_in(client, connected, oidc, staff_b):
    oidc.set_user(staff_b.email, email_verified=True, name="Tom")
    response = _back(client, _authorize(client, staff_b.email))
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in_user(client) == str(staff_b.pk)
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="login", actor_id=staff_b.pk).exists()


def test_the_redirect_carries_nonce_pkce_and_the_organisations_callback(client, connected, staff_b):
    query = parse_qs(urlsplit(_authorize_url(client, staff_b.email)).query)
    assert query["nonce"][0] and query["code_challenge"][0] and query["state"][0]
    assert query["redirect_uri"][0] == f"http://testserver/accounts/sso/{connected.organisation.slug}/callback/"
    assert query["login_hint"][0] == staff_b.email


def test_an_unknown_person_is_refused(client, connected, oidc):
    response = _back(client, _authorize(client, "nieuw@voorbeeld.test"))
    assert response.status_code == 403
    assert "Er is geen account voor dit e-mailadres" in response.content.decode()
    assert not User.objects.filter(email="nieuw@voorbeeld.test").exists()
    assert AuditEntry.objects.filter(action="sso_refused", detail="reason=unknown").exists()


def test_just_in_time_accounts_are_plain_staff_without_a_department(client, org, oidc):
    connect_organisation(org, oidc, domains=("voorbeeld.test",), allows_just_in_time_accounts=True)
    oidc.set_user("nieuw@voorbeeld.test", email_verified=True, name="Nina Nieuw")
    _back(client, _authorize(client, "nieuw@voorbeeld.test"))
    user = User.objects.get(email="nieuw@voorbeeld.test")
    assert (user.organisation, user.department, user.full_name) == (org, None, "Nina Nieuw")
    assert not user.officer_roles.exists() and not user.managed_departments.exists() and not user.is_superuser
    assert not user.has_usable_password()
    assert _signed_in_user(client) == str(user.pk)


def test_an_address_of_another_organisations_domain_is_refused(client, connected, oidc, outsider, other_org):
    # The provider of Voorbeeld vouches for an address of Naburig: it cannot sign anyone in there.
    oidc.set_user("voorbeeld-login", email=outsider.email, email_verified=True)
    response = _back(client, _authorize(client, "iemand@voorbeeld.test", sub="voorbeeld-login"))
    assert response.status_code == 403 and _signed_in_user(client) is None
    assert "buiten de domeinen van uw organisatie" in response.content.decode()


def test_a_deactivated_user_is_refused(client, connected, oidc, staff_b):
    User.objects.filter(pk=staff_b.pk).update(is_active=False)
    response = _back(client, _authorize(client, staff_b.email))
    assert response.status_code == 403 and _signed_in_user(client) is None
    assert "Uw account is gedeactiveerd" in response.content.decode()


def test_an_unverified_address_is_refused(client, connected, oidc, staff_b):
    oidc.set_user(staff_b.email, email_verified=False)
    response = _back(client, _authorize(client, staff_b.email))
    assert response.status_code == 403 and _signed_in_user(client) is None


def test_officer_with_idp_mfa_skips_totp_when_the_organisation_lets_it_count(client, org, oidc, officer):
    connect_organisation(org, oidc, domains=("voorbeeld.test",), idp_mfa_counts=True)
    enable_totp(officer)
    oidc.set_user(officer.email, email_verified=True, amr=["pwd", "mfa"])
    response = _back(client, _authorize(client, officer.email))
    assert response["Location"] == "/"
    methods = [r["method"] for r in client.session[AUTHENTICATION_METHODS_SESSION_KEY]]
    assert methods == ["socialaccount", "idp_mfa"]
    assert client.get(reverse("accounts:people")).status_code == 200


def test_officer_without_idp_mfa_enters_totp(client, org, oidc, officer):
    connect_organisation(org, oidc, domains=("voorbeeld.test",), idp_mfa_counts=True)
    enable_totp(officer)
    oidc.set_user(officer.email, email_verified=True, amr=["pwd"])
    response = _back(client, _authorize(client, officer.email))
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("accounts:people")).status_code == 302
    client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert client.get(reverse("accounts:people")).status_code == 200


def test_idp_mfa_does_not_count_unless_the_organisation_says_so(client, connected, oidc, officer):
    enable_totp(officer)
    oidc.set_user(officer.email, email_verified=True, amr=["mfa"])
    response = _back(client, _authorize(client, officer.email))
    assert response["Location"] == reverse("mfa_authenticate")


def test_officer_without_totp_and_without_idp_mfa_gets_no_page(client, connected, oidc, officer):
    oidc.set_user(officer.email, email_verified=True, amr=["pwd"])
    _back(client, _authorize(client, officer.email))
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_switching_idp_mfa_off_ends_the_officers_session_at_the_next_request(client, org, oidc, officer):
    provider = connect_organisation(org, oidc, domains=("voorbeeld.test",), idp_mfa_counts=True)
    enable_totp(officer)
    oidc.set_user(officer.email, email_verified=True, amr=["mfa"])
    _back(client, _authorize(client, officer.email))
    provider.idp_mfa_counts = False
    provider.save()
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_tampered_state_is_refused(client, connected, oidc, staff_b):
    location = _authorize(client, staff_b.email)
    parts = urlsplit(location)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = "vervalst-" + query["state"]
    response = client.get(f"{parts.path}?{urlencode(query)}")
    assert response.status_code == 403 and _signed_in_user(client) is None
    assert "Probeer opnieuw in te loggen" in response.content.decode()
    assert AuditEntry.objects.filter(action="sso_error", detail__startswith="kind=state").exists()


def test_an_answer_without_a_sign_in_under_way_is_refused(client, connected, oidc, staff_b):
    location = _authorize(client, staff_b.email)
    client.cookies.clear()
    response = _back(client, location)
    assert response.status_code == 403 and "Probeer opnieuw in te loggen" in response.content.decode()


def test_a_denied_consent_is_explained(client, connected, oidc, staff_b):
    response = _back(client, _authorize(client, staff_b.email, action="deny"))
    assert response.status_code == 403
    assert "U heeft het inloggen afgebroken" in response.content.decode()


def test_a_used_code_is_explained(client, connected, oidc, staff_b):
    location = _authorize(client, staff_b.email)
    _back(client, location)
    client.post(reverse("account_logout"))
    # The same answer again: allauth no longer has its state, so it is refused as a stale one.
    response = _back(client, location)
    assert response.status_code == 403 and _signed_in_user(client) is None


def test_a_wrong_client_secret_is_a_configuration_error(client, org):
    with running_provider(require_client_registration=True) as provider:
        callback = f"http://testserver/accounts/sso/{org.slug}/callback/"
        client_id, _secret = provider.register_client(callback)
        connect_organisation(org, provider, domains=("voorbeeld.test",), client_id=client_id, client_secret="fout")
        response = _back(client, _authorize(client, "medewerker@voorbeeld.test"))
    assert response.status_code == 403
    assert "niet goed ingericht" in response.content.decode()
    entry = AuditEntry.objects.get(action="sso_error")
    assert "fout" not in entry.detail and entry.detail.startswith("kind=misconfigured")


def test_an_unreachable_provider_is_explained(client, org, staff_b):
    with running_provider() as provider:
        connect_organisation(org, provider, domains=("voorbeeld.test",))
    response = client.post(reverse("sso:start"), {"login": staff_b.email})
    assert response.status_code == 403
    assert "kon niet worden bereikt" in response.content.decode()


def test_password_sign_in_off_refuses_staff_but_not_officers(client, org, oidc, staff_b, officer):
    connect_organisation(org, oidc, domains=("voorbeeld.test",), password_login_disabled=True)
    response = client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD}, follow=True)
    assert _signed_in_user(client) is None
    assert "Uw organisatie heeft inloggen met een wachtwoord uitgezet" in response.content.decode()
    enable_totp(officer)
    response = client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_the_client_secret_is_never_logged(client, connected, oidc, staff_b, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    oidc.set_user(staff_b.email, email_verified=True)
    _back(client, _authorize(client, staff_b.email))
    assert _signed_in_user(client) == str(staff_b.pk)
    from accounts.tests.oidc import TEST_CLIENT_SECRET

    assert TEST_CLIENT_SECRET not in caplog.text
    assert not AuditEntry.objects.filter(detail__contains=TEST_CLIENT_SECRET).exists()
