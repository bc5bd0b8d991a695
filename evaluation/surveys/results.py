"""Survey results with the group-size rule, computed in a fixed number of aggregate queries.

The rule: a department shows its own figures only when at least
``MIN_GROUP_SIZE`` people of it responded. Smaller departments are merged
into "overig" (other). Should "overig" itself stay under the minimum while
departments are shown, the smallest shown department is merged into it as
well, until "overig" reaches the minimum: otherwise the figures of a small
group could be read off as the total minus the departments shown. The total
itself is shown only when it reaches the minimum. Open answers are never
split by department, and only officers see them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Case, Count, F, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from evaluation.surveys.models import LIKERT_VALUES, MIN_GROUP_SIZE, Answer, Question, Response, Survey

OTHER = 0  # the bucket of "overig"


@dataclass
class Group:
    key: int | None  # None: the total; 0: "overig"; otherwise a department id
    label: str
    respondents: int


@dataclass
class ResultRow:
    group: Group
    answered: int
    counts: list[int]
    mean: Decimal | None


@dataclass
class QuestionResult:
    question: Question
    columns: list[str]
    rows: list[ResultRow] = field(default_factory=list)
    open_answers: list[str] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.question.kind == Question.Kind.TEXT


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    shown: bool
    groups: list[Group]
    merged_respondents: int
    hidden_respondents: int
    questions: list[QuestionResult]
    include_open_answers: bool

    def table_rows(self) -> list[list]:
        """The result tables as one flat table, for CSV and XLSX."""
        rows: list[list] = []
        for result in self.questions:
            for row in result.rows:
                for column, count in zip(result.columns, row.counts, strict=True):
                    rows.append([result.question.order, result.question.text, row.group.label, column, count, ""])
                rows.append(
                    [result.question.order, result.question.text, row.group.label, _("Mean"), row.answered, row.mean]
                )
            for text in result.open_answers:
                rows.append([result.question.order, result.question.text, _("Total"), _("Open answer"), "", text])
        return rows


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def choose_groups(counts: dict[int | None, int], names: dict[int, str]) -> tuple[list[Group], int, int]:
    """Departments shown on their own, and "overig" when it may be shown.

    Returns (groups, respondents merged into "overig", respondents not shown
    per group at all).
    """
    shown = {dep: n for dep, n in counts.items() if dep is not None and n >= MIN_GROUP_SIZE}
    other = sum(n for dep, n in counts.items() if dep not in shown)
    while 0 < other < MIN_GROUP_SIZE and shown:
        smallest = min(shown, key=lambda dep: (shown[dep], names.get(dep, "")))
        other += shown.pop(smallest)
    groups = [Group(dep, names.get(dep, "?"), n) for dep, n in shown.items()]
    groups.sort(key=lambda group: group.label)
    if other >= MIN_GROUP_SIZE:
        groups.append(Group(OTHER, _("Other (smaller groups)"), other))
        return groups, other, 0
    return groups, 0, other


def survey_results(
    survey: Survey, *, scope_ids: Collection[int] | None = None, include_open_answers: bool = False
) -> SurveyResults:
    """The results as seen by a viewer limited to ``scope_ids`` (None: the whole organisation)."""
    questions = list(survey.questions.all())
    responses = Response.objects.filter(survey=survey)
    answers = Answer.objects.filter(response__survey=survey)
    if scope_ids is not None:
        responses = responses.filter(department_id__in=list(scope_ids))
        answers = answers.filter(response__department_id__in=list(scope_ids))

    per_department = list(responses.order_by().values("department_id", "department__name").annotate(n=Count("id")))
    counts = {row["department_id"]: row["n"] for row in per_department}
    names = {row["department_id"]: row["department__name"] for row in per_department if row["department_id"]}
    respondents = sum(counts.values())
    shown = respondents >= MIN_GROUP_SIZE
    groups, merged, hidden = choose_groups(counts, names) if shown else ([], 0, respondents)

    results = [QuestionResult(question=q, columns=_columns(q)) for q in questions]
    if shown and questions:
        _fill_tables(results, answers, groups, respondents)
        if include_open_answers:
            _fill_open_answers(results, answers)
    return SurveyResults(
        survey=survey,
        respondents=respondents,
        shown=shown,
        groups=groups,
        merged_respondents=merged,
        hidden_respondents=hidden,
        questions=results,
        include_open_answers=include_open_answers,
    )


def _columns(question: Question) -> list[str]:
    if question.kind == Question.Kind.LIKERT:
        return [str(value) for value in LIKERT_VALUES]
    if question.kind == Question.Kind.CHOICE:
        return list(question.options)
    return []


def _fill_tables(results: list[QuestionResult], answers, groups: list[Group], respondents: int) -> None:
    """Four aggregate queries: distribution and mean, for the total and per group."""
    closed = answers.filter(Q(likert__isnull=False) | ~Q(choice=""))
    shown_ids = [group.key for group in groups if group.key]
    bucket = (
        Case(
            When(response__department_id__in=shown_ids, then=F("response__department_id")),
            default=Value(OTHER),
            output_field=IntegerField(),
        )
        if shown_ids
        else Value(OTHER, output_field=IntegerField())
    )
    total_counts = closed.order_by().values("question_id", "likert", "choice").annotate(n=Count("id"))
    total_means = closed.filter(likert__isnull=False).order_by().values("question_id").annotate(mean=Avg("likert"))
    grouped = closed.annotate(bucket=bucket).order_by()
    group_counts = grouped.values("question_id", "bucket", "likert", "choice").annotate(n=Count("id"))
    group_means = grouped.filter(likert__isnull=False).values("question_id", "bucket").annotate(mean=Avg("likert"))

    distribution: dict[tuple, dict[str, int]] = defaultdict(dict)
    for row in total_counts:
        value = str(row["likert"]) if row["likert"] is not None else row["choice"]
        distribution[(row["question_id"], None)][value] = row["n"]
    for row in group_counts:
        value = str(row["likert"]) if row["likert"] is not None else row["choice"]
        distribution[(row["question_id"], row["bucket"])][value] = row["n"]
    means = {(row["question_id"], None): row["mean"] for row in total_means}
    means.update({(row["question_id"], row["bucket"]): row["mean"] for row in group_means})

    shown_keys = {group.key for group in groups}
    total_group = Group(None, _("Total"), respondents)
    for result in results:
        if result.is_text:
            continue
        question_id = result.question.pk
        # An option removed from the list after answers were given still counts.
        seen = set(distribution[(question_id, None)])
        result.columns += sorted(seen - set(result.columns))
        for group in [total_group, *groups]:
            if group.key is not None and group.key not in shown_keys:
                continue
            values = distribution[(question_id, group.key)]
            row_counts = [values.get(column, 0) for column in result.columns]
            result.rows.append(
                ResultRow(
                    group=group,
                    answered=sum(row_counts),
                    counts=row_counts,
                    mean=_mean(means.get((question_id, group.key))),
                )
            )


def _fill_open_answers(results: list[QuestionResult], answers) -> None:
    """Open answers of the total only, sorted by text so their order reveals nothing."""
    by_question: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (
        answers.exclude(text="").order_by("question_id", "text").values_list("question_id", "text")
    ):
        by_question[question_id].append(text)
    for result in results:
        if result.is_text:
            result.open_answers = by_question.get(result.question.pk, [])
