"""Selectors of the dashboards: every figure is an aggregate in the database.

Each page runs a fixed number of queries whatever the data size: figures are
grouped by quarter (ExtractYear/ExtractQuarter) and by department in one
query each; department and organisation figures come from the same query
through filtered aggregates. Python only arranges aggregated rows (at most
departments x quarters of them), never the activities, reports or feedback.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, DateTimeField, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Department, Organisation
from ambassadors.models import Activity, Appointment, Event, Feedback, Recognition
from ambassadors.selectors import coverage_units, current_appointment_filter, hours_agreed
from core.formatting import money, number, percent
from incidents.models import Category as LeakCategory
from incidents.models import DataLeak
from programme.kpis import registry
from programme.models import (
    AnnualPlan,
    BudgetLine,
    Channel,
    Goal,
    HoursConfirmation,
    Kpi,
    KpiMeasurement,
    QuarterlyMailing,
    Topic,
)
from training.models import TrainingSession
from training.selectors import ambassador_progress

Quarter = tuple[int, int]
T = TypeVar("T")
HUNDRED = Decimal("100")
ZERO = Decimal("0")
# Targets are shown only for rates: a count target (reports, hours) is the whole organisation's.
RATE_MEASURES = ("ambassador_hours_ratio", "feedback_answered_30d", "survey_score", "ambassador_coverage")
SURVEY_MEASURE = "survey_score"


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
    return f"{quarter[0]} K{quarter[1]}"


def percentage(part: Any, whole: Any) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def one_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Table:
    """A figure's data table: rendered beside its chart, exported as CSV and XLSX."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    chart: str = ""  # Chart.js type ("bar", "line"), or empty for a table without chart
    series: tuple[int, ...] = (1,)  # the columns plotted, one dataset each
    note: str = ""

    def chart_data(self) -> dict[str, Any]:
        def number(value: Any) -> float | None:
            return None if value is None or value == "" else float(value)

        return {
            "type": self.chart,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {"label": str(self.columns[i]), "data": [number(row[i]) for row in self.rows]} for i in self.series
            ],
        }


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


# --- Manager dashboard --------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: Any
    average: Any
    target: Any = None
    unit: str = ""


@dataclass
class DepartmentDashboard:
    department: Department
    year: int
    quarters: list[Quarter]
    appointments: list[Appointment]
    figures: list[Figure]
    tables: list[Table] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


ANSWERED_30 = Q(answered_at__isnull=False, answered_at__lte=F("created_at") + datetime.timedelta(days=30))


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


@dataclass(frozen=True)
class OrganisationFigures:
    """The organisation's side of the manager dashboard, before dividing by its number of departments.

    The same for every department of the organisation and computed over all of
    its data, so it is cached (``DASHBOARD_AVERAGES_SECONDS``) rather than
    recomputed for every manager's page view.
    """

    units: int
    agreed: Decimal
    training: Decimal | None
    survey: Decimal | None
    activities: QuarterTotals
    leaks: QuarterTotals
    feedback: QuarterTotals


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


def _activity_totals(qs, today: datetime.date, group: Sequence[str] = ()) -> QuarterTotals:
    # COUNT(*), not COUNT(id): the department's rows are then read from the covering index alone.
    return quarter_totals(qs, "date", today, group, count=Count("*"), hours=Coalesce(Sum("hours"), ZERO))


def _feedback_totals(qs, today: datetime.date) -> QuarterTotals:
    return quarter_totals(
        qs, "created_at", today, ("status",), count=Count("id"), answered=Count("id", filter=ANSWERED_30)
    )


def _leak_totals(qs, today: datetime.date) -> QuarterTotals:
    return quarter_totals(qs, "created_at", today, ("category",), count=Count("id"))


def training_mean(organisation_id: int, today: datetime.date) -> Decimal | None:
    """The mean completion of the year's mandatory modules over the current ambassadors. One query."""
    return ambassador_progress(organisation_id=organisation_id, year=today.year, today=today).aggregate(
        mean=Avg("percent")
    )["mean"]


