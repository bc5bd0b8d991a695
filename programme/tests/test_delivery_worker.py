"""The quarterly mailing through a real Celery worker and a real Redis broker (run in CI).

The worker is a separate process sharing the test database, so these tests
need PostgreSQL and Redis; without them they skip (and in CI a skip fails).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from email import message_from_string
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from programme import delivery
from programme.models import MailingRecipient, QuarterlyMailing
from programme.tasks import deliver_mailing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_broker():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process shares the test database")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL")
    from config.celery import app

    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True


def _worker(tmp_path: Path, mail_dir: Path, name: str = "worker") -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_URL": f"filemail:///{mail_dir}",  # django-environ drops one leading slash
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "MAILING_STALE_CLAIM_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "warning", "-Q", "celery"]
        + ["-n", f"{name}@%h"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / f"{name}.log").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _delivered_addresses(mail_dir: Path) -> list[str]:
    addresses = []
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                addresses.append(message_from_string(chunk.strip())["To"])
    return addresses


def _wait(predicate, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError("timed out")


def _make_mailing(recipients: int) -> QuarterlyMailing:
    org = OrganisationFactory(slug="worker-test")
    department = DepartmentFactory(organisation=org)
    for index in range(recipients):
        UserFactory(organisation=org, department=department, email=f"w{index}@voorbeeld.test", password="x")
    return QuarterlyMailing.objects.create(organisation=org, year=2026, quarter=1, subject="Q1", body="Beste collega,")


def test_a_mailing_run_twice_reaches_everyone_exactly_once(real_broker, tmp_path):
    mail_dir = tmp_path / "mail"
    mailing = _make_mailing(60)
    worker = _worker(tmp_path, mail_dir)
    try:
        delivery.mailing_start(mailing=mailing)
        deliver_mailing.apply_async(kwargs={"mailing_id": mailing.pk})  # the same work queued twice
        deliver_mailing.apply_async(kwargs={"mailing_id": mailing.pk})
        _wait(lambda: MailingRecipient.objects.filter(mailing=mailing, status="sent").count() == 60)
        time.sleep(1)  # let the duplicate runs finish: they must find nothing to send
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    addresses = _delivered_addresses(mail_dir)
    assert len(addresses) == 60 and len(set(addresses)) == 60


def test_two_workers_share_one_mailing_without_a_duplicate(real_broker, tmp_path, settings):
    """mailing_start queues MAILING_DELIVERY_RUNS runs: with two workers, both send part of it, nobody twice."""
    settings.MAILING_DELIVERY_RUNS = 2
    mail_dirs = [tmp_path / "mail-a", tmp_path / "mail-b"]
    mailing = _make_mailing(600)
    workers = [_worker(tmp_path, mail_dir, name) for mail_dir, name in zip(mail_dirs, ["a", "b"], strict=True)]
    try:
        _wait(lambda: len(real_broker.control.ping(timeout=1) or []) >= 2)
        delivery.mailing_start(mailing=mailing)
        _wait(lambda: QuarterlyMailing.objects.filter(pk=mailing.pk, sent_at__isnull=False).exists(), timeout=120)
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    per_worker = [_delivered_addresses(mail_dir) for mail_dir in mail_dirs]
    assert all(per_worker), f"one worker sent nothing: {[len(sent) for sent in per_worker]}"
    addresses = per_worker[0] + per_worker[1]
    assert len(addresses) == 600 and len(set(addresses)) == 600
    assert MailingRecipient.objects.filter(mailing=mailing, status="sent").count() == 600


def test_a_worker_killed_mid_batch_and_restarted_mails_nobody_twice(real_broker, tmp_path):
    mail_dir = tmp_path / "mail"
    mailing = _make_mailing(1500)
    worker = _worker(tmp_path, mail_dir)
    try:
        delivery.mailing_start(mailing=mailing)
        _wait(lambda: MailingRecipient.objects.filter(mailing=mailing, status="sent").count() >= 100)
        os.killpg(worker.pid, signal.SIGKILL)  # mid-batch, without acknowledging the task
        worker.wait(timeout=30)
        killed_at = MailingRecipient.objects.filter(mailing=mailing, status="sent").count()
        assert killed_at < 1500, "the worker finished before it could be killed; raise the recipient count"
        worker = _worker(tmp_path, mail_dir)
        # The broker hands the unacknowledged task to the new worker; it resumes with what is left.
        _wait(lambda: MailingRecipient.objects.filter(mailing=mailing, status="sent").count() == 1500, timeout=120)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    addresses = _delivered_addresses(mail_dir)
    # The copy being handed over at the kill is sent again: nobody is lost, at most that one arrives twice.
    assert len(addresses) - len(set(addresses)) <= 1, "more than one repeat for one kill"
    assert len(set(addresses)) == 1500
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
