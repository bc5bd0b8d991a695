"""Writes of the surveys: build, open, answer once, close, remind."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from core import outbox
from core.formatting import short_date
from core.models import OutboxMessage
from evaluation.surveys import selectors
from evaluation.surveys.models import Answer, Participation, Question, Response, Survey

# Reminders go out daily during the last days before the deadline.
REMINDER_DAYS_BEFORE_DEADLINE = 3
PARTICIPATION_BATCH = 1000


class AlreadyResponded(Exception):
    """The person has answered this survey before: nothing is stored a second time."""


class NotInvited(Exception):
    """The person is not in the survey's audience."""


# --- Building ---------------------------------------------------------------------------------


def _set_departments(survey: Survey, data: dict[str, Any]) -> None:
    if survey.audience == Survey.Audience.DEPARTMENTS:
        survey.departments.set(data.get("departments") or [])
    else:
        survey.departments.clear()


@transaction.atomic
def survey_create(*, organisation: Organisation, created_by: User, data: dict[str, Any]) -> Survey:
    """Create a draft; a double submit (the same form token) returns the survey created the first time."""
    token = data.get("token")
    if token and (existing := Survey.objects.filter(token=token, organisation=organisation).first()):
        return existing
    survey = Survey.objects.create(
        token=token,
        organisation=organisation,
        created_by=created_by,
        title=data["title"],
        introduction=data.get("introduction", ""),
        kind=data["kind"],
        anonymous=data.get("anonymous", True),
        audience=data["audience"],
        deadline=data["deadline"],
    )
    _set_departments(survey, data)
    return survey


# Shown whenever a change is refused because the survey has opened.
SURVEY_LOCKED = _(
    "This survey has opened: its settings and questions can no longer be changed, "
    "so that everyone answers the same questions."
)


def _ensure_draft(survey: Survey) -> None:
    """Settings and questions are locked once the survey opens: answers then stay comparable."""
    if not survey.is_draft:
        raise ValidationError(SURVEY_LOCKED)


@transaction.atomic
def survey_update(*, survey: Survey, data: dict[str, Any]) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _ensure_draft(survey)
    for field in ("title", "introduction", "kind", "anonymous", "audience", "deadline"):
        setattr(survey, field, data[field])
    survey.save()
    _set_departments(survey, data)
    return survey


@transaction.atomic
def survey_delete(*, survey: Survey) -> None:
    """Delete a survey that never opened (nobody was invited, nothing answered), with its questions."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _ensure_draft(survey)
    survey.delete()


@transaction.atomic
def question_add(*, survey: Survey, data: dict[str, Any]) -> Question:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    token = data.get("token")
    if token and (existing := Question.objects.filter(token=token, survey=survey).first()):
        return existing  # a double submit of the same form
    _ensure_draft(survey)
    last = survey.questions.aggregate(last=Max("order"))["last"]
    kind = data["kind"]
    return Question.objects.create(
        survey=survey,
        token=token,
        order=(last or 0) + 1,
        text=data["text"],
        kind=kind,
        options=list(data.get("options") or []) if kind == Question.Kind.CHOICE else [],
        required=data.get("required", False),
    )


@transaction.atomic
def question_update(*, question: Question, data: dict[str, Any]) -> Question:
    """Change a question's text, kind, options or whether it is required (only before the survey opens)."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _ensure_draft(survey)
    question = Question.objects.get(pk=question.pk, survey=survey)
    question.text = data["text"]
    question.kind = data["kind"]
    question.options = list(data.get("options") or []) if question.kind == Question.Kind.CHOICE else []
    question.required = data.get("required", False)
    question.save(update_fields=["text", "kind", "options", "required"])
    return question


