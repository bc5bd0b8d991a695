"""With the broker unreachable, a data-leak report is still saved and confirmed; the alerts follow later."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from core import outbox
from core.models import OutboxMessage
from e2e.conftest import PHONE, assert_accessible
from e2e.test_incidents_report import _fill_report
from incidents.models import DataLeak


@pytest.fixture
def dead_broker():
    """Point Celery at a closed port, as if Redis were down; put everything back afterwards."""
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    app._pool = None
    yield app
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


def test_a_report_with_the_broker_down_is_saved_confirmed_and_sent_later(
    signed_in, site, staff_a, privacy_officer, ambassador_a, mailoutbox, dead_broker
):
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/datalekken/melden/")
    _fill_report(page)
    started = time.monotonic()
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    assert time.monotonic() - started < 2.0, "the confirmation must not wait for the broker"
    leak = DataLeak.objects.get()
    expect(page.get_by_test_id("reference")).to_have_text(leak.reference)
    assert_accessible(page, context="confirmation with the broker down")
    assert mailoutbox == []
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 3

    # The broker is back: the periodic sweep sends every alert, once.
    dead_broker.conf.task_always_eager = True
    outbox.sweep()
    outbox.sweep()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([staff_a.email, privacy_officer.email, ambassador_a.email])
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
