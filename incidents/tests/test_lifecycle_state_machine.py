"""The data-leak lifecycle as a Hypothesis state machine: random sequences of what a reporter, a handler, the API,
the beat jobs and time can do, driven through the services (not the views), with the rules checked after every step.

The machine keeps its own model of the rules (``Expected``), written from the rules and never from
``incidents.state``, and compares the application with it: the countdown, the reminders, the register, the queue,
the detail page's state and the API, the timeline, what the handler recorded, and the idempotency keys.

Each example runs inside a savepoint that is rolled back afterwards, so examples never see each other's rows.
Before ``incidents.state`` existed this machine found the badge defect in seconds: report, inform the data
subjects, record a provisional notification, and the clock ran again.
"""

from __future__ import annotations

import datetime
from collections import Counter
from functools import partial
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule, run_state_machine_as_test
from rest_framework.exceptions import ValidationError as ApiValidationError

from api import selectors as api_selectors
from api import services as api_services
from api.problems import Problem
from api.serializers import RegisterEntrySerializer
from incidents import services
from incidents.models import MILESTONE_HOURS, APDecision, APNotification, DataLeak, SubjectNotification
from incidents.reminders import send_deadline_reminders
from incidents.selectors import register_queryset

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
# The transitions' timeline entries (incidents.timeline): each successful transition writes exactly one.
TRANSITION_MESSAGES = ("started", "ap_notification", "subjects_informed", "closed", "no_leak", "reopened")


class Expected:
    """What the rules say about one report, kept from what the machine did (never read from incidents.state)."""

    def __init__(self) -> None:
        self.started = False
        self.notified = False  # a first notification to the AP, provisional or complete
        self.withdrawn = False
        self.ap_decision = APDecision.PENDING
        self.subjects_decided = False
        self.final = False
        self.ap_notifications = 0
        self.subject_notifications = 0
        self.transitions: Counter = Counter()

    @property
    def notified_not_withdrawn(self) -> bool:
        return self.notified and not self.withdrawn

    @property
    def clock_running(self) -> bool:
        return not self.final and not self.notified_not_withdrawn and self.ap_decision != APDecision.NO_NOTIFY


