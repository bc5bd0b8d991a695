"""The yearly evaluation as a PDF (reportlab), printed from the same tables as the page.

Every text is escaped: reportlab's Paragraph reads markup.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from evaluation.dashboards.tables import Cell, Table, text
from evaluation.report.selectors import YearReport


def render_year_report_pdf(*, organisation_name: str, data: YearReport, report: Any, maturity: Any = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as Grid

    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading2"]
    buffer = io.BytesIO()
    title = _("Evaluation of the ambassador programme %(year)s") % {"year": data.year}
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
    ]
    status = report.get_status_display() if report else _("Draft")
    story.append(Paragraph(escape(_("Status: %(status)s") % {"status": status}), body))

    def cell(value: Any) -> str:
        note = value.note if isinstance(value, Cell) else ""
        return escape(text(value)) + (f"<br/><font size=8>{escape(note)}</font>" if note else "")

    def grid(header: list[str], rows: list[list[Any]], empty: str = "") -> None:
        if not rows:
            story.append(Paragraph(escape(empty or _("Nothing recorded.")), body))
            return
        cells = [[Paragraph(f"<b>{escape(str(h))}</b>", body) for h in header]]
        cells += [[Paragraph(cell(v), body) for v in row] for row in rows]
        table = Grid(cells, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)

    def table(data_table: Table) -> None:
        rows = data_table.rows + ([data_table.totals] if data_table.totals is not None else [])
        grid(data_table.columns, rows, data_table.empty)

    def section(name: str) -> None:
        story.extend([Spacer(1, 0.4 * cm), Paragraph(escape(name), heading)])

    section(_("Conclusions"))
    conclusions = (report.conclusions if report else "") or _("No conclusions written yet.")
    for part in conclusions.split("\n\n"):
        story.append(Paragraph(escape(part).replace("\n", "<br/>"), body))

    for part in data.sections():
        section(part.title)
        for index, data_table in enumerate(part.tables):
            if index:
                story.append(Paragraph(f"<b>{escape(data_table.caption)}</b>", body))
            table(data_table)
    if maturity is not None:
        section(_("Maturity of the programme"))
        story.append(
            Paragraph(escape(_("Latest self-assessment: %(label)s (level 1 to 5).") % {"label": maturity.label}), body)
        )
        grid(
            [_("Building block"), _("Level")],
            [[a.get_block_display(), a.level] for a in maturity.answers.all()],
        )
    proposals = data.proposal_table()
    section(proposals.caption)
    table(proposals)
    doc.build(story)
    return buffer.getvalue()
