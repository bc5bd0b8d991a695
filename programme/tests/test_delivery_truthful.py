"""Every copy recorded as what it is, with the real worker SIGKILLed at random moments several times in one run.

Real processes throughout: a redis-server of the test's own, beat and one Celery worker at a time sharing the test
database, and a real SMTP server (aiosmtpd) on loopback that is slow (it answers 250 only a while after taking a
message) or drops the connection after a message's data, before its answer. After each kill a new worker starts;
nobody else acts. At the end: nobody was lost, a duplicate occurred at most once per kill and only for a copy that
was handed over when a worker died (and it carries the same Message-ID), and the officer's panel counts exactly
what the server received.
"""

from __future__ import annotations

import os
import random
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import DepartmentFactory, OfficerFactory, OrganisationFactory
from core.tests.processes import beat as start_beat
from core.tests.processes import stop, wait_until
from core.tests.processes import worker as start_worker
from core.tests.servers import AiosmtpdSink
from programme import delivery
from programme.models import MailingRecipient, QuarterlyMailing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
RECIPIENTS = 150
KILLS = 3


def _mailing() -> tuple[QuarterlyMailing, User]:
    org = OrganisationFactory(slug="truthful")
    department = DepartmentFactory(organisation=org)
    password = make_password("x")
    User.objects.bulk_create(
        User(
            email=f"t{n}@voorbeeld.test", full_name=f"T {n}", organisation=org, department=department, password=password
        )
        for n in range(RECIPIENTS)
    )
    officer = User.objects.get(email="t0@voorbeeld.test")
    OfficerFactory(user=officer, kind="ciso")
    mailing = QuarterlyMailing.objects.create(organisation=org, year=2026, quarter=2, subject="Q2", body="Beste,")
    return mailing, officer


def _panel(mailing: QuarterlyMailing, officer: User, login) -> dict[str, int]:
    client = Client()
    login(client, officer)
    response = client.get(reverse("programme:mailing_preview", args=[mailing.year, mailing.quarter]))
    assert response.status_code == 200
    return response.context["progress"]


@pytest.mark.parametrize("drop_every", [0, 7], ids=["slow-server", "server-drops-during-data"])
def test_killed_workers_lose_nothing_and_the_panel_counts_what_the_server_received(
    mailing_env, tmp_path, drop_every, settings, login
):
    seed = int(os.environ.get("KILL_SEED", random.randrange(1_000_000)))
    rng = random.Random(seed)
    sink = AiosmtpdSink(delay=0.05, drop_every=drop_every)
    mailing, officer = _mailing()
    env = mailing_env(sink)
    settings.MAILING_STALE_CLAIM_SECONDS = 3
    beat = start_beat(env, tmp_path)
    worker = start_worker("w0", env, tmp_path)
    handed_over_at_kills: list[set[int]] = []
    try:
        delivery.mailing_start(mailing=mailing)
        for kill in range(KILLS):
            before = len(sink.addresses())
            wait_until(lambda before=before: len(sink.addresses()) >= before + 5, timeout=90)
            time.sleep(rng.uniform(0.0, 0.6))  # a random moment: mid-claim, mid-handover or waiting for the 250
            os.killpg(worker.pid, 9)
            worker.wait(timeout=10)
            handed = set(
                MailingRecipient.objects.filter(mailing=mailing, status="handed_over").values_list("user_id", flat=True)
            )
            # A run hands over one copy at a time: the dying run's one, and at most one left by each earlier kill
            # that no run has taken back yet (another queued run may start before those claims go stale).
            assert len(handed) <= kill + 1, f"seed {seed}: one copy at a time is handed over per run"
            handed_over_at_kills.append(handed)
            worker = start_worker(f"w{kill + 1}", env, tmp_path)
        assert MailingRecipient.objects.filter(mailing=mailing, status__in=["pending", "sending"]).exists(), (
            f"seed {seed}: the mailing finished before the last kill; slow the server down"
        )
        wait_until(
            lambda: not MailingRecipient.objects.filter(mailing=mailing, status__in=delivery.OPEN).exists(), timeout=240
        )
    finally:
        stop(worker)
        stop(beat)
        sink.close()
    messages = sink.messages()
    addresses = [address for address, _ in messages]
    expected = set(MailingRecipient.objects.filter(mailing=mailing).values_list("user__email", flat=True))
    assert len(expected) == RECIPIENTS
    assert expected - set(addresses) == set(), f"seed {seed}: copies lost"
    duplicates = {address for address in addresses if addresses.count(address) > 1}
    assert len(addresses) - len(set(addresses)) <= KILLS, f"seed {seed}: more than one repeat per kill"
    handed_emails = set(User.objects.filter(pk__in=set().union(*handed_over_at_kills)).values_list("email", flat=True))
    assert duplicates <= handed_emails, f"seed {seed}: a repeat of a copy that was not being handed over"
    for address in duplicates:
        assert len({message_id for a, message_id in messages if a == address}) == 1, "a repeat has the same Message-ID"
    if drop_every:
        assert sink.dropped > 0
    panel = _panel(mailing, officer, login)
    assert panel == {
        "total": RECIPIENTS,
        "sent": len(set(addresses)),
        "unknown": 0,
        "failed": 0,
        "pending": 0,
    }, f"seed {seed}"
    for row in MailingRecipient.objects.filter(mailing=mailing, user__email__in=duplicates):
        assert row.handovers >= 2
