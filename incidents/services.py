"""Writes of the incidents app: each function is one transaction and records its own timeline entry."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from accounts.models import Officer, User
from core import audit, outbox
from core.formatting import number, short_date, short_datetime
from core.submissions import store_once
from incidents import validation
from incidents.models import (
    AffectedEstimate,
    APDecision,
    APNotification,
    DataKind,
    DataLeak,
    DataLeakAccess,
    DataLeakAttachment,
    DataLeakCounter,
    DataLeakEvent,
    SentLetter,
    SubjectNotification,
)

NOTIFY_TASK = "incidents.tasks.send_dataleak_mail"


# --- access log ---------------------------------------------------------------------------------


def access_record(
    *, user: Any, leak: DataLeak | None, action: str, detail: str = "", ip: str | None = None
) -> DataLeakAccess:
    """Append who did what with which report (or with the register, ``leak`` None), from which IP."""
    organisation_id = leak.organisation_id if leak is not None else user.organisation_id
    # The same fact goes into the hash-chained audit trail, which no one can alter unnoticed.
    audit.record(
        f"dataleak_{action}",
        actor=user if getattr(user, "is_authenticated", False) else None,
        object_type="incidents.dataleak" if leak is not None else "incidents.register",
        object_id=str(leak.pk) if leak is not None else str(organisation_id),
        origin=ip or "",
    )
    return DataLeakAccess.objects.create(
        organisation_id=organisation_id,
        leak=leak,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        detail=detail[:255],
        ip_address=ip or None,
    )


def _event(leak: DataLeak, actor: Any, kind: str, text: str = "") -> DataLeakEvent:
    return DataLeakEvent.objects.create(leak=leak, actor=actor, kind=kind, text=text)


# --- reporting ----------------------------------------------------------------------------------


def allocate_reference(*, organisation_id: int, year: int) -> tuple[int, str]:
    """The next number of the organisation's year, e.g. (42, "DL-2026-0042").

    The counter row is locked (SELECT ... FOR UPDATE) until the caller's
    transaction ends, so two reports saved at the same moment never get the
    same number; the unique constraints are the last line of defence.
    """
    with transaction.atomic():  # a savepoint inside the caller's transaction, a transaction on its own
        counter, _created = DataLeakCounter.objects.select_for_update().get_or_create(
            organisation_id=organisation_id, year=year
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return counter.last_number, f"DL-{year}-{counter.last_number:04d}"


def _officer_recipients(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            officer_roles__kind=Officer.Kind.PRIVACY_OFFICER,
        ).distinct()
    )


def _ambassador_recipients(leak: DataLeak) -> list[User]:
    from ambassadors.models import Appointment

    department_ids = list(leak.department.ancestors_and_self().values_list("id", flat=True))
    user_ids = (
        Appointment.objects.current()
        .filter(organisation_id=leak.organisation_id, departments__in=department_ids)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=user_ids, is_active=True))


@transaction.atomic
def dataleak_report(
    *,
    reporter: User,
    data: dict[str, Any],
    attachments: Iterable[Any] = (),
    ip: str | None = None,
) -> tuple[DataLeak, bool]:
    """Save a report at once and queue the mails. Returns (report, created).

    A re-post of the same form (same idempotency token) returns the report
    saved the first time, so a double submit stores once (core.submissions.store_once;
    someone else's token is never answered with their report).
    """
    token = data.get("idempotency_token")
    return store_once(
        token,
        user=reporter,
        create=lambda: _dataleak_report_create(
            reporter=reporter, data=data, attachments=attachments, ip=ip, token=token
        ),
    )


def _dataleak_report_create(
    *, reporter: User, data: dict[str, Any], attachments: Iterable[Any], ip: str | None, token: Any
) -> DataLeak:
    # The report keeps the form's token for the API's and the bench's look-ups; whether this submission was
    # stored before is store_once's to decide, so a token already on a report (someone else's) gets a new one.
    if not token or DataLeak.objects.filter(idempotency_token=token).exists():
        token = uuid.uuid4()
    now = timezone.now()
    year = timezone.localtime(now).year
    number, reference = allocate_reference(organisation_id=reporter.organisation_id, year=year)
    on_behalf_name = (data.get("on_behalf_of_name") or "").strip()
    on_behalf_email = (data.get("on_behalf_of_email") or "").strip().lower()
    on_behalf_user = None
    if on_behalf_email:
        on_behalf_user = User.objects.filter(
            organisation_id=reporter.organisation_id, email__iexact=on_behalf_email, is_active=True
        ).first()
    leak = DataLeak(
        organisation_id=reporter.organisation_id,
        reference=reference,
        year=year,
        number=number,
        idempotency_token=token,
        reported_by=reporter,
        on_behalf_of=on_behalf_user,
        on_behalf_of_name=on_behalf_name,
        contact_name=on_behalf_name or reporter.full_name,
        contact_email=on_behalf_email if on_behalf_name else (data.get("contact_email") or reporter.email),
        contact_phone=data.get("contact_phone", ""),
        department=data["department"],
        category=data["category"],
        description=data["description"],
        occurred_at=data["occurred_at"],
        discovered_at=data["discovered_at"],
        data_kinds=list(data.get("data_kinds") or []),
        affected_estimate=data.get("affected_estimate") or DataLeak._meta.get_field("affected_estimate").default,
        ongoing=data.get("ongoing") or DataLeak._meta.get_field("ongoing").default,
        actions_taken=data.get("actions_taken", ""),
        # The 72 hours run from the discovery as the reporter gave it (the EDPB's conservative reading), never
        # from a moment after the report was saved.
        aware_at=min(data.get("discovered_at") or now, now),
        created_at=now,
    )
    _carry_intake_into_assessment(leak)
    leak.save()

    for uploaded in attachments:
        DataLeakAttachment.objects.create(
            leak=leak, file=uploaded, original_name=uploaded.name[:255], size=uploaded.size or 0, uploaded_by=reporter
        )
    text = _("Reported by %(name)s.") % {"name": reporter.full_name}
    if on_behalf_name:
        text = _("Reported by %(name)s on behalf of %(colleague)s.") % {
            "name": reporter.full_name,
            "colleague": on_behalf_name,
        }
    _event(leak, reporter, DataLeakEvent.Kind.REPORTED, text)
    access_record(user=reporter, leak=leak, action=DataLeakAccess.Action.CREATE, ip=ip)

    confirm_to = {reporter.pk}
    if on_behalf_user is not None:
        confirm_to.add(on_behalf_user.pk)
    for user_id in sorted(confirm_to):
        _enqueue(leak, user_id, "confirmation")
    for officer in _officer_recipients(leak.organisation_id):
        _enqueue(leak, officer.pk, "officer_alert")
    for ambassador in _ambassador_recipients(leak):
        if ambassador.pk != reporter.pk:
            _enqueue(leak, ambassador.pk, "ambassador_alert")
    return leak


# The reporter's rough estimate as the assessment's minimum and maximum (the officer refines them).
_ESTIMATE_RANGES = {
    AffectedEstimate.ONE: (1, 1),
    AffectedEstimate.FEW: (2, 10),
    AffectedEstimate.TENS: (11, 100),
    AffectedEstimate.HUNDREDS: (101, 1000),
    AffectedEstimate.MANY: (1001, None),
}


def _carry_intake_into_assessment(leak: DataLeak) -> None:
    """What the reporter already said is the first answer of the assessment, so it is never asked again."""
    leak.personal_data_categories = [kind for kind in leak.data_kinds if kind != DataKind.UNKNOWN]
    low, high = _ESTIMATE_RANGES.get(leak.affected_estimate, (None, None))
    if low is not None and low == high:
        leak.persons_exact = low
    else:
        leak.persons_min, leak.persons_max = low, high
    leak.measures_taken = leak.actions_taken


def _enqueue(leak: DataLeak, user_id: int, kind: str) -> None:
    outbox.enqueue(NOTIFY_TASK, key=f"dataleak-{leak.pk}-{kind}-{user_id}", leak_id=leak.pk, user_id=user_id, kind=kind)


MAIL_TEMPLATES = {
    "confirmation": "incidents_confirmation",
    "officer_alert": "incidents_officer_alert",
    "ambassador_alert": "incidents_ambassador_alert",
    "addition": "incidents_addition",
}


def dataleak_send_mail(*, leak_id: int, user_id: int, kind: str, event_id: int | None = None) -> bool:
    """Send one of the intake mails; at most once per report, kind and recipient."""
    from django.urls import reverse

    from core.mail import send_mail

    leak = DataLeak.objects.select_related("department", "organisation").filter(pk=leak_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if leak is None or user is None or kind not in MAIL_TEMPLATES:
        return False
    url = settings.SITE_URL + reverse("incidents:detail", args=[leak.pk])
    return send_mail(
        MAIL_TEMPLATES[kind],
        user.email,
        {"leak": leak, "user": user, "url": url},
        language=user.language,
        key=f"dataleak-{leak.pk}-{kind}-{user.pk}" + (f"-{event_id}" if event_id else ""),
    )


# --- handling -----------------------------------------------------------------------------------


def _set_status(leak: DataLeak, actor: Any, status: str) -> None:
    if leak.status == status:
        return
    old = leak.get_status_display()
    leak.status = status
    if status in DataLeak.FINAL_STATUSES:
        leak.closed_at = timezone.now()
    leak.save()
    _event(
        leak,
        actor,
        DataLeakEvent.Kind.STATUS,
        _("Status: %(old)s → %(new)s.") % {"old": old, "new": leak.get_status_display()},
    )


def _require_open(leak: DataLeak) -> None:
    if leak.is_final:
        raise ValidationError(_("This report is closed; it can no longer be changed."))


@transaction.atomic
def dataleak_start_assessment(*, leak: DataLeak, actor: User) -> DataLeak:
    _require_open(leak)
    if leak.assignee_id is None:
        dataleak_assign(leak=leak, actor=actor, assignee=actor)
    if leak.status == DataLeak.Status.REPORTED:
        _set_status(leak, actor, DataLeak.Status.ASSESSMENT)
    return leak


@transaction.atomic
def dataleak_assign(*, leak: DataLeak, actor: User, assignee: User | None) -> DataLeak:
    _require_open(leak)
    if leak.assignee_id == (assignee.pk if assignee else None):
        return leak
    leak.assignee = assignee
    leak.save(update_fields=["assignee", "updated_at"])
    text = _("Assigned to %(name)s.") % {"name": assignee.full_name} if assignee else _("Assignment removed.")
    _event(leak, actor, DataLeakEvent.Kind.ASSIGNMENT, text)
    return leak


@transaction.atomic
def dataleak_set_aware_at(*, leak: DataLeak, actor: User, aware_at: datetime.datetime, reason: str = "") -> DataLeak:
    """Awareness defaults to the discovery; the Privacy Officer may set another moment, later only with a reason."""
    _require_open(leak)
    validation.check_aware_at(leak, aware_at, reason)
    if aware_at == leak.aware_at:
        return leak
    old = leak.aware_at
    leak.aware_at = aware_at
    leak.aware_reason = reason.strip() if aware_at > leak.discovered_at else ""
    leak.save(update_fields=["aware_at", "aware_reason", "updated_at"])
    text = _("Aware since changed from %(old)s to %(new)s.") % {"old": _format(old), "new": _format(aware_at)}
    if reason.strip():
        text += " " + _("Reason: %(reason)s") % {"reason": reason.strip()}
    _event(leak, actor, DataLeakEvent.Kind.DECISION, text)
    return leak


def _format(moment: datetime.datetime) -> str:
    return short_datetime(moment)


@transaction.atomic
def dataleak_add_note(*, leak: DataLeak, actor: User, text: str) -> DataLeakEvent:
    return _event(leak, actor, DataLeakEvent.Kind.NOTE, text)


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
    """A field's value as the timeline keeps it: the choice's label, a local moment, at most 300 characters."""
    field = DataLeak._meta.get_field(name)
    value = getattr(leak, name)
    if value in (None, "", []):
        return "–"
    if field.choices:
        value = getattr(leak, f"get_{name}_display")()
    elif isinstance(value, bool):
        value = _("yes") if value else _("no")
    elif isinstance(value, datetime.datetime):
        value = _format(value)
    elif isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value)
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
    _require_open(leak)
    before = DataLeak.objects.get(pk=leak.pk)
    changed = [name for name in ASSESSMENT_FIELDS if name in data and getattr(before, name) != data[name]]
    if not changed:
        return leak
    reason = (reason or "").strip()
    if correction_required(before, changed) and not reason:
        raise ValidationError(_("You are correcting a recorded answer or decision: record the reason."))
    if "breach_ended_at" in changed:
        validation.check_breach_end(leak, data["breach_ended_at"])
    for name in changed:
        setattr(leak, name, data[name])
    leak.save()
    plain = [n for n in changed if n not in DECISION_FIELDS]
    kind = DataLeakEvent.Kind.CORRECTION if reason else DataLeakEvent.Kind.ASSESSMENT
    if plain:
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
        if reason:
            text += "\n" + _("Reason: %(reason)s") % {"reason": reason}
        _event(leak, actor, kind, text)
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
        _event(leak, actor, DataLeakEvent.Kind.DECISION, text)
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
        _event(leak, actor, DataLeakEvent.Kind.DECISION, text)
    if leak.status == DataLeak.Status.REPORTED:
        _set_status(leak, actor, DataLeak.Status.ASSESSMENT)
    return leak


def _initial_notification(leak: DataLeak) -> APNotification | None:
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

    _require_open(leak)
    validation.check_ap_notified_at(leak, notified_at)
    if kind != APNotification.Kind.INITIAL:
        initial = _initial_notification(leak)
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
        "when": _format(notified_at),
        "reference": ap_reference,
    }
    text += " " + (_("Complete.") if complete else _("Provisional, to be supplemented."))
    _event(leak, actor, DataLeakEvent.Kind.NOTIFICATION, text)
    if kind == APNotification.Kind.INITIAL and leak.status in (DataLeak.Status.REPORTED, DataLeak.Status.ASSESSMENT):
        _set_status(leak, actor, DataLeak.Status.AP_NOTIFIED)
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
    if not (reason or "").strip():
        raise ValidationError(_("Record why you correct this."))
    validation.check_ap_notified_at(leak, notified_at)
    if notification.kind != APNotification.Kind.INITIAL:
        initial = _initial_notification(leak)
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
    notification.notified_at = notified_at
    notification.ap_reference = ap_reference
    notification.complete = new_complete
    if notes is not None:
        notification.notes = notes
    notification.save()
    text = _(
        "%(kind)s to the AP corrected: %(old_when)s, AP reference %(old_reference)s → "
        "%(new_when)s, AP reference %(new_reference)s. Reason: %(reason)s"
    ) % {
        "kind": notification.get_kind_display(),
        "old_when": _format(old_at),
        "old_reference": old_reference,
        "new_when": _format(notified_at),
        "new_reference": ap_reference,
        "reason": reason.strip(),
    }
    if new_complete != old_complete:
        text += " " + (
            _("Provisional → complete.") if new_complete else _("Complete → provisional, to be supplemented.")
        )
    _event(leak, actor, DataLeakEvent.Kind.CORRECTION, text)
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
    if not (reason or "").strip():
        raise ValidationError(_("Record why you correct this."))
    validation.check_subjects_informed_on(leak, informed_on)
    old = _subjects_text(record)
    record.channel = channel
    record.informed_on = informed_on
    record.number_informed = number_informed
    if notes is not None:
        record.notes = notes
    record.save()
    _event(
        leak,
        actor,
        DataLeakEvent.Kind.CORRECTION,
        _("Informing the data subjects corrected: %(old)s → %(new)s Reason: %(reason)s")
        % {"old": old, "new": _subjects_text(record), "reason": reason.strip()},
    )
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
    _require_open(leak)
    validation.check_subjects_informed_on(leak, informed_on)
    record = SubjectNotification.objects.create(
        leak=leak,
        channel=channel,
        informed_on=informed_on,
        number_informed=number_informed,
        notes=notes,
        recorded_by=actor,
    )
    _event(leak, actor, DataLeakEvent.Kind.NOTIFICATION, _subjects_text(record))
    _set_status(leak, actor, DataLeak.Status.SUBJECTS_INFORMED)
    return record


@transaction.atomic
def dataleak_close(*, leak: DataLeak, actor: User, cause: str, lesson: str) -> DataLeak:
    _require_open(leak)
    if not leak.ap_decision or not leak.subjects_decision:
        raise ValidationError(_("Record both decisions (AP and data subjects) before closing the report."))
    leak.cause = cause
    leak.lesson = lesson
    leak.save()
    _event(
        leak,
        actor,
        DataLeakEvent.Kind.LESSON,
        _("Cause: %(cause)s Lesson: %(lesson)s") % {"cause": cause, "lesson": lesson},
    )
    _set_status(leak, actor, DataLeak.Status.CLOSED)
    return leak


@transaction.atomic
def dataleak_mark_no_leak(*, leak: DataLeak, actor: User, reason: str) -> DataLeak:
    _require_open(leak)
    leak.no_leak_reason = reason
    leak.ap_decision = leak.ap_decision or APDecision.NO_NOTIFY
    leak.ap_decision_reason = leak.ap_decision_reason or reason
    leak.save()
    _event(leak, actor, DataLeakEvent.Kind.DECISION, _("Not a data leak: %(reason)s") % {"reason": reason})
    _set_status(leak, actor, DataLeak.Status.NO_LEAK)
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
    _event(
        leak,
        actor,
        DataLeakEvent.Kind.REOPENED,
        _("Reopened (was: %(old)s, now: %(new)s). Reason: %(reason)s")
        % {"old": old, "new": leak.get_status_display(), "reason": reason.strip()},
    )
    return leak


@transaction.atomic
def dataleak_add_information(
    *, leak: DataLeak, actor: User, text: str, attachments: Iterable[Any] = ()
) -> DataLeakEvent:
    """The reporter adds to their report after sending it; the Privacy Officers are alerted after commit."""
    files = list(attachments)
    text = (text or "").strip()
    if not text and not files:
        raise ValidationError(_("Write something or add a file."))
    names = []
    for uploaded in files:
        DataLeakAttachment.objects.create(
            leak=leak, file=uploaded, original_name=uploaded.name[:255], size=uploaded.size or 0, uploaded_by=actor
        )
        names.append(uploaded.name[:255])
    body = text
    if names:
        body += ("\n" if body else "") + _("Attachments: %(names)s") % {"names": ", ".join(names)}
    event = _event(leak, actor, DataLeakEvent.Kind.ADDITION, body)
    for officer in _officer_recipients(leak.organisation_id):
        outbox.enqueue(
            NOTIFY_TASK,
            key=f"dataleak-{leak.pk}-addition-{event.pk}-{officer.pk}",
            leak_id=leak.pk,
            user_id=officer.pk,
            kind="addition",
            event_id=event.pk,
        )
    return event


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
    _event(leak, actor, DataLeakEvent.Kind.ASSIGNMENT, text)
    return leak


@transaction.atomic
def dataleak_save_letter(
    *, leak: DataLeak, actor: User, text: str, addressee: str = "", their_reference: str = ""
) -> DataLeak:
    if (text, addressee, their_reference) == (leak.letter_text, leak.letter_addressee, leak.letter_their_reference):
        return leak
    first = not leak.letter_text
    leak.letter_text, leak.letter_addressee, leak.letter_their_reference = text, addressee, their_reference
    leak.save(update_fields=["letter_text", "letter_addressee", "letter_their_reference", "updated_at"])
    _event(
        leak,
        actor,
        DataLeakEvent.Kind.LETTER,
        _("Draft letter to the data subjects saved.") if first else _("Draft letter to the data subjects changed."),
    )
    return leak


@transaction.atomic
def dataleak_letter_sent(
    *,
    leak: DataLeak,
    actor: User,
    text: str,
    sent_on: datetime.date,
    addressee: str = "",
    their_reference: str = "",
) -> SentLetter:
    """Keep the letter as sent with the report; later drafts never change it."""
    from incidents.letters import check_sendable

    check_sendable(text)
    validation.check_letter_sent_on(leak, sent_on)
    letter = SentLetter.objects.create(
        leak=leak,
        text=text,
        addressee=addressee,
        their_reference=their_reference,
        sent_on=sent_on,
        recorded_by=actor,
    )
    if (leak.letter_text, leak.letter_addressee, leak.letter_their_reference) != (text, addressee, their_reference):
        leak.letter_text, leak.letter_addressee, leak.letter_their_reference = text, addressee, their_reference
        leak.save(update_fields=["letter_text", "letter_addressee", "letter_their_reference", "updated_at"])
    _event(
        leak,
        actor,
        DataLeakEvent.Kind.LETTER,
        _("Letter to the data subjects sent on %(date)s; kept as sent.") % {"date": short_date(sent_on)},
    )
    return letter


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
    _event(leak, actor, DataLeakEvent.Kind.LESSON, _("Lesson proposed as a topic for the annual plan."))
    return suggestion


# --- retention ----------------------------------------------------------------------------------

ERASED_TEXT_FIELDS = [
    "on_behalf_of_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description",
    "actions_taken",
]


def dataleak_purge_details(*, now: datetime.datetime | None = None) -> int:
    """Erase the reporter's details and free texts of reports closed longer ago than the retention period.

    The register's facts (type, dates, department, kinds of data, numbers,
    assessment, decisions, notifications) remain. Notes and attachments go;
    the timeline keeps status changes and decisions but forgets the reporter.
    """
    from accounts.models import Organisation

    now = now or timezone.now()
    ids = []
    # Each organisation's own retention period (its setting, or the global default).
    for organisation in Organisation.objects.filter(
        pk__in=DataLeak.objects.filter(closed_at__isnull=False, details_erased_at__isnull=True).values(
            "organisation_id"
        )
    ):
        cutoff = now - datetime.timedelta(days=organisation.retention_days)
        ids += list(
            DataLeak.objects.filter(
                organisation=organisation, closed_at__lt=cutoff, details_erased_at__isnull=True
            ).values_list("pk", flat=True)
        )
    for leak_id in ids:
        with transaction.atomic():
            leak = DataLeak.objects.select_for_update().get(pk=leak_id)
            reporters = [pk for pk in (leak.reported_by_id, leak.on_behalf_of_id) if pk]
            for name in ERASED_TEXT_FIELDS:
                setattr(leak, name, "")
            leak.reported_by = None
            leak.on_behalf_of = None
            leak.details_erased_at = now
            leak.save()
            for attachment in leak.attachments.all():
                attachment.file.delete(save=False)
                attachment.delete()
            leak.events.filter(
                kind__in=[DataLeakEvent.Kind.NOTE, DataLeakEvent.Kind.REPORTED, DataLeakEvent.Kind.ADDITION]
            ).delete()
            leak.events.filter(actor_id__in=reporters).update(actor=None)
            _event(
                leak, None, DataLeakEvent.Kind.ERASURE, _("Reporter details and free texts erased (retention period).")
            )
    return len(ids)
