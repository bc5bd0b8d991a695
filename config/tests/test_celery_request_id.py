"""A task queued during a request carries the request id to the worker, whose lines during the task carry it on."""

from __future__ import annotations

import logging

import pytest
from celery import shared_task
from celery.signals import setup_logging

from config.celery import app, use_django_logging
from core.logging import JsonFormatter, RequestIdFilter, request_id

seen: list[str] = []


@shared_task(name="config.tests.test_celery_request_id.remember_request_id")
def remember_request_id() -> None:
    seen.append(request_id.get())


@pytest.fixture(autouse=True)
def _forget():
    seen.clear()


def _published_headers() -> dict:
    """Publish for real (kombu's in-memory broker) and read back the message's headers."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write("memory://") as connection:
            remember_request_id.apply_async(connection=connection, queue="request-id-test")
            message = connection.SimpleQueue("request-id-test").get(timeout=2)
            message.ack()
    finally:
        app.conf.task_always_eager = eager
    return message.headers


def test_a_task_queued_in_a_request_carries_its_id():
    token = request_id.set("req-123")
    try:
        headers = _published_headers()
    finally:
        request_id.reset(token)
    assert headers["request_id"] == "req-123"


def test_a_task_queued_outside_a_request_carries_none():
    assert "request_id" not in _published_headers()


def test_the_worker_s_lines_during_the_task_carry_the_id_and_forget_it_after():
    remember_request_id.apply(headers={"request_id": "req-456"})
    assert seen == ["req-456"]
    assert request_id.get() == "-"


def test_a_hostile_id_in_a_message_is_not_logged():
    remember_request_id.apply(headers={"request_id": "evil\nline"})
    assert seen == ["-"]


def test_a_task_run_eagerly_inside_a_request_keeps_the_request_s_id():
    token = request_id.set("req-789")
    try:
        remember_request_id.apply()
        assert request_id.get() == "req-789"
    finally:
        request_id.reset(token)
    assert seen == ["req-789"]


def test_worker_and_beat_log_through_the_settings_logging(settings):
    """Celery's setup_logging signal has our receiver, so Celery keeps its hands off the root logger."""
    assert any(receiver() is use_django_logging for _key, receiver in setup_logging.receivers)
    settings.LOGGING = {
        **settings.LOGGING,
        "handlers": {
            "console": {**settings.LOGGING["handlers"]["console"], "formatter": "json"},
        },
    }
    root = logging.getLogger()
    before = root.handlers[:]
    try:
        use_django_logging()
        handler = root.handlers[0]
        assert isinstance(handler.formatter, JsonFormatter)
        assert any(isinstance(each, RequestIdFilter) for each in handler.filters)
    finally:
        root.handlers[:] = before
