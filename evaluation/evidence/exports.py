"""The evidence report as PDF (reportlab) and XLSX (``core.exports.XlsxSheet``: typed cells, a named sheet, a frozen
header, print set-up)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exports import XlsxSheet, neutralise
from evaluation.evidence.selectors import EvidenceReport


def _explanation_line(item: Any) -> str:
    if item.explanation is None:
        return ""
    return item.explanation.text


def render_evidence_pdf(*, organisation_name: str, report: EvidenceReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body, heading, small = styles["BodyText"], styles["Heading2"], styles["Heading4"]
    buffer = io.BytesIO()
    title = _("Evidence for %(framework)s, %(year)s") % {"framework": report.framework.name, "year": report.year}
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=organisation_name,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    story: list[Any] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(organisation_name), body),
        Paragraph(
            escape(
                _("Source: %(source)s, version %(version)s. Figures from the application on %(date)s.")
                % {
                    "source": report.framework.source,
                    "version": report.framework.version,
                    "date": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
                }
            ),
            body,
        ),
    ]
    grid_style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for item in report.controls:
        story.append(Spacer(1, 0.4 * cm))
        story.append(Paragraph(escape(f"{item.control.code} {item.control.title}"), heading))
        if item.control.description:
            story.append(Paragraph(escape(item.control.description), body))
        for evidence in item.evidence:
            cells = [
                [Paragraph(f"<b>{escape(evidence.title)}</b>", body), Paragraph(f"<b>{escape(_('Value'))}</b>", body)]
            ]
            cells += [[Paragraph(escape(f.label), body), Paragraph(escape(f.display), body)] for f in evidence.facts]
            grid = Table(cells, colWidths=[11 * cm, 6 * cm], repeatRows=1)
            grid.setStyle(grid_style)
            story.append(KeepTogether([Spacer(1, 0.2 * cm), grid]))
            if evidence.rows:
                rows = [[Paragraph(f"<b>{escape(str(c))}</b>", body) for c in evidence.columns]]
                rows += [[Paragraph(escape(_display(cell)), body) for cell in row] for row in evidence.rows]
                detail = Table(rows, repeatRows=1)
                detail.setStyle(grid_style)
                story.extend([Spacer(1, 0.2 * cm), detail])
        story.append(Paragraph(escape(_("Explanation of the officer")), small))
        text = _explanation_line(item) or _("No explanation written yet.")
        for part in text.split("\n\n"):
            story.append(Paragraph(escape(part).replace("\n", "<br/>"), body))
    doc.build(story)
    return buffer.getvalue()


def _display(value: Any) -> str:
    from evaluation.evidence.selectors import display_value

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
