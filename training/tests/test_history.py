"""A session that has taken place is corrected with a reason through the one history (core.history); a session
still to come is edited plainly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from training import services
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def _data(session, **overrides):
    data = {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "location": session.location,
        "online_url": "",
        "trainer": session.trainer_id or "",
        "external_trainer": session.external_trainer,
        "capacity": str(session.capacity),
        "enrolment_deadline": "",
    }
    data.update(overrides)
    return data


def test_a_session_to_come_is_edited_plainly(client_as, officer, session):
    response = client_as(officer).post(
        reverse("training:session_edit", args=[session.pk]), _data(session, location="Zaal 3")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.location == "Zaal 3" and not session.corrections.exists()


def test_a_session_that_took_place_is_corrected_with_a_reason(client_as, officer, past_session):
    url = reverse("training:session_edit", args=[past_session.pk])
    client = client_as(officer)
    response = client.post(url, _data(past_session, location="Zaal 3"))
    assert response.status_code == 200 and "Geef de reden voor de correctie." in response.content.decode()
    assert TrainingSession.objects.get(pk=past_session.pk).location == "Stadhuis, zaal 1"
    response = client.post(url, _data(past_session, location="Zaal 3", reason="Verplaatst op de dag zelf"))
    assert response.status_code == 302
    past_session.refresh_from_db()
    assert past_session.location == "Zaal 3"
    correction = past_session.corrections.get()
    assert correction.readable_changes() == [{"field": "locatie", "old": "Stadhuis, zaal 1", "new": "Zaal 3"}]
    assert correction.reason == "Verplaatst op de dag zelf" and correction.corrected_by == officer
    assert AuditEntry.objects.filter(action="training.session_corrected").exists()
    detail = client.get(reverse("training:session_detail", args=[past_session.pk])).content.decode()
    assert "Verplaatst op de dag zelf" in detail


def test_the_service_refuses_a_correction_without_reason(past_session):
    past_session.location = "Elders"
    with pytest.raises(ValidationError):
        services.session_save(session=past_session)
    assert TrainingSession.objects.get(pk=past_session.pk).location == "Stadhuis, zaal 1"
