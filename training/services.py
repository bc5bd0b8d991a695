"""Writes of the training app: enrolment with a waiting list, attendance, reminders, calendar tokens, materials."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import calendar, history, materials, outbox
from core.models import CalendarFeedToken, OutboxMessage
from training.models import Enrolment, Material, Module, TrainingSession
from training.selectors import ambassador_progress

REMINDER_DAYS_BEFORE = 2


class EnrolmentError(Exception):
    """An enrolment or cancellation that the rules refuse; the message is for the user."""


def _locked(session: TrainingSession) -> TrainingSession:
    """The session row, locked until the transaction ends: the last seat goes to exactly one person."""
    return TrainingSession.objects.select_for_update().select_related("module").get(pk=session.pk)


SESSION_FIELDS = [
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "trainer",
    "external_trainer",
    "capacity",
    "enrolment_deadline",
    "open_to_all_staff",
]


def session_save(*, session: TrainingSession, reason: str = "", user: User | None = None) -> TrainingSession:
    """Create or update a session. A capacity below the number enrolled is refused with the names affected.

    A raised capacity moves people up from the waiting list. A session that has taken place is a fact: its edit
    needs a reason and is kept in its history (core.history).
    """
    before = None
    with transaction.atomic():
        if session.pk:
            stored = _locked(session)
            if stored.is_cancelled:
                raise ValidationError({NON_FIELD_ERRORS: _("This session was cancelled; it can no longer be changed.")})
            if stored.has_started():
                reason = history.require_reason(reason)
                before = history.snapshot(stored, SESSION_FIELDS)
            enrolled = list(Enrolment.objects.enrolled().filter(session=session).order_by("pk").select_related("user"))
            if session.capacity < len(enrolled):
                names = ", ".join(e.user.full_name for e in enrolled[session.capacity :])
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(count)s people are enrolled, more than %(capacity)s seats. Lowering the capacity "
                            "would take away the seats of: %(names)s. Cancel their enrolments first, or keep "
                            "the capacity."
                        )
                        % {"count": len(enrolled), "capacity": session.capacity, "names": names}
                    }
                )
        session.full_clean()
        session.save()
        _promote_waitlist(session)
        if before is not None:
            history.record(
                session,
                before=before,
                reason=reason,
                user=user,
                action="training.session_corrected",
                organisation_id=session.module.organisation_id,
            )
    return session


def enrolment_create(
    *, session: TrainingSession, user: User, by: User | None = None, now: datetime.datetime | None = None
) -> Enrolment:
    """Enrol ``user``; on the waiting list when the session is full.

    Refuses a cancelled session, one that started, a passed deadline and a
    second enrolment (a double click waits for the lock, then finds the first
    one). ``by``: an officer enrolling a colleague, which may be done after the
    enrolment deadline (until the session starts); the messages then name the colleague.
    """
    now = now or timezone.now()
    for_other = by is not None and by.pk != user.pk
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            raise EnrolmentError(_("This session was cancelled; nobody can enrol."))
        if session.has_started(now):
            raise EnrolmentError(_("This session has already taken place; you can no longer enrol."))
        if now > session.deadline and not for_other:
            raise EnrolmentError(_("The enrolment deadline of this session has passed."))
        existing = Enrolment.objects.active().filter(session=session, user=user).first()
        if existing is not None:
            if for_other:
                if existing.status == Enrolment.Status.WAITLISTED:
                    raise EnrolmentError(
                        _("%(name)s is already on the waiting list for this session.") % {"name": user.full_name}
                    )
                raise EnrolmentError(_("%(name)s is already enrolled for this session.") % {"name": user.full_name})
            if existing.status == Enrolment.Status.WAITLISTED:
                raise EnrolmentError(_("You are already on the waiting list for this session."))
            raise EnrolmentError(_("You are already enrolled for this session."))
        taken = Enrolment.objects.enrolled().filter(session=session).count()
        status = Enrolment.Status.ENROLLED if taken < session.capacity else Enrolment.Status.WAITLISTED
        try:
            with transaction.atomic():
                return Enrolment.objects.create(session=session, user=user, status=status)
        except IntegrityError:
            # Only reachable without the lock (it is what the unique constraint is for).
            raise EnrolmentError(_("You are already enrolled for this session."))


def enrolment_cancel(*, enrolment: Enrolment, now: datetime.datetime | None = None) -> Enrolment:
    """Cancel; a freed seat goes to the first person on the waiting list, who gets a mail."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(enrolment.session)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == Enrolment.Status.CANCELLED:
            return enrolment
        if session.has_started(now):
            raise EnrolmentError(_("This session has already started; you can no longer cancel."))
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.cancelled_at = now
        enrolment.save(update_fields=["status", "cancelled_at"])
        _promote_waitlist(session, now=now)
    return enrolment


