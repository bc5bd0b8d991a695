"""The yearly evaluation as a PDF (reportlab). Every text is escaped: reportlab's Paragraph reads markup."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import localize
from django.utils.translation import gettext as _

from evaluation.report.selectors import YearReport


def _text(value: Any) -> str:
    if value is None:
        return "–"
    return escape(str(localize(value)))


def render_year_report_pdf(*, organisation_name: str, data: YearReport, report: Any, maturity: Any = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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

    def table(header: list[str], rows: list[list[Any]]) -> None:
        if not rows:
            story.append(Paragraph(escape(_("Nothing recorded.")), body))
            return
        cells = [[Paragraph(f"<b>{escape(str(h))}</b>", body) for h in header]]
        cells += [[Paragraph(_text(v), body) for v in row] for row in rows]
        grid = Table(cells, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)

    def section(name: str) -> None:
        story.extend([Spacer(1, 0.4 * cm), Paragraph(escape(name), heading)])

    section(_("Conclusions"))
    conclusions = (report.conclusions if report else "") or _("No conclusions written yet.")
    for part in conclusions.split("\n\n"):
        story.append(Paragraph(escape(part).replace("\n", "<br/>"), body))

    section(_("KPIs"))
    table(
        [_("KPI"), _("Value"), _("Target"), _("Unit"), _("Status"), _("Trend")],
        [
            [
                k.name,
                k.value,
                k.target,
                k.unit,
                k.state.label or _("No status"),
                " → ".join(
                    f"{localize(day)}: {localize(value) if value is not None else '–'}" for day, value in k.trend
                ),
            ]
            for k in data.kpis
        ],
    )
    if data.surveys is not None:
        section(_("Survey results"))
        table(
            [_("Survey"), _("Respondents"), _("Mean score (1 to 5)")],
            [[s["title"], s["respondents"], s["mean"]] for s in data.surveys],
        )
    section(_("What the ambassadors did"))
    table(
        [_("Type"), _("Activities"), _("Hours"), _("Colleagues reached")],
        [[a["label"], a["count"], a["hours"], a["reached"]] for a in data.activities],
    )
    section(_("What feedback changed"))
    table(
        [_("Status"), _("Items")],
        [[f["label"], f["count"]] for f in data.feedback_status],
    )
    if data.feedback_changes:
        table(
            [_("Department"), _("Procedure"), _("What changed")],
            [[f.department.name, f.procedure, f.answer] for f in data.feedback_changes],
        )
    section(_("Data-leak reports"))
    table(
        [_("Category"), _("Reports"), _("Notified to the AP")],
        [[row["label"], row["count"], row["notified"]] for row in data.leaks],
    )
    section(_("Budget"))
    table(
        [_("Category"), _("Planned (euro)"), _("Spent (euro)")],
        [[b["label"], b["planned"], b["actual"]] for b in data.budget]
        + ([[_("Total"), data.budget_totals["planned"], data.budget_totals["actual"]]] if data.budget else []),
    )
    if maturity is not None:
        section(_("Maturity of the programme"))
        story.append(
            Paragraph(escape(_("Latest self-assessment: %(label)s (level 1 to 5).") % {"label": maturity.label}), body)
        )
        table(
            [_("Building block"), _("Level")],
            [[a.get_block_display(), a.level] for a in maturity.answers.all()],
        )
    section(_("Topic proposals for %(year)s") % {"year": data.year + 1})
    table(
        [_("Topic"), _("Votes"), _("Status")],
        [[p.title, p.vote_count, p.get_status_display()] for p in data.proposals],
    )
    doc.build(story)
    return buffer.getvalue()
