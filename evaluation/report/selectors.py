"""Reads of the yearly evaluation: every figure of the year in a fixed number of aggregate queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ambassadors.models import Activity, Feedback
from evaluation.dashboards.common import ZERO
from evaluation.dashboards.kpis import year_kpis
from evaluation.report.models import TopicProposal
from evaluation.surveys.models import MIN_GROUP_SIZE, Survey
from incidents.models import Category as LeakCategory
from incidents.models import DataLeak
from programme.models import BudgetLine, Kpi

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
