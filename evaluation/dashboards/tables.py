"""The table behind every figure: shown beside its chart, exported as CSV and XLSX, printed in the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Table:
    """A figure's data table: rendered beside its chart, exported as CSV and XLSX."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    chart: str = ""  # Chart.js type ("bar", "line"), or empty for a table without chart
    series: tuple[int, ...] = (1,)  # the columns plotted, one dataset each
    note: str = ""

    def chart_data(self) -> dict[str, Any]:
        def number(value: Any) -> float | None:
            return None if value is None or value == "" else float(value)

        return {
            "type": self.chart,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {"label": str(self.columns[i]), "data": [number(row[i]) for row in self.rows]} for i in self.series
            ],
        }
