"""Training: the yearly curriculum of modules, their sessions, enrolments with attendance, and materials."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from accounts.permissions import sees_all_training_sessions
from core.models import Material as CoreMaterial
from core.querysets import OrganisationQuerySet
from core.uploads import random_upload_path
from programme.models import Topic

_material_path = random_upload_path("training")


def material_upload_to(instance: Any, filename: str) -> str:
    """A random name under training/ (a module-level function, so migrations can refer to it)."""
    return _material_path(instance, filename)


class ModuleQuerySet(OrganisationQuerySet["Module"]):
    def for_year(self, year: int) -> ModuleQuerySet:
        return self.filter(year=year)

    def mandatory(self) -> ModuleQuerySet:
        return self.filter(is_mandatory=True)


class Module(models.Model):
    """A part of the year's curriculum, for example "Phishing"."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="training_modules", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("learning goals"), blank=True, help_text=_("What participants learn."))
    is_mandatory = models.BooleanField(
        _("mandatory for ambassadors"),
        default=False,
        help_text=_("Mandatory modules count towards each ambassador's progress."),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_modules",
        verbose_name=_("plan topic"),
        help_text=_("The annual plan topic this module supports."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-is_mandatory", "title"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "title"], name="training_module_unique_title"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class TrainingSessionQuerySet(OrganisationQuerySet["TrainingSession"]):
    organisation_lookup = "module__organisation_id"

    def visible_to(self, user: Any) -> TrainingSessionQuerySet:
        """Sessions of the user's organisation that the user may see.

        Officers and ambassadors see every session; other staff see the
        sessions opened to all staff, those they train and those they enrolled in.
        """
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        sessions = super().visible_to(user)
        if sees_all_training_sessions(user):
            return sessions
        return sessions.filter(
            Q(open_to_all_staff=True)
            | Q(trainer_id=user.pk)
            | Exists(Enrolment.objects.filter(session=OuterRef("pk"), user_id=user.pk))
        )

    def in_organisation_of(self, user: Any) -> TrainingSessionQuerySet:
        """Every session of the user's organisation: the boundary only. A detail page fetches through this
        and asks ``can_view_training_session``, so a session of another organisation is a 404 and one of
        the user's own organisation they may not see a 403."""
        return super().visible_to(user)

    def not_cancelled(self) -> TrainingSessionQuerySet:
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self, now: datetime.datetime | None = None) -> TrainingSessionQuerySet:
        return self.filter(starts_at__gt=now or timezone.now())

    def past(self, now: datetime.datetime | None = None) -> TrainingSessionQuerySet:
        return self.filter(starts_at__lte=now or timezone.now())

    def with_counts(self) -> TrainingSessionQuerySet:
        """Seats taken, the waiting list and attendance per session.

        Correlated subqueries (on the session/status index) rather than a JOIN and GROUP BY over every
        enrolment: a paginated list then counts only the sessions of its page.
        """

        def count(**filters: Any) -> Coalesce:
            enrolments = (
                Enrolment.objects.filter(session_id=OuterRef("pk"), **filters)
                .order_by()
                .values("session_id")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(enrolments, output_field=models.IntegerField()), 0)

        return self.annotate(
            enrolled_count=count(status=Enrolment.Status.ENROLLED),
            waitlist_count=count(status=Enrolment.Status.WAITLISTED),
            attended_count=count(status=Enrolment.Status.ENROLLED, attended=True),
        )


class TrainingSession(models.Model):
    """One occasion of a module: a date and time, a place or link, a trainer and a number of seats."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("module"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(
        pgettext_lazy("training", "online link"), blank=True, help_text=_("For example a Teams meeting.")
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_sessions_given",
        verbose_name=_("trainer (officer)"),
    )
    external_trainer = models.CharField(
        _("external trainer"), max_length=200, blank=True, help_text=_("Name of a trainer from outside.")
    )
    capacity = models.PositiveIntegerField(pgettext_lazy("training", "capacity"), help_text=_("Number of seats."))
    enrolment_deadline = models.DateTimeField(
        _("enrolment deadline"), null=True, blank=True, help_text=_("Empty: enrolment is open until the start.")
    )
    open_to_all_staff = models.BooleanField(
        _("open to all staff"), default=False, help_text=_("Otherwise only ambassadors can enrol.")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # A session that has taken place is a fact (attendance, certificates and the evidence rely on it): its edit is a
    # correction with a reason, each earlier value kept in the one history (core.history).
    corrections = GenericRelation("core.Correction", related_query_name="training_session")

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.module.title} {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if self.starts_at and self.enrolment_deadline and self.enrolment_deadline > self.starts_at:
            errors["enrolment_deadline"] = _("The enrolment deadline must be before the session starts.")
        if not self.location and not self.online_url:
            errors["location"] = _("Give a location or an online link.")
        if not self.trainer_id and not self.external_trainer:
            errors["trainer"] = _("Choose an officer as trainer or give the name of an external trainer.")
        elif self.trainer_id and self.external_trainer:
            errors["external_trainer"] = _("Choose either an officer or an external trainer, not both.")
        if errors:
            raise ValidationError(errors)

    @property
    def organisation_id(self) -> int:
        return self.module.organisation_id

    @property
    def deadline(self) -> datetime.datetime:
        return self.enrolment_deadline or self.starts_at

    @property
    def trainer_name(self) -> str:
        return self.trainer.full_name if self.trainer_id else self.external_trainer

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def enrolment_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and not self.has_started(now) and now <= self.deadline


class EnrolmentQuerySet(OrganisationQuerySet["Enrolment"]):
    organisation_lookup = "session__module__organisation_id"

    def active(self) -> EnrolmentQuerySet:
        return self.exclude(status=Enrolment.Status.CANCELLED)

    def enrolled(self) -> EnrolmentQuerySet:
        return self.filter(status=Enrolment.Status.ENROLLED)

    def waitlisted(self) -> EnrolmentQuerySet:
        """The waiting list in order: the id is assigned under the session's lock, so it is the arrival order."""
        return self.filter(status=Enrolment.Status.WAITLISTED).order_by("pk")

    def with_waitlist_position(self) -> EnrolmentQuerySet:
        ahead = (
            Enrolment.objects.filter(
                session_id=OuterRef("session_id"), status=Enrolment.Status.WAITLISTED, pk__lt=OuterRef("pk")
            )
            .order_by()
            .values("session_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waitlist_ahead=models.functions.Coalesce(models.Subquery(ahead), 0),
        )


class Enrolment(models.Model):
    """A person's place in a session: enrolled, on the waiting list or cancelled; attendance is registered here."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_enrolments",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    attendance_registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance registered by"),
    )
    attendance_registered_at = models.DateTimeField(_("attendance registered at"), null=True, blank=True)

    # Attendance once registered is corrected with a reason, the earlier value kept here (core.history).
    corrections = GenericRelation("core.Correction", related_query_name="training_enrolment")

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["session__starts_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="training_enrolment_one_active_per_user",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.session}"


class MaterialQuerySet(OrganisationQuerySet["Material"]):
    organisation_lookup = "module__organisation_id"


class Material(CoreMaterial):
    """Slides, a handout or a link for a module's participants."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="materials", verbose_name=_("module"))
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MaterialQuerySet.as_manager()

    class Meta(CoreMaterial.Meta):
        pass
