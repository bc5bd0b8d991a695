"""Thin Celery tasks of the training app: each fetches by id, mails once per key and marks its outbox row done."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from core import outbox
from core.mail import send_mail
from training import services
from training.models import Enrolment
from training.selectors import modules_with_status

TASK_OPTIONS = {"bind": True, "acks_late": True, "max_retries": 10, "default_retry_delay": 60}


def _enrolment(enrolment_id: int) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("user", "session__module", "session__trainer")
        .filter(pk=enrolment_id, status=Enrolment.Status.ENROLLED)
        .first()
    )


def _session_url(enrolment: Enrolment) -> str:
    return settings.SITE_URL + reverse("training:session_detail", args=[enrolment.session_id])


@shared_task(name="training.tasks.send_waitlist_promoted", **TASK_OPTIONS)
def send_waitlist_promoted(self, enrolment_id: int, outbox_id: int | None = None) -> None:
    """Tell the person who moved up from the waiting list that they have a seat."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is not None and enrolment.user.is_active:
        send_mail(
            "training_promoted",
            enrolment.user.email,
            {
                "enrolment": enrolment,
                "session": enrolment.session,
                "user": enrolment.user,
                "url": _session_url(enrolment),
            },
            language=enrolment.user.language,
            key=f"training-promoted:{enrolment.pk}",
        )
    outbox.mark_done(outbox_id)


@shared_task(name="training.tasks.send_session_reminder", **TASK_OPTIONS)
def send_session_reminder(self, enrolment_id: int, outbox_id: int | None = None) -> None:
    """Remind an enrolled person of a session that starts within two days."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is not None and enrolment.user.is_active:
        send_mail(
            "training_session_reminder",
            enrolment.user.email,
            {
                "enrolment": enrolment,
                "session": enrolment.session,
                "user": enrolment.user,
                "url": _session_url(enrolment),
            },
            language=enrolment.user.language,
            key=f"training-session-reminder:{enrolment.pk}",
        )
    outbox.mark_done(outbox_id)


@shared_task(name="training.tasks.send_session_cancelled", **TASK_OPTIONS)
def send_session_cancelled(self, enrolment_id: int, outbox_id: int | None = None) -> None:
    """Tell a person who was enrolled (or waiting) that the session was cancelled, and why."""
    enrolment = (
        Enrolment.objects.select_related("user", "session__module", "session__trainer")
        .filter(pk=enrolment_id, session__cancelled_at__isnull=False)
        .first()
    )
    if enrolment is not None and enrolment.user.is_active:
        send_mail(
            "training_session_cancelled",
            enrolment.user.email,
            {
                "enrolment": enrolment,
                "session": enrolment.session,
                "user": enrolment.user,
                "url": settings.SITE_URL + reverse("training:offer"),
            },
            language=enrolment.user.language,
            key=f"training-session-cancelled:{enrolment.pk}",
        )
    outbox.mark_done(outbox_id)


@shared_task(name="training.tasks.send_unenrolled_reminder", **TASK_OPTIONS)
def send_unenrolled_reminder(self, user_id: int, year: int, day: str, outbox_id: int | None = None) -> None:
    """Remind an ambassador of the mandatory modules they have not enrolled for."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        missing = [m for m in modules_with_status(user=user, year=year).filter(is_mandatory=True) if not m.is_covered]
        if missing:
            send_mail(
                "training_unenrolled",
                user.email,
                {"user": user, "modules": missing, "year": year, "url": settings.SITE_URL + reverse("training:offer")},
                language=user.language,
                key=f"training-unenrolled:{year}:{user_id}:{day}",
            )
    outbox.mark_done(outbox_id)


@shared_task(name="training.tasks.enqueue_session_reminders")
def enqueue_session_reminders() -> int:
    """Scheduled (hourly): queue the "session in two days" reminders; each enrolment is reminded once."""
    return services.session_reminders_enqueue()
