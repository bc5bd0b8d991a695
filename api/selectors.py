"""Reads of the API, always within one organisation: every figure aggregated in the database."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from ambassadors.models import Activity, Feedback
from api.problems import Problem
from core.years import MAX_YEAR, MIN_YEAR
from evaluation.surveys.models import MIN_GROUP_SIZE, Answer, Response
from incidents.models import APNotification, DataLeak, SubjectNotification
from programme.models import BudgetFigures, BudgetLine, Kpi, KpiMeasurement, Topic, TopicMaterial
from programme.services import kpi_overview

PERSONAL_FIELDS = (
    "reported_by",
    "on_behalf_of",
    "on_behalf_of_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description",
    "actions_taken",
)
# The years MIN_YEAR (2000) to MAX_YEAR (2100), as the schema documents them; a quarter after a dash.
PERIOD_PATTERN = r"^(20[0-9]{2}|2100)(-Q[1-4])?$"


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None
    start: datetime.date
    end: datetime.date


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def period(value: str | None, *, default: str = "quarter") -> Period:
    """``2026`` (a year) or ``2026-Q3`` (a quarter); without a value this quarter or this year."""
    today = timezone.localdate()
    # Absent means the default; an empty ``period=`` is not a period (the schema's pattern refuses it too).
    if value is None:
        value = f"{today.year}-Q{quarter_of(today)}" if default == "quarter" else str(today.year)
    if not re.fullmatch(PERIOD_PATTERN, value) or not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        raise Problem(
            400,
            "invalid-period",
            _("The period is not valid."),
            _("Give a year (2026) or a quarter (2026-Q3)."),
            errors={"period": [_("Give a year (2026) or a quarter (2026-Q3).")]},
        )
    year = int(value[:4])
    if len(value) == 4:
        return Period(year, None, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    quarter = int(value[-1])
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return Period(year, quarter, start, end - datetime.timedelta(days=1))


def department(organisation_id: int, value: str | None) -> Department | None:
    """The organisation's department with this id; another organisation's is as unknown as a missing one.

    Not an id at all (``0``, ``-1``, ``abc``, empty): 400, as the schema's ``minimum: 1`` says. An id that names no
    department of the organisation: 422, a request of the right form that cannot be answered."""
    if value is None:
        return None
    text = str(value)
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        message = _("Give a department's id: a whole number from 1.")
        raise Problem(400, "invalid-department", _("The department is not valid."), message, {"department": [message]})
    found = None
    if len(text) < 19:
        found = Department.objects.filter(organisation_id=organisation_id, pk=int(text)).first()
    if found is None:
        message = _("No department with this id.")
        raise Problem(422, "unknown-department", _("The department is not valid."), message, {"department": [message]})
    return found


def topics(organisation_id: int, when: Period, within: Department | None):
    qs = (
        Topic.objects.filter(plan__organisation_id=organisation_id)
        .published()
        .select_related("plan", "department")
        .prefetch_related(Prefetch("materials", queryset=TopicMaterial.objects.order_by("title", "pk")))
        .order_by("month", "title", "pk")
    )
    if when.quarter is not None:
        qs = qs.in_quarter(when.year, when.quarter)
    else:
        qs = qs.filter(plan__year=when.year)
    if within is not None:
        qs = qs.for_department(within)
    return qs


def kpis(organisation_id: int, when: Period):
    """KPIs whose own period overlaps the requested one, with their goal, the period's manual measurements and all of
    them (for the KPI's status over its own period, as its page shows it)."""
    measurements = KpiMeasurement.objects.filter(measured_on__range=(when.start, when.end)).order_by(
        "-measured_on", "-pk"
    )
    return (
        Kpi.objects.filter(goal__organisation_id=organisation_id)
        .filter(period_start__lte=when.end, period_end__gte=when.start)
        .select_related("goal__organisation")
        .prefetch_related(
            Prefetch("measurements", queryset=measurements, to_attr="period_measurements"),
            Prefetch("measurements", queryset=KpiMeasurement.objects.all(), to_attr="all_measurements"),
        )
        .order_by("goal__year", "goal__title", "name", "pk")
    )


def kpi_values(page: list[Kpi], organisation, when: Period, within: Department | None) -> None:
    """Set ``state`` (the KPI's status today, the one its page and the dashboards show) and ``value`` (over the
    requested period and department) on each KPI of the page.

    The status comes from ``programme.services.kpi_overview``, as everywhere; a computed measure runs once per
    distinct (measure, window), as KPIs often share them; a KPI measured by hand takes its latest measurement in
    the period.
    """
    today = timezone.localdate()
    kpi_overview(page, today)
    department_ids = None
    if within is not None:
        department_ids = list(
            Department.objects.filter(organisation_id=organisation.pk, path__startswith=within.path).values_list(
                "id", flat=True
            )
        )
    computed: dict[tuple, Decimal | None] = {}
    for kpi in page:
        kpi.current_value = kpi.value
        value = None
        if kpi.is_manual:
            value = kpi.period_measurements[0].value if kpi.period_measurements else None
        else:
            definition = kpi.measure_definition()
            start, end = max(kpi.period_start, when.start), min(kpi.period_end, when.end, today)
            if definition is not None and start <= end:
                key = (kpi.measure, start, end)
                if key not in computed:
                    computed[key] = definition.compute(organisation, start, end, department_ids)
                value = computed[key]
        kpi.value = value


def departments(organisation_id: int, within: Department | None):
    qs = Department.objects.filter(organisation_id=organisation_id, is_active=True).order_by("path", "pk")
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return qs.only("id", "name", "code", "level", "parent_id", "path", "organisation_id")


def department_figures(organisation_id: int, page: list[Department], when: Period) -> list[dict]:
    """Counts per department of the page, one grouped query per kind; survey figures only for groups of 5+."""
    ids = [d.pk for d in page]

    def per_department(qs, **aggregates) -> dict[int, dict]:
        rows = qs.filter(department_id__in=ids).values("department_id").annotate(**aggregates).order_by()
        return {row["department_id"]: row for row in rows}

    activities = per_department(
        Activity.objects.filter(organisation_id=organisation_id, date__range=(when.start, when.end)), n=Count("id")
    )
    start, end = _moments(when)
    feedback = per_department(
        Feedback.objects.filter(organisation_id=organisation_id, created_at__gte=start, created_at__lt=end),
        n=Count("id"),
    )
    leaks = per_department(
        DataLeak.objects.filter(organisation_id=organisation_id, created_at__gte=start, created_at__lt=end),
        n=Count("id"),
    )
    responses = per_department(
        Response.objects.filter(survey__organisation_id=organisation_id, submitted_at__gte=start, submitted_at__lt=end),
        n=Count("id"),
    )
    scores = {
        row["response__department_id"]: row["mean"]
        for row in Answer.objects.filter(
            response__survey__organisation_id=organisation_id,
            response__submitted_at__gte=start,
            response__submitted_at__lt=end,
            response__department_id__in=ids,
            likert__isnull=False,
        )
        .values("response__department_id")
        .annotate(mean=Avg("likert"))
        .order_by()
    }
    figures = []
    for dep in page:
        answered = responses.get(dep.pk, {}).get("n", 0)
        small = answered < MIN_GROUP_SIZE
        mean = scores.get(dep.pk)
        figures.append(
            {
                "id": dep.pk,
                "name": dep.name,
                "code": dep.code,
                "level": dep.level,
                "parent_id": dep.parent_id,
                "activities": activities.get(dep.pk, {}).get("n", 0),
                "feedback": feedback.get(dep.pk, {}).get("n", 0),
                "dataleak_reports": leaks.get(dep.pk, {}).get("n", 0),
                "survey_responses": None if small else answered,
                "survey_mean_score": (
                    None
                    if small or mean is None
                    else Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                ),
            }
        )
    return figures


def _moments(when: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as a range of moments in the local time zone, so date-time indexes are used."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(when.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(when.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def register(organisation_id: int, when: Period | None, within: Department | None):
    """The register's entries, newest first, with the first AP notification and whether data subjects were told."""
    notifications = APNotification.objects.filter(kind=APNotification.Kind.INITIAL).order_by("notified_at")
    qs = (
        DataLeak.objects.filter(organisation_id=organisation_id)
        .with_state()
        .select_related("department")
        # The reporter's details and the free texts of the intake are not the register's: never read them.
        .defer(*PERSONAL_FIELDS)
        .prefetch_related(Prefetch("ap_notifications", queryset=notifications, to_attr="initial_notifications"))
        .annotate(subjects_informed=Exists(SubjectNotification.objects.filter(leak=OuterRef("pk"))))
        .order_by("-created_at", "-pk")
    )
    if when is not None:
        start, end = _moments(when)
        qs = qs.filter(created_at__gte=start, created_at__lt=end)
    if within is not None:
        qs = qs.filter(Q(department__path__startswith=within.path))
    return qs


def planned_items(organisation_id: int, when: Period, within: Department | None):
    """The department programmes' planned items of the year (or quarter), with their derived state."""
    from ambassadors.programmes.models import PlannedItem

    qs = (
        PlannedItem.objects.filter(programme__organisation_id=organisation_id, programme__year=when.year)
        .with_progress()
        .select_related("programme__department", "topic")
        .order_by("programme__department__path", "month", "quarter", "pk")
    )
    if when.quarter is not None:
        months = [3 * (when.quarter - 1) + offset for offset in (1, 2, 3)]
        qs = qs.filter(Q(quarter=when.quarter) | Q(month__in=months))
    if within is not None:
        qs = qs.filter(programme__department__path__startswith=within.path)
    return qs


def budget(organisation_id: int, when: Period) -> BudgetFigures:
    """The year's budget per unit and per unit and category, as the budget page and the reports show it."""
    return BudgetLine.objects.filter(organisation_id=organisation_id, year=when.year).figures()