@transaction.atomic
def question_move(*, question: Question, direction: str) -> None:
    """Swap the question with its neighbour above ("up") or below ("down")."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _ensure_draft(survey)
    questions = list(survey.questions.order_by("order", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, item in enumerate(questions, start=1):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])


@transaction.atomic
def question_remove(*, question: Question) -> None:
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _ensure_draft(survey)
    question.delete()


# --- Sending ----------------------------------------------------------------------------------


def create_participations(survey: Survey, *, now: datetime.datetime | None = None) -> int:
    """Invite the audience: one participation per person, in batches, memory flat for any size."""
    stamp = now or timezone.now()
    created = 0
    batch: list[Participation] = []
    for user_id in selectors.audience(survey).values_list("pk", flat=True).iterator(chunk_size=2000):
        batch.append(Participation(survey_id=survey.pk, user_id=user_id, invited_at=stamp))
        if len(batch) >= PARTICIPATION_BATCH:
            created += len(Participation.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Participation.objects.bulk_create(batch, ignore_conflicts=True))
    return created


@transaction.atomic
def survey_open(*, survey: Survey, today: datetime.date | None = None) -> int:
    """Open the survey, invite its audience and queue the invitation mails; returns the number invited."""
    day = today or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_draft:
        raise ValidationError(_("This survey has already been sent."))
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before you open the survey."))
    if survey.deadline < day:
        raise ValidationError(_("The deadline has passed: choose a later deadline first."))
    if survey.audience == Survey.Audience.DEPARTMENTS and not survey.departments.exists():
        raise ValidationError(_("Choose at least one department for the audience."))
    survey.status = Survey.Status.OPEN
    survey.opens_at = timezone.now()
    survey.save(update_fields=["status", "opens_at"])
    invited = create_participations(survey, now=survey.opens_at)
    if not invited:
        raise ValidationError(_("Nobody is in the chosen audience."))
    # One outbox message for the whole audience; the task expands it into keyed mails.
    outbox.enqueue(
        "evaluation.tasks.send_survey_invitations",
        key=f"evaluation:survey-invitations:{survey.pk}",
        survey_id=survey.pk,
    )
    return invited


@transaction.atomic
def survey_close(*, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    return survey


def survey_close_expired(*, today: datetime.date | None = None) -> int:
    """Close the open surveys whose deadline has passed."""
    day = today or timezone.localdate()
    return Survey.objects.open().filter(deadline__lt=day).update(status=Survey.Status.CLOSED, closed_at=timezone.now())


# --- Answering --------------------------------------------------------------------------------


def _anonymous_stamp(moment: datetime.datetime) -> datetime.datetime:
    """The day only: the order of participations must not reveal the order of responses."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def response_submit(
    *, survey: Survey, user: User, answers: dict[int, Any], today: datetime.date | None = None
) -> Response:
    """Store one response per person.

    The participation is marked responded with a conditional update inside the
    transaction: of two simultaneous submits only one changes the row, the
    other raises AlreadyResponded and stores nothing.
    """
    with transaction.atomic():
        current = Survey.objects.get(pk=survey.pk)
        if not current.accepts_responses(today):
            raise ValidationError(_("This survey is closed; responses are no longer accepted."))
        now = timezone.now()
        stamp = _anonymous_stamp(now) if current.anonymous else now
        marked = Participation.objects.filter(survey=current, user=user, responded_at__isnull=True).update(
            responded_at=stamp
        )
        if not marked:
            if Participation.objects.filter(survey=current, user=user).exists():
                raise AlreadyResponded
            raise NotInvited
        response = Response.objects.create(
            survey=current,
            department_id=user.department_id,
            user=None if current.anonymous else user,
            submitted_at=stamp,
        )
        questions = {q.pk: q for q in current.questions.all()}
        rows = []
        for question_id, value in answers.items():
            question = questions.get(question_id)
            if question is None or value in (None, ""):
                continue
            answer = Answer(response=response, question=question)
            if question.kind == Question.Kind.LIKERT:
                answer.likert = int(value)
            elif question.kind == Question.Kind.CHOICE:
                answer.choice = str(value)
            else:
                answer.text = str(value)
            rows.append(answer)
        Answer.objects.bulk_create(rows)
        return response


