"""Reminders of the department programme: an item whose month passed without an activity; programmes to agree.

Each occasion is mailed once (``core.mail.send_mail`` with a key), so a second beat or a retried task sends
nothing new.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Officer, User
from ambassadors.programmes.models import DepartmentProgramme, PlannedItem
from core.mail import send_mail


def send_overdue_item_reminders(today: datetime.date | None = None) -> int:
    """The ambassador of an agreed programme's item whose month or quarter ended without a matching activity."""
    today = today or timezone.localdate()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    items = list(
        PlannedItem.objects.filter(
            programme__status=DepartmentProgramme.Status.AGREED,
            programme__year__gte=today.year - 1,
            ambassador__is_active=True,
            ambassador__receives_reminders=True,
            matches__isnull=True,
        )
        .exclude(decision=PlannedItem.Decision.DROPPED)
        .ending_between(datetime.date(today.year - 1, 1, 1), last_month_end)
        .select_related("ambassador", "programme__department")
    )
    sent = 0
    for item in items:
        user = item.ambassador
        if send_mail(
            "programme_item_overdue",
            user.email,
            {"user": user, "item": item},
            language=user.language,
            # Keyed by the item and its period: moving the item to a later month gives a new occasion.
            key=f"department-programme:overdue:{item.pk}:{item.ends_on.isoformat()}",
        ):
            sent += 1
    return sent


def send_waiting_programme_reminders(today: datetime.date | None = None) -> int:
    """CISOs and ISOs get one digest of the programmes waiting for their agreement (again when more arrive)."""
    waiting = list(DepartmentProgramme.objects.waiting().select_related("department").order_by("organisation_id"))
    by_organisation: dict[int, list[DepartmentProgramme]] = {}
    for programme in waiting:
        by_organisation.setdefault(programme.organisation_id, []).append(programme)
    sent = 0
    for organisation_id, programmes in by_organisation.items():
        officers = User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            officer_roles__kind__in=[Officer.Kind.CISO, Officer.Kind.ISO],
        ).distinct()
        newest = max(f"{p.pk}-{p.updated_at:%Y%m%d%H%M%S}" for p in programmes)
        for user in officers:
            if send_mail(
                "programme_waiting",
                user.email,
                {"user": user, "programmes": programmes},
                language=user.language,
                key=f"department-programme:waiting:{user.pk}:{newest}",
            ):
                sent += 1
    return sent


__all__ = ["send_overdue_item_reminders", "send_waiting_programme_reminders"]
