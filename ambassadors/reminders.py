"""Scheduled reminders of the ambassadors app: a quiet ambassador, and feedback nobody answered.

Each occasion is mailed once (``core.mail.send_mail`` with a key), so a second
beat or a retried task sends nothing new.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Officer, User
from ambassadors.models import Appointment, Feedback
from core.mail import send_mail


def send_idle_ambassador_reminders(today: datetime.date | None = None) -> int:
    """An ambassador who logged nothing for ``REMINDER_AMBASSADOR_IDLE_DAYS`` gets one friendly nudge per quiet spell."""
    today = today or timezone.localdate()
    idle_days = settings.REMINDER_AMBASSADOR_IDLE_DAYS
    cutoff = today - datetime.timedelta(days=idle_days)
    current = Appointment.objects.current(today).filter(term_start__lte=cutoff)
    users = (
        User.objects.filter(is_active=True, receives_reminders=True, appointments__in=current)
        .annotate(last_activity=Max("activities__date"))
        .filter(Q(last_activity__isnull=True) | Q(last_activity__lt=cutoff))
        .distinct()
    )
    sent = 0
    for user in users:
        # One reminder per quiet spell: the key names the last activity (or none).
        since = user.last_activity.isoformat() if user.last_activity else "never"
        if send_mail(
            "ambassadors_idle",
            user.email,
            {"user": user, "days": idle_days, "last_activity": user.last_activity},
            language=user.language,
            key=f"ambassadors:idle:{user.pk}:{since}",
        ):
            sent += 1
    return sent


def send_unanswered_feedback_reminders(now: datetime.datetime | None = None) -> int:
    """Officers get one digest listing the feedback that reached ``REMINDER_FEEDBACK_UNANSWERED_DAYS`` unanswered."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REMINDER_FEEDBACK_UNANSWERED_DAYS)
    items = list(
        Feedback.objects.filter(status=Feedback.Status.NEW, answered_at__isnull=True, created_at__lte=cutoff)
        .select_related("department")
        .order_by("organisation_id", "created_at")
    )
    by_organisation: dict[int, list[Feedback]] = {}
    for item in items:
        by_organisation.setdefault(item.organisation_id, []).append(item)
    sent = 0
    for organisation_id, feedback in by_organisation.items():
        officers = Officer.objects.filter(user__organisation_id=organisation_id, user__is_active=True).select_related(
            "user"
        )
        for user in {o.user.pk: o.user for o in officers}.values():
            # Keyed by the newest item, so a digest goes out again only when more feedback crosses the line.
            newest = max(item.pk for item in feedback)
            if send_mail(
                "ambassadors_feedback_unanswered",
                user.email,
                {"user": user, "feedback": feedback, "days": settings.REMINDER_FEEDBACK_UNANSWERED_DAYS},
                language=user.language,
                key=f"ambassadors:feedback-unanswered:{user.pk}:{newest}",
            ):
                sent += 1
    return sent


__all__ = ["send_idle_ambassador_reminders", "send_unanswered_feedback_reminders"]
