"""The yearly evaluation as a PDF: the page's own template (evaluation/report/year_report.html) through core.pdf."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from evaluation.report.selectors import YearReport


def render_year_report_pdf(
    *, organisation_name: str, data: YearReport, report: Any, maturity: Any = None, organisation: Any = None
) -> bytes:
    from core.pdf import render_to_pdf

    return render_to_pdf(
        "evaluation/report/year_report.html",
        {
            "base_template": "pdf/base.html",
            "year": data.year,
            "report": report,
            "data": data,
            "sections": data.sections(),
            "proposal_table": data.proposal_table(),
            "maturity": maturity,
        },
        title=_("Evaluation of the ambassador programme %(year)s") % {"year": data.year},
        subject=_("Yearly evaluation of the information security and privacy ambassador programme"),
        author=organisation_name,
        organisation=organisation,
    )
