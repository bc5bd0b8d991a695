"""Deadline reminders for data leaks: 24, 48 and 60 hours after awareness, and overdue after 72.

Privacy Officers (deputies included) get every milestone; from 60 hours on the
CISO is warned too. Each recipient gets each milestone of a report once
(``core.mail.send_mail`` with a key). These are security mails: no opt-out.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.permissions import data_leak_handlers
from core.mail import send_mail
from incidents.models import DataLeak

ESCALATE_AT_HOURS = 60


def send_deadline_reminders(now: datetime.datetime | None = None) -> int:
    """Mail every milestone that is due and not yet mailed; returns how many mails went out."""
    now = now or timezone.now()
    sent = 0
    for leak, hours in DataLeak.objects.milestones_due(now):
        for user in data_leak_handlers(leak.organisation_id, privacy_officers_only=hours < ESCALATE_AT_HOURS):
            context = {
                "leak": leak,
                "user": user,
                "hours": hours,
                "overdue": hours >= 72,
                "deadline": leak.aware_at + datetime.timedelta(hours=72),
            }
            if send_mail(
                "incidents_deadline",
                user.email,
                context,
                language=user.language,
                key=f"dataleak-{leak.pk}-milestone-{hours}-{user.pk}",
            ):
                sent += 1
    return sent
