"""KPI measures fed by the surveys, registered in EvaluationConfig.ready()."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from evaluation.surveys.models import MIN_GROUP_SIZE, Answer
from programme.kpis import Measure


def survey_score(organisation, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None):
    """Mean Likert score (1-5) of the responses submitted in the period, in one aggregate query.

    None when fewer than MIN_GROUP_SIZE responses count: a department's score
    must not reveal how a handful of colleagues answered.
    """
    answers = Answer.objects.filter(
        response__survey__organisation=organisation,
        response__submitted_at__date__gte=start,
        response__submitted_at__date__lte=end,
        likert__isnull=False,
    )
    if department_ids is not None:
        answers = answers.filter(response__department_id__in=list(department_ids))
    row = answers.aggregate(total=Sum("likert"), scores=Count("id"), responses=Count("response_id", distinct=True))
    return score(row["total"], row["scores"], row["responses"])


def score(total, scores: int, responses: int) -> Decimal | None:
    """The mean of ``scores`` Likert answers adding up to ``total`` from ``responses`` responses, to two decimals;
    None without answers or below MIN_GROUP_SIZE responses (the dashboards' rollup sums the same three)."""
    if not scores or responses < MIN_GROUP_SIZE:
        return None
    return (Decimal(total) / Decimal(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


MEASURES = [
    Measure(key="survey_score", label=_("Survey score (mean, 1 to 5)"), unit=_("points"), compute=survey_score),
]
