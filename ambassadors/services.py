"""Writes of the ambassadors app: each function validates, saves and records its follow-up work."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Organisation, User
from accounts.permissions.roles import forget_roles
from accounts.security_events import role_change
from ambassadors.models import (
    Activity,
    Appointment,
    Event,
    Feedback,
    Nomination,
    PointsScheme,
    Recognition,
    Registration,
)
from core import audit, history, outbox, teams
from core.models import Correction
from core.submissions import store_once

# Colleague feedback: at most this many submissions per window, per user and per address.
FEEDBACK_RATE_LIMIT = getattr(settings, "AMBASSADORS_FEEDBACK_RATE_LIMIT", 5)
FEEDBACK_RATE_WINDOW = getattr(settings, "AMBASSADORS_FEEDBACK_RATE_WINDOW", 10 * 60)
TERM_END_NOTICE_DAYS = 61


class EventFull(Exception):
    """The event has reached its capacity."""


# --- Selection and rotation -------------------------------------------------------------------


@transaction.atomic
def nomination_submit(*, nominee: User, nominated_by: User, data: dict[str, Any]) -> Nomination:
    """A volunteer or a manager's nomination; one open nomination per person."""
    if Nomination.objects.open().filter(nominee=nominee).exists():
        raise ValidationError(_("%(name)s already has an open nomination.") % {"name": nominee})
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                organisation_id=nominee.organisation_id,
                nominee=nominee,
                nominated_by=nominated_by,
                department_id=nominee.department_id,
                motivation=data["motivation"],
                affinity=data["affinity"],
                influence=data["influence"],
                hours_available=data["hours_available"],
            )
    except IntegrityError:
        # A double submit raced the check above: the first one was stored.
        raise ValidationError(_("%(name)s already has an open nomination.") % {"name": nominee})


@transaction.atomic
def nomination_accept(*, nomination: Nomination, officer: User, data: dict[str, Any]) -> Appointment:
    """Appoint the candidate; a predecessor's term ends the day before the successor's starts."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != Nomination.Status.OPEN:
        raise ValidationError(_("This nomination has already been decided."))
    predecessor: Appointment | None = data.get("predecessor")
    appointment = Appointment(
        organisation_id=nomination.organisation_id,
        user_id=nomination.nominee_id,
        kind=data["kind"],
        external_organisation=data.get("external_organisation", ""),
        contract_end=data.get("contract_end"),
        term_start=data["term_start"],
        term_end=data.get("term_end"),
        hours_per_month=data["hours_per_month"],
        nomination=nomination,
        predecessor=predecessor,
        handover_note=data.get("handover_note", ""),
    )
    appointment.full_clean(exclude=["departments"])
    appointment.save()
    appointment.departments.set(data["departments"])
    role_change(appointment.user_id, f"ambassador appointment {appointment.pk} added", actor=officer)
    if predecessor is not None:
        last_day = appointment.term_start - datetime.timedelta(days=1)
        if predecessor.term_end is None or predecessor.term_end > last_day:
            Appointment.objects.filter(pk=predecessor.pk).update(term_end=max(last_day, predecessor.term_start))
            role_change(predecessor.user_id, f"ambassador appointment {predecessor.pk} changed", actor=officer)
    nomination.status = Nomination.Status.ACCEPTED
    nomination.decided_by = officer
    nomination.decided_at = timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at"])
    outbox.enqueue(
        "ambassadors.tasks.send_nomination_decision",
        key=f"ambassadors:nomination-decision:{nomination.pk}",
        nomination_id=nomination.pk,
    )
    forget_roles(nomination.nominee)
    return appointment


@transaction.atomic
def nomination_decline(*, nomination: Nomination, officer: User, reason: str) -> Nomination:
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != Nomination.Status.OPEN:
        raise ValidationError(_("This nomination has already been decided."))
    nomination.status = Nomination.Status.DECLINED
    nomination.decline_reason = reason
    nomination.decided_by = officer
    nomination.decided_at = timezone.now()
    nomination.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    outbox.enqueue(
        "ambassadors.tasks.send_nomination_decision",
        key=f"ambassadors:nomination-decision:{nomination.pk}",
        nomination_id=nomination.pk,
    )
    return nomination


def term_end_recipients(appointment: Appointment) -> list[User]:
    """The organisation's officers and the managers of the departments the term covers."""
    officers = User.objects.active().filter(organisation_id=appointment.organisation_id, officer_roles__isnull=False)
    managers = User.objects.active().filter(
        organisation_id=appointment.organisation_id, managed_departments__in=appointment.departments.all()
    )
    return list((officers | managers).distinct().order_by("pk"))


