"""The evidence report as PDF (core.pdf, the page's template) and XLSX (openpyxl: typed cells, a named sheet, a frozen header)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exports import neutralise
from evaluation.evidence.selectors import EvidenceReport, display_value


def _explanation_line(item: Any) -> str:
    if item.explanation is None:
        return ""
    return item.explanation.text


def render_evidence_pdf(*, organisation_name: str, report: EvidenceReport, organisation: Any = None) -> bytes:
    """The evidence report as a PDF: the page's own template (evaluation/evidence/report.html) through core.pdf;
    its list of controls links to each control, and every control is a bookmark."""
    from core.pdf import render_to_pdf

    return render_to_pdf(
        "evaluation/evidence/report.html",
        {"base_template": "pdf/base.html", "report": report, "year": report.year, "query": ""},
        title=_("Evidence for %(framework)s, %(year)s") % {"framework": report.framework.name, "year": report.year},
        subject=_("Source: %(source)s, version %(version)s. Figures from the application on %(date)s.")
        % {
            "source": report.framework.source,
            "version": report.framework.version,
            "date": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
        },
        author=organisation_name,
        organisation=organisation,
    )


def _display(value: Any) -> str:
    return display_value(value)


def _typed(cell: Any, value: Any, unit: str = "") -> None:
    """Write ``value`` into ``cell`` as a number, percentage or date where it is one, else as neutralised text."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = _("yes") if value else _("no")
    elif isinstance(value, datetime.datetime):
        cell.value = timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
        cell.number_format = "DD-MM-YYYY HH:MM"
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "DD-MM-YYYY"
    elif isinstance(value, Decimal) and unit == "%":
        cell.value = float(value) / 100
        cell.number_format = "0.0%"
    elif isinstance(value, Decimal):
        cell.value = float(value)
        cell.number_format = "#,##0.0"
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = "#,##0"
    else:
        cell.value = neutralise(str(value))


def write_evidence_xlsx(target: Any, *, report: EvidenceReport) -> None:
    """Write the evidence sheet to ``target`` in openpyxl's write-only mode (no cells kept in memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(_("Evidence %(year)s") % {"year": report.year})[:31])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (10, 40, 40, 50, 14, 60), strict=True):
        sheet.column_dimensions[column].width = width
    rows = [
        (item, title, fact, _explanation_line(item))
        for item in report.controls
        for title, fact in (
            [(evidence.title, fact) for evidence in item.evidence for fact in evidence.facts] or [("", None)]
        )
    ]
    sheet.auto_filter.ref = f"A1:F{len(rows) + 1}"
    header = [_("Control"), _("Title"), _("Evidence"), _("Figure"), _("Value"), _("Explanation of the officer")]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for item, title, fact, explanation in rows:
        value = WriteOnlyCell(sheet)
        _typed(value, fact.value if fact else None, fact.unit if fact else "")
        note = WriteOnlyCell(sheet, value=neutralise(explanation) if explanation else None)
        note.alignment = wrap
        sheet.append(
            [
                neutralise(item.control.code),
                neutralise(item.control.title),
                neutralise(title),
                neutralise(fact.label) if fact else None,
                value,
                note,
            ]
        )
    workbook.save(target)
