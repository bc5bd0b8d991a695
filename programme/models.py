"""The yearly programme: annual plans with topics per month or quarter, and topic suggestions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Organisation
from core.models import Material
from core.querysets import OrganisationQuerySet
from core.uploads import random_upload_path
from programme.kpi_status import Direction, KpiStatus, kpi_status
from programme.kpis import registry

_random_material_path = random_upload_path("programme")


def material_upload_to(instance: object, filename: str) -> str:
    """A module-level function, so migrations can refer to it (random_upload_path returns a closure)."""
    return _random_material_path(instance, filename)


class Channel(models.TextChoices):
    """Where a topic's message goes out."""

    NEWSLETTER = "newsletter", _("Newsletter")
    INTRANET = "intranet", _("Intranet")
    TEAMS = "teams", _("MS Teams")
    TEAM_MEETING = "team_meeting", _("Team meeting")
    EMAIL = "email", _("E-mail")
    POSTER = "poster", _("Poster")


class AnnualPlanQuerySet(OrganisationQuerySet["AnnualPlan"]):
    pass


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


class TopicQuerySet(OrganisationQuerySet["Topic"]):
    organisation_lookup = "plan__organisation_id"

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

    def with_channel(self, channel: str) -> TopicQuerySet:
        # JSON lists: a text search on the quoted value works on SQLite and PostgreSQL alike.
        return self.filter(channels__icontains=f'"{channel}"')


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
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    target_audience = models.CharField(_("target audience"), max_length=200, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_topics",
        verbose_name=_("owner"),
    )
    # Optimistic locking: every save through topic_update raises it by one.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A topic of a published plan is a record others rely on (the mailing, the departments' programmes): edited
    # with a reason, each earlier value kept in the one history (core.history).
    corrections = GenericRelation("core.Correction", related_query_name="topic")

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

    @property
    def ends_on(self) -> datetime.date:
        """The last day of the topic's month or quarter."""
        last_month = self.month if self.month is not None else 3 * self.quarter
        if last_month == 12:
            return datetime.date(self.plan.year, 12, 31)
        return datetime.date(self.plan.year, last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def is_fact(self) -> bool:
        """Published in a published plan: an edit is a correction with a reason (a draft is edited plainly)."""
        return self.status == self.Status.PUBLISHED and self.plan.status == AnnualPlan.Status.PUBLISHED

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]


class TopicSuggestionQuerySet(OrganisationQuerySet["TopicSuggestion"]):
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


class TopicMaterialQuerySet(OrganisationQuerySet["TopicMaterial"]):
    organisation_lookup = "topic__plan__organisation_id"


