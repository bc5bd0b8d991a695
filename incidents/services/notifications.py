"""Notifications to the AP and to the data subjects, recorded and corrected."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import history
from incidents import timeline, validation
from incidents.models import (
    APDecision,
    APNotification,
    DataLeak,
    DataLeakEvent,
    SubjectNotification,
)
from incidents.services.common import add_event, log_change, require_transition


def initial_notification(leak: DataLeak) -> APNotification | None:
    return leak.ap_notifications.filter(kind=APNotification.Kind.INITIAL).order_by("notified_at", "id").first()


@transaction.atomic
def dataleak_record_ap_notification(
    *,
    leak: DataLeak,
    actor: User,
    kind: str,
    notified_at: datetime.datetime,
    ap_reference: str,
    notes: str = "",
    late_reason: str = "",
    complete: bool = False,
) -> APNotification:
    from incidents.ap_form import missing_mandatory

    transition = {
        APNotification.Kind.INITIAL: "notify_ap",
        APNotification.Kind.FOLLOW_UP: "follow_up",
        APNotification.Kind.WITHDRAWAL: "withdraw",
    }[kind]
    require_transition(leak, transition)
    validation.check_ap_notified_at(leak, notified_at)
    notes = (notes or "").strip()
    if kind == APNotification.Kind.WITHDRAWAL and not notes:
        raise ValidationError({"notes": _("Give the reason for the withdrawal, as the AP's form asks.")})
    if kind != APNotification.Kind.INITIAL:
        initial = initial_notification(leak)
        validation.check_follow_up_after_initial(initial.notified_at, notified_at)
    if complete and kind != APNotification.Kind.WITHDRAWAL:
        missing = missing_mandatory(leak)
        if missing:
            raise ValidationError(
                _("The notification cannot be recorded as complete: %(count)s mandatory questions are unanswered.")
                % {"count": missing}
            )
    notification = APNotification.objects.create(
        leak=leak,
        kind=kind,
        notified_at=notified_at,
        ap_reference=ap_reference,
        notes=notes,
        recorded_by=actor,
        complete=complete,
    )
    if late_reason:
        leak.late_reason = late_reason
    if kind == APNotification.Kind.INITIAL and not leak.ap_decision:
        leak.ap_decision = APDecision.NOTIFY
    leak.save()
    data = {
        "message": "ap_notification",
        "kind": kind,
        "when": timeline.raw(notification, "notified_at"),
        "reference": ap_reference,
        "complete": complete,
    }
    if kind == APNotification.Kind.WITHDRAWAL:
        data["reason"] = notes
    add_event(leak, actor, DataLeakEvent.Kind.NOTIFICATION, data=data)
    log_change(leak, actor, "AP notification")
    return notification


@transaction.atomic
def dataleak_correct_ap_notification(
    *,
    notification: APNotification,
    actor: User,
    notified_at: datetime.datetime,
    ap_reference: str,
    reason: str,
    notes: str | None = None,
    complete: bool | None = None,
) -> APNotification:
    """Correct a recorded notification (a typo in the reference, a wrong date, provisional or complete): the old
    value stays in the timeline. Complete needs every mandatory answer, as when recording (a withdrawal excepted)."""
    from incidents.ap_form import missing_mandatory

    leak = notification.leak
    reason = history.require_reason(reason)
    validation.check_ap_notified_at(leak, notified_at)
    if notification.kind != APNotification.Kind.INITIAL:
        initial = initial_notification(leak)
        validation.check_follow_up_after_initial(initial.notified_at if initial else None, notified_at)
    old_at, old_reference, old_complete = notification.notified_at, notification.ap_reference, notification.complete
    new_complete = old_complete if complete is None else complete
    if notification.kind == APNotification.Kind.WITHDRAWAL and notes is not None and not notes.strip():
        raise ValidationError({"notes": _("Give the reason for the withdrawal, as the AP's form asks.")})
    if (
        old_at == notified_at
        and old_reference == ap_reference
        and (notes is None or notes == notification.notes)
        and new_complete == old_complete
    ):
        return notification
    if new_complete and not old_complete and notification.kind != APNotification.Kind.WITHDRAWAL:
        missing = missing_mandatory(leak)
        if missing:
            raise ValidationError(
                _("The notification cannot be recorded as complete: %(count)s mandatory questions are unanswered.")
                % {"count": missing}
            )
    history.correct(
        notification,
        data={
            "notified_at": notified_at,
            "ap_reference": ap_reference,
            "complete": new_complete,
            "notes": notification.notes if notes is None else notes,
        },
        fields=["notified_at", "ap_reference", "complete", "notes"],
        reason=reason,
        user=actor,
        action="incidents.ap_notification_corrected",
        organisation_id=leak.organisation_id,
        exclude_from_validation=["leak", "recorded_by"],
    )
    log_change(leak, actor, "AP notification corrected")
    return notification


@transaction.atomic
def dataleak_correct_subject_notification(
    *,
    record: SubjectNotification,
    actor: User,
    channel: str,
    informed_on: datetime.date,
    number_informed: int,
    reason: str,
    notes: str | None = None,
) -> SubjectNotification:
    leak = record.leak
    reason = history.require_reason(reason)
    validation.check_subjects_informed_on(leak, informed_on)
    history.correct(
        record,
        data={
            "channel": channel,
            "informed_on": informed_on,
            "number_informed": number_informed,
            "notes": record.notes if notes is None else notes,
        },
        fields=["channel", "informed_on", "number_informed", "notes"],
        reason=reason,
        user=actor,
        action="incidents.subject_notification_corrected",
        organisation_id=leak.organisation_id,
        exclude_from_validation=["leak", "recorded_by"],
    )
    log_change(leak, actor, "data-subject notification corrected")
    return record


@transaction.atomic
def dataleak_record_subject_notification(
    *, leak: DataLeak, actor: User, channel: str, informed_on: datetime.date, number_informed: int, notes: str = ""
) -> SubjectNotification:
    require_transition(leak, "inform_subjects")
    validation.check_subjects_informed_on(leak, informed_on)
    record = SubjectNotification.objects.create(
        leak=leak,
        channel=channel,
        informed_on=informed_on,
        number_informed=number_informed,
        notes=notes,
        recorded_by=actor,
    )
    data = {
        "message": "subjects_informed",
        "count": number_informed,
        "channel": channel,
        "date": timeline.raw(record, "informed_on"),
    }
    add_event(leak, actor, DataLeakEvent.Kind.NOTIFICATION, data=data)
    log_change(leak, actor, "data-subject notification")
    return record
