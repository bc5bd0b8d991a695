"""The officers' programme dashboard: KPIs, the activity heat map and the ten building blocks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts.models import Department, Organisation
from ambassadors.models import Activity, Appointment, Event, Recognition
from ambassadors.selectors import coverage_units, current_appointment_filter
from core.figures import percentage
from core.formatting import number, percent
from evaluation.dashboards.budget import budget_evidence, budget_totals_table
from evaluation.dashboards.common import (
    Quarter,
    cached,
    last_quarters,
    one_decimal,
    quarter_label,
    quarter_totals,
    training_mean,
)
from evaluation.dashboards.kpis import kpi_columns, kpi_rows, year_kpis
from evaluation.dashboards.tables import Table
from evaluation.report.models import EvaluationReport
from evaluation.surveys.models import Survey
from programme.models import (
    AnnualPlan,
    BudgetFigures,
    BudgetLine,
    Channel,
    Goal,
    HoursConfirmation,
    Kpi,
    QuarterlyMailing,
    Topic,
)
from training.models import TrainingSession

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
    # When the blocks' evidence was counted (cached for DASHBOARD_AVERAGES_SECONDS).
    blocks_counted_at: datetime.datetime | None = None

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


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
    # Plain rows, not hundreds of Department instances; only the units shown become (unsaved, light) instances.
    departments = list(
        Department.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
            "id", "name", "path", "level"
        )
    )
    units = [
        Department(pk=pk, name=name, organisation_id=organisation_id)
        for pk, name, _path, level in departments
        if level == Department.Level.UNIT
    ]
    unit_of: dict[int, int] = {}
    unit_ids = {d.pk for d in units}
    for pk, _name, path, _level in departments:
        for part in path.strip("/").split("/"):
            if part and int(part) in unit_ids:
                unit_of[pk] = int(part)
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


def building_blocks(
    organisation_id: int,
    year: int,
    today: datetime.date,
    coverage: tuple[int, int],
    budget: BudgetFigures | None = None,
) -> list:
    """The ten building blocks of the programme, each with the programme's own evidence for the year (``budget``:
    the year's budget figures when the caller has them already)."""
    if budget is None:
        budget = BudgetLine.objects.filter(organisation_id=organisation_id, year=year).figures()
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
    surveys = (
        Survey.objects.filter(organisation_id=organisation_id, deadline__year=year).exclude(status="draft").count()
    )
    report = (
        EvaluationReport.objects.filter(organisation_id=organisation_id, year__in=[year - 1, year])
        .order_by("-year")
        .values("year", "status")
        .first()
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
            budget.lines > 0,
            budget_evidence(budget),
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

    # The evidence of the ten blocks counts a dozen kinds of the organisation's rows: organisation-wide figures,
    # cached as the heat map is (per language: the texts are made here), with the moment they were counted.
    # The budget's figures come with them, so its block and its table say the same.
    def count_blocks() -> tuple[list[BuildingBlock], BudgetFigures, datetime.datetime]:
        budget = BudgetLine.objects.filter(organisation_id=organisation_id, year=year).figures()
        coverage = (coverage_row["total"], coverage_row["covered"])
        return building_blocks(organisation_id, year, today, coverage, budget), budget, timezone.now()

    blocks, budget, blocks_counted_at = cached(
        f"building-blocks:{get_language()}", organisation_id, today, count_blocks
    )
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
        budget_totals_table(budget, year),
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
        blocks_counted_at=blocks_counted_at,
    )