def enrolment_remove(*, enrolment: Enrolment, by: User, now: datetime.datetime | None = None) -> Enrolment:
    """An officer removes someone's enrolment (or waiting-list place): a cancellation on their behalf.

    The freed seat goes to the first person on the waiting list, as when people cancel themselves.
    """
    return enrolment_cancel(enrolment=enrolment, now=now)


def session_cancel(
    *, session: TrainingSession, by: User, reason: str, now: datetime.datetime | None = None
) -> list[Enrolment]:
    """Cancel a session that has not started, with a reason.

    Every active enrolment (enrolled or waiting) is cancelled and its person
    is mailed through the outbox after commit, once per enrolment. Returns
    the enrolments that were cancelled.
    """
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling; the participants will read it.")})
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            raise EnrolmentError(_("This session was already cancelled."))
        if session.has_started(now):
            raise EnrolmentError(_("This session has already started; it can no longer be cancelled."))
        session.cancelled_at = now
        session.cancelled_by = by
        session.cancel_reason = reason
        session.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        affected = list(Enrolment.objects.active().filter(session=session).select_for_update())
        Enrolment.objects.filter(pk__in=[e.pk for e in affected]).update(
            status=Enrolment.Status.CANCELLED, cancelled_at=now
        )
        for enrolment in affected:
            outbox.enqueue(
                "training.tasks.send_session_cancelled",
                key=f"training-session-cancelled:{enrolment.pk}",
                enrolment_id=enrolment.pk,
            )
    return affected


def _promote_waitlist(session: TrainingSession, now: datetime.datetime | None = None) -> list[Enrolment]:
    """Fill free seats from the waiting list, in order (the caller holds the session lock)."""
    free = session.capacity - Enrolment.objects.enrolled().filter(session=session).count()
    if free <= 0 or session.has_started(now):
        return []
    promoted = list(Enrolment.objects.waitlisted().filter(session=session)[:free])
    for enrolment in promoted:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.promoted_at = now or timezone.now()
        enrolment.save(update_fields=["status", "promoted_at"])
        outbox.enqueue(
            "training.tasks.send_waitlist_promoted",
            key=f"training-promoted:{enrolment.pk}",
            enrolment_id=enrolment.pk,
        )
    return promoted


