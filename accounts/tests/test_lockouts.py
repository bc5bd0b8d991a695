"""Lockouts hit the attacker, not the office: failures count per account and per account and address.

Everyone in a gemeente reaches the app through a few proxy addresses, so a limit per address alone
would let one person mistyping, or one attacker, lock out the whole office.

The limits count in windows of minutes. The clock is the test's (freezegun), moved on explicitly where a scenario
says time passes, so a busy machine that runs a scenario slowly neither lets windows expire nor fails it.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory, enable_totp, totp_code
from core.client_address import client_ip

pytestmark = pytest.mark.django_db

LOCKED = "Te veel mislukte inlogpogingen"
OFFICE = "10.20.0.1"


@pytest.fixture(autouse=True)
def clock():
    """The test's clock: a tenth of a millisecond further at every reading (allauth takes an attempt back by its
    timestamp, so no two may share one), and moved on explicitly where a scenario says time passes."""
    with freeze_time("2026-03-02 08:30:00", auto_tick_seconds=0.0001) as frozen:
        yield frozen


def _sign_in(email: str, password: str, address: str = OFFICE) -> tuple[bool, str]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code == 302, response.content.decode()


def test_a_thousand_colleagues_sign_in_from_one_address_within_minutes(org, department_a, clock):
    """After the quarterly mailing: 1,000 sign-ins through the office proxy, one in ten mistyped first, within
    four minutes: all of them inside one five-minute window of every limit."""
    password = make_password(TEST_PASSWORD)
    User.objects.bulk_create(
        User(
            email=f"collega{n}@voorbeeld.test",
            full_name=f"Collega {n}",
            organisation=org,
            department=department_a,
            password=password,
        )
        for n in range(1000)
    )
    refused = []
    for n in range(1000):
        clock.tick(datetime.timedelta(seconds=0.2))
        email = f"collega{n}@voorbeeld.test"
        if n % 10 == 0:
            assert not _sign_in(email, "verkeerd-getypt")[0]
        signed_in, _content = _sign_in(email, TEST_PASSWORD)
        if not signed_in:
            refused.append(email)
    assert refused == [], f"{len(refused)} correct passwords refused, first {refused[:3]}"


def test_an_attacker_guessing_one_account_slows_that_account_only(org, department_a):
    victim = UserFactory(organisation=org, department=department_a, email="doelwit@voorbeeld.test")
    colleagues = [UserFactory(organisation=org, department=department_a) for _ in range(5)]
    # The attacker sits in the office (the same proxy address as everyone) and keeps guessing.
    outcomes = [_sign_in(victim.email, f"gok-{n}") for n in range(30)]
    assert all(not ok for ok, _ in outcomes)
    assert LOCKED in outcomes[5][1] and LOCKED in outcomes[-1][1], "the guessed account is slowed"
    assert LOCKED not in outcomes[4][1], "the first five are ordinary failures"
    # From the same address, everyone else signs in as usual, also after a typo of their own.
    for colleague in colleagues:
        assert not _sign_in(colleague.email, "typfout")[0]
        assert _sign_in(colleague.email, TEST_PASSWORD)[0]
    # The guessed account itself is refused at the attacker's address even with the right password.
    assert not _sign_in(victim.email, TEST_PASSWORD)[0]


def test_the_owner_elsewhere_keeps_the_account_until_the_account_wide_limit(org, department_a):
    victim = UserFactory(organisation=org, department=department_a, email="doelwit@voorbeeld.test")
    for n in range(5):
        _sign_in(victim.email, f"gok-{n}", address="203.0.113.7")
    assert _sign_in(victim.email, TEST_PASSWORD, address="10.20.0.99")[0]
    # Guesses spread over many addresses still meet the limit per account.
    for n in range(12):
        _sign_in(victim.email, f"gok-{n}", address=f"198.51.100.{n}")
    ok, content = _sign_in(victim.email, TEST_PASSWORD, address="10.20.0.98")
    assert not ok and LOCKED in content


def test_wrong_totp_codes_slow_that_account_only(client, org, department_a, officer):
    other = UserFactory(organisation=org, department=department_a, email="tweede.officer@voorbeeld.test")
    from accounts.tests.factories import OfficerFactory

    OfficerFactory(user=other, kind="iso")
    enable_totp(officer)
    enable_totp(other)
    attacker = Client(REMOTE_ADDR=OFFICE)
    attacker.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    for _ in range(8):
        attacker.post(reverse("mfa_authenticate"), {"code": "000000"})
    colleague = Client(REMOTE_ADDR=OFFICE)
    response = colleague.post(reverse("account_login"), {"login": other.email, "password": TEST_PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    colleague.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert colleague.get("/").status_code == 200


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # no trusted proxy: the header is the client's own
        (1, "1.2.3.4", "10.0.0.1", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "10.0.0.1", "1.2.3.4"),  # a forged entry left of the proxy's
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "10.0.0.1", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # fewer entries than proxies: not believed
        (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
        (1, "", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_the_client_address_comes_through_the_trusted_proxies_only(settings, count, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_a_forged_forwarded_header_does_not_escape_the_limit(settings, org, department_a):
    settings.TRUSTED_PROXY_COUNT = 1
    victim = UserFactory(organisation=org, department=department_a, email="doelwit@voorbeeld.test")
    for n in range(6):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 203.0.113.7")
        response = client.post(reverse("account_login"), {"login": victim.email, "password": f"gok-{n}"})
    assert LOCKED in response.content.decode()


def test_a_thousand_failures_over_400_accounts_from_one_address_never_refuse_a_colleague(settings, org, department_a):
    """One infected PC behind the municipal NAT sprays 400 accounts; a colleague at that address signs in."""
    if "LocMemCache" in settings.CACHES["default"]["BACKEND"]:
        # Without Redis: a per-process cache that holds the 1,200 counters (its default culls past 300).
        settings.CACHES = {
            **settings.CACHES,
            "default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 10_000}},
        }
    password = make_password(TEST_PASSWORD)
    User.objects.bulk_create(
        User(
            email=f"doel{n}@voorbeeld.test",
            full_name=f"Doel {n}",
            organisation=org,
            department=department_a,
            password=password,
        )
        for n in range(400)
    )
    colleagues = [UserFactory(organisation=org, department=department_a) for _ in range(3)]
    from allauth.account.adapter import get_adapter
    from django.contrib.sessions.backends.cache import SessionStore
    from django.core.exceptions import ValidationError

    factory = RequestFactory()
    for n in range(1000):
        # The failures through allauth's adapter, as the sign-in view calls it (fast: no page rendered).
        request = factory.post(reverse("account_login"), REMOTE_ADDR=OFFICE)
        request.session = SessionStore()
        try:
            user = get_adapter(request).authenticate(
                request, email=f"doel{n % 400}@voorbeeld.test", password=f"gok-{n}"
            )
        except ValidationError:
            user = None  # refused outright: fine for an attacked account
        assert user is None
        if n in (150, 600, 999):
            # Mid-attack, from the very same address: a right password for an untouched account signs in.
            colleague = colleagues[(150, 600, 999).index(n)]
            assert _sign_in(colleague.email, TEST_PASSWORD)[0], f"colleague refused after {n + 1} failures"
    # The attacked accounts are asked more at the busy address: refused there even with the right password...
    ok, content = _sign_in("doel7@voorbeeld.test", TEST_PASSWORD)
    assert not ok and LOCKED in content
    # ...while their owners elsewhere still sign in.
    assert _sign_in("doel7@voorbeeld.test", TEST_PASSWORD, address="10.30.0.5")[0]
    # A colleague who mistyped once at the busy address is an attacked account there for a while: from
    # another address (their phone, home) they sign in at once.
    late = UserFactory(organisation=org, department=department_a)
    assert _sign_in(late.email, TEST_PASSWORD)[0]