@transaction.atomic
def appointment_send_term_end_reminders(*, today: datetime.date | None = None) -> int:
    """Queue a reminder for every term that ends within two months; each term is reminded once."""
    day = today or timezone.localdate()
    count = 0
    for appointment in Appointment.objects.ending_within(TERM_END_NOTICE_DAYS, day).only("pk", "term_end"):
        message = outbox.enqueue(
            "ambassadors.tasks.send_term_end_reminder",
            key=f"ambassadors:term-end:{appointment.pk}:{appointment.term_end:%Y-%m-%d}",
            appointment_id=appointment.pk,
        )
        count += message.done_at is None
    return count


# --- Activity log -------------------------------------------------------------------------------


def _appointment_for(user: User, department: Department | None) -> Appointment | None:
    current = Appointment.objects.visible_to(user).current().filter(user=user)
    if department is not None:
        match = current.filter(departments=department).first()
        if match is not None:
            return match
    return current.first()


@transaction.atomic
def activity_log(*, user: User, data: dict[str, Any], token: uuid.UUID | None = None) -> tuple[Activity, bool]:
    """Store an activity once, whatever the number of clicks (the form's token, see core.submissions)."""

    def create() -> Activity:
        department = data.get("department")
        appointment = _appointment_for(user, department)
        if department is None and appointment is not None:
            department = appointment.departments.order_by("path").first()
        return Activity.objects.create(
            organisation_id=user.organisation_id,
            user=user,
            appointment=appointment,
            department=department,
            kind=data["kind"],
            topic=data.get("topic"),
            date=data["date"],
            hours=data["hours"],
            colleagues_reached=data.get("colleagues_reached") or 0,
            note=data.get("note", ""),
        )

    return store_once(token, user=user, create=create)


@transaction.atomic
def activity_update(*, activity: Activity, data: dict[str, Any]) -> Activity:
    for field in ("kind", "topic", "date", "hours", "colleagues_reached", "note"):
        setattr(activity, field, data.get(field) if field != "colleagues_reached" else data.get(field) or 0)
    if data.get("department") is not None:
        activity.department = data["department"]
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    activity.delete()


# --- Corrections of records others rely on -------------------------------------------------------


@transaction.atomic
def appointment_correct(*, appointment: Appointment, officer: User, data: dict[str, Any]) -> Correction | None:
    """End a term early, extend it, or correct the hours: with a reason, the old values kept."""
    correction = history.correct(
        appointment,
        fields=["term_end", "hours_per_month"],
        data=data,
        reason=data["reason"],
        user=officer,
        action="ambassadors.appointment_corrected",
        organisation_id=appointment.organisation_id,
    )
    if correction is not None:
        role_change(appointment.user_id, f"ambassador appointment {appointment.pk} changed", actor=officer)
    forget_roles(appointment.user)
    return correction


@transaction.atomic
def activity_correct(*, activity: Activity, officer: User, data: dict[str, Any]) -> Correction | None:
    """An officer corrects a logged activity (also in a closed quarter): the figures it fed are facts, so the
    old values stay with the reason."""
    data = {**data, "colleagues_reached": data.get("colleagues_reached") or 0, "note": data.get("note") or ""}
    return history.correct(
        activity,
        fields=["kind", "date", "hours", "colleagues_reached", "topic", "note"],
        data=data,
        reason=data["reason"],
        user=officer,
        action="ambassadors.activity_corrected",
        organisation_id=activity.organisation_id,
    )


