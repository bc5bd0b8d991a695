"""Reads of the ambassadors app that span models: coverage, totals against hours agreed, statistics."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Department
from ambassadors.models import Activity, Appointment, Feedback


def current_appointment_filter(day: datetime.date, prefix: str = "appointments__") -> Q:
    return Q(**{f"{prefix}term_start__lte": day}) & (
        Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": day})
    )


def departments_with_coverage(departments: QuerySet[Department], on: datetime.date | None = None) -> QuerySet:
    """Annotate departments with ``current_ambassadors`` (the count of current appointments covering them)
    and prefetch those appointments (with their ambassador) as ``current_appointments``."""
    day = on or timezone.localdate()
    current = Appointment.objects.current(day).select_related("user").order_by("term_end")
    return departments.annotate(
        current_ambassadors=Count("appointments", filter=current_appointment_filter(day), distinct=True)
    ).prefetch_related(Prefetch("appointments", queryset=current, to_attr="current_appointments"))


def coverage_units(organisation_id: int, department_ids: Collection[int] | None = None) -> QuerySet[Department]:
    """The departments that should each have an ambassador: the active units (afdelingen)."""
    departments = Department.objects.filter(
        organisation_id=organisation_id, is_active=True, level=Department.Level.UNIT
    )
    if department_ids is not None:
        departments = departments.filter(pk__in=list(department_ids))
    return departments


def hours_agreed(appointments: Collection[Appointment], start: datetime.date, end: datetime.date) -> Decimal:
    return sum((a.hours_agreed(start, end) for a in appointments), Decimal("0"))


def hours_by_user(activities: QuerySet[Activity]) -> dict[int, Decimal]:
    return {row["user_id"]: row["hours"] for row in activities.values("user_id").annotate(hours=Sum("hours"))}


def feedback_statistics(feedback: QuerySet[Feedback]) -> list[dict]:
    """Counts per department, status and category: figures only, never the items or their authors."""
    status_counts = {f"status_{status}": Count("id", filter=Q(status=status)) for status in Feedback.Status.values}
    category_counts = {
        f"category_{category}": Count("id", filter=Q(category=category)) for category in Feedback.Category.values
    }
    return list(
        feedback.values("department_id", "department__name")
        .annotate(total=Count("id"), **status_counts, **category_counts)
        .order_by("department__name")
    )
