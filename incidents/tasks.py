"""Thin Celery tasks: fetch by id, call a service, mark the outbox message done."""

from __future__ import annotations

from celery import shared_task

from core import outbox
from core.locks import single_run
from incidents import reminders, services


@shared_task(
    name="incidents.tasks.send_dataleak_mail", bind=True, acks_late=True, max_retries=10, default_retry_delay=60
)
def send_dataleak_mail(
    self, leak_id: int, user_id: int, kind: str, outbox_id: int | None = None, event_id: int | None = None
) -> bool:
    """The reporter's confirmation, an alert to a Privacy Officer or an ambassador, or a reporter's addition."""
    try:
        sent = services.dataleak_send_mail(leak_id=leak_id, user_id=user_id, kind=kind, event_id=event_id)
    except Exception as exc:  # noqa: BLE001 - the mail server is down: retry later
        raise self.retry(exc=exc)
    outbox.mark_done(outbox_id)
    return sent


@shared_task(name="incidents.tasks.purge_dataleak_details", bind=True, acks_late=True, max_retries=3)
def purge_dataleak_details(self) -> int:
    """Erase reporter details and free texts after the retention period (schedule daily)."""
    return services.dataleak_purge_details()


@shared_task(name="incidents.tasks.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Every 15 minutes: the 24/48/60-hour reminders and the overdue escalation, each mailed once."""
    with single_run("incidents.deadline_reminders", ttl=600) as mine:
        return reminders.send_deadline_reminders() if mine else 0
