"""Mails about a report: who is alerted, queued through the outbox and sent at most once."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from core import outbox
from incidents.models import (
    DataLeak,
    DataLeakEvent,
)

NOTIFY_TASK = "incidents.tasks.send_dataleak_mail"


def ambassador_recipients(leak: DataLeak) -> list[User]:
    from ambassadors.models import Appointment

    department_ids = list(leak.department.ancestors_and_self().values_list("id", flat=True))
    user_ids = (
        Appointment.objects.current()
        .filter(organisation_id=leak.organisation_id, departments__in=department_ids)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=user_ids, is_active=True))


def enqueue_mail(leak: DataLeak, user_id: int, kind: str) -> None:
    outbox.enqueue(NOTIFY_TASK, key=f"dataleak-{leak.pk}-{kind}-{user_id}", leak_id=leak.pk, user_id=user_id, kind=kind)


MAIL_TEMPLATES = {
    "confirmation": "incidents_confirmation",
    "officer_alert": "incidents_officer_alert",
    "ambassador_alert": "incidents_ambassador_alert",
    "addition": "incidents_addition",
}


def dataleak_send_mail(*, leak_id: int, user_id: int, kind: str, event_id: int | None = None) -> bool:
    """Send one of the intake mails; at most once per report, kind and recipient."""
    from django.urls import reverse

    from core.mail import send_mail

    leak = DataLeak.objects.select_related("department", "organisation").filter(pk=leak_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if leak is None or user is None or kind not in MAIL_TEMPLATES:
        return False
    url = settings.SITE_URL + reverse("incidents:detail", args=[leak.pk])
    # An addition names who added it when that was not the reporter (an ambassador, as first point of contact).
    added_by = None
    if event_id:
        event = DataLeakEvent.objects.select_related("actor").filter(pk=event_id, leak=leak).first()
        if event and event.actor and event.actor_id not in (leak.reported_by_id, leak.on_behalf_of_id):
            added_by = event.actor
    return send_mail(
        MAIL_TEMPLATES[kind],
        user.email,
        {"leak": leak, "user": user, "url": url, "added_by": added_by},
        language=user.language,
        key=f"dataleak-{leak.pk}-{kind}-{user.pk}" + (f"-{event_id}" if event_id else ""),
    )
