"""Ambassadors: appointments (aanstellingen) of employees as first point of contact."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Organisation
from core.querysets import OrganisationQuerySet


class AppointmentQuerySet(OrganisationQuerySet["Appointment"]):
    def current(self, on: datetime.date | None = None) -> AppointmentQuerySet:
        """Appointments whose term covers the given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(term_start__lte=day).filter(Q(term_end__isnull=True) | Q(term_end__gte=day))

    def overlapping(self, start: datetime.date, end: datetime.date) -> AppointmentQuerySet:
        """Appointments whose term shares at least one day with ``start``..``end``."""
        return self.filter(term_start__lte=end).filter(Q(term_end__isnull=True) | Q(term_end__gte=start))

    def ending_within(self, days: int, on: datetime.date | None = None) -> AppointmentQuerySet:
        """Current appointments whose term ends in the next ``days`` days (rotation reminders)."""
        day = on or timezone.localdate()
        return self.current(day).filter(term_end__isnull=False, term_end__lte=day + datetime.timedelta(days=days))

    def covering(self, department_ids) -> AppointmentQuerySet:
        return self.filter(departments__in=list(department_ids)).distinct()

    def within(self, scope) -> AppointmentQuerySet:
        """Narrowed to a permission scope (accounts.permissions): None is the whole organisation."""
        return self if scope is None else self.covering(scope)


class Appointment(models.Model):
    """An employee's term as ambassador for one or more departments."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("ambassador")
    )
    departments = models.ManyToManyField(Department, related_name="appointments", verbose_name=_("departments"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTERNAL)
    external_organisation = models.CharField(_("external organisation"), max_length=200, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    hours_per_month = models.DecimalField(_("hours per month"), max_digits=5, decimal_places=1, default=4)
    created_at = models.DateTimeField(auto_now_add=True)
    nomination = models.OneToOneField(
        "Nomination",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
        verbose_name=_("nomination"),
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessor"),
    )
    handover_note = models.TextField(_("hand-over note"), blank=True)

    corrections = GenericRelation("core.Correction", related_query_name="appointment")
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-term_start"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [models.Index(fields=["organisation", "term_start", "term_end"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.term_start:%Y-%m-%d})"

    def clean(self) -> None:
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})
        if self.kind == self.Kind.EXTERNAL and not self.external_organisation:
            raise ValidationError({"external_organisation": _("An external ambassador needs an organisation.")})

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)

    def months_in(self, start: datetime.date, end: datetime.date) -> int:
        """Calendar months of ``start``..``end`` in which this term runs at least one day."""
        first = max(start, self.term_start)
        last = min(end, self.term_end) if self.term_end else end
        if last < first:
            return 0
        return (last.year - first.year) * 12 + last.month - first.month + 1

    def hours_agreed(self, start: datetime.date, end: datetime.date) -> Decimal:
        return self.hours_per_month * self.months_in(start, end)


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the quarter that contains ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    next_start = datetime.date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, next_start - datetime.timedelta(days=1)


class NominationQuerySet(OrganisationQuerySet["Nomination"]):
    def open(self) -> NominationQuerySet:
        return self.filter(status=Nomination.Status.OPEN)


class Nomination(models.Model):
    """A candidate for the ambassador role: a volunteer, or put forward by their manager."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Appointed")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("organisation")
    )
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("candidate")
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="nominations_made",
        verbose_name=_("nominated by"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("department"),
    )
    motivation = models.TextField(_("motivation"))
    affinity = models.TextField(_("affinity with security and privacy"))
    influence = models.TextField(_("influence in the department"))
    hours_available = models.DecimalField(_("time available (hours per month)"), max_digits=4, decimal_places=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # One open nomination per person: a double submit or a second nomination stores once.
            models.UniqueConstraint(
                fields=["nominee"], condition=Q(status="open"), name="nomination_one_open_per_nominee"
            ),
        ]

    def __str__(self) -> str:
        return str(self.nominee)

    @property
    def is_volunteer(self) -> bool:
        return self.nominated_by_id == self.nominee_id


