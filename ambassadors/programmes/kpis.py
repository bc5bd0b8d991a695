"""The KPI measure of the department programme, registered in DepartmentProgrammesConfig.ready()."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from ambassadors.programmes.models import DepartmentProgramme, PlannedItem
from programme.kpis import Measure


def planned_items_done(organisation, start: datetime.date, end: datetime.date, department_ids: Collection[int] | None):
    """Share of the agreed programmes' items due in the period (their month or quarter ended) that are done.

    Dropped items do not count; an item whose period has not ended yet is not due.
    """
    end = min(end, datetime.date.today())
    items = (
        PlannedItem.objects.filter(
            programme__organisation=organisation, programme__status=DepartmentProgramme.Status.AGREED
        )
        .exclude(decision=PlannedItem.Decision.DROPPED)
        .ending_between(start, end)
    )
    if department_ids is not None:
        items = items.filter(programme__department_id__in=list(department_ids))
    total = items.count()
    if not total:
        return None
    done = items.with_progress().done().count()
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


MEASURES = [
    Measure(
        key="department_programme_done", label=_("Share of planned items done"), unit="%", compute=planned_items_done
    ),
]
