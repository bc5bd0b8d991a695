"""The director's overview: a department's subtree, one row per department, each with the teams below it.

One query whatever the size of the subtree or of the data: every figure is a
correlated subquery over the rows whose department lies under the row's
department (its materialised path as a prefix), so the database does the
counting and rolling up.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Aggregate, Count, DecimalField, Field, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from ambassadors.models import Activity, Appointment, Feedback
from core.figures import percentage
from evaluation.dashboards.common import ANSWERED_30, ZERO
from evaluation.dashboards.tables import Table
from incidents.models import DataLeak


@dataclass
class DirectorRow:
    department: Department
    depth: int  # 0 for the director's own department, 1 for the ones directly below it, ...
    ambassadors: int
    activities: int
    hours: Decimal
    leaks: int
    feedback: int
    feedback_answered: int

    @property
    def answered_rate(self) -> Decimal | None:
        return percentage(self.feedback_answered, self.feedback)


@dataclass
class DirectorDashboard:
    department: Department
    year: int
    rows: list[DirectorRow] = field(default_factory=list)

    def table(self) -> Table:
        return Table(
            "departments",
            _("Figures of %(year)s so far per department, each with the teams below it") % {"year": self.year},
            director_columns(),
            [
                [
                    row.department.name,
                    row.ambassadors,
                    row.activities,
                    row.hours,
                    row.leaks,
                    row.feedback,
                    row.answered_rate,
                ]
                for row in self.rows
            ],
        )


def director_columns() -> list[str]:
    return [
        _("Department"),
        _("Current ambassadors"),
        _("Activities this year"),
        _("Hours logged this year"),
        _("Data-leak reports this year"),
        _("Feedback received this year"),
        _("Feedback answered within 30 days (%)"),
    ]


def _per_subtree(rows: QuerySet, aggregate: Aggregate, output_field: Field | None = None) -> Coalesce:
    """``aggregate`` over ``rows`` under the outer department (grouped by the one organisation: a single row)."""
    counted = (
        rows.filter(department__path__startswith=OuterRef("path"))
        .order_by()
        .values("organisation_id")
        .annotate(n=aggregate)
        .values("n")[:1]
    )
    if output_field is None:
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    return Coalesce(Subquery(counted, output_field=output_field), ZERO, output_field=output_field)


def director_dashboard(department: Department, *, today: datetime.date | None = None) -> DirectorDashboard:
    """The department and every active department below it, in tree order, with this year's main figures."""
    today = today or timezone.localdate()
    year = today.year
    organisation_id = department.organisation_id
    start = timezone.make_aware(datetime.datetime.combine(datetime.date(year, 1, 1), datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    activities = Activity.objects.filter(
        organisation_id=organisation_id, date__gte=datetime.date(year, 1, 1), date__lte=today
    )
    leaks = DataLeak.objects.filter(organisation_id=organisation_id, created_at__gte=start, created_at__lt=end)
    feedback = Feedback.objects.filter(organisation_id=organisation_id, created_at__gte=start, created_at__lt=end)
    ambassadors = (
        Appointment.objects.filter(organisation_id=organisation_id)
        .current(today)
        .filter(departments__path__startswith=OuterRef("path"))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("user_id", distinct=True))
        .values("n")[:1]
    )
    departments = (
        Department.objects.filter(organisation_id=organisation_id, is_active=True, path__startswith=department.path)
        .annotate(
            ambassador_count=Coalesce(Subquery(ambassadors, output_field=IntegerField()), 0),
            activity_count=_per_subtree(activities, Count("*")),
            activity_hours=_per_subtree(activities, Sum("hours"), DecimalField(max_digits=12, decimal_places=1)),
            leak_count=_per_subtree(leaks, Count("*")),
            feedback_count=_per_subtree(feedback, Count("*")),
            feedback_answered=_per_subtree(feedback, Count("id", filter=ANSWERED_30)),
        )
        .order_by("path")
    )
    root_depth = department.path.count("/")
    rows = [
        DirectorRow(
            department=d,
            depth=d.path.count("/") - root_depth,
            ambassadors=d.ambassador_count,
            activities=d.activity_count,
            hours=d.activity_hours,
            leaks=d.leak_count,
            feedback=d.feedback_count,
            feedback_answered=d.feedback_answered,
        )
        for d in departments
    ]
    return DirectorDashboard(department=department, year=year, rows=rows)
