"""Reads of the training app that span models: progress on mandatory modules and the attendance KPI."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programme.kpis import Measure
from training.models import Enrolment, Module

ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED)


def current_ambassador_ids(*, organisation_id: int, department_ids: Collection[int] | None = None, today=None):
    """A subquery of the users with an appointment covering today (optionally for some departments)."""
    appointment_model = apps.get_model("ambassadors", "Appointment")
    appointments = appointment_model.objects.current(today or timezone.localdate()).filter(
        organisation_id=organisation_id
    )
    if department_ids is not None:
        appointments = appointments.filter(departments__in=list(department_ids))
    return appointments.values("user_id")


def ambassador_progress(
    *,
    organisation_id: int,
    year: int,
    department_ids: Collection[int] | None = None,
    today: datetime.date | None = None,
) -> QuerySet[User]:
    """Current ambassadors, each annotated in one query with their progress on the year's mandatory modules.

    ``total``: mandatory modules of the year; ``completed``: of those, attended;
    ``covered``: enrolled, waitlisted or attended; ``missing``: not enrolled at all;
    ``percent``: completed as a whole percentage of total (100 when there is nothing mandatory).
    """
    mandatory_total = (
        Module.objects.filter(organisation_id=organisation_id, year=year, is_mandatory=True)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    in_scope = Q(
        training_enrolments__session__module__organisation_id=organisation_id,
        training_enrolments__session__module__year=year,
        training_enrolments__session__module__is_mandatory=True,
    )
    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            pk__in=current_ambassador_ids(organisation_id=organisation_id, department_ids=department_ids, today=today),
        )
        .select_related("department")
        .annotate(
            total=Coalesce(Subquery(mandatory_total, output_field=IntegerField()), Value(0)),
            completed=Count(
                "training_enrolments__session__module",
                filter=in_scope
                & Q(training_enrolments__status=Enrolment.Status.ENROLLED, training_enrolments__attended=True),
                distinct=True,
            ),
            covered=Count(
                "training_enrolments__session__module",
                filter=in_scope & Q(training_enrolments__status__in=ACTIVE),
                distinct=True,
            ),
        )
        .annotate(
            missing=ExpressionWrapper(F("total") - F("covered"), output_field=IntegerField()),
            percent=Case(
                When(total=0, then=Value(100)),
                default=ExpressionWrapper(F("completed") * 100 / F("total"), output_field=IntegerField()),
                output_field=IntegerField(),
            ),
        )
        .order_by("percent", "full_name")
    )


def modules_with_status(*, user: Any, year: int) -> QuerySet[Module]:
    """The year's modules of the user's organisation with the user's own state: completed, enrolled."""
    mine = Enrolment.objects.filter(session__module=OuterRef("pk"), user_id=user.pk)
    return (
        Module.objects.visible_to(user)
        .for_year(year)
        .annotate(
            is_completed=Exists(mine.filter(status=Enrolment.Status.ENROLLED, attended=True)),
            is_covered=Exists(mine.filter(status__in=ACTIVE)),
        )
        .order_by("-is_mandatory", "title")
    )


def training_attendance(
    organisation: Any, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None
) -> Decimal | None:
    """KPI "training_attendance": the percentage of seats taken in sessions held in the period that were attended.

    Counts enrolled (not waitlisted, not cancelled) places in sessions that
    started within [start, end] and before now; restricted to participants in
    ``department_ids`` when given. None when no such place exists. One query.
    """
    organisation_id = getattr(organisation, "pk", organisation)
    places = Enrolment.objects.filter(
        session__module__organisation_id=organisation_id,
        status=Enrolment.Status.ENROLLED,
        session__starts_at__date__gte=start,
        session__starts_at__date__lte=end,
        session__starts_at__lte=timezone.now(),
    )
    if department_ids is not None:
        places = places.filter(user__department_id__in=list(department_ids))
    figures = places.aggregate(total=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    if not figures["total"]:
        return None
    return (Decimal(figures["attended"]) * 100 / Decimal(figures["total"])).quantize(Decimal("0.1"))


TRAINING_ATTENDANCE = Measure(
    key="training_attendance",
    label=_("Training attendance"),
    unit="%",
    compute=training_attendance,
)
