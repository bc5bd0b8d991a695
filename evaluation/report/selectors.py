"""Reads of the yearly evaluation: every figure of the year in a fixed number of aggregate queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from ambassadors.models import Activity, Feedback
from ambassadors.programmes.selectors import YearSummary, year_summary
from core.formatting import percent
from evaluation.dashboards.budget import budget_tables
from evaluation.dashboards.common import ZERO
from evaluation.dashboards.kpis import year_kpis
from evaluation.dashboards.tables import Cell, Table
from evaluation.report.models import TopicProposal
from evaluation.surveys.models import MIN_GROUP_SIZE, Survey
from incidents.models import Category as LeakCategory
from incidents.models import DataLeak
from programme.models import BudgetFigures, BudgetLine, Kpi

# --- Yearly evaluation --------------------------------------------------------------------------


def survey_summary(organisation_id: int, year: int) -> list[dict] | None:
    """Surveys of the year (by deadline) with their respondents and mean Likert score; None without surveys.

    The mean is shown only for a survey with at least the minimum group size of respondents.
    """
    rows = list(
        Survey.objects.filter(organisation_id=organisation_id, deadline__year=year)
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
class ReportSection:
    key: str
    title: str
    tables: list[Table]


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
    budget: BudgetFigures
    proposals: list
    programmes: YearSummary | None = None

    def tables(self) -> list[Table]:
        """The report's figures as tables, in the report's order: the page and the PDF both render these."""
        year = self.year
        tables = [
            Table(
                "kpis",
                _("KPIs of the goals of %(year)s") % {"year": year},
                [_("KPI"), _("Goal"), _("Value"), _("Target"), _("Unit"), _("Status"), _("Trend")],
                [
                    [
                        Cell(k.name, note=k.get_direction_display()),
                        k.goal.title,
                        k.value,
                        k.target,
                        k.unit,
                        Cell(k.state.label or _("No status"), kind="kpi_state", obj=k),
                        Cell(_trend_text(k), kind="kpi_trend", obj=k),
                    ]
                    for k in self.kpis
                ],
                title=_("KPIs"),
                empty=_("No KPIs were defined for this year."),
                numeric=(2, 3),
            )
        ]
        if self.surveys is not None:
            tables.append(
                Table(
                    "surveys",
                    _("Surveys of the year: respondents and mean score (shown for five or more respondents)"),
                    [_("Survey"), _("Respondents"), _("Mean score (1 to 5)")],
                    [
                        [
                            Cell(s["title"], href=reverse("evaluation:survey_results", args=[s["pk"]])),
                            s["respondents"],
                            s["mean"],
                        ]
                        for s in self.surveys
                    ],
                    title=_("Survey results"),
                    empty=_("No surveys went out this year."),
                )
            )
        tables.append(
            Table(
                "activities",
                _("Activities by type: %(count)s in total, %(hours)s hours")
                % {"count": localize(self.activity_totals["count"]), "hours": localize(self.activity_totals["hours"])},
                [_("Type"), _("Activities"), _("Hours"), _("Colleagues reached")],
                [[a["label"], a["count"], a["hours"], a["reached"]] for a in self.activities],
                title=_("What the ambassadors did"),
                empty=_("No activities were logged this year."),
            )
        )
        if self.programmes is not None:
            tables.extend(self.programme_tables())
        tables.append(
            Table(
                "feedback",
                _("Feedback received this year, by how it was handled"),
                [_("Status"), _("Items")],
                [[f["label"], f["count"]] for f in self.feedback_status],
                title=_("What feedback changed"),
                empty=_("No feedback was received this year."),
            )
        )
        if self.feedback_changes:
            tables.append(
                Table(
                    "feedback-changes",
                    _("Procedures changed"),
                    [_("Procedure"), _("Department"), _("What changed")],
                    [
                        [f.procedure or f.get_category_display(), f.department.name, f.answer]
                        for f in self.feedback_changes
                    ],
                    numeric=(),
                    testid="feedback-changes",
                )
            )
        tables.append(
            Table(
                "leaks",
                _("Reports per category"),
                [_("Category"), _("Reports"), _("Notified to the AP")],
                [[row["label"], row["count"], row["notified"]] for row in self.leaks],
                title=_("Data-leak reports"),
                empty=_("No data leaks were reported this year."),
            )
        )
        tables.extend(budget_tables(self.budget))
        return tables

    def programme_tables(self) -> list[Table]:
        """The department programmes: which departments had an agreed programme, planned against done (the share
        from the KPI measure), and the good practices officers featured."""
        summary = self.programmes
        share = percent(summary.share_done, 1) if summary.share_done is not None else _("not yet due")
        return [
            Table(
                "department-programmes",
                _("Department programmes: %(agreed)s agreed; share of planned items done: %(share)s")
                % {"agreed": localize(summary.agreed), "share": share},
                [_("Department"), _("Programme"), _("Planned items"), _("Done")],
                [[r.department, r.status, r.planned, r.done] for r in summary.rows],
                title=_("Department programmes"),
                empty=_("No department drew up a programme this year."),
                numeric=(2, 3),
                testid="department-programmes",
            ),
            Table(
                "featured-practices",
                _("Good practices featured"),
                [_("Good practice"), _("Topic"), _("What worked")],
                [[p.title, p.topic.title if p.topic else "–", p.what_worked] for p in summary.featured],
                empty=_("No good practice was featured this year."),
                numeric=(),
                testid="featured-practices",
            ),
        ]

    def sections(self) -> list[ReportSection]:
        """The tables grouped under their headings: a table without a title belongs to the section before it."""
        sections: list[ReportSection] = []
        for table in self.tables():
            if table.title or not sections:
                sections.append(ReportSection(table.key, table.heading, [table]))
            else:
                sections[-1].tables.append(table)
        return sections

    def proposal_table(self) -> Table:
        """Next year's topic proposals (after the maturity section, on the page and in the PDF)."""
        return Table(
            "proposals",
            _("Topic proposals for %(year)s") % {"year": self.year + 1},
            [_("Topic"), _("Votes"), _("Status")],
            [[p.title, p.vote_count, p.get_status_display()] for p in self.proposals],
            empty=_("No proposals yet."),
            numeric=(1,),
        )


def _trend_text(kpi: Kpi) -> str:
    return " → ".join(f"{localize(day)}: {localize(value) if value is not None else '–'}" for day, value in kpi.trend)


def year_report(organisation_id: int, year: int, *, today: datetime.date | None = None) -> YearReport:
    """Everything the yearly evaluation shows, in a fixed number of aggregate queries."""

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
    budget = BudgetLine.objects.filter(organisation_id=organisation_id, year=year).figures()
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
        proposals=proposals,
        programmes=year_summary(organisation_id, year, today=today),
    )
