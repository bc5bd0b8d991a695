"""The KPI measures fed by data-leak reports (see programme.kpis)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from programme.kpis import Measure, registry


def dataleak_reports(
    organisation: Any, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None
) -> Decimal:
    """Reports made in the period (start and end inclusive), in one aggregate query."""
    from incidents.models import DataLeak

    qs = DataLeak.objects.filter(
        organisation_id=getattr(organisation, "pk", organisation),
        created_at__date__gte=start,
        created_at__date__lte=end,
    ).for_departments(department_ids)
    return Decimal(qs.aggregate(count=Count("id"))["count"])


MEASURE = Measure(
    key="dataleak_reports",
    label=_("Data-leak reports"),
    unit=_("reports"),
    compute=dataleak_reports,
    # The programme wants more reports: a rising number means people dare to report.
    higher_is_better=True,
)


def register_measures() -> None:
    registry.register(MEASURE)
