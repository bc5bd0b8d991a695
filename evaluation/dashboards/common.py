"""Shared pieces of the dashboards and the yearly report: quarters, rounding, the cache, grouped totals.

Every figure is an aggregate in the database. Each page runs a fixed number of
queries whatever the data size: figures are grouped by quarter
(ExtractYear/ExtractQuarter) and by department in one query each; department
and organisation figures come from the same query through filtered
aggregates. Python only arranges aggregated rows (at most departments x
quarters of them), never the activities, reports or feedback.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, DateTimeField, F, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from core import formatting
from programme.models import Kpi
from training.selectors import ambassador_progress

Quarter = tuple[int, int]
T = TypeVar("T")
ZERO = Decimal("0")
# Targets are shown only for rates: a count target (reports, hours) is the whole organisation's.
RATE_MEASURES = ("ambassador_hours_ratio", "feedback_answered_30d", "survey_score", "ambassador_coverage")
SURVEY_MEASURE = "survey_score"
# Feedback answered within 30 days of its arrival.
ANSWERED_30 = Q(answered_at__isnull=False, answered_at__lte=F("created_at") + datetime.timedelta(days=30))


# --- Small helpers --------------------------------------------------------------------------------


def last_quarters(today: datetime.date, count: int = 4) -> list[Quarter]:
    """The ``count`` quarters up to and including today's, oldest first."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    quarters: list[Quarter] = []
    for _i in range(count):
        quarters.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return list(reversed(quarters))


def quarter_start(quarter: Quarter) -> datetime.date:
    return datetime.date(quarter[0], 3 * (quarter[1] - 1) + 1, 1)


def quarter_label(quarter: Quarter) -> str:
    return formatting.quarter(*quarter)


def one_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def kpi_targets(organisation_id: int, year: int, measures: Collection[str]) -> dict[str, Decimal]:
    """The target of each measure among the year's KPIs (the first KPI with a target wins). One query."""
    targets: dict[str, Decimal] = {}
    rows = (
        Kpi.objects.filter(goal__organisation_id=organisation_id, goal__year=year, measure__in=list(measures))
        .exclude(target__isnull=True)
        .order_by("period_start", "pk")
        .values_list("measure", "target")
    )
    for measure, target in rows:
        targets.setdefault(measure, target)
    return targets


@dataclass(frozen=True)
class QuarterTotals:
    """Aggregated rows of the last four quarters, grouped by quarter and more: the year and quarters derive from them.

    The window of the last four quarters always starts on or before the first
    of January, so one grouped query gives the year so far as well.
    """

    rows: tuple[dict, ...]
    year: int

    def year_total(self, name: str = "count", **match: Any) -> Any:
        return sum((row[name] for row in self.rows if row["y"] == self.year and _matches(row, match)), 0)

    def quarter_total(self, quarter: Quarter, name: str = "count", **match: Any) -> Any:
        return sum((row[name] for row in self.rows if (row["y"], row["q"]) == quarter and _matches(row, match)), 0)


def _matches(row: dict, match: dict[str, Any]) -> bool:
    return all(
        row[key] in value if isinstance(value, (list, tuple)) else row[key] == value for key, value in match.items()
    )


def quarter_totals(qs, field_name: str, today: datetime.date, group: Sequence[str] = (), **aggregates) -> QuarterTotals:
    """One query: ``aggregates`` per quarter of the last four (and per ``group``), up to ``today``."""
    window_start = quarter_start(last_quarters(today)[0])
    if isinstance(qs.model._meta.get_field(field_name), DateTimeField):
        # From local midnight to local midnight as moments, not "__date": a range on the column can use its index.
        start = timezone.make_aware(datetime.datetime.combine(window_start, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
        period = {f"{field_name}__gte": start, f"{field_name}__lt": end}
    else:
        period = {f"{field_name}__gte": window_start, f"{field_name}__lte": today}
    rows = (
        qs.filter(**period)
        .annotate(y=ExtractYear(field_name), q=ExtractQuarter(field_name))
        .values("y", "q", *group)
        .annotate(**aggregates)
        .order_by()
    )
    return QuarterTotals(tuple(rows), today.year)


# The version in every cache key: a deploy that changes a cached shape never reads an older one.
CACHE_VERSION = "v3"


def cached(name: str, organisation_id: int, today: datetime.date, compute: Callable[[], T]) -> T:
    """An organisation-wide figure from the cache, computed when missing or older than ``DASHBOARD_AVERAGES_SECONDS``.

    Used for the aggregates over all of an organisation's rows that every
    manager's or officer's view would otherwise recompute; the figures of a
    department itself are always counted live.
    """
    key = f"evaluation:{name}:{CACHE_VERSION}:{organisation_id}:{today.isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.DASHBOARD_AVERAGES_SECONDS)
    return value


def training_mean(organisation_id: int, today: datetime.date) -> Decimal | None:
    """The mean completion of the year's mandatory modules over the current ambassadors. One query."""
    return ambassador_progress(organisation_id=organisation_id, year=today.year, today=today).aggregate(
        mean=Avg("percent")
    )["mean"]
