"""The derived state: the Python rules (``state.derive``) and the database's (``state.annotate``) agree on every
combination of facts, and the transitions' guards follow the rules."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from incidents import state
from incidents.models import APDecision, APNotification, DataLeak, SubjectNotification
from incidents.state import APStatus, LeakState
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = {
    "none": [],
    "provisional": [("initial", False)],
    "complete": [("initial", True)],
    "completed_later": [("initial", False), ("follow_up", True)],
    "withdrawn": [("initial", False), ("withdrawal", False)],
}


def test_the_database_and_python_derive_the_same_state_from_every_combination_of_facts(team_a):
    now = timezone.now()
    made = []
    for ended, started, decision, notifications, informed in itertools.product(
        ["open", "closed", "no_leak"], [False, True], list(APDecision.values), NOTIFICATIONS, [False, True]
    ):
        leak = DataLeakFactory(
            department=team_a,
            ap_decision=decision,
            assessment_started_at=now if started else None,
            closed_at=now if ended == "closed" else None,
            no_leak_at=now if ended == "no_leak" else None,
        )
        for kind, complete in NOTIFICATIONS[notifications]:
            APNotification.objects.create(leak=leak, kind=kind, complete=complete, notified_at=now, ap_reference="X")
        if informed:
            SubjectNotification.objects.create(leak=leak, channel="letter", informed_on=now.date(), number_informed=1)
        made.append(leak.pk)
    listed = {leak.pk: leak for leak in DataLeak.objects.filter(pk__in=made).with_state()}
    assert len(listed) == len(made) == 180
    for pk in made:
        one = state.derive(state.facts_of(DataLeak.objects.get(pk=pk)))
        assert state.derived_of(listed[pk]) == one, pk


def _leak(team_a, **facts) -> DataLeak:
    return DataLeakFactory(department=team_a, **facts)


def test_the_clock_stops_at_a_provisional_notification_and_informing_the_subjects_does_not_restart_it(team_a):
    leak = _leak(team_a)
    assert leak.clock_running and leak.state == LeakState.REPORTED
    APNotification.objects.create(leak=leak, kind="initial", notified_at=timezone.now(), ap_reference="X")
    SubjectNotification.objects.create(leak=leak, channel="letter", informed_on=timezone.localdate(), number_informed=3)
    leak = DataLeak.objects.get(pk=leak.pk)
    assert leak.state == LeakState.SUBJECTS_INFORMED and leak.ap_status == APStatus.PROVISIONAL
    assert not leak.clock_running


def test_a_withdrawal_or_a_corrected_decision_lets_the_clock_run_again(team_a):
    withdrawn = _leak(team_a)
    for kind in ("initial", "withdrawal"):
        APNotification.objects.create(leak=withdrawn, kind=kind, notified_at=timezone.now(), ap_reference="X")
    assert DataLeak.objects.get(pk=withdrawn.pk).clock_running
    decided = _leak(team_a, ap_decision=APDecision.NO_NOTIFY)
    assert not decided.clock_running
    DataLeak.objects.filter(pk=decided.pk).update(ap_decision=APDecision.NOTIFY)
    assert DataLeak.objects.get(pk=decided.pk).clock_running


def test_no_data_leak_after_a_notification_needs_the_withdrawal(team_a):
    leak = _leak(team_a, assessment_started_at=timezone.now())
    APNotification.objects.create(leak=leak, kind="initial", notified_at=timezone.now(), ap_reference="X")
    leak = DataLeak.objects.get(pk=leak.pk)
    assert not state.allowed(leak, "no_leak") and state.allowed(leak, "withdraw")
    APNotification.objects.create(
        leak=leak, kind="withdrawal", notified_at=timezone.now() + datetime.timedelta(hours=1), ap_reference="X"
    )
    leak = DataLeak.objects.get(pk=leak.pk)
    assert state.allowed(leak, "no_leak") and not state.allowed(leak, "notify_ap")


def test_open_agrees_with_the_derived_state(team_a):
    now = timezone.now()
    leaks = [_leak(team_a), _leak(team_a, closed_at=now), _leak(team_a, no_leak_at=now)]
    open_ids = set(DataLeak.objects.open().values_list("pk", flat=True))
    assert {leak.pk for leak in leaks if not DataLeak.objects.get(pk=leak.pk).is_final} == open_ids
