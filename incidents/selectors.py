"""Reads of the incidents app that combine models or shape rows for a page (the register)."""

from __future__ import annotations

from django.db.models import BooleanField, Case, DateTimeField, Exists, F, OuterRef, Subquery, Sum, Value, When

from incidents.models import DEADLINE, APNotification, DataLeak, SubjectNotification

# The columns the register's page shows (the export needs every column).
REGISTER_PAGE_FIELDS = (
    "reference",
    "number",
    "created_at",
    "aware_at",
    "department",
    "department__name",
    "category",
    "severity",
    "ap_decision",
    "assessment_started_at",
    "closed_at",
    "no_leak_at",
    "assignee",
    "assignee__full_name",
    "assignee__email",
)


def number_informed_total():
    """The data subjects informed of a leak: the sum over its recorded informing (None when none was recorded).

    One expression for the register (a subquery per row) and the AP's form (one leak)."""
    informing = (
        SubjectNotification.objects.filter(leak=OuterRef("pk"))
        .order_by()
        .values("leak")
        .annotate(total=Sum("number_informed"))
        .values("total")
    )
    return Subquery(informing[:1])


def register_queryset(user):
    """The user's register rows with their derived state (``incidents.state``), the first notification, the
    on-time check and "informed": subqueries per row, so a page costs one query whatever its size."""
    initial = APNotification.objects.filter(leak=OuterRef("pk"), kind=APNotification.Kind.INITIAL).order_by(
        "notified_at", "id"
    )
    return (
        DataLeak.objects.visible_to(user)
        .with_state()
        .select_related("department", "assignee")
        .annotate(
            first_notified_at=Subquery(initial.values("notified_at")[:1], output_field=DateTimeField()),
            first_ap_reference=Subquery(initial.values("ap_reference")[:1]),
            subjects_informed=Exists(SubjectNotification.objects.filter(leak=OuterRef("pk"))),
            informed_total=number_informed_total(),
        )
        .annotate(
            on_time=Case(
                When(first_notified_at__isnull=True, then=Value(None)),
                When(first_notified_at__lte=F("aware_at") + Value(DEADLINE), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(null=True),
            )
        )
    )