def _organisation_figures(organisation_id: int, today: datetime.date) -> OrganisationFigures:
    """Every organisation-wide total of the manager dashboard, one aggregate query each."""
    year_start = datetime.date(today.year, 1, 1)
    terms = (
        Appointment.objects.filter(organisation_id=organisation_id)
        .overlapping(year_start, today)
        .only("term_start", "term_end", "hours_per_month")
    )
    survey_measure = registry.get(SURVEY_MEASURE)
    survey = (
        survey_measure.compute(Organisation(pk=organisation_id), year_start, today, None) if survey_measure else None
    )
    return OrganisationFigures(
        units=coverage_units(organisation_id).count() or 1,
        agreed=hours_agreed(list(terms), year_start, today),
        training=training_mean(organisation_id, today),
        survey=survey,
        activities=_activity_totals(Activity.objects.filter(organisation_id=organisation_id), today),
        leaks=_leak_totals(DataLeak.objects.filter(organisation_id=organisation_id), today),
        feedback=_feedback_totals(Feedback.objects.filter(organisation_id=organisation_id), today),
    )


# The version in every cache key: a deploy that changes a cached shape never reads an older one.
CACHE_VERSION = "v2"


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


def organisation_figures(organisation_id: int, today: datetime.date) -> OrganisationFigures:
    """The organisation's totals for the department dashboards, cached."""
    return cached("organisation-figures", organisation_id, today, lambda: _organisation_figures(organisation_id, today))


