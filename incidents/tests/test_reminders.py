"""Time travel through the 72 hours of a data leak: each milestone mailed once, the CISO from 60 hours."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from incidents.reminders import send_deadline_reminders
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def leak(department_a):
    with freeze_time(START):
        return DataLeakFactory(department=department_a, aware_at=timezone.now())


def at(hours: float) -> int:
    with freeze_time(START + datetime.timedelta(hours=hours)):
        return send_deadline_reminders()


def test_the_milestones_follow_the_clock(leak, privacy_officer, officer, mailoutbox):
    assert at(23.9) == 0
    assert at(24) == 1 and mailoutbox[-1].to == [privacy_officer.email]
    assert "24 uur" in mailoutbox[-1].subject
    assert at(30) == 0  # the same milestone is never mailed twice
    assert at(48.5) == 1
    assert at(60) == 2  # escalated: the CISO is told too
    assert {m.to[0] for m in mailoutbox[-2:]} == {privacy_officer.email, officer.email}
    assert at(72) == 2
    assert "Termijn verstreken" in mailoutbox[-1].subject
    assert at(80) == 0


def test_a_late_first_run_sends_only_the_latest_milestone(leak, privacy_officer, mailoutbox):
    assert at(50) == 1
    assert "48 uur" in mailoutbox[0].subject


def test_a_notified_or_no_leak_report_gets_no_reminders(leak, privacy_officer, mailoutbox):
    from incidents.models import DataLeak

    DataLeak.objects.filter(pk=leak.pk).update(no_leak_at=timezone.now())
    assert at(30) == 0


def test_other_organisations_officers_are_not_mailed(leak, outsider, mailoutbox):
    assert at(61) == 0  # the outsider is a CISO, of another municipality


def test_every_view_of_a_report_is_in_the_hash_chained_audit_trail(client_as, privacy_officer, leak):
    from django.urls import reverse

    from core.audit import verify_chain
    from core.models import AuditEntry

    client_as(privacy_officer).get(reverse("incidents:detail", args=[leak.pk]), REMOTE_ADDR="10.9.8.7")
    entry = AuditEntry.objects.filter(object_type="incidents.dataleak", object_id=str(leak.pk)).latest("pk")
    assert entry.actor_id == privacy_officer.pk and entry.origin == "10.9.8.7"
    assert entry.action.startswith("dataleak_")
    assert leak.description not in entry.detail
    assert verify_chain() == []
