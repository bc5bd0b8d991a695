from __future__ import annotations

from celery import shared_task

from ambassadors.programmes import reminders
from core.locks import single_run


@shared_task(name="ambassadors.programmes.tasks.send_programme_reminders")
def send_programme_reminders() -> int:
    """Daily (beat): overdue planned items to their ambassadors, waiting programmes to the CISO and ISOs."""
    with single_run("department_programmes.reminders", ttl=3600) as mine:
        if not mine:
            return 0
        return reminders.send_overdue_item_reminders() + reminders.send_waiting_programme_reminders()