def department_dashboard(department: Department, *, today: datetime.date | None = None) -> DepartmentDashboard:
    """The dashboard of a department and the teams below it, against the organisation's average.

    The department's figures are counted live over its own rows, one grouped
    query per kind of row; the organisation's come from :func:`organisation_figures`.
    """
    today = today or timezone.localdate()
    year = today.year
    year_start = datetime.date(year, 1, 1)
    organisation_id = department.organisation_id
    quarters = last_quarters(today)
    org = organisation_figures(organisation_id, today)

    ids = list(
        Department.objects.filter(organisation_id=organisation_id, path__startswith=department.path).values_list(
            "id", flat=True
        )
    )
    in_dept = Q(organisation_id=organisation_id, department_id__in=ids)

    # Ambassadors and their terms.
    appointments = list(
        Appointment.objects.filter(organisation_id=organisation_id)
        .current(today)
        .covering(ids)
        .select_related("user")
        .order_by("term_end", "user__full_name")
    )

    # Hours agreed this year (terms times hours per month) of the department's ambassadors.
    year_terms = (
        Appointment.objects.filter(organisation_id=organisation_id)
        .overlapping(year_start, today)
        .covering(ids)
        .only("term_start", "term_end", "hours_per_month")
    )
    agreed_dept = hours_agreed(list(year_terms), year_start, today)

    # Activities per quarter and plan topic: the year, the quarters and the topics come from these rows.
    # Grouped by the topic's id, not its title: no join over every activity; the few titles are read after.
    activities = _activity_totals(Activity.objects.filter(in_dept), today, ("topic_id",))
    topic_ids = {row["topic_id"] for row in activities.rows if row["topic_id"] is not None}
    # "pk IS NULL" never matches: it only keeps the query from being skipped when no activity has a topic,
    # so the page runs the same queries whatever the data.
    titles = dict(Topic.objects.filter(Q(pk__in=topic_ids) | Q(pk__isnull=True)).values_list("pk", "title"))
    per_topic: dict[str | None, list] = {}
    for row in activities.rows:
        if row["y"] == year:
            topic = per_topic.setdefault(titles.get(row["topic_id"]), [0, ZERO])
            topic[0] += row["count"]
            topic[1] += row["hours"]
    activity_count, activity_hours = activities.year_total(), activities.year_total("hours")

    # Training progress of the department's ambassadors (a handful, fetched once).
    progress = list(ambassador_progress(organisation_id=organisation_id, year=year, department_ids=ids, today=today))
    progress_dept = Decimal(sum(p.percent for p in progress)) / len(progress) if progress else None

    # Data-leak reports: counts per quarter and category only, never contents.
    leaks = _leak_totals(DataLeak.objects.filter(in_dept), today)

    # Feedback per quarter and status: received, handled, answered within 30 days.
    feedback = _feedback_totals(Feedback.objects.filter(in_dept), today)
    feedback_total, feedback_answered = feedback.year_total(), feedback.year_total("answered")

    # The survey score, when the surveys register their measure.
    survey_measure = registry.get(SURVEY_MEASURE)
    survey_dept = (
        survey_measure.compute(Organisation(pk=organisation_id), year_start, today, ids) if survey_measure else None
    )

    targets = kpi_targets(organisation_id, year, RATE_MEASURES)

    def avg(total: Any) -> Decimal:
        return one_decimal(Decimal(total or 0) / org.units)

    org_hours = org.activities.year_total("hours")
    org_feedback = org.feedback.year_total()
    figures = [
        Figure(_("Current ambassadors"), len(appointments), None),
        Figure(_("Activities this year"), activity_count, avg(org.activities.year_total())),
        Figure(_("Hours logged this year"), activity_hours, avg(org_hours), unit=_("hours")),
        Figure(_("Hours agreed this year"), agreed_dept, avg(org.agreed), unit=_("hours")),
        Figure(
            _("Hours logged against agreed"),
            percentage(activity_hours, agreed_dept),
            percentage(org_hours, org.agreed),
            targets.get("ambassador_hours_ratio"),
            "%",
        ),
        Figure(
            _("Mandatory training completed (mean per ambassador)"),
            one_decimal(progress_dept),
            one_decimal(org.training),
            unit="%",
        ),
        Figure(_("Data-leak reports this year"), leaks.year_total(), avg(org.leaks.year_total())),
        Figure(_("Feedback received this year"), feedback_total, avg(org_feedback)),
        Figure(
            _("Feedback answered within 30 days"),
            percentage(feedback_answered, feedback_total),
            percentage(org.feedback.year_total("answered"), org_feedback),
            targets.get("feedback_answered_30d"),
            "%",
        ),
    ]
    if survey_measure is not None:
        figures.append(
            Figure(_("Survey score (1 to 5)"), survey_dept, org.survey, targets.get(SURVEY_MEASURE), _("points"))
        )
    handled = list(Feedback.HANDLED)

    dept_col, avg_col = _("This department"), _("Organisation average per department")
    tables = [
        Table(
            "figures",
            _("Key figures of %(year)s so far") % {"year": year},
            [_("Figure"), dept_col, avg_col, _("Programme target")],
            # A percentage says so in its label, as the other tables' "(%)" columns do: the cells stay numbers.
            [[f"{f.label} (%)" if f.unit == "%" else f.label, f.value, f.average, f.target] for f in figures],
        ),
        Table(
            "activities",
            _("Activities per quarter (last four quarters)"),
            [_("Quarter"), dept_col, avg_col],
            [
                [
                    quarter_label(q),
                    activities.quarter_total(q),
                    avg(org.activities.quarter_total(q)),
                ]
                for q in quarters
            ],
            chart="bar",
            series=(1, 2),
        ),
        Table(
            "hours",
            _("Hours logged per quarter (last four quarters)"),
            [_("Quarter"), dept_col, avg_col],
            [
                [
                    quarter_label(q),
                    activities.quarter_total(q, "hours"),
                    avg(org.activities.quarter_total(q, "hours")),
                ]
                for q in quarters
            ],
            chart="line",
            series=(1, 2),
        ),
        Table(
            "topics",
            _("Activities per plan topic in %(year)s") % {"year": year},
            [_("Topic"), _("Activities"), _("Hours")],
            [
                [title or _("No plan topic"), count, hours]
                for title, (count, hours) in sorted(
                    per_topic.items(), key=lambda item: (-item[1][0], item[0] is None, item[0] or "")
                )
            ],
            chart="bar",
            series=(1,),
        ),
        Table(
            "training",
            _("Progress on the mandatory modules of %(year)s") % {"year": year},
            [_("Ambassador"), _("Completed (%)"), _("Modules completed"), _("Mandatory modules"), _("Not enrolled")],
            [[p.full_name, p.percent, p.completed, p.total, p.missing] for p in progress],
            chart="bar",
            series=(1,),
        ),
        Table(
            "dataleaks",
            _("Data-leak reports per quarter (last four quarters)"),
            [_("Quarter"), dept_col, avg_col],
            [
                [
                    quarter_label(q),
                    leaks.quarter_total(q),
                    avg(org.leaks.quarter_total(q)),
                ]
                for q in quarters
            ],
            chart="bar",
            series=(1, 2),
        ),
        Table(
            "dataleak_categories",
            _("Data-leak reports per category and quarter"),
            [_("Quarter"), _("Category"), _("Reports")],
            [
                [
                    quarter_label((row["y"], row["q"])),
                    str(LeakCategory(row["category"]).label) if row["category"] in LeakCategory.values else "",
                    row["count"],
                ]
                for row in sorted(leaks.rows, key=lambda row: (-row["y"], -row["q"], row["category"]))
            ],
        ),
        Table(
            "feedback",
            _("Feedback per quarter: received and handled"),
            [_("Quarter"), _("Received"), _("Handled"), _("Received, organisation average per department")],
            [
                [
                    quarter_label(q),
                    feedback.quarter_total(q),
                    feedback.quarter_total(q, status=handled),
                    avg(org.feedback.quarter_total(q)),
                ]
                for q in quarters
            ],
            chart="bar",
            series=(1, 2, 3),
        ),
        Table(
            "feedback_status",
            _("How this year's feedback was handled"),
            [_("Status"), dept_col, avg_col],
            [
                [
                    str(label),
                    feedback.year_total(status=value),
                    avg(org.feedback.year_total(status=value)),
                ]
                for value, label in Feedback.Status.choices
            ],
        ),
    ]
    # The programme's KPIs are the organisation's, the same for every department: cached like its averages.
    kpis = cached("year-kpis", organisation_id, today, lambda: year_kpis(organisation_id, year, today))
    return DepartmentDashboard(department, year, quarters, appointments, figures, tables, kpis)


