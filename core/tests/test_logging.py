"""Every log line carries the request id; LOG_FORMAT=json writes one JSON object per line."""

from __future__ import annotations

import json
import logging

import pytest

from core.logging import JsonFormatter, RequestIdFilter, request_id

pytestmark = pytest.mark.django_db


def _record(message: str = "hello", **extra) -> logging.LogRecord:
    record = logging.LogRecord("app", logging.WARNING, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    RequestIdFilter().filter(record)
    return record


def test_a_request_gets_an_id_and_answers_with_it(client):
    response = client.get("/health/")
    assert len(response["X-Request-ID"]) == 32


def test_a_proxy_s_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-1234.abc")["X-Request-ID"] == "lb-1234.abc"
    replaced = client.get("/health/", HTTP_X_REQUEST_ID="evil\nline")["X-Request-ID"]
    assert replaced != "evil\nline" and len(replaced) == 32


def test_lines_logged_during_a_request_carry_its_id(rf):
    from django.http import HttpResponse

    from core.logging import RequestIdMiddleware

    lines = []

    def view(request):
        lines.append(_record("inside").request_id)
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="req-42"))
    assert lines == ["req-42"] and response["X-Request-ID"] == "req-42"
    assert _record("after").request_id == "-"  # reset after the request


def test_django_s_line_about_a_refused_request_carries_its_id(client, caplog, settings):
    """Django logs "Not Found: ..." after every middleware returned; the line still names the request's id."""
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []  # /metrics answers 404 (public, so no redirect)
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get("/metrics", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records
    for record in records:
        RequestIdFilter().filter(record)
    assert {record.request_id for record in records} == {"req-404"}


def test_json_lines_have_time_level_logger_message_and_request_id():
    token = request_id.set("req-7")
    try:
        line = JsonFormatter().format(_record("a %s", department=3))
    finally:
        request_id.reset(token)
    entry = json.loads(line)
    assert entry["request_id"] == "req-7"
    assert entry["level"] == "WARNING" and entry["logger"] == "app" and entry["message"] == "a %s"
    assert entry["department"] == 3 and entry["time"].endswith("+00:00")


def test_outside_a_request_the_id_is_a_dash():
    assert json.loads(JsonFormatter().format(_record()))["request_id"] == "-"


def test_an_exception_is_one_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line and "ValueError: boom" in json.loads(line)["exception"]
