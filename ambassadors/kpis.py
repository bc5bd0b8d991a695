"""KPI measures fed by the ambassadors app, registered in AmbassadorsConfig.ready()."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Activity, Appointment, Feedback
from ambassadors.selectors import coverage_units, current_appointment_filter, hours_agreed
from core.figures import percentage
from programme.kpis import Measure


def coverage(organisation, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None):
    """Share of active departments (units) with a current ambassador on the period's last day."""
    row = coverage_units(organisation.pk, department_ids).aggregate(
        total=Count("id", distinct=True),
        covered=Count("id", filter=current_appointment_filter(end), distinct=True),
    )
    return percentage(row["covered"], row["total"])


def _activities(organisation, start, end, department_ids):
    activities = Activity.objects.filter(organisation=organisation, date__gte=start, date__lte=end)
    if department_ids is not None:
        activities = activities.filter(department_id__in=list(department_ids))
    return activities


def hours_logged(organisation, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None):
    total = _activities(organisation, start, end, department_ids).aggregate(hours=Sum("hours"))["hours"]
    return Decimal(total or 0)


def hours_ratio(organisation, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None):
    """Hours logged against the hours agreed (hours per month times the months of term in the period)."""
    appointments = Appointment.objects.filter(organisation=organisation).overlapping(start, end)
    if department_ids is not None:
        appointments = appointments.covering(department_ids)
    agreed = hours_agreed(list(appointments.only("term_start", "term_end", "hours_per_month")), start, end)
    return percentage(hours_logged(organisation, start, end, department_ids), agreed)


def feedback_answered(organisation, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None):
    """Share of feedback received in the period that was answered within 30 days."""
    feedback = Feedback.objects.filter(
        organisation=organisation, created_at__date__gte=start, created_at__date__lte=end
    )
    if department_ids is not None:
        feedback = feedback.filter(department_id__in=list(department_ids))
    row = feedback.aggregate(
        total=Count("id"),
        answered=Count(
            "id",
            filter=Q(answered_at__isnull=False, answered_at__lte=F("created_at") + datetime.timedelta(days=30)),
        ),
    )
    return percentage(row["answered"], row["total"])


MEASURES = [
    Measure(key="ambassador_coverage", label=_("Departments with an active ambassador"), unit="%", compute=coverage),
    Measure(key="ambassador_hours_logged", label=_("Ambassador hours logged"), unit=_("hours"), compute=hours_logged),
    Measure(
        key="ambassador_hours_ratio", label=_("Ambassador hours logged against agreed"), unit="%", compute=hours_ratio
    ),
    Measure(
        key="feedback_answered_30d", label=_("Feedback answered within 30 days"), unit="%", compute=feedback_answered
    ),
]
