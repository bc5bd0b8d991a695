"""The year's KPIs with their value, trend and status, and their table (programme dashboard and yearly report)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from programme.models import Kpi, KpiMeasurement
from programme.services import kpi_overview


def kpi_columns() -> list[str]:
    return [_("KPI"), _("Goal"), _("Value"), _("Target"), _("Unit"), _("Direction"), _("Expected now"), _("Status")]


def kpi_rows(kpis: Sequence[Kpi]) -> list[list[Any]]:
    """The KPI table's rows (value and target in columns 2 and 3 for the chart), status in words."""
    return [
        [
            k.name,
            k.goal.title,
            k.value,
            k.target,
            k.unit,
            k.get_direction_display(),
            k.state.expected,
            k.state.label or _("No status"),
        ]
        for k in kpis
    ]


def year_kpis(organisation_id: int, year: int, today: datetime.date) -> list[Kpi]:
    """The KPIs of the year's goals with their current value, trend and status (see programme.kpi_status): the
    status and direction are read from ``kpi.state`` everywhere, never decided again here."""
    kpis = list(
        Kpi.objects.filter(goal__organisation_id=organisation_id, goal__year=year)
        .select_related("goal__organisation")
        .prefetch_related(
            _measurement_prefetch(),
        )
        .order_by("goal__title", "name")
    )
    kpi_overview(kpis, today)
    return kpis


def _measurement_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "measurements", queryset=KpiMeasurement.objects.order_by("-measured_on", "-pk"), to_attr="all_measurements"
    )