class ActivityQuerySet(OrganisationQuerySet["Activity"]):
    def between(self, start: datetime.date, end: datetime.date) -> ActivityQuerySet:
        return self.filter(date__gte=start, date__lte=end)

    def within(self, scope) -> ActivityQuerySet:
        """Narrowed to a permission scope (accounts.permissions): None is the whole organisation."""
        return self if scope is None else self.filter(department_id__in=list(scope))

    def totals(self) -> dict:
        return self.aggregate(
            hours=Coalesce(Sum("hours"), Decimal("0"), output_field=models.DecimalField()),
            reached=Coalesce(Sum("colleagues_reached"), 0),
            count=Count("id"),
        )


class Activity(models.Model):
    """Something an ambassador did for the programme, logged in half a minute."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Awareness talk")
        TEAM_MEETING = "team_meeting", _("Slot in a team meeting")
        WALKTHROUGH = "walkthrough", _("Walk-through or clean-desk round")
        BEHAVIOUR = "behaviour", _("Addressing behaviour")
        INCIDENT_SUPPORT = "incident_support", _("Supporting a colleague with an incident")
        PUBLICATION = "publication", _("Newsletter or intranet item")
        QUESTION = "question", _("Question answered")
        LEARNING = "learning", _("Own learning (course, webinar, reading)")
        OTHER = "other", _("Other")

    MAX_HOURS = Decimal("24")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="activities", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities", verbose_name=_("ambassador")
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, related_name="activities", verbose_name=_("appointment")
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, related_name="activities", verbose_name=_("department")
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    topic = models.ForeignKey(
        "programme.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("plan topic"),
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    colleagues_reached = models.PositiveIntegerField(_("colleagues reached"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    corrections = GenericRelation("core.Correction", related_query_name="activity")
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["user", "date"]),
            # A department's figures on its dashboard, read from the index alone. The extra columns are key columns
            # rather than INCLUDE ones: the same index-only scan on PostgreSQL, and an index SQLite can build too
            # (INCLUDE made every manage.py call on SQLite warn models.W040 and was dropped there anyway).
            models.Index(
                fields=["department", "date", "organisation", "topic", "hours"], name="activity_dept_date_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="activity_hours_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%Y-%m-%d})"

    def in_open_quarter(self, today: datetime.date | None = None) -> bool:
        """Entries of the current quarter may change; a closed quarter is final."""
        start, _end = quarter_bounds(today or timezone.localdate())
        return self.date >= start


class FeedbackQuerySet(OrganisationQuerySet["Feedback"]):
    def handled(self) -> FeedbackQuerySet:
        return self.filter(status__in=Feedback.HANDLED).exclude(answer="")

    def for_departments(self, department_ids) -> FeedbackQuerySet:
        return self.filter(department_id__in=list(department_ids))

    def given_by(self, user) -> FeedbackQuerySet:
        """Named feedback the user gave (anonymous feedback keeps no author, so it is never anyone's)."""
        return self.filter(author_id=user.pk, is_anonymous=False)

    def within(self, scope) -> FeedbackQuerySet:
        """Narrowed to a permission scope (accounts.permissions): None is the whole organisation."""
        return self if scope is None else self.for_departments(scope)


class Feedback(models.Model):
    """Colleague feedback on the programme's procedures; anonymous feedback keeps nothing identifying."""

    class Category(models.TextChoices):
        PROCEDURE = "procedure", _("A procedure that does not work in practice")
        QUESTION = "question", _("A question")
        IDEA = "idea", _("An idea")
        COMPLIMENT = "compliment", _("A compliment")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        PROCEDURE_CHANGED = "procedure_changed", _("Procedure changed")
        EXPLAINED = "explained", _("Explained")
        DECLINED = "declined", _("Declined")

    class Source(models.TextChoices):
        FORM = "form", _("Feedback form")
        CONVERSATION = "conversation", _("Conversation with the ambassador")

    HANDLED = [Status.PROCEDURE_CHANGED, Status.EXPLAINED, Status.DECLINED]

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("organisation")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("department")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    message = models.TextField(_("your feedback"))
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    # Both stay empty for anonymous feedback: not even the user id is kept.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_given",
        verbose_name=_("author"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.FORM)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_recorded",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    topic = models.ForeignKey(
        "programme.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("plan topic"),
    )
    procedure = models.CharField(_("procedure concerned"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    corrections = GenericRelation("core.Correction", related_query_name="feedback")
    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [
            # The list, newest first: for the whole organisation, filtered by status, or for some departments.
            # Ties by id as the lists break them (core.listing): a page reads its 50 rows from the index.
            models.Index(fields=["organisation", "-created_at", "-id"], name="feedback_org_newest_id_idx"),
            models.Index(fields=["organisation", "status", "-created_at", "-id"], name="feedback_org_status_id_idx"),
            models.Index(fields=["department", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(author__isnull=True, ip_address__isnull=True),
                name="feedback_anonymous_keeps_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def is_handled(self) -> bool:
        return self.status in self.HANDLED


class EventQuerySet(OrganisationQuerySet["Event"]):
    def upcoming(self) -> EventQuerySet:
        return self.filter(starts_at__gte=timezone.now() - datetime.timedelta(hours=12))

    def past(self) -> EventQuerySet:
        return self.filter(starts_at__lt=timezone.now() - datetime.timedelta(hours=12))


class Event(models.Model):
    """A community gathering: an ambassador meeting, a network event or a team activity."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Ambassador meeting")
        NETWORK = "network", _("Network event")
        TEAM = "team", _("Team activity")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="events", verbose_name=_("organisation")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    notes = models.TextField(_("notes and shared experiences"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class Registration(models.Model):
    """An RSVP for an event; attendance is recorded afterwards."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations", verbose_name=_("person")
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class RecognitionQuerySet(OrganisationQuerySet["Recognition"]):
    pass


class Recognition(models.Model):
    """A thank-you, an award or a milestone for an ambassador."""

    class Kind(models.TextChoices):
        THANKS = "thanks", _("Thank-you")
        AWARD = "award", _("Award")
        MILESTONE = "milestone", _("Milestone")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("organisation")
    )
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognitions", verbose_name=_("ambassador")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.THANKS)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("given by")
    )
    mailed = models.BooleanField(_("sent by e-mail"), default=False)
    # The threshold of the ambassador level this recognition marks, if any: that level is no longer suggested.
    level_points = models.PositiveIntegerField(_("level reached (points)"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self) -> str:
        return self.title


# The points scheme of an organisation that has not set its own (ambassadors.levels computes with it).
# Outreach to colleagues earns more than one's own learning.
DEFAULT_POINTS = {
    "talk": [10, 5],
    "team_meeting": [8, 5],
    "walkthrough": [8, 4],
    "behaviour": [5, 2],
    "incident_support": [8, 4],
    "publication": [6, 3],
    "question": [3, 2],
    "learning": [2, 1],
    "other": [2, 1],
}
DEFAULT_LEVELS = [
    {"name": "Starter", "points": 0},
    {"name": "Actief", "points": 50},
    {"name": "Gevorderd", "points": 150},
    {"name": "Expert", "points": 300},
    {"name": "Kartrekker", "points": 600},
]
MAX_LEVELS = 6


class PointsSchemeQuerySet(OrganisationQuerySet["PointsScheme"]):
    pass


class PointsScheme(models.Model):
    """The organisation's rules for ambassador points and levels (see ambassadors.levels)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="points_scheme", verbose_name=_("organisation")
    )
    # {activity kind: [points per activity, points per hour]}
    points = models.JSONField(_("points per kind"), default=dict)
    # [{"name": ..., "points": threshold}], lowest first
    levels = models.JSONField(_("levels"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PointsSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("points scheme")
        verbose_name_plural = _("points schemes")

    def __str__(self) -> str:
        return str(self.organisation)

    @classmethod
    def for_organisation(cls, organisation_id: int) -> PointsScheme:
        """The saved scheme, or the default one (not saved) when the officers have not set theirs."""
        scheme = cls.objects.filter(organisation_id=organisation_id).first()
        if scheme is None:
            scheme = cls(
                organisation_id=organisation_id, points=copy.deepcopy(DEFAULT_POINTS), levels=list(DEFAULT_LEVELS)
            )
        for kind in Activity.Kind.values:
            scheme.points.setdefault(kind, [0, 0])
        return scheme
