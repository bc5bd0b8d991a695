"""A worker killed (SIGKILL) mid-chunk: the rest of the mailing goes out within minutes, nobody acting, nobody lost.

Real processes throughout: a redis-server of the test's own as the broker and cache, two Celery workers and
beat sharing the test database, and a slow SMTP sink on 127.0.0.1. The broker's visibility timeout stays at
an hour, so what resumes the mailing is the stale-claim check run by beat, not Redis re-delivering the task.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.contrib.auth.hashers import make_password

from accounts.models import User
from accounts.tests.factories import DepartmentFactory, OrganisationFactory
from core.tests.processes import beat, stop, wait_until, worker
from core.tests.servers import SlowSmtpSink
from programme import delivery
from programme.models import MailingRecipient, QuarterlyMailing

RECIPIENTS = 300
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sink():
    server = SlowSmtpSink(delay=0.04)
    yield server
    server.close()


def test_a_worker_killed_mid_chunk_leaves_nobody_unmailed_and_nobody_mailed_twice(mailing_env, sink, tmp_path):
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
    env = mailing_env(sink)
    first = worker("first", env, tmp_path)
    processes = [first]
    try:
        delivery.mailing_start(mailing=mailing)
        wait_until(lambda: len(sink.addresses()) >= 16, timeout=60)
        # A second worker and beat are running, as in production; nobody starts anything after the kill.
        processes.append(worker("second", env, tmp_path))
        processes.append(beat(env, tmp_path))
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
        wait_until(
            lambda: not MailingRecipient.objects.filter(mailing=mailing, status__in=delivery.OPEN).exists(),
            timeout=180,
        )
        resumed_within = time.monotonic() - started
    finally:
        for process in processes:
            stop(process)
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
