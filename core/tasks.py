import logging

from celery import shared_task

from core import outbox, teams
from core.locks import single_run

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Dispatch follow-up work that never reached the broker (run by beat every minute)."""
    with single_run("sweep_outbox", ttl=300) as mine:
        return outbox.sweep() if mine else 0


@shared_task(
    name="core.tasks.post_to_teams",
    bind=True,
    acks_late=True,
    max_retries=8,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
)
def post_to_teams(
    self, *, webhook_url: str, title: str, text: str, url: str = "", outbox_id: int | None = None
) -> None:
    """Post a card to a Teams channel; a failure is logged and retried with backoff, never shown to a user."""
    if outbox.is_done(outbox_id):
        return
    try:
        teams.post(webhook_url, teams.card(title, text, url))
    except OSError as exc:
        logger.warning("Teams post failed (attempt %s): %s", self.request.retries + 1, type(exc).__name__)
        raise
    outbox.mark_done(outbox_id)
