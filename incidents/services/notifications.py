"""Notifications to the AP and to the data subjects, recorded and corrected."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core import history
from core.formatting import number, short_date
from incidents import validation
from incidents.models import (
    APDecision,
    APNotification,
    DataLeak,
    DataLeakEvent,
    SubjectNotification,
)
from incidents.services.common import add_event, format_moment, log_change, require_open, set_status


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

    require_open(leak)
    validation.check_ap_notified_at(leak, notified_at)
    if kind != APNotification.Kind.INITIAL:
        initial = initial_notification(leak)
        if initial is None:
            raise ValidationError(_("Record the first notification before a follow-up or a withdrawal."))
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
    text = _("%(kind)s to the AP on %(when)s, AP reference %(reference)s.") % {
        "kind": notification.get_kind_display(),
        "when": format_moment(notified_at),
        "reference": ap_reference,
    }
    text += " " + (_("Complete.") if complete else _("Provisional, to be supplemented."))
    add_event(leak, actor, DataLeakEvent.Kind.NOTIFICATION, text)
    if kind == APNotification.Kind.INITIAL and leak.status in (DataLeak.Status.REPORTED, DataLeak.Status.ASSESSMENT):
        set_status(leak, actor, DataLeak.Status.AP_NOTIFIED)
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
    before = history.snapshot(notification, ["notified_at", "ap_reference", "complete", "notes"])
    notification.notified_at = notified_at
    notification.ap_reference = ap_reference
    notification.complete = new_complete
    if notes is not None:
        notification.notes = notes
    notification.save()
    history.record(
        notification,
        before=before,
        reason=reason,
        user=actor,
        action="incidents.ap_notification_corrected",
        organisation_id=leak.organisation_id,
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
    before = history.snapshot(record, ["channel", "informed_on", "number_informed", "notes"])
    record.channel = channel
    record.informed_on = informed_on
    record.number_informed = number_informed
    if notes is not None:
        record.notes = notes
    record.save()
    history.record(
        record,
        before=before,
        reason=reason,
        user=actor,
        action="incidents.subject_notification_corrected",
        organisation_id=leak.organisation_id,
    )
    log_change(leak, actor, "data-subject notification corrected")
    return record


def _subjects_text(record: SubjectNotification) -> str:
    return ngettext(
        "%(count)s data subject informed by %(channel)s on %(date)s.",
        "%(count)s data subjects informed by %(channel)s on %(date)s.",
        record.number_informed or 0,
    ) % {
        "count": number(record.number_informed),
        "channel": record.get_channel_display().lower(),
        "date": short_date(record.informed_on),
    }


@transaction.atomic
def dataleak_record_subject_notification(
    *, leak: DataLeak, actor: User, channel: str, informed_on: datetime.date, number_informed: int, notes: str = ""
) -> SubjectNotification:
    require_open(leak)
    validation.check_subjects_informed_on(leak, informed_on)
    record = SubjectNotification.objects.create(
        leak=leak,
        channel=channel,
        informed_on=informed_on,
        number_informed=number_informed,
        notes=notes,
        recorded_by=actor,
    )
    add_event(leak, actor, DataLeakEvent.Kind.NOTIFICATION, _subjects_text(record))
    set_status(leak, actor, DataLeak.Status.SUBJECTS_INFORMED)
    log_change(leak, actor, "data-subject notification")
    return record
