"""A data leak handed over while the broker is down: saved, answered with its reference, alerts sent later, once.

The suite starts a redis-server of its own (never the shared one), stops it
for the hand-over and starts it again; the sweep then publishes the follow-up
work to it, and this test plays the worker by taking the messages off the queue.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from api.models import Scope
from api.tests.test_writes import HANDOVER, _handover
from core import outbox
from core.models import OutboxMessage
from incidents.models import DataLeak

PORT = 6400
REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")


def _start() -> subprocess.Popen:
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def broker():
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options)
    server = {"process": _start()}
    app.conf.broker_url = f"redis://127.0.0.1:{PORT}/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 2}
    app.conf.task_always_eager = False
    app._pool = None
    outbox.broker_back()
    yield app, server
    if server["process"].poll() is None:
        _stop(server["process"])
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = saved
    app._pool = None
    app.amqp._producer_pool = None
    outbox.broker_back()


def _work_off_the_queue(app) -> int:
    """What a worker does: take each message off the queue and run its task."""
    done = 0
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        try:
            while True:
                try:
                    message = queue.get(timeout=1)
                except queue.Empty:
                    break
                args, kwargs, _embed = message.payload
                app.tasks[message.headers["task"]].apply(args=args, kwargs=kwargs)
                message.ack()
                done += 1
        finally:
            queue.close()
    return done


@pytest.mark.django_db
def test_a_handover_with_the_broker_down_is_saved_answered_and_sent_later_once(
    broker, org, make_token, api, staff_a, department_a, privacy_officer, mailoutbox, django_capture_on_commit_callbacks
):
    app, server = broker
    writer = api(make_token(org, [Scope.DATALEAKS_WRITE])[1])
    _stop(server["process"])

    started = time.monotonic()
    payload = _handover(department_a)  # a retry sends the same body
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(HANDOVER, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TEL-77")
    assert response.status_code == 201
    assert time.monotonic() - started < 5, "the answer must not wait on the broker"
    leak = DataLeak.objects.get()
    assert response.json()["reference"] == leak.reference
    assert mailoutbox == []
    pending = OutboxMessage.objects.filter(done_at__isnull=True)
    # The first dispatch failed fast; the next one was not even tried (the broker is presumed down for a while).
    assert pending.count() == 2 and not pending.filter(dispatched_at__isnull=False).exists()
    assert pending.exclude(last_error="").exists()

    # The broker is back: the sweep publishes the follow-up work, a worker sends it.
    server["process"] = _start()
    app._pool = None
    assert outbox.sweep() == 2
    assert _work_off_the_queue(app) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([staff_a.email, privacy_officer.email])
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()

    # Another sweep and a retried call change nothing: every mail went exactly once.
    assert outbox.sweep() == 0
    again = writer.post(HANDOVER, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="TEL-77")
    assert again.status_code == 200 and DataLeak.objects.count() == 1
    assert _work_off_the_queue(app) == 0
    assert len(mailoutbox) == 2
