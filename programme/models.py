"""The yearly programme: annual plans with topics per month or quarter, and topic suggestions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Organisation


class AnnualPlanQuerySet(models.QuerySet["AnnualPlan"]):
    def visible_to(self, user) -> AnnualPlanQuerySet:
        if not user.is_authenticated or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class AnnualPlan(models.Model):
    """The year's plan (jaarplan) of topics, drafted by officers and then published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="annual_plans", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="annual_plan_one_per_year")]

    def __str__(self) -> str:
        return self.title or str(self.year)


class TopicQuerySet(models.QuerySet["Topic"]):
    def visible_to(self, user) -> TopicQuerySet:
        if not user.is_authenticated or user.organisation_id is None:
            return self.none()
        return self.filter(plan__organisation_id=user.organisation_id)

    def published(self) -> TopicQuerySet:
        return self.filter(status=Topic.Status.PUBLISHED, plan__status=AnnualPlan.Status.PUBLISHED)

    def in_quarter(self, year: int, quarter: int) -> TopicQuerySet:
        """Topics of that quarter: planned for the quarter itself or for one of its months."""
        months = [3 * (quarter - 1) + offset for offset in (1, 2, 3)]
        return self.filter(plan__year=year).filter(models.Q(quarter=quarter) | models.Q(month__in=months))

    def for_department(self, department: Department | None) -> TopicQuerySet:
        """Organisation-wide topics plus those of the department or a department above it."""
        if department is None:
            return self.filter(department__isnull=True)
        return self.filter(models.Q(department__isnull=True) | models.Q(department__in=department.ancestors_and_self()))


class Topic(models.Model):
    """A topic (onderwerp) of the annual plan, for one month or one quarter."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="topics", verbose_name=_("annual plan"))
    title = models.CharField(_("title"), max_length=200)
    key_message = models.TextField(_("key message"), blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("department"),
        help_text=_("Empty for an organisation-wide topic."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["plan__year", "quarter", "month", "title"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(month__isnull=False, quarter__isnull=True)
                    | models.Q(month__isnull=True, quarter__isnull=False)
                ),
                name="topic_month_or_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12), name="topic_month_range"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="topic_quarter_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (self.month is None) == (self.quarter is None):
            raise ValidationError(_("Plan the topic for either a month or a quarter."))
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationError({"month": _("A month is a number from 1 to 12.")})
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationError({"quarter": _("A quarter is a number from 1 to 4.")})

    @property
    def period_quarter(self) -> int:
        return self.quarter if self.quarter is not None else (self.month - 1) // 3 + 1

    @property
    def starts_on(self) -> datetime.date:
        month = self.month if self.month is not None else 3 * (self.quarter - 1) + 1
        return datetime.date(self.plan.year, month, 1)


class TopicSuggestionQuerySet(models.QuerySet["TopicSuggestion"]):
    def visible_to(self, user) -> TopicSuggestionQuerySet:
        if not user.is_authenticated or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def open(self) -> TopicSuggestionQuerySet:
        return self.filter(status=TopicSuggestion.Status.OPEN)


class TopicSuggestion(models.Model):
    """A suggested topic for a next annual plan, with where it came from.

    One model for every source: ambassadors, evaluations, lessons learned from
    data leaks, feedback. ``source_reference`` names the originating record
    (for example a data-leak reference number) without a foreign key, so the
    programme app never depends on the apps above it.
    """

    class Source(models.TextChoices):
        AMBASSADOR = "ambassador", _("Ambassador")
        EVALUATION = "evaluation", _("Evaluation")
        DATA_LEAK = "data_leak", _("Lesson learned from a data leak")
        FEEDBACK = "feedback", _("Colleague feedback")
        OFFICER = "officer", _("Officer")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Taken into a plan")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="topic_suggestions", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_reference = models.CharField(_("source reference"), max_length=100, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_suggestions",
        verbose_name=_("suggested by"),
    )
    for_year = models.PositiveSmallIntegerField(_("for year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions", verbose_name=_("topic")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")

    def __str__(self) -> str:
        return self.title