# --- Programme dashboard ------------------------------------------------------------------------


@dataclass
class BuildingBlock:
    number: int
    title: str
    done: bool
    evidence: str


@dataclass
class HeatRow:
    department: Department
    cells: list[tuple[int, int]]  # (activities, heat level 0..4) per quarter
    total: int


@dataclass
class ProgrammeDashboard:
    year: int
    quarters: list[Quarter]
    kpis: list[Kpi]
    units_total: int
    units_covered: int
    coverage: Decimal | None
    heat_rows: list[HeatRow]
    blocks: list[BuildingBlock]
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def kpi_columns() -> list[str]:
    return [_("KPI"), _("Goal"), _("Value"), _("Target"), _("Unit"), _("Direction"), _("Expected now"), _("Status")]


def kpi_rows(kpis: Sequence[Kpi]) -> list[list[Any]]:
    """The KPI table's rows (value and target in columns 2 and 3 for the chart), status in words."""
    return [
        [
            k.name,
            k.goal.title,
            k.value,
            k.target,
            k.unit,
            k.get_direction_display(),
            k.state.expected,
            k.state.label or _("No status"),
        ]
        for k in kpis
    ]


def year_kpis(organisation_id: int, year: int, today: datetime.date) -> list[Kpi]:
    """The KPIs of the year's goals with their current value, trend and status (see programme.kpi_status).

    ``on_target`` says whether the current value meets the target in the KPI's direction.
    """
    from programme.services import kpi_overview

    kpis = list(
        Kpi.objects.filter(goal__organisation_id=organisation_id, goal__year=year)
        .select_related("goal__organisation")
        .prefetch_related(
            _measurement_prefetch(),
        )
        .order_by("goal__title", "name")
    )
    kpi_overview(kpis, today)
    for kpi in kpis:
        if kpi.value is None or kpi.target is None:
            kpi.on_target = None
        else:
            kpi.on_target = kpi.value <= kpi.target if kpi.lower_is_better else kpi.value >= kpi.target
    return kpis


