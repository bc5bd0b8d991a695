"""Demo data of the ambassadors app, added when ``seed_demo`` runs."""

from __future__ import annotations

import datetime

from ambassadors.models import Appointment


def seed_demo(sender, organisation, people, today: datetime.date, **kwargs) -> None:
    departments = people["departments"]
    term_start = today.replace(month=1, day=1)
    term_end = today.replace(year=today.year + 1, month=12, day=31)
    for role, codes in (("ambassador", ["BZ"]), ("ambassador_wi", ["WI"])):
        user = people.get(role)
        if user is None or Appointment.objects.filter(user=user).exists():
            continue
        appointment = Appointment.objects.create(
            organisation=organisation, user=user, term_start=term_start, term_end=term_end, hours_per_month=8
        )
        appointment.departments.set([departments[code] for code in codes])
