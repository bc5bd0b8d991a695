"""The manager's dashboard of a department (with the teams below it) against the organisation's average."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from accounts.models import Department, Organisation
from ambassadors.models import Activity, Appointment, Feedback
from ambassadors.selectors import coverage_units, hours_agreed
from core.figures import percentage
from evaluation.dashboards import rollup
from evaluation.dashboards.common import (
    ANSWERED_30,
    RATE_MEASURES,
    SURVEY_MEASURE,
    ZERO,
    Quarter,
    QuarterTotals,
    cached,
    kpi_targets,
    last_quarters,
    one_decimal,
    quarter_label,
    quarter_totals,
    training_mean,
)
from evaluation.dashboards.kpis import year_kpis
from evaluation.dashboards.tables import Table
from incidents.models import Category as LeakCategory
from incidents.models import DataLeak
from programme.kpis import registry
from programme.models import Kpi, Topic
from training.selectors import ambassador_progress

# --- Manager dashboard --------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    value: Any
    average: Any
    # The programme's target: only a rate has one (a count target, such as reports or hours, is the whole
    # organisation's, never a department's); NOT_APPLICABLE for the counts.
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
    # All current ambassadors; ``appointments`` holds the first ``rows`` of them on the page.
    appointment_count: int = 0
    # When the counts per quarter were made (the background rollup), or None: counted live for this view.
    counted_at: datetime.datetime | None = None

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


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


def _activity_totals(qs, today: datetime.date, group: Sequence[str] = ()) -> QuarterTotals:
    # COUNT(*), not COUNT(id): the department's rows are then read from the covering index alone.
    return quarter_totals(qs, "date", today, group, count=Count("*"), hours=Coalesce(Sum("hours"), ZERO))


def _feedback_totals(qs, today: datetime.date) -> QuarterTotals:
    return quarter_totals(
        qs, "created_at", today, ("status",), count=Count("id"), answered=Count("id", filter=ANSWERED_30)
    )


def _leak_totals(qs, today: datetime.date) -> QuarterTotals:
    return quarter_totals(qs, "created_at", today, ("category",), count=Count("id"))


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


def organisation_figures(organisation_id: int, today: datetime.date) -> OrganisationFigures:
    """The organisation's totals for the department dashboards, cached."""
    return cached("organisation-figures", organisation_id, today, lambda: _organisation_figures(organisation_id, today))


# The page lists this many ambassadors and rows of training progress (the furthest behind first); the exports all.
PAGE_ROWS = 15


