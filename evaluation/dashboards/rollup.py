"""Count an organisation's activities, feedback and data-leak reports per department and quarter, and read them.

``refresh()`` (the beat task ``evaluation.tasks.refresh_rollups``) replaces an organisation's
:class:`~evaluation.dashboards.models.QuarterCount` rows in one transaction: three grouped queries over the
rows since the first of January of last year (then once more per department
with the departments below it, summed in the database), so the last four quarters and the register's current and previous
year are always covered. ``fresh()`` gives the rollup a page may read (``None`` when there is none or it is older
than ``DASHBOARD_ROLLUP_MAX_AGE_SECONDS``: the page then counts live, as it would without a worker).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import CharField, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone

from accounts.models import Department, Organisation
from ambassadors.models import Activity, Feedback
from evaluation.dashboards.common import ANSWERED_30, CACHE_VERSION, ZERO, QuarterTotals, T, last_quarters
from evaluation.dashboards.models import QuarterCount, Rollup
from evaluation.surveys.kpis import score
from evaluation.surveys.models import Answer
from incidents.models import DataLeak
from incidents.state import NOTIFIED, LeakState

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
        # Notified and "no data leak" as the derived state says (incidents.state), as the register counts them.
        DataLeak.objects.filter(
            organisation_id=organisation_id, created_at__gte=start, created_at__lt=end
        ).with_state(),
        "created_at",
        "category",
        count=Count("id"),
        notified=Count("id", filter=NOTIFIED),
        no_leak=Count("id", filter=Q(derived_state=LeakState.NO_LEAK)),
    )
    surveys = _grouped(
        Answer.objects.filter(
            response__survey__organisation_id=organisation_id,
            response__submitted_at__gte=start,
            response__submitted_at__lt=end,
            response__department__isnull=False,
            likert__isnull=False,
        ).annotate(department_id=F("response__department_id"), none=Value(None, output_field=CharField())),
        "response__submitted_at",
        "none",
        count=Count("response_id", distinct=True),
        score_total=Sum("likert"),
        scores=Count("id"),
    )
    return (
        (Kind.ACTIVITY, "topic_id", activities),
        (Kind.FEEDBACK, "status", feedback),
        (Kind.DATALEAK, "category", leaks),
        (Kind.SURVEY, "none", surveys),
    )


MEASURES = ("count", "hours", "answered", "notified", "no_leak", "score_total", "scores")


def refresh(organisation_id: int, *, now: datetime.datetime | None = None) -> Rollup:
    """Count the organisation's rows anew and replace its rollup; the moment recorded is before the counting.

    Each kind is counted and stored by one INSERT ... SELECT over its grouped query, and the tree rows by one
    more over those: the tens of thousands of groups of a large organisation never pass through Python.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = datetime.date(today.year - 1, 1, 1)
    quote = connection.ops.quote_name
    table = quote(QuarterCount._meta.db_table)
    fields = ("organisation_id", "department_id", "kind", "year", "quarter", "key", *MEASURES, "tree")
    columns = ", ".join(quote(name) for name in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        QuarterCount.objects.filter(organisation_id=organisation_id).delete()
        for kind, key, grouped in _counts(organisation_id, since, today):
            sql, params = grouped.query.sql_with_params()
            present = set(grouped.query.annotation_select)
            measures = ", ".join(quote(m) if m in present else "0" for m in MEASURES)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the models, values as parameters
                f"SELECT %s, department_id, %s, y, q, COALESCE(CAST({quote(key)} AS varchar(40)), ''), "
                f"{measures}, %s FROM ({sql}) grouped",
                (organisation_id, kind.value, False, *params),
            )
        # Each department with everything below it: its own rows summed into itself and every department above,
        # through (department, ancestor) pairs made from the materialised paths.
        pairs = _ancestor_pairs(organisation_id)
        if pairs:
            sums = ", ".join(f"SUM(q.{quote(m)})" for m in MEASURES)
            group = f"t.ancestor_id, q.kind, q.year, q.quarter, q.{quote('key')}"
            values = ", ".join(["(%s, %s)"] * len(pairs))
            cursor.execute(
                f"WITH t (department_id, ancestor_id) AS (VALUES {values}) "  # noqa: S608 - parameters only
                f"INSERT INTO {table} ({columns}) "
                f"SELECT %s, {group}, {sums}, %s FROM {table} q JOIN t ON t.department_id = q.department_id "
                f"WHERE q.organisation_id = %s AND q.tree = %s GROUP BY {group}",
                (*(n for pair in pairs for n in pair), organisation_id, True, organisation_id, False),
            )
        rollup, _created = Rollup.objects.update_or_create(
            organisation_id=organisation_id, defaults={"computed_at": now, "since": since}
        )
    return rollup


