"""Every fact an officer records about a data leak can be corrected with a reason: here, whether a notification
to the AP was provisional or complete (the date, reference and data-subject corrections are in test_filing)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import DataLeakEvent

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
    correction = leak_a.events.get(kind=DataLeakEvent.Kind.CORRECTION)
    assert "Nog niet alles was gemeld" in correction.text
    assert "voorlopig" in correction.text.lower()
