"""Handling a report: assignment, the awareness moment, notes, the assessment and its decisions, closing,
reopening, involving an ambassador and the lesson learned."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from core import history
from incidents import timeline, validation
from incidents.models import (
    APDecision,
    DataLeak,
    DataLeakEvent,
)
from incidents.services.common import add_event, log_change, require_open, require_transition


@transaction.atomic
def dataleak_start_assessment(*, leak: DataLeak, actor: User) -> DataLeak:
    require_transition(leak, "start_assessment")
    if leak.assignee_id is None:
        dataleak_assign(leak=leak, actor=actor, assignee=actor)
    _start(leak, actor)
    log_change(leak, actor, "start assessment")
    return leak


def _start(leak: DataLeak, actor: User) -> None:
    """The assessment starts (a fact: ``assessment_started_at``), with its one timeline entry."""
    if leak.assessment_started_at is not None:
        return
    leak.assessment_started_at = timezone.now()
    leak.save(update_fields=["assessment_started_at", "updated_at"])
    add_event(leak, actor, DataLeakEvent.Kind.STATUS, data={"message": "started"})


@transaction.atomic
def dataleak_assign(*, leak: DataLeak, actor: User, assignee: User | None) -> DataLeak:
    require_open(leak)
    if leak.assignee_id == (assignee.pk if assignee else None):
        return leak
    leak.assignee = assignee
    leak.save(update_fields=["assignee", "updated_at"])
    text = _("Assigned to %(name)s.") % {"name": assignee.full_name} if assignee else _("Assignment removed.")
    add_event(leak, actor, DataLeakEvent.Kind.ASSIGNMENT, text)
    log_change(leak, actor, "handling")
    return leak


@transaction.atomic
def dataleak_set_aware_at(*, leak: DataLeak, actor: User, aware_at: datetime.datetime, reason: str = "") -> DataLeak:
    """Awareness defaults to the discovery; the Privacy Officer may set another moment, later only with a reason."""
    require_open(leak)
    validation.check_aware_at(leak, aware_at, reason)
    if aware_at == leak.aware_at:
        return leak
    old = leak.aware_at
    before = history.snapshot(leak, ["aware_at"])
    leak.aware_at = aware_at
    leak.aware_reason = reason.strip() if aware_at > leak.discovered_at else ""
    leak.save(update_fields=["aware_at", "aware_reason", "updated_at"])
    if reason.strip():
        # A moment set with a reason is a correction of the default (the discovery): kept in the leak's history.
        history.record(
            leak,
            before=before,
            reason=reason,
            user=actor,
            action="incidents.dataleak_aware_at_corrected",
            organisation_id=leak.organisation_id,
        )
    else:
        data = {"message": "aware_at", "old": {"dt": old.isoformat()}, "new": {"dt": aware_at.isoformat()}}
        add_event(leak, actor, DataLeakEvent.Kind.DECISION, data=data)
    log_change(leak, actor, "handling")
    return leak


@transaction.atomic
def dataleak_add_note(*, leak: DataLeak, actor: User, text: str) -> DataLeakEvent:
    event = add_event(leak, actor, DataLeakEvent.Kind.NOTE, text)
    log_change(leak, actor, "note")
    return event


ASSESSMENT_FIELDS = [
    "ongoing",
    "breach_ended_at",
    "discovery_method",
    "breach_confidentiality",
    "breach_integrity",
    "breach_availability",
    "personal_data_categories",
    "special_categories",
    "persons_exact",
    "persons_min",
    "persons_max",
    "records_count",
    "affected_groups",
    "encrypted",
    "encryption_details",
    "consequences",
    "consequences_organisation",
    "severity",
    "severity_explanation",
    "measures_taken",
    "measures_planned",
    "measures_preventive",
    "processors_involved",
    "other_supervisors",
    "cross_border",
    "cross_border_countries",
    "other_authorities",
    "joint_controllers",
    "other_notification_duty",
    "other_notification_duty_details",
    "documents_sent",
    "dpo_involved",
    "dpo_advice",
    "ap_decision",
    "ap_decision_reason",
    "late_reason",
    "subjects_decision",
    "subjects_decision_reason",
    "subjects_exemption",
    "subjects_informed_how",
    "not_applicable",
]


DECISION_FIELDS = (
    "ap_decision",
    "ap_decision_reason",
    "subjects_decision",
    "subjects_decision_reason",
    "subjects_exemption",
)


def correction_required(before: DataLeak, changed: Iterable[str]) -> bool:
    """A reason is required to change a recorded decision, or any answer once it went to the AP."""
    notified = before.ap_notifications.exists()
    for name in changed:
        if name in ("ap_decision", "subjects_decision") and getattr(before, name):
            return True
        if name in DECISION_FIELDS and getattr(before, name) and notified:
            return True
        if notified and getattr(before, name) not in (None, "", [], False):
            return True
    return False


def assessment_changes(leak: DataLeak, data: dict[str, Any]) -> list[str]:
    before = DataLeak.objects.get(pk=leak.pk)
    return [name for name in ASSESSMENT_FIELDS if name in data and getattr(before, name) != data[name]]


@transaction.atomic
def dataleak_assess(*, leak: DataLeak, actor: User, data: dict[str, Any], reason: str = "") -> DataLeak:
    """Store the assessment; each changed answer goes on the timeline with its old and new value.

    Changing a recorded decision, or an answer already given to the AP, is a
    correction: it needs a reason, which the timeline keeps with the old value.
    """
    require_open(leak)
    before = DataLeak.objects.get(pk=leak.pk)
    changed = [name for name in ASSESSMENT_FIELDS if name in data and getattr(before, name) != data[name]]
    if not changed:
        return leak
    reason = (reason or "").strip()
    if correction_required(before, changed) and not reason:
        raise ValidationError(history.MISSING_REASON)
    if "breach_ended_at" in changed:
        validation.check_breach_end(leak, data["breach_ended_at"])
    for name in changed:
        setattr(leak, name, data[name])
    leak.save()
    plain = [n for n in changed if n not in DECISION_FIELDS]
    if reason:
        # A correction: the old answers are kept in the leak's history with the reason.
        history.record(
            leak,
            before=history.snapshot(before, changed),
            reason=reason,
            user=actor,
            action="incidents.dataleak_corrected",
            organisation_id=leak.organisation_id,
        )
    elif plain:
        changes = [[n, timeline.raw(before, n), timeline.raw(leak, n)] for n in plain]
        add_event(leak, actor, DataLeakEvent.Kind.ASSESSMENT, data={"message": "assessment", "changes": changes})
    for which, field, reason_field, related in (
        ("ap", "ap_decision", "ap_decision_reason", {"ap_decision", "ap_decision_reason"}),
        (
            "subjects",
            "subjects_decision",
            "subjects_decision_reason",
            {"subjects_decision", "subjects_decision_reason", "subjects_exemption"},
        ),
    ):
        if related & set(changed) and getattr(leak, field):
            data = {
                "message": "decision",
                "which": which,
                "new": getattr(leak, field),
                "new_reason": getattr(leak, reason_field),
                "old": getattr(before, field),
                "old_reason": getattr(before, reason_field) if getattr(before, field) else "",
                "reason": reason,
            }
            if which == "subjects":
                data["exemption"] = leak.subjects_exemption
            add_event(leak, actor, DataLeakEvent.Kind.DECISION, data=data)
    _start(leak, actor)
    log_change(leak, actor, "assessment")
    return leak


@transaction.atomic
def dataleak_close(*, leak: DataLeak, actor: User, cause: str, lesson: str) -> DataLeak:
    require_transition(leak, "close")
    if not leak.ap_decision or not leak.subjects_decision:
        raise ValidationError(_("Record both decisions (AP and data subjects) before closing the report."))
    leak.cause = cause
    leak.lesson = lesson
    leak.closed_at = timezone.now()
    leak.save()
    add_event(leak, actor, DataLeakEvent.Kind.STATUS, data={"message": "closed", "cause": cause, "lesson": lesson})
    log_change(leak, actor, "closed")
    return leak


@transaction.atomic
def dataleak_mark_no_leak(*, leak: DataLeak, actor: User, reason: str) -> DataLeak:
    """Closed as "no data leak"; after a notification to the AP only once it was withdrawn (incidents.state)."""
    require_transition(leak, "no_leak")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Explain why this is not a data leak."))
    leak.no_leak_reason = reason
    leak.ap_decision = leak.ap_decision or APDecision.NO_NOTIFY
    leak.ap_decision_reason = leak.ap_decision_reason or reason
    leak.no_leak_at = timezone.now()
    leak.save()
    add_event(leak, actor, DataLeakEvent.Kind.STATUS, data={"message": "no_leak", "reason": reason})
    log_change(leak, actor, "no data leak")
    return leak


@transaction.atomic
def dataleak_reopen(*, leak: DataLeak, actor: User, reason: str) -> DataLeak:
    """A closed report, or one closed as "no data leak", goes back into handling; the reason is kept."""
    require_transition(leak, "reopen")
    if not (reason or "").strip():
        raise ValidationError(_("Record why you reopen the report."))
    was = leak.state
    if leak.no_leak_at is not None and leak.no_leak_reason and leak.ap_decision_reason == leak.no_leak_reason:
        # The "no data leak" closure decided "do not notify" itself: that decision is open again.
        leak.ap_decision, leak.ap_decision_reason = APDecision.PENDING, ""
    leak.closed_at = leak.no_leak_at = None
    leak.assessment_started_at = leak.assessment_started_at or timezone.now()
    leak.save()
    add_event(
        leak, actor, DataLeakEvent.Kind.REOPENED, data={"message": "reopened", "was": was, "reason": reason.strip()}
    )
    log_change(leak, actor, "reopened")
    return leak


@transaction.atomic
def dataleak_involve_ambassador(*, leak: DataLeak, actor: User, ambassador: User, involve: bool = True) -> DataLeak:
    """The Privacy Officer involves an ambassador: from then on they see the reporter's contact details."""
    if ambassador.organisation_id != leak.organisation_id:
        raise ValidationError(_("Choose an ambassador of your own organisation."))
    present = leak.involved_ambassadors.filter(pk=ambassador.pk).exists()
    if involve == present:
        return leak
    if involve:
        leak.involved_ambassadors.add(ambassador)
        text = _("%(name)s involved as ambassador (sees the reporter's contact details).") % {
            "name": ambassador.full_name
        }
    else:
        leak.involved_ambassadors.remove(ambassador)
        text = _("%(name)s no longer involved as ambassador.") % {"name": ambassador.full_name}
    add_event(leak, actor, DataLeakEvent.Kind.ASSIGNMENT, text)
    log_change(leak, actor, "ambassador involved" if involve else "ambassador no longer involved")
    return leak


