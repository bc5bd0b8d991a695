"""/health/: open without sign-in, no data, and a status per part (database, cache, broker)."""

from __future__ import annotations

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_health_is_open_and_ok(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the SELECT 1, nothing else
        response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    body = response.json()
    assert body == {
        "status": "ok",
        "checks": {"database": {"status": "ok"}, "cache": {"status": "ok"}, "broker": {"status": "ok"}},
    }


def test_a_broker_that_is_down_is_degraded_not_unavailable(client):
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app._pool = None
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"]["status"] == "degraded"
    assert "outbox" in body["checks"]["broker"]["warning"]


def test_a_database_that_is_down_is_unavailable(client, monkeypatch):
    from core import health

    class Broken:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == {"status": "unavailable", "error": "OperationalError"}


def test_health_answers_only_get(client):
    assert client.post("/health/").status_code == 405
