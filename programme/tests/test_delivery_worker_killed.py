"""A worker killed (SIGKILL) mid-chunk: the rest of the mailing goes out within minutes, nobody acting, nobody lost.

Real processes throughout: a redis-server of the test's own as the broker and cache, two Celery workers and
beat sharing the test database, and a slow SMTP sink on 127.0.0.1. The broker's visibility timeout stays at
an hour, so what resumes the mailing is the stale-claim check run by beat, not Redis re-delivering the task.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import User
from accounts.tests.factories import DepartmentFactory, OrganisationFactory
from core import outbox
from core.tests.servers import RedisServer, SlowSmtpSink, free_port
from programme import delivery
from programme.models import MailingRecipient, QuarterlyMailing

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 300
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the workers share the test database")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    server = RedisServer(free_port(), tmp_path).start()
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options)
    app.conf.broker_url = server.url
    app.conf.broker_transport_options = {"socket_connect_timeout": 2, "visibility_timeout": 3600}
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    outbox.broker_back()
    yield server
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = saved
    app._pool = None
    app.amqp._producer_pool = None
    server.stop()


@pytest.fixture
def sink():
    server = SlowSmtpSink(delay=0.04)
    yield server
    server.close()


def _env(broker: RedisServer, sink: SlowSmtpSink) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": broker.url,
        "REDIS_CACHE_URL": broker.url.rsplit("/", 1)[0] + "/1",
        "EMAIL_URL": sink.url,
        "CELERY_VISIBILITY_TIMEOUT": "3600",
        "MAILING_STALE_CLAIM_SECONDS": "3",
        "MAILING_RESUME_SECONDS": "1",
    }


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _worker(name: str, env: dict[str, str], tmp_path: Path) -> subprocess.Popen:
    return _start(
        ["worker", "--pool=solo", "-l", "info", "-Q", "celery", "-n", f"{name}@%h"], env, tmp_path / f"{name}.log"
    )


def _wait(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_a_worker_killed_mid_chunk_leaves_nobody_unmailed_and_nobody_mailed_twice(broker, sink, tmp_path):
    org = OrganisationFactory(slug="killed-worker")
    department = DepartmentFactory(organisation=org)
    password = make_password("x")
    User.objects.bulk_create(
        User(
            email=f"k{n}@voorbeeld.test", full_name=f"K {n}", organisation=org, department=department, password=password
        )
        for n in range(RECIPIENTS)
    )
    mailing = QuarterlyMailing.objects.create(organisation=org, year=2026, quarter=1, subject="Q1", body="Beste,")
    env = _env(broker, sink)
    first = _worker("first", env, tmp_path)
    processes = [first]
    try:
        delivery.mailing_start(mailing=mailing)
        _wait(lambda: len(sink.addresses()) >= 16, timeout=60)
        # A second worker and beat are running, as in production; nobody starts anything after the kill.
        processes.append(_worker("second", env, tmp_path))
        processes.append(
            _start(
                [
                    "beat",
                    "-l",
                    "info",
                    "--scheduler",
                    "celery.beat:PersistentScheduler",
                    "-s",
                    str(tmp_path / "beat-schedule"),
                    "--pidfile=",
                ],
                env,
                tmp_path / "beat.log",
            )
        )
        time.sleep(2)  # let them connect
        os.killpg(first.pid, signal.SIGKILL)  # mid-chunk, the task unacknowledged
        first.wait(timeout=10)
        killed_at = len(sink.addresses())
        left = MailingRecipient.objects.filter(mailing=mailing, status__in=delivery.OPEN).count()
        assert left > 0 and killed_at < RECIPIENTS, "the worker finished before it was killed; slow the sink down"
        assert MailingRecipient.objects.filter(mailing=mailing, status__in=["sending", "handed_over"]).exists(), (
            "killed mid-chunk"
        )
        started = time.monotonic()
        _wait(
            lambda: not MailingRecipient.objects.filter(mailing=mailing, status__in=delivery.OPEN).exists(),
            timeout=180,
        )
        resumed_within = time.monotonic() - started
    finally:
        for process in processes:
            _stop(process)
    addresses = sink.addresses()
    # One worker was killed: the copy it was handing over is sent again, so at most that one arrives twice.
    assert len(addresses) - len(set(addresses)) <= 1, "more than one repeat for one kill"
    expected = {f"k{n}@voorbeeld.test" for n in range(RECIPIENTS)}
    assert expected - set(addresses) == set(), "nobody is lost"
    assert MailingRecipient.objects.filter(mailing=mailing, status="sent").count() == RECIPIENTS
    mailing.refresh_from_db()
    assert mailing.sent_at is not None
    assert resumed_within < 120, "resumed within a few minutes"
    assert "stalled" in (tmp_path / "second.log").read_text() + (tmp_path / "first.log").read_text()
