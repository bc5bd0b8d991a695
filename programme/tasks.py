from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core import outbox
from core.locks import single_run
from programme import delivery, reminders


@shared_task(name="programme.tasks.deliver_mailing", bind=True, acks_late=True, max_retries=10, default_retry_delay=60)
def deliver_mailing(self, *, mailing_id: int, outbox_id: int | None = None) -> int:
    """One delivery run; safe to run twice or concurrently (rows are claimed before they are sent)."""
    try:
        sent = delivery.mailing_deliver(mailing_id=mailing_id)
    except Exception as exc:
        raise self.retry(exc=exc) from exc
    outbox.mark_done(outbox_id)
    return sent


@shared_task(name="programme.tasks.resume_stalled_mailings")
def resume_stalled_mailings() -> int:
    """Every minute: a mailing whose worker died is taken up again, without anyone acting."""
    with single_run("programme.resume_stalled_mailings", ttl=max(5, int(settings.MAILING_RESUME_SECONDS))) as mine:
        return delivery.mailings_resume_stalled() if mine else 0


@shared_task(name="programme.tasks.start_due_mailings")
def start_due_mailings() -> int:
    """Daily: at the start of a quarter, start that quarter's mailing of every organisation."""
    with single_run("start_due_mailings", ttl=3600) as mine:
        if not mine:
            return 0
        mailings = delivery.due_mailings(timezone.localdate())
        for mailing in mailings:
            delivery.mailing_start(mailing=mailing)
        return len(mailings)


@shared_task(name="programme.tasks.send_budget_overrun_alerts")
def send_budget_overrun_alerts() -> int:
    """Daily: officers hear of a budget line whose spend passed its plan."""
    with single_run("programme.budget_overrun", ttl=3600) as mine:
        return reminders.send_budget_overrun_alerts() if mine else 0
