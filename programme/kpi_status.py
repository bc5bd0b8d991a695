"""Whether a KPI is on track: the status rule, a pure function of the figures and the calendar.

The rule (also in the README, "KPI status"):

1. The *starting point* is the KPI's baseline; without one, the first value measured in the period.
2. The *expected value* today moves in a straight line from the starting point (at the period's first day)
   to the target (at its last day): ``expected = start + (target - start) * elapsed / length``, where
   ``elapsed`` is the number of days since the period started (0 before it, the whole length after it).
3. The *tolerance band* is ``TOLERANCE`` (10%) of the whole way to go, ``|target - start|``; when the start
   already equals the target, 10% of the target itself.
4. With the direction taken into account (higher is better, or lower is better):

   - **on track** when the current value has reached the target, or is at or beyond the expected value;
   - **at risk** when it is behind the expected value by no more than the tolerance band, and the period has
     not ended;
   - **off track** when it is further behind, or when the period has ended (on its last day or after) without
     reaching the target.

5. No status without a current value (nothing measured in the period yet) or without a target.
6. The time left is counted in days to the period's last day; once that day has passed, the period "ended on"
   it (:attr:`KpiStatus.time_left`).

Every page, dashboard, the yearly and evidence reports and the API read the outcome of this one function through
``programme.services.kpi_overview``; nothing else decides a KPI's direction or status.

A start already beyond the target counts as reached once the current value is too; the expected value is
then the target itself throughout (the KPI must stay where it is).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.formatting import number, short_date

TOLERANCE = Decimal("0.10")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


# A Bootstrap icon and colour per status: always beside the text label, never instead of it.
STATUS_ICONS = {
    Status.ON_TRACK: ("check-circle-fill", "success"),
    Status.AT_RISK: ("exclamation-triangle-fill", "warning"),
    Status.OFF_TRACK: ("x-octagon-fill", "danger"),
}


@dataclass(frozen=True)
class KpiStatus:
    """The outcome of the rule; ``status`` is None when there is nothing to judge, with the ``reason``."""

    status: str | None
    expected: Decimal | None
    start: Decimal | None
    days_left: int
    reason: str = ""
    period_end: datetime.date | None = None
    today: datetime.date | None = None

    @property
    def period_ended(self) -> bool:
        """The period is over: its last day has passed."""
        return self.period_end is not None and self.today is not None and self.today > self.period_end

    @property
    def time_left(self) -> str:
        """What is left of the period in words: "nog 12 dagen", "laatste dag van de periode" or, once it has
        passed, "periode afgelopen op 31 mrt. 2026" (never "nog 0 dagen")."""
        if self.period_ended:
            return _("period ended on %(date)s") % {"date": short_date(self.period_end)}
        if self.days_left == 0:
            return str(_("last day of the period"))
        return ngettext("%(count)s day left", "%(count)s days left", self.days_left) % {"count": number(self.days_left)}

    @property
    def on_track(self) -> bool | None:
        """Whether the KPI is on track (the API's ``on_target``); None without a status."""
        return None if self.status is None else self.status == Status.ON_TRACK

    @property
    def label(self) -> str:
        return str(Status(self.status).label) if self.status else ""

    @property
    def icon(self) -> str:
        return STATUS_ICONS[Status(self.status)][0] if self.status else "dash-circle"

    @property
    def colour(self) -> str:
        return STATUS_ICONS[Status(self.status)][1] if self.status else "secondary"


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def kpi_status(
    *,
    direction: str,
    start: Decimal | None,
    target: Decimal | None,
    current: Decimal | None,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date,
) -> KpiStatus:
    """Apply the rule of this module's docstring. ``start`` is the baseline or the first value of the period."""
    days_left = max(0, (period_end - today).days)
    when = {"period_end": period_end, "today": today}
    if target is None:
        return KpiStatus(None, None, start, days_left, str(_("no target set")), **when)
    if current is None:
        return KpiStatus(None, None, start, days_left, str(_("not measured in the period yet")), **when)
    target, current = Decimal(target), Decimal(current)
    start = Decimal(start) if start is not None else current
    sign = 1 if direction != Direction.LOWER else -1

    length = (period_end - period_start).days
    elapsed = min(max((today - period_start).days, 0), length)
    fraction = Decimal(elapsed) / Decimal(length) if length > 0 else Decimal(1)
    if sign * (target - start) <= 0:
        # The start is already at or beyond the target: stay there.
        expected = target
    else:
        expected = start + (target - start) * fraction
    way = abs(target - start) or abs(target)
    band = way * TOLERANCE

    ended = today >= period_end
    if sign * (current - target) >= 0 or sign * (current - expected) >= 0:
        status = Status.ON_TRACK
    elif not ended and sign * (expected - current) <= band:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return KpiStatus(status.value, _quantize(expected), start, days_left, **when)
