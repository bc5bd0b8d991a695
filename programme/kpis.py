"""The registry of computed KPI measures, defined once and reused by programme and evaluation.

Each app that owns the data registers its measures in its ``AppConfig.ready()``
(programme cannot import the apps above it)::

    from programme.kpis import Measure, registry
    registry.register(Measure(key="dataleak_reports", label=_("Data-leak reports"), unit=_("reports"), compute=...))

``compute(organisation, start, end, department_ids)`` returns a Decimal (or
None when there is nothing to measure) and must run a fixed number of queries,
aggregating in the database. ``department_ids`` is None for the whole
organisation, or a collection of department ids (a subtree) to restrict to.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Compute = Callable[[Any, datetime.date, datetime.date, Collection[int] | None], Decimal | None]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    compute: Compute
    # What the measure's own sense is (the data migration gave existing KPIs their direction from it). It decides
    # nothing about a KPI's status: the KPI's own ``direction`` does, in programme.kpi_status alone.
    higher_is_better: bool = True


class MeasureRegistry:
    def __init__(self) -> None:
        self._measures: dict[str, Measure] = {}

    def register(self, measure: Measure) -> Measure:
        if measure.key in self._measures and self._measures[measure.key] is not measure:
            raise ValueError(f"KPI measure {measure.key!r} is registered twice")
        self._measures[measure.key] = measure
        return measure

    def get(self, key: str) -> Measure | None:
        return self._measures.get(key)

    def choices(self) -> list[tuple[str, str]]:
        return [(m.key, str(m.label)) for m in self._measures.values()]

    def all(self) -> list[Measure]:
        return list(self._measures.values())


registry = MeasureRegistry()
