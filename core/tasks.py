import logging

from celery import shared_task

from core import outbox, submissions, teams
from core.locks import single_run

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Dispatch follow-up work that never reached the broker (run by beat every minute)."""
    with single_run("sweep_outbox", ttl=300) as mine:
        return outbox.sweep() if mine else 0


@shared_task(name="core.tasks.audit_checkpoint")
def audit_checkpoint() -> bool:
    """Write the audit chain's head outside the database (beat, every ``AUDIT_CHECKPOINT_SECONDS``)."""
    from core import audit

    with single_run("audit_checkpoint", ttl=120) as mine:
        return bool(mine and audit.write_checkpoint())


@shared_task(name="core.tasks.purge_submission_tokens")
def purge_submission_tokens() -> int:
    """Forget one-time form tokens after ``SUBMISSION_TOKEN_DAYS`` (run by beat daily)."""
    return submissions.purge()


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
    self,
    *,
    organisation_id: int,
    title: str,
    text: str,
    url: str = "",
    department_id: int | None = None,
    outbox_id: int | None = None,
) -> None:
    """Post a card to the organisation's (or department's) Teams channel.

    A failure is logged (never the webhook itself) and retried with backoff, never shown to a user.
    A webhook removed since the card was queued: nothing is posted.
    """
    if outbox.is_done(outbox_id):
        return
    webhook_url = teams.webhook_for(organisation_id, department_id)
    if webhook_url:
        outbox.hand_over(outbox_id)
        try:
            teams.post(webhook_url, teams.card(title, text, url))
        except (OSError, ValueError) as exc:
            logger.warning(
                "Teams post failed for organisation %s (attempt %s): %s",
                organisation_id,
                self.request.retries + 1,
                type(exc).__name__,
            )
            if not isinstance(exc, ValueError):
                raise
            # A malformed address does not heal by retrying: give up on this card.
    outbox.mark_done(outbox_id)