def _measurement_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "measurements", queryset=KpiMeasurement.objects.order_by("-measured_on", "-pk"), to_attr="all_measurements"
    )


def heat_level(count: int, highest: int) -> int:
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(4, -(-4 * count // highest)))


def activity_heat_map(organisation_id: int, today: datetime.date) -> list[HeatRow]:
    """Activities per department (afdeling, its teams included) and quarter of the last four: two queries.

    Activities are grouped by department and quarter in the database (cached
    for the organisation); the aggregated rows are rolled up to the unit above
    them through the materialised path.
    """
    quarters = last_quarters(today)
    departments = list(
        Department.objects.filter(organisation_id=organisation_id, is_active=True).only(
            "id", "name", "path", "level", "organisation_id"
        )
    )
    units = [d for d in departments if d.level == Department.Level.UNIT]
    unit_of: dict[int, int] = {}
    unit_ids = {d.pk for d in units}
    for department in departments:
        for part in department.path.strip("/").split("/"):
            if part and int(part) in unit_ids:
                unit_of[department.pk] = int(part)
                break
    counts: dict[tuple[int, Quarter], int] = {}
    per_department = cached(
        "activities-per-department",
        organisation_id,
        today,
        lambda: quarter_totals(
            Activity.objects.filter(organisation_id=organisation_id),
            "date",
            today,
            ("department_id",),
            count=Count("id"),
        ),
    )
    for row in per_department.rows:
        unit = unit_of.get(row["department_id"])
        if unit is not None:
            key = (unit, (row["y"], row["q"]))
            counts[key] = counts.get(key, 0) + row["count"]
    highest = max(counts.values(), default=0)
    heat = []
    for unit in sorted(units, key=lambda d: d.name):
        cells = [(counts.get((unit.pk, q), 0), heat_level(counts.get((unit.pk, q), 0), highest)) for q in quarters]
        heat.append(HeatRow(unit, cells, sum(c for c, _level in cells)))
    return heat


def _survey_model():
    try:
        return apps.get_model("evaluation", "Survey")
    except LookupError:
        return None


def building_blocks(organisation_id: int, year: int, today: datetime.date, coverage: tuple[int, int]) -> list:
    """The ten building blocks of the programme, each with the programme's own evidence for the year."""
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    now = timezone.now()
    goals = Goal.objects.filter(organisation_id=organisation_id, year=year).aggregate(
        goals=Count("id", distinct=True), kpis=Count("kpis", distinct=True)
    )
    units_total, units_covered = coverage
    confirmed = (
        HoursConfirmation.objects.filter(department__organisation_id=organisation_id, year=year)
        .values("department_id")
        .distinct()
        .count()
    )
    ambassadors = (
        Appointment.objects.filter(organisation_id=organisation_id).current(today).values("user_id").distinct().count()
    )
    sessions_held = TrainingSession.objects.filter(
        module__organisation_id=organisation_id, starts_at__date__gte=year_start, starts_at__lte=now
    ).count()
    training_pct = one_decimal(
        cached("training-mean", organisation_id, today, lambda: training_mean(organisation_id, today))
    )
    events_held = Event.objects.filter(
        organisation_id=organisation_id, starts_at__date__gte=year_start, starts_at__lte=now
    ).count()
    topics = Topic.objects.filter(plan__organisation_id=organisation_id, plan__year=year).aggregate(
        published=Count("id", filter=Q(status=Topic.Status.PUBLISHED, plan__status=AnnualPlan.Status.PUBLISHED)),
        intranet=Count(
            "id",
            filter=Q(status=Topic.Status.PUBLISHED, channels__icontains=f'"{Channel.INTRANET.value}"'),
        ),
    )
    mailings_sent = QuarterlyMailing.objects.filter(
        organisation_id=organisation_id, year=year, sent_at__isnull=False
    ).count()
    teams = (
        Organisation.objects.filter(pk=organisation_id)
        .filter(~Q(teams_webhook_url="") | Q(departments__teams_webhook_url__gt=""))
        .exists()
    )
    recognitions = Recognition.objects.filter(
        organisation_id=organisation_id, created_at__date__gte=year_start, created_at__date__lte=year_end
    ).count()
    survey_model = _survey_model()
    surveys = 0
    if survey_model is not None:
        surveys = (
            survey_model.objects.filter(organisation_id=organisation_id, deadline__year=year)
            .exclude(status="draft")
            .count()
        )
    from evaluation.report_models import EvaluationReport

    report = (
        EvaluationReport.objects.filter(organisation_id=organisation_id, year__in=[year - 1, year])
        .order_by("-year")
        .values("year", "status")
        .first()
    )
    budget = BudgetLine.objects.filter(organisation_id=organisation_id, year=year).aggregate(
        lines=Count("id"), planned=Coalesce(Sum("planned"), ZERO), actual=Coalesce(Sum("actual"), ZERO)
    )

    if report:
        status_label = str(dict(EvaluationReport.Status.choices)[report["status"]]).lower()
        report_text = _("evaluation report %(year)s: %(status)s") % {"year": report["year"], "status": status_label}
    else:
        report_text = _("no evaluation report yet")
    return [
        BuildingBlock(
            1,
            _("Strategy and goals"),
            goals["goals"] > 0 and goals["kpis"] > 0,
            _("%(goals)s and %(kpis)s defined for %(year)s")
            % {
                "goals": _count(ngettext("%(count)s goal", "%(count)s goals", goals["goals"]), goals["goals"]),
                "kpis": _count(ngettext("%(count)s KPI", "%(count)s KPIs", goals["kpis"]), goals["kpis"]),
                "year": year,
            },
        ),
        BuildingBlock(
            2,
            _("Managers' commitment"),
            confirmed > 0,
            _count(
                ngettext(
                    "hours confirmed by managers for %(count)s department",
                    "hours confirmed by managers for %(count)s departments",
                    confirmed,
                ),
                confirmed,
            ),
        ),
        BuildingBlock(
            3,
            _("Selection of ambassadors"),
            ambassadors > 0,
            _count(
                ngettext("%(count)s ambassador appointed", "%(count)s ambassadors appointed", ambassadors), ambassadors
            )
            + "; "
            + ngettext(
                "%(covered)s of %(total)s department covered (%(pct)s)",
                "%(covered)s of %(total)s departments covered (%(pct)s)",
                units_total,
            )
            % {
                "covered": number(units_covered),
                "total": number(units_total),
                "pct": percent(percentage(units_covered, units_total) or 0),
            },
        ),
        BuildingBlock(
            4,
            _("Training"),
            sessions_held > 0,
            _("%(sessions)s, %(pct)s of mandatory modules completed (mean per ambassador)")
            % {
                "sessions": _count(
                    ngettext("%(count)s session held", "%(count)s sessions held", sessions_held), sessions_held
                ),
                "pct": percent(training_pct if training_pct is not None else 0),
            },
        ),
        BuildingBlock(
            5,
            _("Community"),
            events_held > 0,
            _count(
                ngettext("%(count)s community event held", "%(count)s community events held", events_held), events_held
            ),
        ),
        BuildingBlock(
            6,
            _("Communication"),
            topics["published"] > 0 or mailings_sent > 0,
            _count(
                ngettext("%(count)s topic published", "%(count)s topics published", topics["published"]),
                topics["published"],
            )
            + ", "
            + _count(
                ngettext("%(count)s quarterly mailing sent", "%(count)s quarterly mailings sent", mailings_sent),
                mailings_sent,
            ),
        ),
        BuildingBlock(
            7,
            _("Technology and channels"),
            teams or topics["intranet"] > 0,
            (_("Teams webhook configured") if teams else _("no Teams webhook configured"))
            + "; "
            + _count(
                ngettext("%(count)s topic on the intranet", "%(count)s topics on the intranet", topics["intranet"]),
                topics["intranet"],
            ),
        ),
        BuildingBlock(
            8,
            _("Recognition"),
            recognitions > 0,
            _count(
                ngettext("%(count)s recognition recorded", "%(count)s recognitions recorded", recognitions),
                recognitions,
            ),
        ),
        BuildingBlock(
            9,
            _("Evaluation"),
            surveys > 0 or report is not None,
            _count(ngettext("%(count)s survey sent", "%(count)s surveys sent", surveys), surveys) + "; " + report_text,
        ),
        BuildingBlock(
            10,
            _("Budget"),
            budget["lines"] > 0,
            _count(ngettext("%(count)s budget line", "%(count)s budget lines", budget["lines"]), budget["lines"])
            + "; "
            + _("%(actual)s spent of %(planned)s planned")
            % {"actual": money(budget["actual"]), "planned": money(budget["planned"])},
        ),
    ]


def _count(text: str, count: int) -> str:
    """A counted phrase from ngettext with its count in the language's number format."""
    return text % {"count": number(count)}


def programme_dashboard(organisation_id: int, *, today: datetime.date | None = None) -> ProgrammeDashboard:
    today = today or timezone.localdate()
    year = today.year
    quarters = last_quarters(today)
    kpis = year_kpis(organisation_id, year, today)
    coverage_row = coverage_units(organisation_id).aggregate(
        total=Count("id", distinct=True), covered=Count("id", filter=current_appointment_filter(today), distinct=True)
    )
    heat_rows = activity_heat_map(organisation_id, today)
    blocks = building_blocks(organisation_id, year, today, (coverage_row["total"], coverage_row["covered"]))
    tables = [
        Table(
            "kpis",
            _("KPIs of %(year)s against their targets") % {"year": year},
            kpi_columns(),
            kpi_rows(kpis),
            chart="bar",
            series=(2, 3),
        ),
        Table(
            "heatmap",
            _("Activities per department and quarter"),
            [_("Department"), *[quarter_label(q) for q in quarters], _("Total")],
            [[row.department.name, *[c for c, _level in row.cells], row.total] for row in heat_rows],
        ),
        Table(
            "building_blocks",
            _("The ten building blocks of %(year)s") % {"year": year},
            [_("Building block"), _("In place"), _("Evidence")],
            [[f"{b.number}. {b.title}", _("yes") if b.done else _("no"), b.evidence] for b in blocks],
        ),
    ]
    return ProgrammeDashboard(
        year=year,
        quarters=quarters,
        kpis=kpis,
        units_total=coverage_row["total"],
        units_covered=coverage_row["covered"],
        coverage=percentage(coverage_row["covered"], coverage_row["total"]),
        heat_rows=heat_rows,
        blocks=blocks,
        tables=tables,
    )


# --- Yearly evaluation --------------------------------------------------------------------------


def survey_summary(organisation_id: int, year: int) -> list[dict] | None:
    """Surveys of the year (by deadline) with their respondents and mean Likert score; None without surveys.

    The mean is shown only for a survey with at least the minimum group size of respondents.
    """
    survey_model = _survey_model()
    if survey_model is None:
        return None
    try:
        from evaluation.surveys.models import MIN_GROUP_SIZE
    except ImportError:  # pragma: no cover - the surveys part is optional
        MIN_GROUP_SIZE = 5
    rows = list(
        survey_model.objects.filter(organisation_id=organisation_id, deadline__year=year)
        .exclude(status="draft")
        .annotate(
            respondents=Count("responses", distinct=True),
            mean=Avg("responses__answers__likert"),
        )
        .order_by("deadline", "pk")
        .values("pk", "title", "kind", "deadline", "respondents", "mean")
    )
    for row in rows:
        row["mean"] = (
            Decimal(str(row["mean"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if row["mean"] is not None and row["respondents"] >= MIN_GROUP_SIZE
            else None
        )
    return rows


@dataclass
class YearReport:
    year: int
    kpis: list[Kpi]
    surveys: list[dict] | None
    activities: list[dict]
    activity_totals: dict
    feedback_status: list[dict]
    feedback_changes: list[Feedback]
    leaks: list[dict]
    budget: list[dict]
    budget_totals: dict
    proposals: list


def year_report(organisation_id: int, year: int, *, today: datetime.date | None = None) -> YearReport:
    """Everything the yearly evaluation shows, in a fixed number of aggregate queries."""
    from evaluation.report_models import TopicProposal

    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    kpis = year_kpis(organisation_id, year, min(today, end))
    activities_qs = Activity.objects.filter(organisation_id=organisation_id, date__gte=start, date__lte=end)
    kinds = dict(Activity.Kind.choices)
    activities = [
        {**row, "label": str(kinds.get(row["kind"], row["kind"]))}
        for row in activities_qs.values("kind")
        .annotate(count=Count("id"), hours=Coalesce(Sum("hours"), ZERO), reached=Coalesce(Sum("colleagues_reached"), 0))
        .order_by("-count", "kind")
    ]
    feedback_year = Feedback.objects.filter(
        organisation_id=organisation_id, created_at__date__gte=start, created_at__date__lte=end
    )
    statuses = dict(Feedback.Status.choices)
    feedback_status = [
        {**row, "label": str(statuses.get(row["status"], row["status"]))}
        for row in feedback_year.values("status").annotate(count=Count("id")).order_by("status")
    ]
    # What feedback changed: the procedures changed in answer to it (no authors, no messages).
    feedback_changes = list(
        feedback_year.filter(status=Feedback.Status.PROCEDURE_CHANGED)
        .exclude(answer="")
        .select_related("department")
        .only("procedure", "answer", "answered_at", "department__name", "category", "created_at")
        .order_by("-answered_at")[:50]
    )
    categories = dict(LeakCategory.choices)
    leaks = [
        {**row, "label": str(categories.get(row["category"], row["category"]))}
        for row in DataLeak.objects.filter(organisation_id=organisation_id).yearly_counts(year)["per_type"]
    ]
    budget_categories = dict(BudgetLine.Category.choices)
    budget_qs = BudgetLine.objects.filter(organisation_id=organisation_id, year=year)
    budget = [
        {**row, "label": str(budget_categories.get(row["category"], row["category"]))}
        for row in budget_qs.values("category")
        .annotate(planned=Coalesce(Sum("planned"), ZERO), actual=Coalesce(Sum("actual"), ZERO))
        .order_by("category")
    ]
    proposals = list(
        TopicProposal.objects.filter(organisation_id=organisation_id, year=year)
        .with_votes()
        .select_related("proposed_by")
        .order_by("-vote_count", "title")
    )
    return YearReport(
        year=year,
        kpis=kpis,
        surveys=survey_summary(organisation_id, year),
        activities=activities,
        activity_totals=activities_qs.totals(),
        feedback_status=feedback_status,
        feedback_changes=feedback_changes,
        leaks=leaks,
        budget=budget,
        budget_totals=budget_qs.totals(),
        proposals=proposals,
    )
