"""The state of a data leak, derived from the recorded facts and never stored beside them.

The facts: the awareness moment (``aware_at``), the start of the assessment (``assessment_started_at``), the
decisions (``ap_decision``), the notifications to the AP (``APNotification``: first, follow-up, withdrawal, each
provisional or complete), the informing of the data subjects (``SubjectNotification``), the closure
(``closed_at``) and the closure as "no data leak" (``no_leak_at``); reopening clears the last two and is kept in the
timeline.

One rule set, two forms that agree (``incidents/tests/test_state.py`` and the lifecycle state machine hold them to
it): :func:`derive` for one report, :func:`annotate` for a list (``DataLeakQuerySet.with_state``), computed in the
database with ``Exists`` and ``Case``.

The rules:

- The 72-hour clock runs while the report is open, unless the AP was notified (a provisional notification
  included, art. 33(4) GDPR) and that notification was not withdrawn, or it was decided not to notify the AP.
  Correcting that decision, or withdrawing the notification, lets it run again.
- A report notified to the AP and not withdrawn is never "no data leak": the withdrawal (the AP form's
  "intrekking") is recorded first, with its reason.

The transitions a handler may take, and their guards, are in :data:`TRANSITIONS`: one table that the services
(``incidents.services``) and the pages (which buttons are shown) both ask through :func:`allowed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Case, CharField, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _


class LeakState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSESSMENT = "assessment", _("In assessment")
    AP_NOTIFIED = "ap_notified", _("AP notified")
    SUBJECTS_INFORMED = "subjects_informed", _("Data subjects informed")
    CLOSED = "closed", _("Closed")
    NO_LEAK = "no_leak", _("No data leak")


FINAL_STATES = frozenset({LeakState.CLOSED, LeakState.NO_LEAK})


class APStatus(models.TextChoices):
    """Where the report stands with the AP (the register's column)."""

    NOT_NOTIFIED = "", _("Not notified")
    PROVISIONAL = "provisional", _("Notified (provisional)")
    COMPLETE = "complete", _("Notified (complete)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@dataclass(frozen=True)
class Facts:
    """What the state is derived from, read from one report."""

    closed: bool
    no_leak: bool
    assessment_started: bool
    no_notify_decided: bool
    notified: bool  # a first notification to the AP (provisional or complete)
    notified_complete: bool  # a first or follow-up notification recorded as complete
    withdrawn: bool
    subjects_informed: bool


@dataclass(frozen=True)
class Derived:
    state: str
    ap_status: str
    clock_running: bool

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def notified_not_withdrawn(self) -> bool:
        return self.ap_status in (APStatus.PROVISIONAL, APStatus.COMPLETE)


def derive(facts: Facts) -> Derived:
    """The state, the AP status and the clock of one report (the rules; :func:`annotate` says the same in SQL)."""
    if facts.withdrawn:
        ap_status = APStatus.WITHDRAWN
    elif facts.notified and facts.notified_complete:
        ap_status = APStatus.COMPLETE
    elif facts.notified:
        ap_status = APStatus.PROVISIONAL
    else:
        ap_status = APStatus.NOT_NOTIFIED
    notified = ap_status in (APStatus.PROVISIONAL, APStatus.COMPLETE)
    if facts.no_leak:
        state = LeakState.NO_LEAK
    elif facts.closed:
        state = LeakState.CLOSED
    elif facts.subjects_informed:
        state = LeakState.SUBJECTS_INFORMED
    elif notified:
        state = LeakState.AP_NOTIFIED
    elif facts.assessment_started:
        state = LeakState.ASSESSMENT
    else:
        state = LeakState.REPORTED
    clock = state not in FINAL_STATES and not notified and not facts.no_notify_decided
    return Derived(state=str(state), ap_status=str(ap_status), clock_running=clock)


def facts_of(leak) -> Facts:
    """The facts of one report: its own fields and its notifications (one query each, or none when prefetched)."""
    from incidents.models import APDecision, APNotification

    kinds = [(n.kind, n.complete) for n in leak.ap_notifications.all()]
    return Facts(
        closed=leak.closed_at is not None,
        no_leak=leak.no_leak_at is not None,
        assessment_started=leak.assessment_started_at is not None,
        no_notify_decided=leak.ap_decision == APDecision.NO_NOTIFY,
        notified=any(kind == APNotification.Kind.INITIAL for kind, _complete in kinds),
        notified_complete=any(complete and kind != APNotification.Kind.WITHDRAWAL for kind, complete in kinds),
        withdrawn=any(kind == APNotification.Kind.WITHDRAWAL for kind, _complete in kinds),
        subjects_informed=leak.subject_notifications.exists()
        if "subject_notifications" not in getattr(leak, "_prefetched_objects_cache", {})
        else bool(leak.subject_notifications.all()),
    )


def derived_of(leak) -> Derived:
    """The derived state of one report: the list's annotations when it came from :func:`annotate`, else computed
    once per instance (a service that changes the facts writes a timeline entry, which forgets it; so does
    ``refresh_from_db``)."""
    values = leak.__dict__
    if "derived_state" in values:
        return Derived(values["derived_state"], values["derived_ap_status"], values["derived_clock_running"])
    cached = values.get("_derived")
    if cached is None:
        cached = values["_derived"] = derive(facts_of(leak))
    return cached


def forget(leak) -> None:
    """Drop what was derived for this instance (a service changed its facts)."""
    for name in ("_derived", "derived_state", "derived_ap_status", "derived_clock_running"):
        leak.__dict__.pop(name, None)
    getattr(leak, "_prefetched_objects_cache", {}).clear()


# --- the same rules in the database -----------------------------------------------------------------------------


def _notifications(**filters) -> Exists:
    from incidents.models import APNotification

    return Exists(APNotification.objects.filter(leak=OuterRef("pk"), **filters))


def annotate(queryset):
    """``derived_state``, ``derived_ap_status`` and ``derived_clock_running`` on every row: the rules of
    :func:`derive` as ``Exists`` and ``Case`` expressions, so a list costs one query."""
    from incidents.models import APDecision, APNotification, SubjectNotification

    kinds = APNotification.Kind
    queryset = queryset.alias(
        _notified=_notifications(kind=kinds.INITIAL),
        _complete=_notifications(complete=True, kind__in=[kinds.INITIAL, kinds.FOLLOW_UP]),
        _withdrawn=_notifications(kind=kinds.WITHDRAWAL),
        _informed=Exists(SubjectNotification.objects.filter(leak=OuterRef("pk"))),
    )
    notified = Q(_notified=True, _withdrawn=False)
    final = Q(no_leak_at__isnull=False) | Q(closed_at__isnull=False)
    return queryset.annotate(
        derived_ap_status=Case(
            When(_withdrawn=True, then=Value(APStatus.WITHDRAWN.value)),
            When(_notified=True, _complete=True, then=Value(APStatus.COMPLETE.value)),
            When(_notified=True, then=Value(APStatus.PROVISIONAL.value)),
            default=Value(APStatus.NOT_NOTIFIED.value),
            output_field=CharField(),
        ),
        derived_state=Case(
            When(no_leak_at__isnull=False, then=Value(LeakState.NO_LEAK.value)),
            When(closed_at__isnull=False, then=Value(LeakState.CLOSED.value)),
            When(_informed=True, then=Value(LeakState.SUBJECTS_INFORMED.value)),
            When(notified, then=Value(LeakState.AP_NOTIFIED.value)),
            When(assessment_started_at__isnull=False, then=Value(LeakState.ASSESSMENT.value)),
            default=Value(LeakState.REPORTED.value),
            output_field=CharField(),
        ),
        derived_clock_running=Case(
            When(final, then=Value(False)),
            When(notified, then=Value(False)),
            When(ap_decision=APDecision.NO_NOTIFY, then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        ),
    )


# "Notified to the AP and not withdrawn", on a list annotated by :func:`annotate`.
NOTIFIED = Q(derived_ap_status__in=[APStatus.PROVISIONAL.value, APStatus.COMPLETE.value])


# --- the transitions and their guards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    guard: Callable[[Derived], bool] = lambda derived: True


OPEN_STATES = frozenset(set(LeakState.values) - FINAL_STATES)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("start_assessment", frozenset({LeakState.REPORTED})),
        Transition("assess", OPEN_STATES),
        # One first notification; a withdrawn notification stays withdrawn (the AP closes its file).
        Transition("notify_ap", OPEN_STATES, lambda d: d.ap_status == APStatus.NOT_NOTIFIED),
        Transition("follow_up", OPEN_STATES, lambda d: d.notified_not_withdrawn),
        Transition("withdraw", OPEN_STATES, lambda d: d.notified_not_withdrawn),
        Transition("inform_subjects", OPEN_STATES),
        Transition("close", OPEN_STATES),
        # "No data leak" after a notification only once that notification is withdrawn.
        Transition("no_leak", OPEN_STATES, lambda d: not d.notified_not_withdrawn),
        Transition("reopen", FINAL_STATES),
    )
}


def allowed(leak, name: str, derived: Derived | None = None) -> bool:
    derived = derived or derived_of(leak)
    transition = TRANSITIONS[name]
    return derived.state in transition.sources and transition.guard(derived)


def allowed_names(leak, names: Iterable[str] = TRANSITIONS) -> set[str]:
    return {name for name in names if allowed(leak, name)}