def department_dashboard(
    department: Department, *, today: datetime.date | None = None, rows: int | None = PAGE_ROWS
) -> DepartmentDashboard:
    """The dashboard of a department and the teams below it, against the organisation's average.

    The department's counts per quarter come from the background rollup when it is recent
    (``evaluation.dashboards.rollup``, one query) and are otherwise counted live over its own rows, one
    grouped query per kind of row; the organisation's come from :func:`organisation_figures`. ``rows``
    limits the ambassadors and the training table to what a page shows (``None``: all, for the exports).
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

    # The departments' terms of this year in one query: the current ones are listed (those whose term ends first)
    # and counted, and all of them give the hours agreed this year (terms times hours per month).
    terms = list(
        Appointment.objects.filter(organisation_id=organisation_id)
        .overlapping(year_start, today)
        .covering(ids)
        .select_related("user")
        .only("term_start", "term_end", "hours_per_month", "user__full_name")
        .order_by("term_end", "user__full_name")
    )
    current = [a for a in terms if a.term_start <= today and (a.term_end is None or a.term_end >= today)]
    appointment_count = len(current)
    appointments = current if rows is None else current[:rows]
    agreed_dept = hours_agreed(terms, year_start, today)

    # Activities per quarter and plan topic: the year, the quarters and the topics come from these rows.
    # Grouped by the topic's id, not its title: no join over every activity; the few titles are read after.
    counted = rollup.fresh(organisation_id)
    survey_measure = registry.get(SURVEY_MEASURE)
    survey_dept = None
    if counted is not None:
        activities, feedback, leaks, surveys = rollup.department_totals(counted, department.pk, today)
        if survey_measure is not None:
            survey_dept = rollup.survey_score(surveys)
    else:
        activities = _activity_totals(Activity.objects.filter(in_dept), today, ("topic_id",))
        # Data-leak reports: counts per quarter and category only, never contents.
        leaks = _leak_totals(DataLeak.objects.filter(in_dept), today)
        # Feedback per quarter and status: received, handled, answered within 30 days.
        feedback = _feedback_totals(Feedback.objects.filter(in_dept), today)
        # The survey score, when the surveys register their measure.
        if survey_measure is not None:
            survey_dept = survey_measure.compute(Organisation(pk=organisation_id), year_start, today, ids)
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

    # Training progress of the department's ambassadors: the mean over all in the database, the furthest behind listed.
    # Plain values, no model instances: a top-level department has a hundred ambassadors or more.
    progress_all = list(
        ambassador_progress(organisation_id=organisation_id, year=year, department_ids=ids, today=today).values(
            "full_name", "percent", "completed", "total", "missing"
        )
    )
    progress = progress_all if rows is None else progress_all[:rows]
    progress_dept = Decimal(sum(p["percent"] for p in progress_all)) / len(progress_all) if progress_all else None

    feedback_total, feedback_answered = feedback.year_total(), feedback.year_total("answered")

    found = kpi_targets(organisation_id, year, RATE_MEASURES)

    def target(measure: str) -> Any:
        """The programme's target for a rate: a KPI of the year that measures it, or words saying there is none."""
        return found.get(measure, _("no KPI set"))

    def avg(total: Any) -> Decimal:
        return one_decimal(Decimal(total or 0) / org.units)

    org_hours = org.activities.year_total("hours")
    org_feedback = org.feedback.year_total()
    figures = [
        Figure(_("Current ambassadors"), appointment_count, None),
        Figure(_("Activities this year"), activity_count, avg(org.activities.year_total())),
        Figure(_("Hours logged this year"), activity_hours, avg(org_hours), unit=_("hours")),
        Figure(_("Hours agreed this year"), agreed_dept, avg(org.agreed), unit=_("hours")),
        Figure(
            _("Hours logged against agreed"),
            percentage(activity_hours, agreed_dept),
            percentage(org_hours, org.agreed),
            target("ambassador_hours_ratio"),
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
            target("feedback_answered_30d"),
            "%",
        ),
    ]
    if survey_measure is not None:
        figures.append(Figure(_("Survey score (1 to 5)"), survey_dept, org.survey, target(SURVEY_MEASURE), _("points")))
    handled = list(Feedback.HANDLED)

    dept_col, avg_col = _("This department"), _("Organisation average per department")
    tables = [
        Table(
            "figures",
            _("Key figures of %(year)s so far") % {"year": year},
            [_("Figure"), dept_col, avg_col, _("Programme target")],
            # A percentage says so in its label, as the other tables' "(%)" columns do: the cells stay numbers.
            [
                [f"{f.label} (%)" if f.unit == "%" else f.label, f.value, f.average, _not_applicable(f.target)]
                for f in figures
            ],
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
            [[p["full_name"], p["percent"], p["completed"], p["total"], p["missing"]] for p in progress],
            chart="bar",
            series=(1,),
            note=_training_note(len(progress), len(progress_all)),
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
    return DepartmentDashboard(
        department,
        year,
        quarters,
        appointments,
        figures,
        tables,
        kpis,
        appointment_count=appointment_count,
        counted_at=counted.computed_at if counted is not None else None,
    )


def page_dashboard(department: Department, *, today: datetime.date | None = None) -> DepartmentDashboard:
    """The dashboard as its page shows it.

    With a recent rollup it is built once per rollup, language and day and kept in the cache: every view until
    the next rollup (``DASHBOARD_ROLLUP_SECONDS``) reads it there, and the page says when its figures were counted.
    Without one (the worker stopped, or ``DASHBOARD_ROLLUP_MAX_AGE_SECONDS`` is 0) it is built for each view. The
    exports always build it anew, with every row.
    """
    today = today or timezone.localdate()
    counted = rollup.fresh(department.organisation_id)
    if counted is None:
        return department_dashboard(department, today=today)
    return rollup.cached_for(
        counted,
        f"department-page:{department.pk}:{get_language()}:{today.isoformat()}",
        lambda: department_dashboard(department, today=today),
    )


def _not_applicable(target: Any) -> Any:
    # Said in words, not left as a missing value: the page would read "not available" for what cannot exist.
    return pgettext("no programme target for this figure", "n/a") if target is None else target


def _training_note(shown: int, total: int) -> str:
    if shown >= total:
        return ""
    return ngettext(
        "The %(shown)d furthest behind of %(total)d ambassador; the export holds all of them.",
        "The %(shown)d furthest behind of %(total)d ambassadors; the export holds all of them.",
        total,
    ) % {"shown": shown, "total": total}
