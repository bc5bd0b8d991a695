"""Thin Celery tasks of the evaluation app: fetch by id, send through core.mail, mark the outbox done."""

from __future__ import annotations

import datetime

from celery import shared_task

from core import outbox
from core.locks import single_run
from core.mail import MAIL_TASK_OPTIONS, mail_each
from evaluation.dashboards import rollup
from evaluation.surveys import services
from evaluation.surveys.models import Participation, Survey


def _mail_participants(task, survey: Survey, participations, name: str, key, outbox_id: int | None) -> int:
    """Mail each participant once per key (a retry skips those sent), then the outbox row is done."""
    try:
        sent = mail_each(
            (participation.user for participation in participations.iterator(chunk_size=500)),
            name,
            context=lambda user: {"survey": survey, "user": user},
            key=key,
        )
    except Exception as exc:
        raise task.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)
    return sent


# --- Surveys ------------------------------------------------------------------------------------


@shared_task(name="evaluation.tasks.send_survey_invitations", **MAIL_TASK_OPTIONS)
def send_survey_invitations(self, *, survey_id: int, outbox_id: int | None = None) -> int:
    """Expand the survey's one outbox message into a mail per participant; a retry skips those sent."""
    survey = Survey.objects.select_related("organisation").filter(pk=survey_id).first()
    if survey is None or not survey.is_open:
        outbox.mark_done(outbox_id)
        return 0
    participations = (
        Participation.objects.filter(survey=survey, user__is_active=True, responded_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    return _mail_participants(
        self,
        survey,
        participations,
        "evaluation_survey_invitation",
        lambda user: f"evaluation:survey-invitation:{survey.pk}:{user.pk}",
        outbox_id,
    )


@shared_task(name="evaluation.tasks.send_survey_reminder", **MAIL_TASK_OPTIONS)
def send_survey_reminder(self, *, survey_id: int, day: str, outbox_id: int | None = None) -> int:
    """Mail everyone invited who has not responded yet, once per survey, person and day."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not survey.accepts_responses(datetime.date.fromisoformat(day)):
        outbox.mark_done(outbox_id)
        return 0
    recipients = services.reminder_recipients(survey)
    return _mail_participants(
        self,
        survey,
        recipients,
        "evaluation_survey_reminder",
        lambda user: f"evaluation:survey-reminder:{survey.pk}:{user.pk}:{day}",
        outbox_id,
    )


@shared_task(name="evaluation.tasks.send_survey_reminders", acks_late=True)
def send_survey_reminders() -> int:
    """Daily (beat): queue reminders for open surveys whose deadline is near."""
    return services.survey_send_reminders()


@shared_task(name="evaluation.tasks.close_expired_surveys", acks_late=True)
def close_expired_surveys() -> int:
    """Daily (beat), just after midnight: close open surveys whose deadline has passed."""
    return services.survey_close_expired()


ROLLUP_LOCK_SECONDS = 15 * 60


@shared_task(name="evaluation.tasks.refresh_rollups", acks_late=True)
def refresh_rollups() -> int:
    """Every ``DASHBOARD_ROLLUP_SECONDS`` (beat): count the dashboards' figures per department anew.

    One run at a time (a second beat or a slow run skips); the pages count live when no run is recent.
    """
    # The lock outlives any real run (seconds to a minute) and frees itself a quarter of an hour after a worker
    # that died holding it; a stale rollup meanwhile is not shown (DASHBOARD_ROLLUP_MAX_AGE_SECONDS).
    with single_run("evaluation.refresh_rollups", ttl=ROLLUP_LOCK_SECONDS) as mine:
        if not mine:
            return 0
        return rollup.refresh_all()
