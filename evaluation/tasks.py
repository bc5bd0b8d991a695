"""Thin Celery tasks of the evaluation app: fetch by id, send through core.mail, mark the outbox done."""

from __future__ import annotations

import datetime

from celery import shared_task

from core import outbox
from core.mail import send_mail
from evaluation.surveys import services
from evaluation.surveys.models import Participation, Survey

# --- Surveys ------------------------------------------------------------------------------------


@shared_task(
    name="evaluation.tasks.send_survey_invitations",
    bind=True,
    acks_late=True,
    max_retries=10,
    default_retry_delay=60,
)
def send_survey_invitations(self, *, survey_id: int, outbox_id: int | None = None) -> int:
    """Expand the survey's one outbox message into a mail per participant; a retry skips those sent."""
    survey = Survey.objects.select_related("organisation").filter(pk=survey_id).first()
    if survey is None or not survey.is_open:
        outbox.mark_done(outbox_id)
        return 0
    sent = 0
    participations = (
        Participation.objects.filter(survey=survey, user__is_active=True, responded_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    try:
        for participation in participations.iterator(chunk_size=500):
            user = participation.user
            sent += send_mail(
                "evaluation_survey_invitation",
                user.email,
                {"survey": survey, "user": user},
                language=user.language,
                key=f"evaluation:survey-invitation:{survey.pk}:{user.pk}",
            )
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)
    return sent


@shared_task(
    name="evaluation.tasks.send_survey_reminder",
    bind=True,
    acks_late=True,
    max_retries=10,
    default_retry_delay=60,
)
def send_survey_reminder(self, *, survey_id: int, day: str, outbox_id: int | None = None) -> int:
    """Mail everyone invited who has not responded yet, once per survey, person and day."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not survey.accepts_responses(datetime.date.fromisoformat(day)):
        outbox.mark_done(outbox_id)
        return 0
    sent = 0
    try:
        for participation in services.reminder_recipients(survey).iterator(chunk_size=500):
            user = participation.user
            sent += send_mail(
                "evaluation_survey_reminder",
                user.email,
                {"survey": survey, "user": user},
                language=user.language,
                key=f"evaluation:survey-reminder:{survey.pk}:{user.pk}:{day}",
            )
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)
    return sent


@shared_task(name="evaluation.tasks.send_survey_reminders", acks_late=True)
def send_survey_reminders() -> int:
    """Daily (beat): queue reminders for open surveys whose deadline is near."""
    return services.survey_send_reminders()


@shared_task(name="evaluation.tasks.close_expired_surveys", acks_late=True)
def close_expired_surveys() -> int:
    """Daily (beat), just after midnight: close open surveys whose deadline has passed."""
    return services.survey_close_expired()