# --- Colleague feedback -------------------------------------------------------------------------


def _hit(key: str) -> int:
    if cache.add(key, 1, FEEDBACK_RATE_WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, FEEDBACK_RATE_WINDOW)
        return 1


def feedback_rate_limited(*, user_id: int | None, ip: str | None) -> bool:
    """Count a submission per user and per address; True once either exceeds the limit.

    The address is hashed for the cache key and never written to the database.
    """
    keys = []
    if user_id is not None:
        keys.append(f"ambassadors:feedback-rate:user:{user_id}")
    if ip:
        keys.append(f"ambassadors:feedback-rate:ip:{hashlib.sha256(ip.encode()).hexdigest()}")
    return any(_hit(key) > FEEDBACK_RATE_LIMIT for key in keys)


@transaction.atomic
def feedback_submit(
    *,
    department: Department,
    author: User,
    data: dict[str, Any],
    ip: str | None = None,
    token: uuid.UUID | None = None,
) -> tuple[Feedback, bool]:
    """Colleague feedback from the form. Anonymous: neither the user nor the address is kept, not even with the
    submission token (it is stored without a user, so nothing links the feedback to who sent it)."""
    anonymous = bool(data.get("is_anonymous"))
    return store_once(
        token,
        user=None if anonymous else author,
        create=lambda: Feedback.objects.create(
            organisation_id=department.organisation_id,
            department=department,
            category=data["category"],
            message=data["message"],
            is_anonymous=anonymous,
            author=None if anonymous else author,
            ip_address=None if anonymous else (ip or None),
            source=Feedback.Source.FORM,
        ),
    )


@transaction.atomic
def feedback_record(*, ambassador: User, data: dict[str, Any], token: uuid.UUID | None = None) -> tuple[Feedback, bool]:
    """Feedback an ambassador heard in conversation; the colleague stays unnamed."""
    department: Department = data["department"]
    return store_once(
        token,
        user=ambassador,
        create=lambda: Feedback.objects.create(
            organisation_id=department.organisation_id,
            department=department,
            category=data["category"],
            message=data["message"],
            is_anonymous=True,
            source=Feedback.Source.CONVERSATION,
            recorded_by=ambassador,
        ),
    )


@transaction.atomic
def feedback_triage(*, feedback: Feedback, officer: User, data: dict[str, Any]) -> Feedback:
    """Follow up feedback: its status and answer, and (an officer's) the plan topic and the procedure concerned.

    ``officer`` is who follows it up: an officer or the department's ambassador. A field ``data`` does not hold
    (the ambassador's form has no topic or procedure) keeps its value.
    """
    feedback.status = data.get("status") or feedback.status
    if "topic" in data:
        feedback.topic = data["topic"]
    if "procedure" in data:
        feedback.procedure = data["procedure"] or ""
    answer = data.get("answer", "")
    # Compare with the stored answer: a bound ModelForm has already copied the new one onto the instance.
    previous = Feedback.objects.filter(pk=feedback.pk).values_list("answer", flat=True).first()
    if answer and answer != previous:
        feedback.answered_at = timezone.now()
        feedback.answered_by = officer
    feedback.answer = answer
    feedback.save()
    if previous and answer != previous and data.get("correction_reason"):
        # The department (and the author) already read the old answer: keep it, with why it changed.
        history.record(
            feedback,
            before={"answer": previous},
            reason=data["correction_reason"],
            user=officer,
            action="ambassadors.feedback_answer_corrected",
            organisation_id=feedback.organisation_id,
        )
    return feedback


# --- Community ----------------------------------------------------------------------------------

EVENT_FIELDS = ("kind", "title", "starts_at", "ends_at", "location", "online_url", "agenda", "capacity", "notes")