def _ancestor_pairs(organisation_id: int) -> list[tuple[int, int]]:
    """(department, ancestor or itself) for every department of the organisation."""
    paths = dict(Department.objects.filter(organisation_id=organisation_id).values_list("path", "pk"))
    pairs = []
    for path, pk in paths.items():
        parts = path.rstrip("/").split("/")
        for depth in range(1, len(parts) + 1):
            ancestor = paths.get("/".join(parts[:depth]) + "/")
            if ancestor is not None:
                pairs.append((pk, ancestor))
    return pairs


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
    rollup: Rollup, department_id: int, today: datetime.date
) -> tuple[QuarterTotals, QuarterTotals, QuarterTotals, QuarterTotals]:
    """The activities (per topic), feedback (per status), reports (per category) and survey responses of a
    department and everything below it in the last four quarters, shaped as ``quarter_totals`` gives them live.
    One query over the department's own rows of the rollup."""
    rows = QuarterCount.objects.filter(
        _in_window(today), organisation_id=rollup.organisation_id, department_id=department_id, tree=True
    ).values("kind", "year", "quarter", "key", *MEASURES)
    activities, feedback, leaks, surveys = [], [], [], []
    for row in rows:
        base = {"y": row["year"], "q": row["quarter"], "count": row["count"]}
        if row["kind"] == Kind.ACTIVITY:
            activities.append({**base, "topic_id": int(row["key"]) if row["key"] else None, "hours": row["hours"]})
        elif row["kind"] == Kind.FEEDBACK:
            feedback.append({**base, "status": row["key"], "answered": row["answered"]})
        elif row["kind"] == Kind.DATALEAK:
            leaks.append({**base, "category": row["key"]})
        else:
            surveys.append({**base, "score_total": row["score_total"], "scores": row["scores"]})
    year = today.year
    activity_totals, feedback_totals, leak_totals, survey_totals = (
        QuarterTotals(tuple(kind), year) for kind in (activities, feedback, leaks, surveys)
    )
    return activity_totals, feedback_totals, leak_totals, survey_totals


def survey_score(surveys: QuarterTotals):
    """The mean Likert score of the year's responses, as the ``survey_score`` measure gives it (None below the
    minimum group size)."""
    return score(surveys.year_total("score_total"), surveys.year_total("scores"), surveys.year_total())


def covers_year(rollup: Rollup, year: int) -> bool:
    return rollup.since.year <= year <= timezone.localdate(rollup.computed_at).year


def yearly_leak_counts(rollup: Rollup, year: int) -> dict[str, list[dict]] | None:
    """The register's counts of ``year`` per category and per department, as ``DataLeakQuerySet.yearly_counts``
    gives them; ``None`` for a year the rollup does not cover. Two queries."""
    if not covers_year(rollup, year):
        return None
    rows = QuarterCount.objects.filter(
        organisation_id=rollup.organisation_id, kind=Kind.DATALEAK, year=year, tree=False
    )
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


def register_counts(organisation_id: int, year: int) -> tuple[dict, datetime.datetime] | None:
    """The register's counts of ``year`` with their moment, when a recent rollup covers the year (the source
    ``incidents.register.yearly_count_sources`` calls; registered in evaluation/apps.py).

    The counts are kept in the cache under the rollup's moment (``cached_for``).
    """
    counted = fresh(organisation_id)
    if counted is None or not covers_year(counted, year):
        return None
    return cached_for(counted, f"register:{year}", lambda: yearly_leak_counts(counted, year)), counted.computed_at


def cached_for(counted: Rollup, name: str, compute: Callable[[], T]) -> T:
    """What a page derives from the rollup ``counted``, kept in the cache under the rollup's moment: a rollup never
    changes once written, so every view until the next rollup reads it there, and the next one is a new key."""
    key = f"evaluation:rollup:{CACHE_VERSION}:{counted.organisation_id}:{counted.computed_at.isoformat()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.DASHBOARD_ROLLUP_MAX_AGE_SECONDS)
    return value


def refresh_all() -> int:
    """Refresh every organisation's rollup (the beat task); the number refreshed."""
    ids = list(Organisation.objects.values_list("pk", flat=True))
    for organisation_id in ids:
        refresh(organisation_id)
    return len(ids)
