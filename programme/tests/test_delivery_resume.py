"""A mailing whose worker died is taken up again within minutes, by beat or by the officer, nobody mailed twice."""

from __future__ import annotations

import datetime

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from programme import delivery, tasks
from programme.models import MailingRecipient, QuarterlyMailing

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def employees(org, department_a):
    return [UserFactory(organisation=org, department=department_a, email=f"r{i}@voorbeeld.test") for i in range(10)]


@pytest.fixture
def dead_run(org, employees):
    """A mailing whose worker was killed after four copies: the rest of its claim is left in "sending"."""
    mailing = QuarterlyMailing.objects.create(
        organisation=org, year=2026, quarter=3, subject="Q3", body="Beste collega,", started_at=LONG_AGO
    )
    for index, user in enumerate(employees):
        sent = index < 4
        MailingRecipient.objects.create(
            mailing=mailing,
            user=user,
            status="sent" if sent else "sending",
            claim="" if sent else "dead",
            claimed_at=LONG_AGO,
            sent_at=LONG_AGO if sent else None,
        )
    return mailing


def test_beat_resumes_a_mailing_whose_worker_died(dead_run, employees, mailoutbox, django_capture_on_commit_callbacks):
    assert delivery.mailing_stalled(dead_run)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_stalled_mailings() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in employees[4:])
    dead_run.refresh_from_db()
    assert dead_run.sent_at is not None
    assert not delivery.mailing_stalled(dead_run)
    assert tasks.resume_stalled_mailings() == 0


def test_a_live_run_is_not_taken_for_a_dead_one(dead_run):
    MailingRecipient.objects.filter(mailing=dead_run, status="sending").update(claimed_at=timezone.now())
    assert not delivery.mailing_stalled(dead_run)
    assert delivery.mailings_resume_stalled() == 0


def test_a_mailing_just_started_or_finished_is_not_stalled(org, employees):
    mailing = QuarterlyMailing.objects.create(
        organisation=org, year=2026, quarter=4, subject="Q4", body="x", started_at=timezone.now()
    )
    assert not delivery.mailing_stalled(mailing)
    mailing.started_at, mailing.sent_at = LONG_AGO, timezone.now()
    assert not delivery.mailing_stalled(mailing)


def test_a_slow_run_presumed_dead_never_sends_a_copy_another_run_took(org, employees, mailoutbox, monkeypatch):
    """Run A stalls on its first copy; its claim goes stale and run B sends the rest; A sends nothing more."""
    monkeypatch.setattr(delivery, "mailing_queue_run", lambda **kwargs: None)
    mailing = QuarterlyMailing.objects.create(organisation=org, year=2026, quarter=3, subject="Q3", body="x")
    delivery.mailing_start(mailing=mailing)
    original_send = EmailMultiAlternatives.send
    state = {"stalled": False}

    def send(message, *args, **kwargs):
        if not state["stalled"]:
            state["stalled"] = True
            # While A waits on the mail server, its claim ages past the stale window and B takes over.
            MailingRecipient.objects.filter(status="sending").update(claimed_at=LONG_AGO)
            assert delivery.mailing_deliver(mailing_id=mailing.pk) == 9
        return original_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    assert delivery.mailing_deliver(mailing_id=mailing.pk) == 1  # its first copy, then it stops
    addresses = [m.to[0] for m in mailoutbox]
    assert sorted(addresses) == sorted(u.email for u in employees)
    assert len(addresses) == len(set(addresses))


def test_the_officer_sees_a_stalled_mailing_and_resumes_it(
    client_as, officer, dead_run, employees, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(officer)
    args = [dead_run.year, dead_run.quarter]
    page = client.get(reverse("programme:mailing_preview", args=args))
    assert page.context["stalled"]
    content = page.content.decode()
    assert 'data-testid="mailing-stalled"' in content and reverse("programme:mailing_resume", args=args) in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programme:mailing_resume", args=args), follow=True)
    assert "6 exemplaren" in response.content.decode()
    assert len(mailoutbox) == 6
    page = client.get(reverse("programme:mailing_preview", args=args))
    assert not page.context["stalled"] and 'data-testid="mailing-stalled"' not in page.content.decode()


def test_only_officers_resume(client, client_as, staff_b, ambassador_a, manager_a, dead_run, mailoutbox):
    url = reverse("programme:mailing_resume", args=[dead_run.year, dead_run.quarter])
    assert client.post(url).status_code == 302  # anonymous: to the sign-in page
    for user in (staff_b, ambassador_a, manager_a):
        assert client_as(user).post(url).status_code == 403
    assert client_as(ambassador_a).get(url).status_code in (403, 405)
    assert mailoutbox == []


def test_another_organisations_mailing_cannot_be_resumed(client_as, outsider, dead_run, mailoutbox):
    url = reverse("programme:mailing_resume", args=[dead_run.year, dead_run.quarter])
    assert client_as(outsider).post(url).status_code in (403, 404)
    assert mailoutbox == []
