"""The corrections kept in the three old stores (ambassadors.Correction, programme.KpiMeasurementCorrection and the
data-leak timeline's correction entries) arrive in the one history, each one, with who, when and why."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory
from core.models import Correction
from incidents.models import DataLeakEvent
from incidents.tests.migrating import latest, migrate
from programme.models import KpiMeasurement
from programme.tests.factories import GoalFactory, KpiFactory

BEFORE = [
    ("core", "0004_calendar_feed_token"),
    ("ambassadors", "0008_list_order_indexes"),
    ("programme", "0007_corrections_and_hour_budget"),
    ("incidents", "0004_list_order_indexes"),
]


@pytest.mark.django_db(transaction=True)
def test_every_old_correction_arrives_in_the_one_history(org, officer, ambassador_a, department_a, leak_a):
    appointment = AppointmentFactory(organisation=org, user=ambassador_a)
    activity = ActivityFactory(organisation=org, user=ambassador_a, department=department_a)
    feedback = FeedbackFactory(organisation=org, department=department_a)
    kpi = KpiFactory(goal=GoalFactory(organisation=org))
    measurement = KpiMeasurement.objects.create(
        kpi=kpi, value=Decimal("26"), measured_on=kpi.period_start, source="enquête"
    )
    moment = timezone.now() - datetime.timedelta(days=3)
    try:
        old = migrate(BEFORE)
        old_correction = old.get_model("ambassadors", "Correction")
        for link, record in (("appointment", appointment), ("activity", activity), ("feedback", feedback)):
            row = old_correction.objects.create(
                organisation_id=org.pk,
                changes=[{"field": "uren", "old": "3.0", "new": "1.5"}],
                reason=f"Reden voor {link}",
                corrected_by_id=officer.pk,
                **{f"{link}_id": record.pk},
            )
            old_correction.objects.filter(pk=row.pk).update(created_at=moment)
        old_measurement_correction = old.get_model("programme", "KpiMeasurementCorrection")
        first = old_measurement_correction.objects.create(
            measurement_id=measurement.pk,
            previous_value=Decimal("62"),
            previous_measured_on=kpi.period_start,
            previous_source="enquête",
            reason="Tikfout: 62 in plaats van 26",
            corrected_by_id=officer.pk,
        )
        old_measurement_correction.objects.filter(pk=first.pk).update(corrected_at=moment)
        old_event = old.get_model("incidents", "DataLeakEvent")
        old_event.objects.create(
            leak_id=leak_a.pk,
            actor_id=officer.pk,
            kind="correction",
            text="Melding aan de AP gecorrigeerd: M-TYPO → M-2026-1. Reden: Tikfout in het meldnummer",
            created_at=moment,
        )
        old_event.objects.create(leak_id=leak_a.pk, kind="note", text="Gebeld met de ontvanger.")
    finally:
        migrate(latest())

    assert Correction.objects.count() == 5
    for record, reason in ((appointment, "Reden voor appointment"), (activity, "Reden voor activity")):
        correction = record.corrections.get()
        assert correction.reason == reason and correction.corrected_by == officer
        assert correction.changes == [{"field": "uren", "old": "3.0", "new": "1.5"}]
        assert correction.corrected_at == moment and correction.organisation_id == org.pk
    assert feedback.corrections.get().reason == "Reden voor feedback"

    kept = measurement.corrections.get()
    assert kept.reason == "Tikfout: 62 in plaats van 26" and kept.corrected_at == moment
    assert kept.changes == [{"field": "waarde", "old": "62.00", "new": "26.00"}]
    assert kept.organisation_id == org.pk

    leak_correction = leak_a.corrections.get()
    assert leak_correction.description == "Melding aan de AP gecorrigeerd: M-TYPO → M-2026-1."
    assert leak_correction.reason == "Tikfout in het meldnummer"
    assert leak_correction.corrected_by == officer and leak_correction.corrected_at == moment
    # The correction left the timeline; the other entries stay.
    assert list(leak_a.events.values_list("kind", flat=True)) == [DataLeakEvent.Kind.NOTE]
