"""Thin Celery tasks of the ambassadors app: fetch by id, send through core.mail, mark the outbox done."""

from __future__ import annotations

from celery import shared_task

from ambassadors import reminders, services
from ambassadors.models import Appointment, Nomination, Recognition
from core import outbox
from core.locks import single_run
from core.mail import send_mail


@shared_task(
    name="ambassadors.tasks.send_nomination_decision",
    bind=True,
    acks_late=True,
    max_retries=10,
    default_retry_delay=60,
)
def send_nomination_decision(self, *, nomination_id: int, outbox_id: int | None = None) -> None:
    nomination = (
        Nomination.objects.select_related("nominee", "organisation", "decided_by").filter(pk=nomination_id).first()
    )
    if nomination is None or nomination.status == Nomination.Status.OPEN:
        outbox.mark_done(outbox_id)
        return
    accepted = nomination.status == Nomination.Status.ACCEPTED
    appointment = Appointment.objects.filter(nomination=nomination).prefetch_related("departments").first()
    name = "ambassadors_nomination_accepted" if accepted else "ambassadors_nomination_declined"
    try:
        send_mail(
            name,
            nomination.nominee.email,
            {"nomination": nomination, "user": nomination.nominee, "appointment": appointment},
            language=nomination.nominee.language,
            key=f"ambassadors:nomination-decision:{nomination.pk}",
        )
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)


@shared_task(
    name="ambassadors.tasks.send_term_end_reminder",
    bind=True,
    acks_late=True,
    max_retries=10,
    default_retry_delay=60,
)
def send_term_end_reminder(self, *, appointment_id: int, outbox_id: int | None = None) -> None:
    appointment = (
        Appointment.objects.select_related("user").prefetch_related("departments").filter(pk=appointment_id).first()
    )
    if appointment is None or appointment.term_end is None:
        outbox.mark_done(outbox_id)
        return
    try:
        for recipient in services.term_end_recipients(appointment):
            send_mail(
                "ambassadors_term_ending",
                recipient.email,
                {"appointment": appointment, "user": recipient, "ambassador": appointment.user},
                language=recipient.language,
                key=f"ambassadors:term-end:{appointment.pk}:{appointment.term_end:%Y-%m-%d}:{recipient.pk}",
            )
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)


@shared_task(name="ambassadors.tasks.send_term_end_reminders", acks_late=True)
def send_term_end_reminders() -> int:
    """Daily (beat): queue the reminders of terms ending within two months."""
    return services.appointment_send_term_end_reminders()


@shared_task(
    name="ambassadors.tasks.send_recognition",
    bind=True,
    acks_late=True,
    max_retries=10,
    default_retry_delay=60,
)
def send_recognition(self, *, recognition_id: int, outbox_id: int | None = None) -> None:
    recognition = Recognition.objects.select_related("ambassador", "given_by").filter(pk=recognition_id).first()
    if recognition is None:
        outbox.mark_done(outbox_id)
        return
    try:
        send_mail(
            "ambassadors_recognition",
            recognition.ambassador.email,
            {"recognition": recognition, "user": recognition.ambassador},
            language=recognition.ambassador.language,
            key=f"ambassadors:recognition:{recognition.pk}",
        )
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)


@shared_task(name="ambassadors.tasks.send_idle_reminders")
def send_idle_reminders() -> int:
    """Daily: a nudge to ambassadors who logged nothing for four weeks."""
    with single_run("ambassadors.idle_reminders", ttl=3600) as mine:
        return reminders.send_idle_ambassador_reminders() if mine else 0


@shared_task(name="ambassadors.tasks.send_unanswered_feedback_reminders")
def send_unanswered_feedback_reminders() -> int:
    """Daily: officers hear of feedback that has waited two weeks for an answer."""
    with single_run("ambassadors.feedback_reminders", ttl=3600) as mine:
        return reminders.send_unanswered_feedback_reminders() if mine else 0
