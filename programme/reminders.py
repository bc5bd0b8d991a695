"""A budget line whose actual spend passes its plan is reported to the officers once per amount."""

from __future__ import annotations

from django.db.models import F

from accounts.models import Officer
from core.mail import send_mail
from programme.models import BudgetLine


def send_budget_overrun_alerts() -> int:
    lines = BudgetLine.objects.filter(actual__gt=F("planned")).select_related("organisation")
    sent = 0
    for line in lines:
        officers = Officer.objects.filter(
            user__organisation_id=line.organisation_id, user__is_active=True
        ).select_related("user")
        for user in {o.user.pk: o.user for o in officers}.values():
            # Keyed by the amount: a further overrun of the same line is reported again, the same one never.
            if send_mail(
                "programme_budget_overrun",
                user.email,
                {"user": user, "line": line, "overrun": line.actual - line.planned},
                language=user.language,
                key=f"programme:budget-overrun:{line.pk}:{line.actual}:{user.pk}",
            ):
                sent += 1
    return sent