# --- Reminders --------------------------------------------------------------------------------


def survey_send_reminders(*, today: datetime.date | None = None) -> int:
    """Queue reminders for open surveys whose deadline is near; at most once per survey per day."""
    day = today or timezone.localdate()
    due = Survey.objects.open().filter(
        deadline__gte=day, deadline__lte=day + datetime.timedelta(days=REMINDER_DAYS_BEFORE_DEADLINE)
    )
    queued = 0
    for survey_id in due.values_list("pk", flat=True):
        key = f"evaluation:survey-reminder:{survey_id}:{day:%Y-%m-%d}"
        if OutboxMessage.objects.filter(key=key).exists():
            continue
        with transaction.atomic():
            outbox.enqueue("evaluation.tasks.send_survey_reminder", key=key, survey_id=survey_id, day=day.isoformat())
        queued += 1
    return queued


def reminder_recipients(survey: Survey):
    """Invited, not yet responded, still active and not opted out of reminders (iterated, never loaded whole)."""
    return (
        Participation.objects.filter(
            survey=survey, responded_at__isnull=True, user__is_active=True, user__receives_reminders=True
        )
        .select_related("user")
        .order_by("pk")
    )


# --- Baseline and follow-up ---------------------------------------------------------------------


def question_signature(questions) -> list[tuple]:
    """What makes two surveys' questions "the same": in order, the text, the kind and the options."""
    return [(q.text.strip(), q.kind, list(q.options or [])) for q in questions]


def measurement_error(survey: Survey, *, measurement: str, baseline: Survey | None) -> str | None:
    """Why ``survey`` cannot be the follow-up of ``baseline`` (None when it can)."""
    if measurement != Survey.Measurement.FOLLOW_UP:
        return None
    if baseline is None:
        return _("Choose the baseline survey this one follows up.")
    if baseline.pk == survey.pk or baseline.organisation_id != survey.organisation_id:
        return _("Choose another survey of your organisation as the baseline.")
    if baseline.measurement != Survey.Measurement.BASELINE:
        return _("The chosen survey is not marked as a baseline.")
    if survey.deadline <= baseline.deadline:
        return _("A follow-up must end later than its baseline (after %(date)s).") % {
            "date": short_date(baseline.deadline)
        }
    if question_signature(survey.questions.all()) != question_signature(baseline.questions.all()):
        return _("A follow-up needs the same questions as its baseline, in the same order.")
    return None


@transaction.atomic
def survey_set_measurement(*, survey: Survey, data: dict[str, Any]) -> Survey:
    """Mark the survey as a baseline, as the follow-up of one, or as neither."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    measurement = data.get("measurement") or ""
    baseline = data.get("baseline") if measurement == Survey.Measurement.FOLLOW_UP else None
    if baseline is not None:
        # As stored now, not as the form read it.
        baseline = Survey.objects.filter(pk=baseline.pk).first()
    error = measurement_error(survey, measurement=measurement, baseline=baseline)
    if error:
        raise ValidationError({"baseline": error})
    if survey.follow_ups.exists() and measurement != Survey.Measurement.BASELINE:
        raise ValidationError({"measurement": _("Follow-ups refer to this survey: it stays a baseline.")})
    survey.measurement = measurement
    survey.baseline = baseline
    if measurement == Survey.Measurement.FOLLOW_UP:
        survey.campaign = baseline.campaign
    elif measurement == Survey.Measurement.BASELINE:
        survey.campaign = (data.get("campaign") or "").strip()
        if not survey.campaign:
            raise ValidationError({"campaign": _("Name the awareness campaign this baseline measures.")})
        survey.follow_ups.update(campaign=survey.campaign)
    else:
        survey.campaign = ""
    survey.save(update_fields=["measurement", "baseline", "campaign"])
    return survey
