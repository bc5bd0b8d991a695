"""A baseline (0-meting) against its follow-up (1-meting): per question and per department, with significance.

The group-size rule of ``results`` holds on both sides at once: a department
is shown on its own only when at least ``MIN_GROUP_SIZE`` people of it
answered each survey; the others are merged into "overig", and should
"overig" stay under the minimum on either side, the smallest department shown
is merged into it as well. A side under the minimum shows nothing.

Three aggregate queries whatever the number of answers: the questions of
both surveys, the respondents per survey and department, and the answers
counted per survey, question, group and value. Means, variances and shares
follow from those counts; the tests are in ``stats``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from evaluation.surveys.models import MIN_GROUP_SIZE, Answer, Question, Response, Survey
from evaluation.surveys.services import question_signature
from evaluation.surveys.stats import TestResult, two_proportion_z_test, welch_t_test

OTHER = 0


@dataclass
class CompareGroup:
    key: int | None  # None: the total; 0: "overig"; otherwise a department id
    label: str
    before: int  # respondents, 0 when that side is not shown
    after: int


@dataclass
class Side:
    answered: int
    value: Decimal | None  # the mean (statements) or the share in percent (an option)


@dataclass
class CompareRow:
    group: CompareGroup
    option: str
    before: Side | None
    after: Side | None
    test: TestResult | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None or self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value


@dataclass
class QuestionComparison:
    question: Question
    rows: list[CompareRow] = field(default_factory=list)

    @property
    def is_likert(self) -> bool:
        return self.question.kind == Question.Kind.LIKERT


@dataclass
class Comparison:
    baseline: Survey
    follow_up: Survey
    error: str
    groups: list[CompareGroup]
    questions: list[QuestionComparison]
    before_total: int
    after_total: int


def _round(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def choose_compare_groups(
    before: dict[int | None, int], after: dict[int | None, int], names: dict[int, str]
) -> list[CompareGroup]:
    """Departments shown on both sides, then "overig" where it reaches the minimum (see the module docstring)."""
    total_before, total_after = sum(before.values()), sum(after.values())
    shown = {
        dep
        for dep in set(before) | set(after)
        if dep is not None and before.get(dep, 0) >= MIN_GROUP_SIZE and after.get(dep, 0) >= MIN_GROUP_SIZE
    }
    while True:
        other_before = total_before - sum(before.get(dep, 0) for dep in shown)
        other_after = total_after - sum(after.get(dep, 0) for dep in shown)
        too_small = 0 < other_before < MIN_GROUP_SIZE or 0 < other_after < MIN_GROUP_SIZE
        if not (too_small and shown):
            break
        shown.remove(min(shown, key=lambda dep: (min(before[dep], after[dep]), names.get(dep, ""))))
    groups = sorted(
        (CompareGroup(dep, names.get(dep, "?"), before[dep], after[dep]) for dep in shown), key=lambda g: g.label
    )
    if shown and (other_before >= MIN_GROUP_SIZE or other_after >= MIN_GROUP_SIZE):
        groups.append(
            CompareGroup(
                OTHER,
                _("Other (smaller groups)"),
                other_before if other_before >= MIN_GROUP_SIZE else 0,
                other_after if other_after >= MIN_GROUP_SIZE else 0,
            )
        )
    return groups


def compare_surveys(follow_up: Survey, *, scope_ids: Collection[int] | None = None) -> Comparison:
    baseline = follow_up.baseline
    questions = list(Question.objects.filter(survey__in=[baseline.pk, follow_up.pk]).order_by("order", "pk"))
    before_questions = [q for q in questions if q.survey_id == baseline.pk]
    after_questions = [q for q in questions if q.survey_id == follow_up.pk]
    empty = Comparison(baseline, follow_up, "", [], [], 0, 0)
    if question_signature(before_questions) != question_signature(after_questions):
        empty.error = _("The questions of the two surveys differ, so they cannot be compared.")
        return empty

    responses = Response.objects.filter(survey__in=[baseline.pk, follow_up.pk])
    if scope_ids is not None:
        responses = responses.filter(department_id__in=list(scope_ids))
    counts: dict[int, dict[int | None, int]] = {baseline.pk: {}, follow_up.pk: {}}
    names: dict[int, str] = {}
    for row in responses.order_by().values("survey_id", "department_id", "department__name").annotate(n=Count("id")):
        counts[row["survey_id"]][row["department_id"]] = row["n"]
        if row["department_id"]:
            names[row["department_id"]] = row["department__name"]
    before_total, after_total = sum(counts[baseline.pk].values()), sum(counts[follow_up.pk].values())
    result = Comparison(baseline, follow_up, "", [], [], before_total, after_total)
    if before_total < MIN_GROUP_SIZE or after_total < MIN_GROUP_SIZE:
        result.error = _("Fewer than five people answered one of the two surveys: no comparison is shown yet.")
        return result
    result.groups = choose_compare_groups(counts[baseline.pk], counts[follow_up.pk], names)

    closed = [q for q in questions if q.kind != Question.Kind.TEXT]
    shown_ids = [g.key for g in result.groups if g.key]
    bucket = (
        Case(
            When(response__department_id__in=shown_ids, then=F("response__department_id")),
            default=Value(OTHER),
            output_field=IntegerField(),
        )
        if shown_ids
        else Value(OTHER, output_field=IntegerField())
    )
    answers = Answer.objects.filter(question_id__in=[q.pk for q in closed]).filter(
        Q(likert__isnull=False) | ~Q(choice="")
    )
    if scope_ids is not None:
        answers = answers.filter(response__department_id__in=list(scope_ids))
    rows = (
        answers.annotate(bucket=bucket)
        .order_by()
        .values_list("question_id", "bucket", "likert", "choice")
        .annotate(n=Count("id"))
    )
    # Per (question, group): {value: count}; the total (None) is the sum over the groups.
    values: dict[tuple[int, int | None], dict] = defaultdict(lambda: defaultdict(int))
    for question_id, group, likert, choice, n in rows:
        value = likert if likert is not None else choice
        values[(question_id, group)][value] += n
        values[(question_id, None)][value] += n

    total = CompareGroup(None, _("Total"), before_total, after_total)
    for before_q, after_q in zip(before_questions, after_questions, strict=True):
        if before_q.kind == Question.Kind.TEXT:
            continue
        comparison = QuestionComparison(after_q)
        for group in [total, *result.groups]:
            before_values = values.get((before_q.pk, group.key), {}) if group.before else None
            after_values = values.get((after_q.pk, group.key), {}) if group.after else None
            if before_q.kind == Question.Kind.LIKERT:
                comparison.rows.append(_likert_row(group, before_values, after_values))
            else:
                options = list(after_q.options)
                seen = set(before_values or {}) | set(after_values or {})
                options += sorted(str(o) for o in seen - set(options))
                comparison.rows.extend(_choice_rows(group, options, before_values, after_values))
        result.questions.append(comparison)
    return result


def _aggregates(counts: dict | None) -> tuple[int, float, float]:
    counts = counts or {}
    return (
        sum(counts.values()),
        float(sum(value * n for value, n in counts.items())),
        float(sum(value * value * n for value, n in counts.items())),
    )


def _likert_row(group: CompareGroup, before: dict | None, after: dict | None) -> CompareRow:
    sides = []
    for counts in (before, after):
        if counts is None:
            sides.append(None)
            continue
        n, total, _squares = _aggregates(counts)
        sides.append(Side(n, _round(total / n, "0.01") if n else None))
    test = None
    if before is not None and after is not None:
        test = welch_t_test(*_aggregates(before), *_aggregates(after))
    return CompareRow(group, "", sides[0], sides[1], test)


def _choice_rows(group: CompareGroup, options: list[str], before: dict | None, after: dict | None) -> list[CompareRow]:
    answered_before = sum((before or {}).values())
    answered_after = sum((after or {}).values())
    rows = []
    for option in options:
        sides = []
        for counts, answered in ((before, answered_before), (after, answered_after)):
            if counts is None or not answered:
                sides.append(None if counts is None else Side(0, None))
                continue
            sides.append(Side(answered, _round(100 * counts.get(option, 0) / answered, "0.1")))
        test = None
        if before is not None and after is not None:
            test = two_proportion_z_test(before.get(option, 0), answered_before, after.get(option, 0), answered_after)
        rows.append(CompareRow(group, option, sides[0], sides[1], test))
    return rows