class Lifecycle(RuleBasedStateMachine):
    people: dict = {}
    leaks = Bundle("leaks")

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.now = START
        self.expected: dict[int, Expected] = {}
        self.keys: dict[str, tuple[int, int]] = {}  # API key -> (body variant, report id)
        organisation = self.people["officer"].organisation
        organisation.dataleak_retention_days = 1
        organisation.save(update_fields=["dataleak_retention_days"])

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def at_now(self):
        # Every service reads the moment through django.utils.timezone.now; patching it is much faster than
        # freezegun, which walks every loaded module on each start.
        return mock.patch("django.utils.timezone.now", return_value=self.now)

    def act(self, expected: Expected, allowed: bool, call, *, may_refuse: bool = False) -> bool:
        """Run a service call at the machine's moment; it succeeds exactly when the rules allow it (or, with
        ``may_refuse``, a data rule of its own may refuse it). Returns whether it succeeded."""
        with self.at_now():
            try:
                call()
            except ValidationError:
                assert not allowed or may_refuse
                return False
        assert allowed, "a step the rules forbid was taken"
        return True

    def leak(self, leak: DataLeak) -> DataLeak:
        return DataLeak.objects.get(pk=leak.pk)

    # --- the reporter and the API -------------------------------------------------------------------------------
    def _intake(self, hours_before: int, variant: int = 0) -> dict:
        return {
            "category": "email_wrong_recipient",
            "description": ["Mail naar de verkeerde ontvanger.", "Laptop verloren in de trein."][variant],
            "occurred_at": self.now - datetime.timedelta(hours=hours_before + 1),
            "discovered_at": self.now - datetime.timedelta(hours=hours_before),
            "department": self.people["team"],
            "data_kinds": ["name_address"],
        }

    @rule(target=leaks, hours_before=st.integers(min_value=0, max_value=30))
    def report(self, hours_before):
        with self.at_now():
            leak, created = services.dataleak_report(reporter=self.people["reporter"], data=self._intake(hours_before))
        assert created
        self.expected[leak.pk] = Expected()
        return leak

    @rule(target=leaks, key=st.sampled_from(["TOP-1", "TOP-2"]), variant=st.sampled_from([0, 1]))
    def api_handover(self, key, variant):
        reporter, team = self.people["reporter"], self.people["team"]
        # The API's body: the same body for the same key and variant, whenever it is sent.
        payload = {
            "reporter_email": reporter.email,
            "category": "email_wrong_recipient",
            "description": ["Beschikking naar het verkeerde adres.", "Brief naar een oud adres."][variant],
            "occurred_at": (START - datetime.timedelta(hours=2)).isoformat(),
            "discovered_at": (START - datetime.timedelta(hours=1)).isoformat(),
            "department": team.pk,
        }
        with self.at_now():
            try:
                leak, created = api_services.dataleak_handover(
                    organisation_id=reporter.organisation_id, key=key, payload=payload
                )
            except Problem as problem:
                # Only another body under a key already used is refused; nothing is stored then.
                assert key in self.keys and self.keys[key][0] != variant, problem.detail
                return multiple()
            except ApiValidationError:  # pragma: no cover - the body is always of the documented form
                raise
        if key in self.keys:
            assert not created and self.keys[key] == (variant, leak.pk)
            return multiple()
        assert created
        self.keys[key] = (variant, leak.pk)
        self.expected[leak.pk] = Expected()
        return leak

    @rule(leak=leaks)
    def add_information(self, leak):
        with self.at_now():
            services.dataleak_add_information(leak=self.leak(leak), actor=self.people["reporter"], text="Nog iets.")

    # --- the handler --------------------------------------------------------------------------------------------
    @rule(leak=leaks)
    def start_assessment(self, leak):
        expected = self.expected[leak.pk]
        # Only a report nobody has looked at yet: not started, not notified, nobody informed.
        allowed = not (
            expected.final or expected.started or expected.notified_not_withdrawn or expected.subject_notifications
        )
        if self.act(
            expected,
            allowed,
            partial(services.dataleak_start_assessment, leak=self.leak(leak), actor=self.people["officer"]),
        ):
            expected.started = True
            expected.transitions["started"] += 1

    @rule(
        leak=leaks,
        ap=st.sampled_from([APDecision.NOTIFY, APDecision.NO_NOTIFY, APDecision.PENDING]),
        subjects=st.sampled_from(["", "inform", "no_inform"]),
    )
    def decide(self, leak, ap, subjects):
        expected = self.expected[leak.pk]
        current = self.leak(leak)
        data = {"ap_decision": ap, "ap_decision_reason": "Afgewogen.", "subjects_decision": subjects}
        changed = (current.ap_decision, current.subjects_decision, current.ap_decision_reason) != (
            ap,
            subjects,
            "Afgewogen.",
        )
        call = partial(
            services.dataleak_assess,
            leak=current,
            actor=self.people["officer"],
            data=data,
            reason="Herzien met nieuwe feiten.",
        )
        if self.act(expected, not expected.final, call):
            expected.ap_decision = ap
            expected.subjects_decided = bool(subjects)
            if changed and not expected.started:
                expected.started = True
                expected.transitions["started"] += 1

    @rule(leak=leaks, later=st.integers(min_value=0, max_value=6))
    def correct_awareness(self, leak, later):
        current = self.leak(leak)
        expected = self.expected[leak.pk]
        moment = min(current.discovered_at + datetime.timedelta(hours=later), self.now)
        call = partial(
            services.dataleak_set_aware_at,
            leak=current,
            actor=self.people["officer"],
            aware_at=moment,
            reason="Pas later bleek het om persoonsgegevens te gaan.",
        )
        # A notification before the new moment is refused by the date rules.
        self.act(expected, not expected.final, call, may_refuse=True)

    @rule(leak=leaks, complete=st.booleans(), after=st.integers(min_value=0, max_value=80))
    def notify_ap(self, leak, complete, after):
        current = self.leak(leak)
        expected = self.expected[leak.pk]
        call = partial(
            services.dataleak_record_ap_notification,
            leak=current,
            actor=self.people["officer"],
            kind=APNotification.Kind.INITIAL,
            notified_at=min(current.aware_at + datetime.timedelta(hours=after), self.now),
            ap_reference="M2026-1",
            complete=complete,
        )
        # A complete notification is refused while mandatory answers are missing (the AP form's rule).
        if self.act(expected, not expected.final and not expected.notified, call, may_refuse=complete):
            expected.notified = True
            expected.ap_decision = expected.ap_decision or APDecision.NOTIFY
            expected.ap_notifications += 1
            expected.transitions["ap_notification"] += 1

    @rule(leak=leaks, kind=st.sampled_from([APNotification.Kind.FOLLOW_UP, APNotification.Kind.WITHDRAWAL]))
    def follow_up_or_withdraw(self, leak, kind):
        current = self.leak(leak)
        expected = self.expected[leak.pk]
        call = partial(
            services.dataleak_record_ap_notification,
            leak=current,
            actor=self.people["officer"],
            kind=kind,
            notified_at=self.now,
            ap_reference="M2026-1",
            notes="Bij nader inzien geen persoonsgegevens.",
        )
        # A follow-up at the very moment of the first notification is refused by the date rules.
        if self.act(expected, not expected.final and expected.notified_not_withdrawn, call, may_refuse=True):
            expected.withdrawn = expected.withdrawn or kind == APNotification.Kind.WITHDRAWAL
            expected.ap_notifications += 1
            expected.transitions["ap_notification"] += 1

    @rule(leak=leaks, data=st.data())
    def correct_ap_notification(self, leak, data):
        notification = APNotification.objects.filter(leak=leak).order_by("?").first()
        if notification is None:
            return
        reference = data.draw(st.sampled_from(["M2026-1", "M2026-2"]))
        with self.at_now():
            services.dataleak_correct_ap_notification(
                notification=notification,
                actor=self.people["officer"],
                notified_at=notification.notified_at,
                ap_reference=reference,
                reason="Kenmerk overgetypt.",
            )

    @rule(leak=leaks)
    def inform_subjects(self, leak):
        current = self.leak(leak)
        expected = self.expected[leak.pk]
        call = partial(
            services.dataleak_record_subject_notification,
            leak=current,
            actor=self.people["officer"],
            channel="letter",
            informed_on=self.now.date(),
            number_informed=3,
        )
        # Informing before the awareness moment's day is refused by the date rules.
        if self.act(expected, not expected.final, call, may_refuse=True):
            expected.subject_notifications += 1
            expected.transitions["subjects_informed"] += 1

    @rule(leak=leaks, number=st.integers(min_value=1, max_value=50))
    def correct_subjects(self, leak, number):
        record = SubjectNotification.objects.filter(leak=leak).first()
        if record is None:
            return
        with self.at_now():
            services.dataleak_correct_subject_notification(
                record=record,
                actor=self.people["officer"],
                channel=record.channel,
                informed_on=record.informed_on,
                number_informed=number,
                reason="Aantal nageteld.",
            )

    @rule(leak=leaks)
    def close(self, leak):
        expected = self.expected[leak.pk]
        allowed = not expected.final and expected.ap_decision != APDecision.PENDING and expected.subjects_decided
        call = partial(
            services.dataleak_close,
            leak=self.leak(leak),
            actor=self.people["officer"],
            cause="Autocomplete.",
            lesson="Controleer de ontvanger.",
        )
        if self.act(expected, allowed, call):
            expected.final = True
            expected.transitions["closed"] += 1

    @rule(leak=leaks)
    def no_leak(self, leak):
        expected = self.expected[leak.pk]
        allowed = not expected.final and not expected.notified_not_withdrawn
        call = partial(
            services.dataleak_mark_no_leak,
            leak=self.leak(leak),
            actor=self.people["officer"],
            reason="Geen persoonsgegevens.",
        )
        if self.act(expected, allowed, call):
            expected.final = True
            expected.ap_decision = expected.ap_decision or APDecision.NO_NOTIFY
            expected.transitions["no_leak"] += 1

    @rule(leak=leaks)
    def reopen(self, leak):
        expected = self.expected[leak.pk]
        call = partial(
            services.dataleak_reopen, leak=self.leak(leak), actor=self.people["officer"], reason="Nieuwe feiten."
        )
        if self.act(expected, expected.final, call):
            expected.final = False
            expected.ap_decision = self.leak(leak).ap_decision  # the "no data leak" closure's own decision reopens
            if not expected.started:
                expected.started = True  # reopening puts the report back into handling
            expected.transitions["reopened"] += 1

    # --- the beat and time ----------------------------------------------------------------------------------------
    @rule()
    def reminders(self):
        with self.at_now():
            send_deadline_reminders(self.now)

    @rule()
    def purge(self):
        with self.at_now():
            services.dataleak_purge_details(now=self.now)

    @rule(hours=st.sampled_from([1, 12, 24, 48, 60, 72]))
    def time_passes(self, hours):
        self.now += datetime.timedelta(hours=hours)

    # --- the rules, after every step ------------------------------------------------------------------------------
    @invariant()
    def everything_says_one_thing_about_one_report(self):
        if not self.expected:
            return
        officer = self.people["officer"]
        ids = list(self.expected)
        detail = {pk: DataLeak.objects.get(pk=pk) for pk in ids}
        register = {row.pk: row for row in register_queryset(officer).filter(pk__in=ids)}
        queue_open = set(DataLeak.objects.visible_to(officer).open().filter(pk__in=ids).values_list("pk", flat=True))
        api_rows = {
            row.pk: RegisterEntrySerializer(row).data
            for row in api_selectors.register(officer.organisation_id, None, None).filter(pk__in=ids)
        }
        due = {leak.pk: hours for leak, hours in DataLeak.objects.milestones_due(self.now)}
        for pk, expected in self.expected.items():
            leak = detail[pk]
            # The countdown runs if and only if the rules say so, on the detail page and in every list.
            assert leak.clock_running == expected.clock_running, (leak.reference, leak.state)
            assert register[pk].clock_running == expected.clock_running
            # Reminders are due exactly then, for the latest milestone passed.
            elapsed = self.now - leak.aware_at
            passed = [h for h in MILESTONE_HOURS if elapsed >= datetime.timedelta(hours=h)]
            assert due.get(pk) == (passed[-1] if expected.clock_running and passed else None)
            # The register row, the detail page, the queue's filter and the API agree.
            assert register[pk].state == leak.state == api_rows[pk]["status"]
            assert register[pk].ap_status == leak.ap_status == api_rows[pk]["ap_status"]
            assert (pk in queue_open) == (not expected.final) == (not leak.is_final)
            # Never notified-and-not-withdrawn and "no data leak" together.
            assert not (leak.state == "no_leak" and leak.ap_status in ("provisional", "complete"))
            assert leak.ap_status == ("withdrawn" if expected.withdrawn else leak.ap_status)
            # Every transition left exactly one timeline entry.
            messages = Counter(data.get("message") for data in leak.events.values_list("data", flat=True) if data)
            assert {m: messages[m] for m in TRANSITION_MESSAGES} == {
                m: expected.transitions[m] for m in TRANSITION_MESSAGES
            }
            # Nothing the handler recorded is lost (the retention period erases the reporter's words only).
            assert leak.ap_notifications.count() == expected.ap_notifications
            assert leak.subject_notifications.count() == expected.subject_notifications
            assert leak.ap_decision == expected.ap_decision
        # An idempotency key never stores two reports nor drops a different one.
        api_made = DataLeak.objects.filter(pk__in=[pk for _variant, pk in self.keys.values()])
        assert api_made.count() == len(self.keys)


@pytest.mark.django_db
def test_the_lifecycle_follows_its_rules(privacy_officer, staff_a, team_a):
    Lifecycle.people = {"officer": privacy_officer, "reporter": staff_a, "team": team_a}
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
