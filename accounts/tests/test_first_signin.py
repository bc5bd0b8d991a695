"""The first sign-in of an officer: straight from the password to setting up the second factor (no "confirm
access" for a password typed a moment ago), a page that offers only what can be used then, and a way onward from
the recovery codes."""

import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_fresh_sign_in_is_not_asked_for_the_password_again(client, officer):
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "totp" in response.content.decode().lower()
    assert reverse("account_reauthenticate") not in response.get("Location", "")


def test_long_after_signing_in_the_password_is_asked_again(client, officer, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))


def test_the_forced_set_up_shows_only_sign_out_and_language(client, officer):
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    body = client.get(reverse("mfa_activate_totp")).content.decode()
    assert reverse("account_logout") in body
    assert reverse("set_language") in body
    for unusable in ("/datalekken/", "/training/", "/programma/", "/ambassadeurs/", reverse("accounts:preferences")):
        assert f'href="{unusable}' not in body, unusable


def test_the_recovery_codes_page_has_a_way_onward(client, officer):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from accounts.tests.factories import TEST_TOTP_SECRET, enable_totp, totp_code

    enable_totp(officer)
    RecoveryCodes.activate(officer)
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="{reverse("home")}" data-testid="recovery-codes-continue">Verder</a>' in body