@transaction.atomic
def event_create(
    *, organisation: Organisation, officer: User, data: dict[str, Any], token: uuid.UUID | None = None
) -> tuple[Event, bool]:
    values = {field: data.get(field) for field in EVENT_FIELDS if field in data}
    for text_field in ("location", "online_url", "agenda", "notes"):
        values[text_field] = values.get(text_field) or ""
    event, created = store_once(
        token,
        user=officer,
        create=lambda: Event.objects.create(organisation=organisation, created_by=officer, **values),
    )
    if not created:
        return event, False
    teams.announce(
        key=f"event:{event.pk}:created",
        organisation_id=event.organisation_id,
        title=event.title,
        text=f"{timezone.localtime(event.starts_at):%d-%m-%Y %H:%M} · {event.location or event.online_url}",
        path=reverse("ambassadors:event", args=[event.pk]),
    )
    return event, True


@transaction.atomic
def event_update(*, event: Event, data: dict[str, Any]) -> Event:
    for field in EVENT_FIELDS:
        if field in data:
            value = data[field]
            setattr(event, field, value if value is not None or field == "capacity" else "")
    event.save()
    return event


@transaction.atomic
def event_register(*, event: Event, user: User) -> Registration:
    """RSVP once per person; refused when the event is full."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None:
        return existing
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise EventFull
    try:
        with transaction.atomic():
            return Registration.objects.create(event=event, user=user)
    except IntegrityError:
        return Registration.objects.get(event=event, user=user)


@transaction.atomic
def event_unregister(*, event: Event, user: User) -> None:
    Registration.objects.filter(event=event, user=user).delete()


@transaction.atomic
def event_record_attendance(*, event: Event, attended_ids: set[int]) -> None:
    event.registrations.filter(user_id__in=attended_ids).update(attended=True)
    event.registrations.exclude(user_id__in=attended_ids).update(attended=False)


# --- Recognition --------------------------------------------------------------------------------


@transaction.atomic
def recognition_create(
    *, ambassador: User, given_by: User, data: dict[str, Any], token: uuid.UUID | None = None
) -> tuple[Recognition, bool]:
    send = bool(data.get("send_mail"))
    recognition, created = store_once(
        token,
        user=given_by,
        create=lambda: Recognition.objects.create(
            organisation_id=ambassador.organisation_id,
            ambassador=ambassador,
            kind=data["kind"],
            title=data["title"],
            message=data.get("message", ""),
            given_by=given_by,
            mailed=send,
            level_points=data.get("level_points"),
        ),
    )
    if not created:
        return recognition, False
    if send:
        outbox.enqueue(
            "ambassadors.tasks.send_recognition",
            key=f"ambassadors:recognition:{recognition.pk}",
            recognition_id=recognition.pk,
        )
    return recognition, True


@transaction.atomic
def recognition_update(*, recognition: Recognition, user: User, data: dict[str, Any]) -> Recognition:
    """Correct the wording of a recognition (a typo, the wrong title); a mail already sent stays sent."""
    for field in ("kind", "title", "message"):
        setattr(recognition, field, data.get(field) or "")
    recognition.save(update_fields=["kind", "title", "message"])
    audit.record("ambassadors.recognition_updated", actor=user, obj=recognition)
    return recognition


@transaction.atomic
def recognition_delete(*, recognition: Recognition, user: User) -> None:
    audit.record("ambassadors.recognition_deleted", actor=user, obj=recognition)
    recognition.delete()


@transaction.atomic
def event_delete(*, event: Event, user: User) -> None:
    """Call off an event that has not taken place; those registered are no longer expected."""
    audit.record("ambassadors.event_deleted", actor=user, obj=event)
    event.delete()


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, user: User) -> None:
    """The candidate or whoever nominated them withdraws an open nomination (a decided one is a record)."""
    if nomination.status != Nomination.Status.OPEN:
        raise ValidationError(_("This nomination has already been decided."))
    audit.record("ambassadors.nomination_withdrawn", actor=user, obj=nomination)
    nomination.delete()


@transaction.atomic
def points_scheme_save(*, organisation_id: int, data: dict[str, Any], user: User):
    scheme, _created = PointsScheme.objects.select_for_update().get_or_create(organisation_id=organisation_id)
    scheme.points = data["points"]
    scheme.levels = data["levels"]
    scheme.updated_by = user
    scheme.save()
    return scheme
