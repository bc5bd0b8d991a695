"""The department year programme: what a department plans to do against the organisation's annual plan.

A planned item's state (done, partly done, moved, dropped, open) is derived from the activities matched to it and
the decision recorded on it (``PlannedItemQuerySet.with_progress`` and ``PlannedItem.state``), never stored beside
them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Organisation
from ambassadors.models import Activity
from core.models import Material
from core.querysets import OrganisationQuerySet
from core.uploads import random_upload_path

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]
QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


class DepartmentProgrammeQuerySet(OrganisationQuerySet["DepartmentProgramme"]):
    def within(self, scope) -> DepartmentProgrammeQuerySet:
        """Narrowed to a permission scope (accounts.permissions): None is the whole organisation."""
        return self if scope is None else self.filter(department_id__in=list(scope))

    def waiting(self) -> DepartmentProgrammeQuerySet:
        return self.filter(status=DepartmentProgramme.Status.SUBMITTED)


class DepartmentProgramme(models.Model):
    """A department's year programme, drafted by its ambassador and agreed by a CISO or ISO."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for agreement")
        AGREED = "agreed", _("Agreed")
        RETURNED = "returned", _("Sent back")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="department_programmes", verbose_name=_("organisation")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("department")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    remark = models.TextField(_("remark"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("drafted by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DepartmentProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "department__path"]
        verbose_name = _("department programme")
        verbose_name_plural = _("department programmes")
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="department_programme_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}"

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED

    @property
    def is_open_for_drafting(self) -> bool:
        """Items are added and removed while drafting; once submitted or agreed, items are only edited."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class PlannedItemQuerySet(OrganisationQuerySet["PlannedItem"]):
    organisation_lookup = "programme__organisation_id"

    def within(self, scope) -> PlannedItemQuerySet:
        return self if scope is None else self.filter(programme__department_id__in=list(scope))

    def with_progress(self) -> PlannedItemQuerySet:
        """Annotate the hours and number of matched activities: ``PlannedItem.state`` reads them."""
        return self.annotate(
            done_hours=Coalesce(Sum("matches__activity__hours"), Decimal("0"), output_field=models.DecimalField()),
            match_count=Count("matches"),
        )

    def done(self) -> PlannedItemQuerySet:
        """Items whose matched hours reach the planned hours (annotated by ``with_progress``)."""
        return self.exclude(decision=PlannedItem.Decision.DROPPED).filter(
            match_count__gt=0, done_hours__gte=models.F("hours")
        )

    def ending_between(self, start: datetime.date, end: datetime.date) -> PlannedItemQuerySet:
        """Items whose month or quarter ends within ``start``..``end`` (years whole, periods by their last month)."""
        condition = Q()
        for year in range(start.year, end.year + 1):
            months = [m for m in range(1, 13) if start <= _last_day(year, m) <= end]
            quarters = [q for q in range(1, 5) if 3 * q in months]
            condition |= Q(programme__year=year) & (Q(month__in=months) | Q(quarter__in=quarters))
        return self.filter(condition)


def _last_day(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


class PlannedItem(models.Model):
    """One thing a department plans to do: a topic, a kind of activity, a month or quarter, who, hours, for whom."""

    class Decision(models.TextChoices):
        NONE = "", _("No decision")
        MOVED = "moved", _("Moved")
        DROPPED = "dropped", _("Dropped")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        PARTLY = "partly_done", _("Partly done")
        DONE = "done", _("Done")
        MOVED = "moved", _("Moved")
        DROPPED = "dropped", _("Dropped")

    programme = models.ForeignKey(
        DepartmentProgramme, on_delete=models.CASCADE, related_name="items", verbose_name=_("programme")
    )
    topic = models.ForeignKey(
        "programme.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_items",
        verbose_name=_("plan topic"),
    )
    title = models.CharField(_("what"), max_length=200)
    kind = models.CharField(_("type of activity"), max_length=30, choices=Activity.Kind.choices)
    month = models.PositiveSmallIntegerField(_("month"), choices=MONTHS, null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS, null=True, blank=True)
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="planned_items",
        verbose_name=_("ambassador"),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    team = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for whom"),
        help_text=_("Empty for the whole department."),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True, default="")
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    source_practice = models.ForeignKey(
        "GoodPractice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from good practice"),
    )
    activities = models.ManyToManyField(Activity, through="ActivityMatch", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # An item of an agreed programme is what the department and the officer agreed on: its edit is a correction
    # with a reason, each earlier value kept in the one history (core.history).
    corrections = GenericRelation("core.Correction", related_query_name="planned_item")

    objects = PlannedItemQuerySet.as_manager()

    class Meta:
        ordering = ["programme", models.F("month").asc(nulls_last=True), "quarter", "title"]
        verbose_name = _("planned item")
        verbose_name_plural = _("planned items")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=False, quarter__isnull=True) | Q(month__isnull=True, quarter__isnull=False),
                name="planned_item_month_or_quarter",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="planned_item_hours_positive"),
            models.CheckConstraint(
                condition=~Q(decision="dropped") | ~Q(decision_reason=""), name="planned_item_dropped_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (self.month is None) == (self.quarter is None):
            raise ValidationError(_("Plan the item for either a month or a quarter."))
        if self.decision == self.Decision.DROPPED and not self.decision_reason.strip():
            raise ValidationError({"decision_reason": _("Give the reason why the item is dropped.")})

    @property
    def period_quarter(self) -> int:
        return self.quarter if self.quarter is not None else (self.month - 1) // 3 + 1

    @property
    def starts_on(self) -> datetime.date:
        month = self.month if self.month is not None else 3 * (self.quarter - 1) + 1
        return datetime.date(self.programme.year, month, 1)

    @property
    def ends_on(self) -> datetime.date:
        return _last_day(self.programme.year, self.month if self.month is not None else 3 * self.quarter)

    @property
    def period_label(self) -> str:
        if self.month is not None:
            return str(dict(MONTHS)[self.month])
        return str(dict(QUARTERS)[self.quarter])

    def _progress(self) -> tuple[Decimal, int]:
        if hasattr(self, "done_hours"):
            return self.done_hours, self.match_count
        row = self.matches.aggregate(
            hours=Coalesce(Sum("activity__hours"), Decimal("0"), output_field=models.DecimalField()), count=Count("id")
        )
        return row["hours"], row["count"]

    @property
    def state(self) -> str:
        """Dropped and moved are decisions; done and partly done follow from the matched activities' hours."""
        if self.decision == self.Decision.DROPPED:
            return self.State.DROPPED
        hours, count = self._progress()
        if count and hours >= self.hours:
            return self.State.DONE
        if count:
            return self.State.PARTLY
        if self.decision == self.Decision.MOVED:
            return self.State.MOVED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(dict(self.State.choices)[self.state])

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state in (self.State.OPEN, self.State.MOVED) and self.ends_on < today


class ActivityMatch(models.Model):
    """A logged activity counted towards a planned item (confirmed in the activity form)."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="planned_match", verbose_name=_("activity")
    )
    item = models.ForeignKey(PlannedItem, on_delete=models.CASCADE, related_name="matches", verbose_name=_("item"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity matched to a planned item")
        verbose_name_plural = _("activities matched to planned items")

    def __str__(self) -> str:
        return f"{self.activity} -> {self.item}"


class GoodPracticeQuerySet(OrganisationQuerySet["GoodPractice"]):
    def with_reuse(self) -> GoodPracticeQuerySet:
        return self.annotate(reuse_count=Count("copies", distinct=True))


class GoodPractice(models.Model):
    """A done item or activity an ambassador shares with the organisation's other ambassadors."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="good_practices", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="good_practices",
        verbose_name=_("shared by"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("department")
    )
    item = models.ForeignKey(
        PlannedItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("planned item")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type of activity"), max_length=30, choices=Activity.Kind.choices)
    topic = models.ForeignKey(
        "programme.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("plan topic"),
    )
    what = models.TextField(_("what was done"))
    audience = models.CharField(_("for whom"), max_length=300)
    what_worked = models.TextField(_("what worked"))
    effort = models.CharField(_("what it took"), max_length=300)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=Decimal("1"))
    featured = models.BooleanField(_("featured"), default=False)
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoodPracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-featured", "-created_at"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self) -> str:
        return self.title


def practice_material_upload_to(instance: object, filename: str) -> str:
    """A module-level function, so migrations can refer to it (random_upload_path returns a closure)."""
    return _random_practice_path(instance, filename)


_random_practice_path = random_upload_path("practices")


class GoodPracticeMaterial(Material):
    """The material of a good practice (a file or a link), through ``core.materials``."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="materials", verbose_name=_("good practice")
    )
    file = models.FileField(_("file"), upload_to=practice_material_upload_to, blank=True)

    class Meta(Material.Meta):
        pass
