"""Tokens: refused when missing, unknown, expired, revoked or without the scope; every use and refusal audited."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from api.models import ApiToken, Scope
from api.services import hash_token
from core.models import AuditEntry

TOPICS = "/api/v1/topics/"


@pytest.mark.django_db
def test_a_token_is_stored_hashed(org, make_token):
    token, secret = make_token(org)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_token(secret)
    assert secret not in (stored.key_hash, stored.prefix) and secret.startswith(stored.prefix)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("missing", "token-missing"),
        ("unknown", "token-invalid"),
        ("expired", "token-expired"),
        ("revoked", "token-revoked"),
    ],
)
def test_it_refuses_a_bad_token_with_a_problem(org, make_token, api, kind, code):
    secret = None
    if kind == "unknown":
        secret = "amb_" + "x" * 43
    elif kind == "expired":
        secret = make_token(org, expires_in_days=-1)[1]
    elif kind == "revoked":
        secret = make_token(org, revoked=True)[1]
    response = api(secret).get(TOPICS)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["type"] == f"urn:ambassadeurs:problem:{code}" and body["status"] == 401
    entry = AuditEntry.objects.filter(action="api_refused").latest("pk")
    assert entry.result == AuditEntry.Result.DENIED
    assert (secret or "none") not in entry.detail


@pytest.mark.django_db
def test_it_refuses_a_token_without_the_scope(org, make_token, api):
    secret = make_token(org, [Scope.KPIS_READ])[1]
    response = api(secret).get(TOPICS)
    assert response.status_code == 403
    assert response.json()["type"].endswith("token-scope")
    assert AuditEntry.objects.filter(action="api_refused", detail__startswith="scope").exists()


@pytest.mark.django_db
def test_problems_follow_accept_language(org, api):
    dutch = api(HTTP_ACCEPT_LANGUAGE="nl").get(TOPICS).json()
    english = api(HTTP_ACCEPT_LANGUAGE="en").get(TOPICS).json()
    assert english["title"] == "A valid API token is required."
    assert dutch["title"] == "Een geldig API-token is vereist."


@pytest.mark.django_db
def test_a_session_is_not_enough_for_the_data(client_as, officer):
    response = client_as(officer).get(TOPICS)
    assert response.status_code == 401


@pytest.mark.django_db
def test_every_use_is_audited_and_last_used_is_written_at_most_once_a_minute(org, make_token, api):
    token, secret = make_token(org, [Scope.TOPICS_READ])
    client = api(secret)
    client.get(TOPICS)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get(TOPICS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    uses = AuditEntry.objects.filter(action="api_request", object_id=str(token.pk))
    assert uses.count() == 2 and uses.first().organisation_id == org.pk
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    client.get(TOPICS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@pytest.mark.django_db
def test_it_rate_limits_a_token_through_the_cache(org, make_token, api, settings):
    from api.authentication import TokenRateThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    TokenRateThrottle.THROTTLE_RATES = {"api_token": "3/min"}
    try:
        client = api(make_token(org, [Scope.TOPICS_READ])[1])
        codes = [client.get(TOPICS).status_code for _ in range(4)]
    finally:
        from rest_framework.settings import api_settings

        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 200, 429]
    assert AuditEntry.objects.filter(action="api_refused", detail__startswith="rate-limited").exists()


@pytest.mark.django_db
def test_an_address_that_keeps_guessing_is_refused_for_a_while(api, settings):
    settings.API_AUTH_FAILURES_PER_MINUTE = 3
    client = api("amb_guess")
    codes = [client.get(TOPICS).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert client.get(TOPICS)["Retry-After"] == "60"