def attendance_register(
    *,
    session: TrainingSession,
    attended_ids: Collection[int],
    by: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """Set who attended among the enrolled; attendance completes the module for that person.

    Attendance once registered is a fact (the certificate and the progress rely on it): changing it is a correction
    with a reason, the earlier value kept in the enrolment's history (core.history). Returns the number of
    attendees. Unknown ids (another session, the waiting list) are ignored.
    """
    now = now or timezone.now()
    if session.is_cancelled:
        raise EnrolmentError(_("This session was cancelled; there is no attendance to register."))
    if timezone.localtime(session.starts_at).date() > timezone.localdate(now):
        raise EnrolmentError(_("Attendance can be registered from the day of the session."))
    attended_ids = set(attended_ids)
    with transaction.atomic():
        _locked(session)
        enrolled = Enrolment.objects.enrolled().filter(session=session)
        changed = [
            enrolment
            for enrolment in enrolled.select_for_update().select_related("user")
            if enrolment.attended != (enrolment.pk in attended_ids)
        ]
        corrected = [enrolment for enrolment in changed if enrolment.attendance_registered_at is not None]
        if corrected:
            reason = history.require_reason(reason)
        for enrolment in changed:
            before = history.snapshot(enrolment, ["attended"])
            enrolment.attended = enrolment.pk in attended_ids
            enrolment.attendance_registered_by = by
            enrolment.attendance_registered_at = now
            enrolment.save(update_fields=["attended", "attendance_registered_by", "attendance_registered_at"])
            if enrolment in corrected:
                history.record(
                    enrolment,
                    before=before,
                    reason=reason,
                    user=by,
                    action="training.attendance_corrected",
                    organisation_id=session.module.organisation_id,
                    at=now,
                )
        return enrolled.filter(attended=True).count()


def attendee_add(*, session: TrainingSession, user: User, by: User, now: datetime.datetime | None = None) -> Enrolment:
    """An officer adds someone who attended a session that has started or taken place (a walk-in, or a session
    entered afterwards): an enrolled place with attendance registered, so the module is complete and the
    certificate ready. Seats do not limit it: they attended. Someone on the waiting list moves into the session.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = _locked(session)
        if session.is_cancelled:
            raise EnrolmentError(_("This session was cancelled; there is no attendance to register."))
        if not session.has_started(now):
            raise EnrolmentError(_("This session has not started yet: enrol the colleague instead."))
        enrolment = Enrolment.objects.active().select_for_update().filter(session=session, user=user).first()
        if enrolment is not None and enrolment.status == Enrolment.Status.ENROLLED:
            raise EnrolmentError(
                _("%(name)s is already enrolled for this session; register the attendance instead.")
                % {"name": user.full_name}
            )
        enrolment = enrolment or Enrolment(session=session, user=user)
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.attended = True
        enrolment.attendance_registered_by = by
        enrolment.attendance_registered_at = now
        enrolment.save()
        return enrolment


def unenrolled_reminders_send(*, organisation_id: int, year: int, today: datetime.date | None = None) -> int:
    """Queue a reminder to each ambassador not enrolled for every mandatory module of ``year``.

    Keyed per person and day: a second click the same day mails nobody twice.
    Returns the number of reminders newly queued.
    """
    today = today or timezone.localdate()
    user_ids = list(
        ambassador_progress(organisation_id=organisation_id, year=year)
        .filter(missing__gt=0)
        .values_list("pk", flat=True)
    )
    keys = {user_id: f"training-unenrolled:{year}:{user_id}:{today.isoformat()}" for user_id in user_ids}
    already = set(OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    count = 0
    with transaction.atomic():
        for user_id, key in keys.items():
            if key in already:
                continue
            outbox.enqueue(
                "training.tasks.send_unenrolled_reminder", key=key, user_id=user_id, year=year, day=today.isoformat()
            )
            count += 1
    return count


def session_reminders_enqueue(*, now: datetime.datetime | None = None) -> int:
    """Queue a reminder for every enrolment in a session that starts within two days (once per enrolment)."""
    now = now or timezone.now()
    enrolment_ids = list(
        Enrolment.objects.enrolled()
        .filter(session__starts_at__gt=now, session__starts_at__lte=now + datetime.timedelta(days=REMINDER_DAYS_BEFORE))
        .filter(session__cancelled_at__isnull=True)
        .values_list("pk", flat=True)
    )
    keys = {pk: f"training-session-reminder:{pk}" for pk in enrolment_ids}
    already = set(OutboxMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    count = 0
    with transaction.atomic():
        for pk, key in keys.items():
            if key not in already:
                outbox.enqueue("training.tasks.send_session_reminder", key=key, enrolment_id=pk)
                count += 1
    return count


def calendar_feed_rotate(*, user: User) -> CalendarFeedToken:
    """A new secret link to the person's training calendar (the first one, or one that revokes the old)."""
    return calendar.feed_token_rotate(user=user, feed=calendar.Feed.TRAINING)


def module_save(*, module: Module, organisation_id: int) -> Module:
    module.organisation_id = organisation_id
    module.full_clean()
    module.save()
    return module


def material_add(*, module: Module, title: str, file=None, url: str = "", uploaded_by: User | None = None) -> Material:
    """A module's slides, handout or link: checked, stored and saved by the one material service (core.materials)."""
    return materials.material_create(Material, module=module, title=title, file=file, url=url, uploaded_by=uploaded_by)


def material_delete(*, material: Material) -> None:
    materials.material_delete(material)