class TopicMaterial(Material):
    """Material for a topic: an uploaded file (PDF, Office, image) or a link, never both."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="materials", verbose_name=_("topic"))
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True)

    objects = TopicMaterialQuerySet.as_manager()

    class Meta(Material.Meta):
        pass


class MessageQuerySet(OrganisationQuerySet["Message"]):
    organisation_lookup = "topic__plan__organisation_id"


class Message(models.Model):
    """One planned message of the communication plan: a topic on one channel on one date."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SENT = "sent", _("Sent")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="messages", verbose_name=_("topic"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    planned_on = models.DateField(_("planned date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # A sent message is a record of fact: edited with a reason, the earlier values kept in core.history.
    corrections = GenericRelation("core.Correction", related_query_name="message")

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["planned_on", "channel"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.title or f"{self.topic} ({self.get_channel_display()})"

    @property
    def is_fact(self) -> bool:
        """Sent: an edit is a correction with a reason (a planned message is edited plainly)."""
        return self.status == self.Status.SENT


class QuarterlyMailingQuerySet(OrganisationQuerySet["QuarterlyMailing"]):
    pass


class QuarterlyMailing(models.Model):
    """The content of the quarter's topic mailing to every employee (sent by a scheduled task)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="quarterly_mailings", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), help_text=_("The introduction; the quarter's topics and the signature follow."))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuarterlyMailingQuerySet.as_manager()

    class Meta:
        ordering = ["year", "quarter"]
        verbose_name = _("quarterly mailing")
        verbose_name_plural = _("quarterly mailings")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "quarter"], name="quarterly_mailing_unique"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="mailing_quarter_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}: {self.subject}"


class GoalQuerySet(OrganisationQuerySet["Goal"]):
    pass


class Goal(models.Model):
    """A goal of the programme for a year: long-term (awareness, culture) or short-term."""

    class Kind(models.TextChoices):
        LONG_TERM = "long_term", _("Long-term")
        SHORT_TERM = "short_term", _("Short-term")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="goals", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TERM)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["year", "kind", "title"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class KpiQuerySet(OrganisationQuerySet["Kpi"]):
    organisation_lookup = "goal__organisation_id"


class Kpi(models.Model):
    """A key performance indicator of a goal: computed through the registry, or measured by hand."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("goal"))
    name = models.CharField(_("name"), max_length=200)
    measure = models.CharField(
        _("measure"),
        max_length=60,
        blank=True,
        help_text=_("A measure computed from the application's data, or empty for a KPI measured by hand."),
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER,
        help_text=_("Whether the KPI should go up or down, for example a phishing click rate goes down."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KpiQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "name"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="kpi_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return not self.measure

    def measure_definition(self):
        return registry.get(self.measure) if self.measure else None

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER

    def measurements_in_period(self) -> list[KpiMeasurement]:
        """The manual measurements taken within the KPI's period, oldest first (prefetched ones when present)."""
        rows = getattr(self, "all_measurements", None)
        if rows is None and "measurements" in getattr(self, "_prefetched_objects_cache", {}):
            rows = list(self.measurements.all())
        if rows is None:
            rows = list(self.measurements.filter(measured_on__gte=self.period_start, measured_on__lte=self.period_end))
        inside = [m for m in rows if self.period_start <= m.measured_on <= self.period_end]
        return sorted(inside, key=lambda m: (m.measured_on, m.pk))

    def current_value(self, today: datetime.date | None = None):
        """The KPI's value now: computed through the registry, or the latest manual measurement in its period.

        None when there is nothing to show: no measurement in the period yet, or
        a measure that is not (or no longer) registered.
        """
        if self.is_manual:
            day = today or datetime.date.today()
            inside = [m for m in self.measurements_in_period() if m.measured_on <= day]
            return inside[-1].value if inside else None
        measure = self.measure_definition()
        if measure is None:
            return None
        end = min(self.period_end, today or datetime.date.today())
        if end < self.period_start:
            return None
        return measure.compute(self.goal.organisation, self.period_start, end, None)

    def status_on(self, value, today: datetime.date, first_value=None) -> KpiStatus:
        """On track, at risk or off track (see programme.kpi_status); ``first_value`` stands in for a missing baseline."""
        return kpi_status(
            direction=self.direction,
            start=self.baseline if self.baseline is not None else first_value,
            target=self.target,
            current=value,
            period_start=self.period_start,
            period_end=self.period_end,
            today=today,
        )


class KpiMeasurement(models.Model):
    """A value of a manual KPI, with when and where it was measured."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("KPI"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    source = models.CharField(_("source"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # A measurement is a record of fact that reports and the API rely on: corrected in place with a reason, each
    # earlier value kept in the one history (core.history).
    corrections = GenericRelation("core.Correction", related_query_name="kpi_measurement")

    class Meta:
        ordering = ["-measured_on", "-pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.measured_on})"


class HoursConfirmationQuerySet(OrganisationQuerySet["HoursConfirmation"]):
    organisation_lookup = "department__organisation_id"

    def latest_per_department(self, year: int) -> dict[int, HoursConfirmation]:
        """The confirmation in force per department id for the year (the newest; older ones are history)."""
        latest: dict[int, HoursConfirmation] = {}
        for row in self.filter(year=year).select_related("confirmed_by").order_by("department_id", "-confirmed_at"):
            latest.setdefault(row.department_id, row)
        return latest


class HoursConfirmation(models.Model):
    """A manager's confirmation of the hours per month the department's ambassadors may spend.

    Never updated: a new confirmation is a new row, so the history stays.
    """

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="hours_confirmations", verbose_name=_("department")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours_per_month = models.DecimalField(_("hours per month"), max_digits=6, decimal_places=1)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    objects = HoursConfirmationQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("hours confirmation")
        verbose_name_plural = _("hours confirmations")
        constraints = [
            models.CheckConstraint(condition=models.Q(hours_per_month__gte=0), name="hours_confirmation_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}: {self.hours_per_month}"


CENT = Decimal("0.01")


def _sum(name: str) -> Coalesce:
    return Coalesce(
        models.Sum(name), models.Value(0), output_field=models.DecimalField(max_digits=14, decimal_places=2)
    )


def _cents(row: dict) -> dict:
    """Sums to the cent, as the columns hold them: SQLite hands a sum back from a float, unrounded (a total then
    read "7.664,95000000000")."""
    return {**row, "planned": Decimal(row["planned"]).quantize(CENT), "actual": Decimal(row["actual"]).quantize(CENT)}


@dataclass(frozen=True)
class BudgetFigures:
    """The year's budget per unit (euros, hours) and per unit and category: never summed across units.

    ``totals`` maps each unit to planned, actual, remaining, overrun and count (its number of lines);
    ``categories`` holds a row per (unit, category) with lines, with its label. Every page, report, export and
    the API read these, from :meth:`BudgetLineQuerySet.figures`.
    """

    totals: dict[str, dict]
    categories: list[dict]

    def of(self, unit: str) -> list[dict]:
        return [row for row in self.categories if row["unit"] == unit]

    @property
    def lines(self) -> int:
        return sum(total["count"] for total in self.totals.values())


class BudgetLineQuerySet(OrganisationQuerySet["BudgetLine"]):
    def with_remaining(self) -> BudgetLineQuerySet:
        return self.annotate(remaining=models.F("planned") - models.F("actual"))

    def by_category(self) -> list[dict]:
        """Planned, used and remaining per (unit, category), summed in the database, in the categories' order."""
        labels = dict(BudgetLine.Category.choices)
        order = {value: index for index, value in enumerate(labels)}
        rows = map(
            _cents,
            self.order_by()
            .values("unit", "category")
            .annotate(planned=_sum("planned"), actual=_sum("actual"), count=models.Count("pk")),
        )
        return sorted(
            (
                {**row, "remaining": row["planned"] - row["actual"], "label": str(labels.get(row["category"], ""))}
                for row in rows
            ),
            key=lambda row: (BudgetLine.Unit.values.index(row["unit"]), order.get(row["category"], len(order))),
        )

    def totals_by_unit(self) -> dict[str, dict]:
        """Per unit (euro, hours): planned, used, remaining, whether it is overrun and the number of lines; zeros
        for a unit without lines. One aggregate query."""
        found = {
            row["unit"]: _cents(row)
            for row in self.order_by()
            .values("unit")
            .annotate(planned=_sum("planned"), actual=_sum("actual"), count=models.Count("pk"))
        }
        totals = {}
        for unit in BudgetLine.Unit.values:
            row = found.get(unit, {"planned": Decimal("0.00"), "actual": Decimal("0.00"), "count": 0})
            totals[unit] = {
                "planned": row["planned"],
                "actual": row["actual"],
                "remaining": row["planned"] - row["actual"],
                "overrun": row["actual"] > row["planned"],
                "count": row["count"],
            }
        return totals

    def figures(self) -> BudgetFigures:
        """The totals per unit and the rows per unit and category: two aggregate queries."""
        return BudgetFigures(self.totals_by_unit(), self.by_category())


class BudgetLine(models.Model):
    """Planned and used euros, or hours, of one budget item of the year."""

    class Unit(models.TextChoices):
        EURO = "euro", _("Money (euro)")
        HOURS = "hours", _("Time (hours)")

    class Category(models.TextChoices):
        TRAINING = "training", _("Training")
        COMMUNICATION = "communication", _("Communication")
        RECOGNITION = "recognition", _("Recognition")
        TOOLING = "tooling", _("Tooling")
        EXTERNAL_AMBASSADORS = "external_ambassadors", _("External ambassadors")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200)
    unit = models.CharField(_("budgeted in"), max_length=10, choices=Unit.choices, default=Unit.EURO)
    planned = models.DecimalField(_("planned"), max_digits=12, decimal_places=2, default=0)
    actual = models.DecimalField(_("used"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # A budget line, once recorded, is a fact the reports and the managers rely on: every edit is a correction
    # with a reason, each earlier value kept in the one history (core.history).
    corrections = GenericRelation("core.Correction", related_query_name="budget_line")

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["year", "category", "description"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned__gte=0, actual__gte=0), name="budget_line_amounts_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overrun(self) -> bool:
        return self.actual > self.planned

    @property
    def is_hours(self) -> bool:
        return self.unit == self.Unit.HOURS


class MailingRecipientQuerySet(models.QuerySet["MailingRecipient"]):
    def progress(self) -> dict[str, int]:
        """How many copies were sent (accepted by the mail server), are unknown, failed, or are still pending.

        Unknown: handed over to the mail server by a run that died before hearing back (its claim went stale),
        or handed over before and not yet accepted on a later try; such a copy is sent again, under the same
        Message-ID. Pending: not yet handed over, or being handed over by a live run. One aggregate query.
        """
        from django.utils import timezone

        statuses = MailingRecipient.Status
        stale = timezone.now() - datetime.timedelta(seconds=settings.MAILING_STALE_CLAIM_SECONDS)
        open_ = models.Q(status__in=[statuses.PENDING, statuses.SENDING, statuses.HANDED_OVER])
        unknown = open_ & (
            models.Q(status=statuses.HANDED_OVER, claimed_at__lt=stale)
            | (models.Q(handovers__gt=0) & ~models.Q(status=statuses.HANDED_OVER))
        )
        counts = self.aggregate(
            total=models.Count("pk"),
            open=models.Count("pk", filter=open_),
            unknown=models.Count("pk", filter=unknown),
            sent=models.Count("pk", filter=models.Q(status=statuses.SENT)),
            failed=models.Count("pk", filter=models.Q(status=statuses.FAILED)),
        )
        counts["pending"] = counts.pop("open") - counts["unknown"]
        return counts


class MailingRecipient(models.Model):
    """One employee's copy of one quarterly mailing.

    The unique constraint is the guarantee that nobody gets a mailing twice: a
    retried task, a second beat or a restarted worker only ever takes rows that
    are still pending, claiming them first.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Being sent")
        HANDED_OVER = "handed_over", _("Handed over")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    mailing = models.ForeignKey(QuarterlyMailing, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # pending -> sending (claimed by a run) -> handed_over (given to the mail server) -> sent (the server accepted
    # it) or failed (it refused); a handed-over copy of a run that died goes back to pending and is sent again.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    handovers = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    objects = MailingRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        constraints = [models.UniqueConstraint(fields=["mailing", "user"], name="mailing_recipient_once")]
        indexes = [models.Index(fields=["mailing", "status"])]

    def __str__(self) -> str:
        return f"{self.mailing_id}:{self.user_id} {self.status}"
