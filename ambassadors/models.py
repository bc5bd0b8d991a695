"""Ambassadors: appointments (aanstellingen) of employees as first point of contact."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Organisation


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def visible_to(self, user) -> AppointmentQuerySet:
        if not user.is_authenticated or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def current(self, on: datetime.date | None = None) -> AppointmentQuerySet:
        """Appointments whose term covers the given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(term_start__lte=day).filter(Q(term_end__isnull=True) | Q(term_end__gte=day))


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
