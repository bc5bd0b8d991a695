"""Control frameworks (the BIO2 built in, an organisation's own norms), explanations per year, and maturity."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.querysets import OrganisationQuerySet


class ControlFrameworkQuerySet(OrganisationQuerySet["ControlFramework"]):
    def visible_to(self, user: Any) -> ControlFrameworkQuerySet:
        """The built-in frameworks (no organisation) and the user's organisation's own."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id))


class ControlFramework(models.Model):
    """A set of controls the programme gives evidence for: the BIO2 (built in, shared) or an organisation's own."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="control_frameworks",
        verbose_name=_("organisation"),
        help_text=_("Empty for a built-in framework, shared by every organisation and not editable."),
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, help_text=_("For example: BIO2 / ISO/IEC 27002:2022."))
    version = models.CharField(_("version"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ControlFrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "name"]
        verbose_name = _("control framework")
        verbose_name_plural = _("control frameworks")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name", "version"], name="evidence_framework_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None


class ControlQuerySet(OrganisationQuerySet["Control"]):
    def visible_to(self, user: Any) -> ControlQuerySet:
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(Q(framework__organisation__isnull=True) | Q(framework__organisation_id=user.organisation_id))


class Control(models.Model):
    """A control (or norm, or ENSIA question) and the kinds of programme evidence that serve it."""

    framework = models.ForeignKey(
        ControlFramework, on_delete=models.CASCADE, related_name="controls", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=30, help_text=_("For example 6.3 or an ENSIA question number."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the control asks"), blank=True)
    evidence_kinds = models.JSONField(_("programme evidence"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ControlQuerySet.as_manager()

    class Meta:
        ordering = ["framework_id", "order", "code"]
        verbose_name = _("control")
        verbose_name_plural = _("controls")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="evidence_control_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ControlExplanationQuerySet(OrganisationQuerySet["ControlExplanation"]):
    pass


class ControlExplanation(models.Model):
    """The officer's own account of a control for one year; the report shows it beside the figures."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="control_explanations", verbose_name=_("organisation")
    )
    control = models.ForeignKey(
        Control, on_delete=models.CASCADE, related_name="explanations", verbose_name=_("control")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("explanation"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ControlExplanationQuerySet.as_manager()

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "control", "year"], name="evidence_explanation_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.control} {self.year}"


class BuildingBlock(models.IntegerChoices):
    """The ten building blocks of a successful ambassador programme."""

    STRATEGY = 1, _("Strategy and goals")
    MANAGERS = 2, _("Managers' commitment")
    SELECTION = 3, _("Selection of ambassadors")
    TRAINING = 4, _("Training")
    COMMUNITY = 5, _("Community")
    COMMUNICATION = 6, _("Communication")
    TECHNOLOGY = 7, _("Technology and channels")
    RECOGNITION = 8, _("Recognition")
    EVALUATION = 9, _("Evaluation")
    BUDGET = 10, _("Budget")


class MaturityLevel(models.IntegerChoices):
    INITIAL = 1, _("1 Initial")
    REPEATABLE = 2, _("2 Repeatable")
    DEFINED = 3, _("3 Defined")
    MANAGED = 4, _("4 Managed")
    OPTIMISING = 5, _("5 Optimising")


# What each level means, after its label ("2 Repeatable: It is done regularly, ..."): no second name of the level.
LEVEL_DESCRIPTIONS = {
    MaturityLevel.INITIAL: _("It happens now and then, depending on individuals."),
    MaturityLevel.REPEATABLE: _("It is done regularly, but not yet written down or planned."),
    MaturityLevel.DEFINED: _("Agreed, written down and planned for the whole organisation."),
    MaturityLevel.MANAGED: _("Measured against goals and adjusted when the figures say so."),
    MaturityLevel.OPTIMISING: _("Improved continuously from evaluations and lessons learned."),
}
# A building block at or below this level is a candidate topic for next year's plan.
LOW_LEVEL = 2


class MaturityAssessmentQuerySet(OrganisationQuerySet["MaturityAssessment"]):
    pass


class MaturityAssessment(models.Model):
    """The officers' self-assessment of the programme, once or twice a year (first and second half)."""

    class Round(models.IntegerChoices):
        FIRST = 1, _("first half")
        SECOND = 2, _("second half")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="maturity_assessments", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.PositiveSmallIntegerField(_("round"), choices=Round.choices, default=Round.FIRST)
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MaturityAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-round"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "round"], name="maturity_one_per_round")]

    def __str__(self) -> str:
        return f"{self.year}-{self.round}"

    @property
    def label(self) -> str:
        return f"{self.year} ({self.get_round_display()})"


class MaturityAnswerQuerySet(OrganisationQuerySet["MaturityAnswer"]):
    organisation_lookup = "assessment__organisation_id"


class MaturityAnswer(models.Model):
    assessment = models.ForeignKey(
        MaturityAssessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    block = models.PositiveSmallIntegerField(_("building block"), choices=BuildingBlock.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=MaturityLevel.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("explanation"), blank=True)
    # What the application knew when the answer was given, kept with it for the history.
    evidence = models.CharField(_("evidence at the time"), max_length=500, blank=True)
    proposal = models.ForeignKey(
        "evaluation.TopicProposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic proposal"),
    )

    objects = MaturityAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["block"]
        verbose_name = _("maturity answer")
        verbose_name_plural = _("maturity answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "block"], name="maturity_answer_once")]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.block}={self.level}"

    @property
    def is_low(self) -> bool:
        return self.level <= LOW_LEVEL
