"""Every fact an officer records about a data leak can be corrected with a reason: here, whether a notification
to the AP was provisional or complete (the date, reference and data-subject corrections are in test_filing)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import services

pytestmark = pytest.mark.django_db


def _post(client, leak, notification, **data):
    url = reverse("incidents:ap_notification_correct", args=[leak.pk, notification.pk])
    moment = timezone.localtime(notification.notified_at).strftime("%Y-%m-%dT%H:%M")
    return client.post(url, {"notified_at": moment, "ap_reference": notification.ap_reference, **data})


def test_a_provisional_notification_is_not_made_complete_while_answers_are_missing(client_as, privacy_officer, leak_a):
    notification = services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M-1"
    )
    response = _post(client_as(privacy_officer), leak_a, notification, complete="on", reason="Alles aangevuld")
    assert response.status_code == 400
    assert "kan niet als volledig worden vastgelegd" in response.content.decode()
    notification.refresh_from_db()
    assert not notification.complete


def test_a_complete_notification_is_corrected_to_provisional_with_a_reason(client_as, privacy_officer, leak_a):
    notification = services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M-2"
    )
    notification.complete = True
    notification.save()
    client = client_as(privacy_officer)
    page = client.get(reverse("incidents:ap_notification_correct", args=[leak_a.pk, notification.pk]))
    assert 'name="complete"' in page.content.decode()
    response = _post(client, leak_a, notification, reason="Nog niet alles was gemeld")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert not notification.complete
    correction = notification.corrections.get()
    assert "Nog niet alles was gemeld" in correction.reason
    # Complete -> provisional: the "complete" answer went from yes to no.
    assert [(change["old"], change["new"]) for change in correction.changes] == [("ja", "nee")]


def test_the_report_shows_its_corrections_to_the_privacy_officer(client_as, privacy_officer, staff_a, leak_a):
    notification = services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M-TYPO"
    )
    services.dataleak_correct_ap_notification(
        notification=notification,
        actor=privacy_officer,
        notified_at=notification.notified_at,
        ap_reference="M-3",
        reason="Tikfout in het meldnummer",
    )
    page = client_as(privacy_officer).get(reverse("incidents:detail", args=[leak_a.pk])).content.decode()
    assert 'data-testid="corrections"' in page and "M-TYPO → M-3" in page and "Tikfout in het meldnummer" in page
    # The reporter sees the status of their report, not the officer's corrections.
    own = client_as(staff_a).get(reverse("incidents:detail", args=[leak_a.pk])).content.decode()
    assert "Tikfout in het meldnummer" not in own
