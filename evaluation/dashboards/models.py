"""The dashboards' rollup: per department and quarter, the counts the dashboards and the register show.

Counting a top-level department's activities, feedback and data-leak reports live costs more than the rest of its
dashboard together; a beat task (``evaluation.tasks.refresh_rollups``, every ``DASHBOARD_ROLLUP_SECONDS``) counts
them for every department at once, and the pages read the few rows of a department instead, saying how old they
are. A rollup older than ``DASHBOARD_ROLLUP_MAX_AGE_SECONDS`` (the worker stopped) is not used: the pages count live.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Organisation


class Rollup(models.Model):
    """When an organisation's counts were last made, and from which day they run."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("organisation")
    )
    computed_at = models.DateTimeField(_("computed at"))
    since = models.DateField(_("counted from"))

    class Meta:
        verbose_name = _("dashboard rollup")
        verbose_name_plural = _("dashboard rollups")

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class QuarterCount(models.Model):
    """The rows of one kind of one department in one quarter, per key, counted by ``evaluation.dashboards.rollup``.

    ``key`` is the activity's plan topic (its id, empty for none), the feedback's status or the report's
    category (empty for survey responses); the measures a kind does not have stay 0. ``tree`` rows count the
    department with every department below it (what its dashboard shows), the others the department alone (the
    register's counts per department).
    """

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activities")
        FEEDBACK = "feedback", _("feedback")
        DATALEAK = "dataleak", _("data-leak reports")
        SURVEY = "survey", _("survey responses")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    key = models.CharField(_("key"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=12, decimal_places=1, default=0)
    answered = models.PositiveIntegerField(_("answered within 30 days"), default=0)
    notified = models.PositiveIntegerField(_("notified to the AP"), default=0)
    no_leak = models.PositiveIntegerField(_("no data leak"), default=0)
    score_total = models.PositiveIntegerField(_("sum of the Likert scores"), default=0)
    scores = models.PositiveIntegerField(_("Likert answers"), default=0)
    tree = models.BooleanField(_("with the departments below"), default=False)

    class Meta:
        verbose_name = _("quarter count")
        verbose_name_plural = _("quarter counts")
        indexes = [
            # The register's year per organisation; a department subtree's quarters on its dashboard.
            models.Index(fields=["organisation", "kind", "year", "quarter"]),
            models.Index(fields=["department", "tree", "year", "quarter"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.department_id} {self.year} K{self.quarter} {self.key}: {self.count}"
