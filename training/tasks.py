"""Thin Celery tasks of the training app: each fetches by id, mails once per key and marks its outbox row done."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from core import outbox
from core.mail import MAIL_TASK_OPTIONS, mail_each, send_mail
from training import services
from training.models import Enrolment
from training.selectors import modules_with_status


def _enrolment(enrolment_id: int) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("user", "session__module", "session__trainer")
        .filter(pk=enrolment_id, status=Enrolment.Status.ENROLLED, user__is_active=True)
        .first()
    )


def _mail_enrolled(enrolment_id: int, name: str, key_prefix: str, outbox_id: int | None) -> None:
    """The one mail about an enrolment: to its person, once per key, then the outbox row is done."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is not None:
        mail_each(
            [enrolment.user],
            name,
            context=lambda user: {
                "enrolment": enrolment,
                "session": enrolment.session,
                "user": user,
                "url": settings.SITE_URL + reverse("training:session_detail", args=[enrolment.session_id]),
            },
            key=lambda _user: f"{key_prefix}:{enrolment.pk}",
        )
    outbox.mark_done(outbox_id)


@shared_task(name="training.tasks.send_waitlist_promoted", **MAIL_TASK_OPTIONS)
def send_waitlist_promoted(self, enrolment_id: int, outbox_id: int | None = None) -> None:
    """Tell the person who moved up from the waiting list that they have a seat."""
    _mail_enrolled(enrolment_id, "training_promoted", "training-promoted", outbox_id)


@shared_task(name="training.tasks.send_session_reminder", **MAIL_TASK_OPTIONS)
def send_session_reminder(self, enrolment_id: int, outbox_id: int | None = None) -> None:
    """Remind an enrolled person of a session that starts within two days."""
    _mail_enrolled(enrolment_id, "training_session_reminder", "training-session-reminder", outbox_id)


@shared_task(name="training.tasks.send_unenrolled_reminder", **MAIL_TASK_OPTIONS)
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
