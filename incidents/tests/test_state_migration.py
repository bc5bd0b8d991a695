"""Migration ``incidents.0007_derived_state`` on rows of the old shape: the stored status becomes the facts the state
is derived from (closed, no data leak, assessment started), and a timeline's status line written as text becomes
data read in the reader's language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from incidents.models import DataLeak, DataLeakEvent
from incidents.state import LeakState
from incidents.tests.factories import DataLeakFactory
from incidents.tests.migrating import latest, migrate

BEFORE = [("incidents", "0006_merge_history_and_letter")]


@pytest.mark.django_db(transaction=True)
def test_the_stored_status_becomes_the_facts_the_state_is_derived_from(team_a, officer):
    leaks = {status: DataLeakFactory(department=team_a) for status in ("reported", "assessment", "closed", "no_leak")}
    ended = timezone.now() - datetime.timedelta(days=2)
    assessed = timezone.now() - datetime.timedelta(days=5)
    try:
        old = migrate(BEFORE)
        old_leak = old.get_model("incidents", "DataLeak")
        old_event = old.get_model("incidents", "DataLeakEvent")
        for status, leak in leaks.items():
            old_leak.objects.filter(pk=leak.pk).update(
                status=status, closed_at=ended if status in ("closed", "no_leak") else None
            )
        old_event.objects.create(
            leak_id=leaks["assessment"].pk,
            actor_id=officer.pk,
            kind="status",
            text="Status: Gemeld → In beoordeling.",
            created_at=assessed,
        )
        old_event.objects.create(leak_id=leaks["closed"].pk, kind="status", text="Status: iets onleesbaars.")
    finally:
        migrate(latest())

    states = dict(DataLeak.objects.with_state().values_list("pk", "derived_state"))
    assert {status: states[leak.pk] for status, leak in leaks.items()} == {
        "reported": LeakState.REPORTED,
        "assessment": LeakState.ASSESSMENT,
        "closed": LeakState.CLOSED,
        "no_leak": LeakState.NO_LEAK,
    }
    reported, assessment, closed, no_leak = (DataLeak.objects.get(pk=leaks[s].pk) for s in leaks)
    assert reported.assessment_started_at is None and reported.closed_at is None
    assert assessment.assessment_started_at == assessed and assessment.closed_at is None
    assert closed.closed_at == ended and closed.no_leak_at is None and closed.assessment_started_at is not None
    assert no_leak.no_leak_at == ended and no_leak.closed_at is None
    # The status line became data; a line that cannot be read back stays text.
    readable = DataLeakEvent.objects.get(leak=assessment, kind="status")
    assert readable.data == {"message": "status", "old": "reported", "new": "assessment"}
    assert DataLeakEvent.objects.get(leak=closed, kind="status").data == {}