@transaction.atomic
def dataleak_lesson_to_topic(*, leak: DataLeak, actor: User):
    """Turn the lesson learned into a topic suggestion for the annual plan (once)."""
    from programme.models import TopicSuggestion

    leak = DataLeak.objects.select_for_update().get(pk=leak.pk)
    if leak.topic_suggestion_id:
        return leak.topic_suggestion
    if not leak.lesson:
        raise ValidationError(_("Record a lesson learned first."))
    with override(settings.LANGUAGE_CODE):
        title = _("Lesson from data leak %(reference)s: %(category)s") % {
            "reference": leak.reference,
            "category": leak.get_category_display(),
        }
    suggestion = TopicSuggestion.objects.create(
        organisation_id=leak.organisation_id,
        title=title[:200],
        description=f"{leak.cause}\n\n{leak.lesson}".strip(),
        source=TopicSuggestion.Source.DATA_LEAK,
        source_reference=leak.reference,
        suggested_by=actor,
        for_year=timezone.localdate().year + 1,
    )
    leak.topic_suggestion = suggestion
    leak.save(update_fields=["topic_suggestion", "updated_at"])
    add_event(leak, actor, DataLeakEvent.Kind.LESSON, _("Lesson proposed as a topic for the annual plan."))
    log_change(leak, actor, "topic suggestion")
    return suggestion
