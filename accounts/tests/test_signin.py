"""Sign-in rules: no sign-up, MFA required for officers and managers, rate limits, password reset."""

import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, enable_totp, totp_code

pytestmark = pytest.mark.django_db


def test_nobody_can_sign_up(client):
    response = client.post(
        reverse("account_signup"), {"email": "nieuw@voorbeeld.test", "password1": "Lang-genoeg-2026!"}
    )
    from accounts.models import User

    assert not User.objects.filter(email="nieuw@voorbeeld.test").exists()
    assert response.status_code in (200, 302, 403)


def test_staff_signs_in_with_email_and_password(client, staff_b):
    response = client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_login_rotates_the_session_key(client, staff_b):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD})
    assert client.session.session_key != before


def test_failed_logins_are_rate_limited(client, staff_b):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": staff_b.email, "password": "fout"})
    response = client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD})
    assert "Te veel mislukte inlogpogingen" in response.content.decode()


def test_officer_without_totp_is_sent_to_set_it_up(client, officer):
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    response = client.get(reverse("accounts:preferences"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_officer_with_totp_needs_the_code(client, officer):
    enable_totp(officer)
    response = client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    assert client.get("/").status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Deze code is niet juist of al gebruikt" in response.content.decode()
    code = totp_code(TEST_TOTP_SECRET)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get("/").status_code == 200


def test_a_totp_code_cannot_be_replayed(client, officer):
    enable_totp(officer)
    code = totp_code(TEST_TOTP_SECRET)
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "Deze code is niet juist of al gebruikt" in response.content.decode()


def test_a_session_without_the_second_factor_is_ended(client, officer):
    enable_totp(officer)
    client.force_login(officer)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": time.time()}]
    session.save()
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_allauth(client):
    response = client.get("/beheer/login/")
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_password_reset_mails_a_link_and_an_expired_link_is_explained(client, staff_b, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": staff_b.email})
    assert len(mailoutbox) == 1
    response = client.get("/accounts/password/reset/key/zz-set-password/")
    assert "Ongeldige of verlopen link" in response.content.decode()


def test_unknown_email_reset_does_not_reveal_the_account(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "onbekend@voorbeeld.test"}, follow=True)
    assert response.status_code == 200
    # allauth mails the address that it has no account, without telling the visitor.
    assert all("onbekend@voorbeeld.test" in m.to for m in mailoutbox)


def _code_input(html: str) -> str:
    import re

    return re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)


def test_the_code_fields_show_a_phone_its_number_pad_and_offer_the_received_code(client, officer):
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})  # in case setting up asks again
    setup = _code_input(client.get(reverse("mfa_activate_totp")).content.decode())
    client.post(reverse("account_logout"))
    enable_totp(officer)
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    sign_in = _code_input(client.get(reverse("mfa_authenticate")).content.decode())
    for field in (setup, sign_in):
        assert 'inputmode="numeric"' in field and 'autocomplete="one-time-code"' in field, field
