"""Survey models.

Anonymity is structural: a ``Participation`` records *that* a person responded
(one per survey and person, the guard against a second response), a
``Response`` records *what* was answered and, for an anonymous survey, only the
department at the time of answering; no column links the two. For an
anonymous survey both timestamps are kept to the day, so the order of
participations cannot be matched to the order of responses either.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department, Organisation
from core.querysets import OrganisationQuerySet

LIKERT_VALUES = (1, 2, 3, 4, 5)
# Results per department are shown only for groups at least this large.
MIN_GROUP_SIZE = 5


class SurveyQuerySet(OrganisationQuerySet["Survey"]):
    def open(self) -> SurveyQuerySet:
        return self.filter(status=Survey.Status.OPEN)

    def published(self) -> SurveyQuerySet:
        """Surveys that went out (open or closed): the ones with results."""
        return self.exclude(status=Survey.Status.DRAFT)


class Measurement(models.TextChoices):
    BASELINE = "baseline", _("Baseline (0-meting)")
    FOLLOW_UP = "follow_up", _("Follow-up (1-meting)")


class Survey(models.Model):
    Measurement = Measurement

    class Kind(models.TextChoices):
        AMBASSADOR_EVALUATION = "ambassador_evaluation", _("Ambassador evaluation")
        STAFF_PULSE = "staff_pulse", _("Staff awareness pulse")

    class Audience(models.TextChoices):
        ALL = "all", _("All active employees")
        AMBASSADORS = "ambassadors", _("Ambassadors")
        DEPARTMENTS = "departments", _("Chosen departments (with their teams)")

    class Status(models.TextChoices):
        # A context of their own: "Closed" means "afgesloten" for a data leak, "gesloten" for a survey.
        DRAFT = "draft", pgettext_lazy("survey status", "Draft")
        OPEN = "open", pgettext_lazy("survey status", "Open")
        CLOSED = "closed", pgettext_lazy("survey status", "Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown above the questions: why you ask and what you do with it.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.STAFF_PULSE)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("The answers are stored without the respondent's name; only the department is kept."),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    departments = models.ManyToManyField(Department, blank=True, related_name="surveys", verbose_name=_("departments"))
    opens_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), help_text=_("The last day on which the survey can be answered."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The form's one-time token: a double submit finds the survey it already created.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # A baseline (0-meting) of an awareness campaign, or its follow-up (1-meting) with the same questions.
    measurement = models.CharField(_("measurement"), max_length=10, choices=Measurement.choices, blank=True, default="")
    campaign = models.CharField(_("awareness campaign"), max_length=200, blank=True)
    baseline = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("baseline survey"),
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def accepts_responses(self, today: datetime.date | None = None) -> bool:
        return self.is_open and (today or timezone.localdate()) <= self.deadline


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Statement (1 to 5: strongly disagree to strongly agree)")
        CHOICE = "choice", _("Multiple choice")
        TEXT = "text", _("Open answer")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind of question"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("answer required"), default=True)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Participation(models.Model):
    """A person invited to a survey, and whether they responded: never which response is theirs."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="participations", verbose_name=_("survey")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations", verbose_name=_("user")
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="evaluation_participation_once_per_survey"),
        ]
        indexes = [models.Index(fields=["user", "responded_at"], name="evaluation_particip_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} / {self.survey}"


class ResponseQuerySet(models.QuerySet["Response"]):
    def in_departments(self, department_ids) -> ResponseQuerySet:
        return self.filter(department_id__in=list(department_ids))


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    # Only for a survey that is not anonymous; an anonymous survey never stores it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="evaluation_response_once_per_named_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    likert = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="evaluation_answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(likert__isnull=True) | Q(likert__gte=1, likert__lte=5),
                name="evaluation_answer_likert_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.likert or self.choice or self.text[:30]}"
