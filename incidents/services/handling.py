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
from incidents import validation
from incidents.models import (
    APDecision,
    APNotification,
    DataLeak,
    DataLeakEvent,
)
from incidents.services.common import add_event, format_moment, log_change, require_open, set_status


@transaction.atomic
def dataleak_start_assessment(*, leak: DataLeak, actor: User) -> DataLeak:
    require_open(leak)
    if leak.assignee_id is None:
        dataleak_assign(leak=leak, actor=actor, assignee=actor)
    if leak.status == DataLeak.Status.REPORTED:
        set_status(leak, actor, DataLeak.Status.ASSESSMENT)
    log_change(leak, actor, "start assessment")
    return leak


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
        text = _("Aware since changed from %(old)s to %(new)s.") % {
            "old": format_moment(old),
            "new": format_moment(aware_at),
        }
        add_event(leak, actor, DataLeakEvent.Kind.DECISION, text)
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


def _display(leak: DataLeak, name: str) -> str:
    """A field's value as the timeline shows it: as the history keeps it, at most 300 characters."""
    text = history.display(leak, name)
    return text if len(text) <= 300 else text[:299] + "…"


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
        lines = [
            _("%(field)s: %(old)s → %(new)s")
            % {
                "field": DataLeak._meta.get_field(n).verbose_name,
                "old": _display(before, n),
                "new": _display(leak, n),
            }
            for n in plain
        ]
        text = _("Changed:") + "\n" + "\n".join(lines)
        add_event(leak, actor, DataLeakEvent.Kind.ASSESSMENT, text)
    if {"ap_decision", "ap_decision_reason"} & set(changed) and leak.ap_decision:
        text = _("AP decision: %(decision)s. %(reason)s") % {
            "decision": leak.get_ap_decision_display(),
            "reason": leak.ap_decision_reason,
        }
        if before.ap_decision:
            text += "\n" + _("Before: %(old)s. %(reason)s") % {
                "old": before.get_ap_decision_display(),
                "reason": before.ap_decision_reason,
            }
        if reason:
            text += "\n" + _("Reason: %(reason)s") % {"reason": reason}
        add_event(leak, actor, DataLeakEvent.Kind.DECISION, text)
    if {"subjects_decision", "subjects_decision_reason", "subjects_exemption"} & set(
        changed
    ) and leak.subjects_decision:
        text = _("Data-subject decision: %(decision)s. %(reason)s") % {
            "decision": leak.get_subjects_decision_display(),
            "reason": leak.subjects_decision_reason,
        }
        if leak.subjects_exemption:
            text += " " + str(leak.get_subjects_exemption_display())
        if before.subjects_decision:
            text += "\n" + _("Before: %(old)s. %(reason)s") % {
                "old": before.get_subjects_decision_display(),
                "reason": before.subjects_decision_reason,
            }
        if reason:
            text += "\n" + _("Reason: %(reason)s") % {"reason": reason}
        add_event(leak, actor, DataLeakEvent.Kind.DECISION, text)
    if leak.status == DataLeak.Status.REPORTED:
        set_status(leak, actor, DataLeak.Status.ASSESSMENT)
    log_change(leak, actor, "assessment")
    return leak


@transaction.atomic
def dataleak_close(*, leak: DataLeak, actor: User, cause: str, lesson: str) -> DataLeak:
    require_open(leak)
    if not leak.ap_decision or not leak.subjects_decision:
        raise ValidationError(_("Record both decisions (AP and data subjects) before closing the report."))
    leak.cause = cause
    leak.lesson = lesson
    leak.save()
    add_event(
        leak,
        actor,
        DataLeakEvent.Kind.LESSON,
        _("Cause: %(cause)s Lesson: %(lesson)s") % {"cause": cause, "lesson": lesson},
    )
    set_status(leak, actor, DataLeak.Status.CLOSED)
    log_change(leak, actor, "closed")
    return leak


@transaction.atomic
def dataleak_mark_no_leak(*, leak: DataLeak, actor: User, reason: str) -> DataLeak:
    require_open(leak)
    leak.no_leak_reason = reason
    leak.ap_decision = leak.ap_decision or APDecision.NO_NOTIFY
    leak.ap_decision_reason = leak.ap_decision_reason or reason
    leak.save()
    add_event(leak, actor, DataLeakEvent.Kind.DECISION, _("Not a data leak: %(reason)s") % {"reason": reason})
    set_status(leak, actor, DataLeak.Status.NO_LEAK)
    log_change(leak, actor, "no data leak")
    return leak


@transaction.atomic
def dataleak_reopen(*, leak: DataLeak, actor: User, reason: str) -> DataLeak:
    """A closed report, or one closed as "no data leak", goes back into handling; the reason is kept."""
    if not leak.is_final:
        raise ValidationError(_("This report is not closed."))
    if not (reason or "").strip():
        raise ValidationError(_("Record why you reopen the report."))
    old = leak.get_status_display()
    if (
        leak.status == DataLeak.Status.NO_LEAK
        and leak.no_leak_reason
        and leak.ap_decision_reason == leak.no_leak_reason
    ):
        # The "no data leak" closure decided "do not notify" itself: that decision is open again.
        leak.ap_decision, leak.ap_decision_reason = APDecision.PENDING, ""
    notified = leak.ap_notifications.filter(kind=APNotification.Kind.INITIAL).exists()
    leak.status = DataLeak.Status.AP_NOTIFIED if notified else DataLeak.Status.ASSESSMENT
    leak.closed_at = None
    leak.save()
    add_event(
        leak,
        actor,
        DataLeakEvent.Kind.REOPENED,
        _("Reopened (was: %(old)s, now: %(new)s). Reason: %(reason)s")
        % {"old": old, "new": leak.get_status_display(), "reason": reason.strip()},
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
