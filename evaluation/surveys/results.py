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

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
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

    @property
    def is_likert(self) -> bool:
        return self.question.kind == Question.Kind.LIKERT


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
    # Each query below also names the question ids: then the database reads this survey's
    # answers through the index on the question, instead of scanning every answer.
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
        closed_ids = [q.pk for q in questions if q.kind != Question.Kind.TEXT]
        text_ids = [q.pk for q in questions if q.kind == Question.Kind.TEXT]
        if closed_ids:
            _fill_tables(results, answers.filter(question_id__in=closed_ids), groups, respondents)
        if include_open_answers and text_ids:
            _fill_open_answers(results, answers.filter(question_id__in=text_ids))
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
    """One aggregate query: the answers counted per question, group and value.

    Every answer falls in exactly one group (a department shown on its own, or
    "overig"), so the total is the sum over the groups, and a mean follows
    from the counts of the values 1 to 5.
    """
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
    group_counts = (
        closed.annotate(bucket=bucket)
        .order_by()
        .values_list("question_id", "bucket", "likert", "choice")
        .annotate(n=Count("id"))
    )

    distribution: dict[tuple, dict[str, int]] = defaultdict(dict)
    # (number of likert answers, their sum) per question and group, for the means.
    likert_sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for question_id, bucket, likert, choice, n in group_counts:
        values = distribution[(question_id, bucket)]
        if likert is None:
            values[choice] = values.get(choice, 0) + n
        else:
            value = str(likert)
            values[value] = values.get(value, 0) + n
            sums = likert_sums[(question_id, bucket)]
            sums[0] += n
            sums[1] += likert * n
    # The total: every answer is in exactly one group.
    for (question_id, _bucket), values in list(distribution.items()):
        total = distribution[(question_id, None)]
        for value, n in values.items():
            total[value] = total.get(value, 0) + n
    for (question_id, _bucket), (answered, summed) in list(likert_sums.items()):
        sums = likert_sums[(question_id, None)]
        sums[0] += answered
        sums[1] += summed

    shown_keys = {group.key for group in groups}
    total_group = Group(None, _("Total"), respondents)
    for result in results:
        if result.is_text:
            continue
        question_id = result.question.pk
        # An option removed from the list after answers were given still counts.
        seen = set(distribution.get((question_id, None), ()))
        result.columns += sorted(seen - set(result.columns))
        for group in [total_group, *groups]:
            if group.key is not None and group.key not in shown_keys:
                continue
            values = distribution.get((question_id, group.key), {})
            row_counts = [values.get(column, 0) for column in result.columns]
            answered, total = likert_sums.get((question_id, group.key), (0, 0))
            result.rows.append(
                ResultRow(
                    group=group,
                    answered=sum(row_counts),
                    counts=row_counts,
                    mean=_mean(Decimal(total) / Decimal(answered)) if answered else None,
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
