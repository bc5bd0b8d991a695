from celery import shared_task

from core import outbox


@shared_task(name="core.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Dispatch follow-up work that never reached the broker (run by beat every minute)."""
    return outbox.sweep()
