"""The table behind every figure: shown on a page (beside its chart), exported as CSV and XLSX, printed in a PDF.

One definition serves every output: a view builds ``Table`` objects, the web
page renders them through ``evaluation/dashboards/partials/data_table.html`` (or
the report's own partial), the exports write ``plain_rows()``, and the PDF
prints ``text()`` of every cell. A cell is a plain value (a number, a text, a
date, None for "not available") or a ``Cell`` when it needs more: a link on
the page, a second line, or a rendering of its own (a KPI's status badge and
trend) that prints as its ``value`` elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.formats import localize

from core import formatting


@dataclass(frozen=True)
class Cell:
    """A typed cell: ``value`` is what exports and the PDF show; the page may add a link, a note or a partial."""

    value: Any
    href: str = ""
    note: str = ""  # a second, smaller line on the page (and after a line break in the PDF)
    # "" for a plain cell; "money" (€ 1.234,50) or "hours" (120 uur) for a figure with its unit; "kpi_state" /
    # "kpi_trend": the page renders ``obj`` with a partial.
    kind: str = ""
    obj: Any = None
    right: bool = False  # right-aligned (a figure); set from the table's column

    def __str__(self) -> str:
        return text(self)


def plain(value: Any) -> Any:
    """The bare value of a cell, for exports and charts."""
    return value.value if isinstance(value, Cell) else value


def as_cell(value: Any) -> Cell:
    return value if isinstance(value, Cell) else Cell(value)


def text(value: Any) -> str:
    """A cell as localised text (numbers with the Dutch decimal comma, amounts as money, hours with their unit),
    "–" for a missing value."""
    kind = value.kind if isinstance(value, Cell) else ""
    value = plain(value)
    if value is None or value == "":
        return "–"
    if kind == "money":
        return formatting.money(value)
    if kind == "hours":
        return formatting.hours(value)
    return str(localize(value))


def money(value: Any) -> Cell:
    """An amount in euros: a number in the exports, "€ 1.234,50" on the page and in the PDF."""
    return Cell(value, kind="money")


def hours(value: Any) -> Cell:
    """A number of hours: a number in the exports, "120 uur" on the page and in the PDF."""
    return Cell(value, kind="hours")


@dataclass
class Table:
    """A figure's data table: a heading, columns, typed rows, an optional totals row and what to say when empty."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    chart: str = ""  # Chart.js type ("bar", "line"), or empty for a table without chart
    series: tuple[int, ...] = (1,)  # the columns plotted, one dataset each
    note: str = ""
    title: str = ""  # the section heading, when it differs from the caption
    totals: list[Any] | None = None
    empty: str = ""  # shown instead of the rows when there are none
    numeric: tuple[int, ...] | None = field(default=None)  # right-aligned columns; None: all but the first
    testid: str = ""  # the page's data-testid, when it is not the default of its template

    @property
    def heading(self) -> str:
        return self.title or self.caption

    def is_numeric(self, index: int) -> bool:
        return index in self.numeric if self.numeric is not None else index > 0

    def header(self) -> list[Cell]:
        return [Cell(column, right=self.is_numeric(i)) for i, column in enumerate(self.columns)]

    def _cells(self, row: list[Any]) -> list[Cell]:
        return [replace(as_cell(cell), right=self.is_numeric(i)) for i, cell in enumerate(row)]

    def cell_rows(self) -> list[list[Cell]]:
        """The rows with every cell as a ``Cell``: what the templates render."""
        return [self._cells(row) for row in self.rows]

    def total_cells(self) -> list[Cell] | None:
        return None if self.totals is None else self._cells(self.totals)

    def plain_rows(self) -> list[list[Any]]:
        """The rows (and the totals row) as bare values: what a CSV or XLSX export writes."""
        rows = [[plain(cell) for cell in row] for row in self.rows]
        if self.totals is not None:
            rows.append([plain(cell) for cell in self.totals])
        return rows

    def chart_data(self) -> dict[str, Any]:
        def number(value: Any) -> float | None:
            value = plain(value)
            return None if value is None or value == "" else float(value)

        return {
            "type": self.chart,
            "labels": [str(plain(row[0])) for row in self.rows],
            "datasets": [
                {"label": str(self.columns[i]), "data": [number(row[i]) for row in self.rows]} for i in self.series
            ],
        }
