"""The evidence report as PDF (core.pdf, the page's template) and XLSX (``core.exports.XlsxSheet``: typed cells, a
named sheet, a frozen header, print set-up)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exports import XlsxSheet, neutralise
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


def _typed(value: Any, unit: str = "") -> tuple[Any, str | None]:
    """``value`` as the cell holds it (a number, percentage or date where it is one, else neutralised text) and
    the number format it needs beyond its type's."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return (_("yes") if value else _("no")), None
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value), "DD-MM-YYYY HH:MM"
    if isinstance(value, datetime.date):
        return value, "DD-MM-YYYY"
    if isinstance(value, Decimal) and unit == "%":
        return float(value) / 100, "0.0%"
    if isinstance(value, Decimal):
        return float(value), "#,##0.0"
    if isinstance(value, int):
        return value, "#,##0"
    return neutralise(str(value)), None


def write_evidence_xlsx(target: Any, *, report: EvidenceReport, author: str = "") -> None:
    """Write the evidence sheet to ``target`` row by row (``core.exports.XlsxSheet``: constant memory, print
    set-up, wrapped multi-line text)."""
    header = [_("Control"), _("Title"), _("Evidence"), _("Figure"), _("Value"), _("Explanation of the officer")]
    xlsx = XlsxSheet(target, header, sheet_title=_("Evidence %(year)s") % {"year": report.year}, author=author)
    xlsx.set_widths((10, 40, 40, 50, 14, 60))
    for item in report.controls:
        explanation = _explanation_line(item)
        for title, fact in [(evidence.title, fact) for evidence in item.evidence for fact in evidence.facts] or [
            ("", None)
        ]:
            value, number_format = _typed(fact.value if fact else None, fact.unit if fact else "")
            xlsx.append(
                [
                    neutralise(item.control.code),
                    neutralise(item.control.title),
                    neutralise(title) or None,
                    neutralise(fact.label) if fact else None,
                    value,
                    neutralise(explanation) if explanation else None,
                ],
                {4: number_format} if number_format else None,
            )
    xlsx.close()
