"""Every use of the cache with a real Redis that the test stops.

The cache is the project's own ``core.cache.FallbackRedisCache`` on a redis-server of the test's own
(never the shared one). With it stopped: sign-in, the MFA step and the report form work; rate limits
still count (per process), TOTP replays are still refused, submission tokens still catch a double
click, locks still exclude, dashboard figures still render, and /health/ says "degraded" with a warning.
"""

from __future__ import annotations

import logging
import shutil

import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, enable_totp, totp_code
from core.cache import _reset_state, fallback_status
from core.tests.servers import RedisServer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

PORT = 6394


@pytest.fixture
def redis_cache(settings, tmp_path):
    server = RedisServer(PORT, tmp_path).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "FALLBACK_RETRY_SECONDS": 0.5},
        }
    }
    _reset_state()
    yield server
    server.stop()
    _reset_state()


@pytest.fixture
def cache_down(redis_cache):
    from django.core.cache import cache

    cache.set("warm", 1)  # the connection pool exists, as in a running server
    redis_cache.stop()
    return redis_cache


def test_the_cache_falls_back_to_the_process_and_recovers(redis_cache, caplog):
    from django.core.cache import cache

    cache.set("k", "shared")
    assert cache.get("k") == "shared"
    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("k") is None  # not an exception
        assert cache.add("n", 1) and not cache.add("n", 1)
        assert cache.incr("n") == 2
        cache.set("m", "local")
        assert cache.get("m") == "local"
        cache.delete("m")
    assert fallback_status()["degraded"]
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1, "warned once, not per call"
    assert "cache unreachable" in caplog.records[0].message
    redis_cache.start()
    import time

    time.sleep(0.6)  # the retry interval
    cache.set("k", "shared again")
    assert cache.get("k") == "shared again"
    assert not fallback_status()["degraded"]


def test_sign_in_works_with_the_cache_down(client, staff_b, cache_down):
    response = client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_mfa_step_works_with_the_cache_down_and_a_replayed_code_is_refused(client, officer, cache_down):
    enable_totp(officer)
    code = totp_code(TEST_TOTP_SECRET)
    response = client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get("/").status_code == 200
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "Deze code is niet juist of al gebruikt" in response.content.decode()


def test_failed_sign_ins_are_still_limited_with_the_cache_down(client, staff_b, cache_down):
    for _ in range(5):
        assert client.post(reverse("account_login"), {"login": staff_b.email, "password": "fout"}).status_code == 200
    response = client.post(reverse("account_login"), {"login": staff_b.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Te veel mislukte inlogpogingen" in response.content.decode()


def test_the_report_form_works_with_the_cache_down(client_as, staff_a, cache_down, report_data):
    from incidents.models import DataLeak

    client = client_as(staff_a)
    assert client.get(reverse("incidents:report")).status_code == 200
    data = report_data(description="Mail met een BSN naar de verkeerde ontvanger, tijdens een storing van de cache.")
    response = client.post(reverse("incidents:report"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DataLeak.objects.count() == 1


def test_submission_tokens_still_catch_a_double_click_with_the_cache_down(client_as, officer, cache_down):
    from programme.models import Goal

    client = client_as(officer)
    data = {"title": "Meer meldingen", "kind": "short_term", "year": 2026, "submission_token": "t1"}
    client.post(reverse("programme:goal_create"), data)
    response = client.post(reverse("programme:goal_create"), data, follow=True)
    assert response.status_code == 200
    assert Goal.objects.filter(title="Meer meldingen").count() == 1


def test_locks_still_exclude_with_the_cache_down(cache_down):
    from core.locks import single_run

    with single_run("job", ttl=60) as first, single_run("job", ttl=60) as second:
        assert first and not second
    with single_run("job", ttl=60) as again:
        assert again


def test_the_feedback_limit_still_counts_with_the_cache_down(cache_down):
    from ambassadors import services

    results = [
        services.feedback_rate_limited(user_id=1, ip="10.0.0.1") for _ in range(services.FEEDBACK_RATE_LIMIT + 1)
    ]
    assert not any(results[:-1]) and results[-1]


def test_dashboards_render_with_the_cache_down(client_as, officer, manager_a, department_a, cache_down):
    assert client_as(officer).get(reverse("evaluation:programme_dashboard")).status_code == 200
    response = client_as(manager_a).get(reverse("evaluation:department_dashboard", args=[department_a.pk]))
    assert response.status_code == 200


def test_health_shows_the_fallback_as_degraded(client, cache_down):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "degraded"
    assert "local per-process fallback" in body["checks"]["cache"]["warning"]
    assert body["checks"]["database"]["status"] == "ok"


def test_health_is_ok_when_everything_answers(client, redis_cache):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
