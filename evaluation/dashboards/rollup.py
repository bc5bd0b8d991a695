"""Count an organisation's activities, feedback and data-leak reports per department and quarter, and read them.

``refresh()`` (the beat task ``evaluation.tasks.refresh_rollups``) replaces an organisation's
:class:`~evaluation.dashboards.models.QuarterCount` rows in one transaction: three grouped queries over the
rows since the first of January of last year, so the last four quarters and the register's current and previous
year are always covered. ``fresh()`` gives the rollup a page may read (``None`` when there is none or it is older
than ``DASHBOARD_ROLLUP_MAX_AGE_SECONDS``: the page then counts live, as it would without a worker).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone

from ambassadors.models import Activity, Feedback
from evaluation.dashboards.common import ANSWERED_30, ZERO, QuarterTotals, last_quarters
from evaluation.dashboards.models import QuarterCount, Rollup
from incidents.models import APDecision, DataLeak

Kind = QuarterCount.Kind


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _grouped(qs, field_name: str, key: str, **measures):
    return (
        qs.annotate(y=ExtractYear(field_name), q=ExtractQuarter(field_name))
        .values("department_id", "y", "q", key)
        .annotate(**measures)
        .order_by()
    )


def _counts(organisation_id: int, since: datetime.date, today: datetime.date):
    """The organisation's rows since ``since`` up to ``today``, grouped: (kind, key field, rows)."""
    start, end = _moment(since), _moment(today + datetime.timedelta(days=1))
    activities = _grouped(
        Activity.objects.filter(
            organisation_id=organisation_id, department__isnull=False, date__gte=since, date__lte=today
        ),
        "date",
        "topic_id",
        count=Count("*"),
        hours=Coalesce(Sum("hours"), ZERO),
    )
    feedback = _grouped(
        Feedback.objects.filter(organisation_id=organisation_id, created_at__gte=start, created_at__lt=end),
        "created_at",
        "status",
        count=Count("id"),
        answered=Count("id", filter=ANSWERED_30),
    )
    leaks = _grouped(
        DataLeak.objects.filter(organisation_id=organisation_id, created_at__gte=start, created_at__lt=end),
        "created_at",
        "category",
        count=Count("id"),
        notified=Count("id", filter=Q(ap_decision=APDecision.NOTIFY)),
        no_leak=Count("id", filter=Q(status=DataLeak.Status.NO_LEAK)),
    )
    return (
        (Kind.ACTIVITY, "topic_id", activities),
        (Kind.FEEDBACK, "status", feedback),
        (Kind.DATALEAK, "category", leaks),
    )


MEASURES = ("count", "hours", "answered", "notified", "no_leak")


def refresh(organisation_id: int, *, now: datetime.datetime | None = None) -> Rollup:
    """Count the organisation's rows anew and replace its rollup; the moment recorded is before the counting.

    Each kind is counted and stored by one INSERT ... SELECT over its grouped query: the tens of thousands of
    groups of a large organisation never pass through Python.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = datetime.date(today.year - 1, 1, 1)
    table = connection.ops.quote_name(QuarterCount._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(name)
        for name in ("organisation_id", "department_id", "kind", "year", "quarter", "key", *MEASURES)
    )
    with transaction.atomic():
        QuarterCount.objects.filter(organisation_id=organisation_id).delete()
        for kind, key, grouped in _counts(organisation_id, since, today):
            sql, params = grouped.query.sql_with_params()
            present = set(grouped.query.annotation_select)
            measures = ", ".join(connection.ops.quote_name(m) if m in present else "0" for m in MEASURES)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the model, values as parameters
                    f"SELECT %s, department_id, %s, y, q, COALESCE(CAST({connection.ops.quote_name(key)} AS varchar(40)), ''), "
                    f"{measures} FROM ({sql}) grouped",
                    (organisation_id, kind.value, *params),
                )
        rollup, _created = Rollup.objects.update_or_create(
            organisation_id=organisation_id, defaults={"computed_at": now, "since": since}
        )
    return rollup


def fresh(organisation_id: int, *, now: datetime.datetime | None = None) -> Rollup | None:
    """The organisation's rollup when it is recent enough to show (one query), else ``None``."""
    max_age = settings.DASHBOARD_ROLLUP_MAX_AGE_SECONDS
    if max_age <= 0:
        return None
    now = now or timezone.now()
    return Rollup.objects.filter(
        organisation_id=organisation_id, computed_at__gt=now - datetime.timedelta(seconds=max_age)
    ).first()


def _in_window(today: datetime.date) -> Q:
    (first_year, first_quarter), (last_year, last_quarter) = last_quarters(today)[0], last_quarters(today)[-1]
    after_start = Q(year__gt=first_year) | Q(year=first_year, quarter__gte=first_quarter)
    before_end = Q(year__lt=last_year) | Q(year=last_year, quarter__lte=last_quarter)
    return after_start & before_end


def department_totals(
    rollup: Rollup, department_ids: Collection[int], today: datetime.date
) -> tuple[QuarterTotals, QuarterTotals, QuarterTotals]:
    """The departments' activities (per topic), feedback (per status) and reports (per category) of the last four
    quarters, shaped as ``quarter_totals`` gives them live. One query."""
    rows = (
        QuarterCount.objects.filter(
            _in_window(today), organisation_id=rollup.organisation_id, department_id__in=list(department_ids)
        )
        .values("kind", "year", "quarter", "key")
        .annotate(count=Sum("count"), hours=Sum("hours"), answered=Sum("answered"))
        .order_by()
    )
    activities, feedback, leaks = [], [], []
    for row in rows:
        base = {"y": row["year"], "q": row["quarter"], "count": row["count"]}
        if row["kind"] == Kind.ACTIVITY:
            activities.append({**base, "topic_id": int(row["key"]) if row["key"] else None, "hours": row["hours"]})
        elif row["kind"] == Kind.FEEDBACK:
            feedback.append({**base, "status": row["key"], "answered": row["answered"]})
        else:
            leaks.append({**base, "category": row["key"]})
    year = today.year
    return (
        QuarterTotals(tuple(activities), year),
        QuarterTotals(tuple(feedback), year),
        QuarterTotals(tuple(leaks), year),
    )


def covers_year(rollup: Rollup, year: int) -> bool:
    return rollup.since.year <= year <= timezone.localdate(rollup.computed_at).year


def yearly_leak_counts(rollup: Rollup, year: int) -> dict[str, list[dict]] | None:
    """The register's counts of ``year`` per category and per department, as ``DataLeakQuerySet.yearly_counts``
    gives them; ``None`` for a year the rollup does not cover. Two queries."""
    if not covers_year(rollup, year):
        return None
    rows = QuarterCount.objects.filter(organisation_id=rollup.organisation_id, kind=Kind.DATALEAK, year=year)
    per_type = [
        {"category": row.pop("key"), **row}
        for row in rows.values("key")
        .annotate(count=Sum("count"), notified=Sum("notified"), no_leak=Sum("no_leak"))
        .order_by("key")
    ]
    per_department = list(
        rows.values("department_id", "department__name")
        .annotate(count=Sum("count"), notified=Sum("notified"))
        .order_by("department__name")
    )
    return {"per_type": per_type, "per_department": per_department}


def refresh_all() -> int:
    """Refresh every organisation's rollup (the beat task); the number refreshed."""
    from accounts.models import Organisation

    ids = list(Organisation.objects.values_list("pk", flat=True))
    for organisation_id in ids:
        refresh(organisation_id)
    return len(ids)
