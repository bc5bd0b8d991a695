"""The budget's figures on the dashboards and in the yearly report: euros and hours, each with its own totals.

Every figure comes from ``BudgetLineQuerySet.figures()`` (the database's sums per unit and per unit and category);
a cell knows its unit, so the page and the PDF print "€ 1.234,50" or "120 uur" and the exports a number.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.formatting import hours, money, number
from evaluation.dashboards import tables
from programme.models import BudgetFigures, BudgetLine

EURO, HOURS = BudgetLine.Unit.EURO, BudgetLine.Unit.HOURS
CELL = {EURO: tables.money, HOURS: tables.hours}
TEXT = {EURO: money, HOURS: hours}


def _figures(unit: str, row: dict) -> list[tables.Cell]:
    cell = CELL[unit]
    return [cell(row["planned"]), cell(row["actual"]), cell(row["remaining"])]


def budget_tables(figures: BudgetFigures) -> list[tables.Table]:
    """The yearly report's budget: a table per unit, by category, each with its own total."""
    return [
        tables.Table(
            "budget",
            _("Budget planned and spent per category (euro)"),
            [_("Category"), pgettext("budget", "Planned"), _("Spent"), _("Remaining")],
            [[row["label"], *_figures(EURO, row)] for row in figures.of(EURO)],
            title=_("Budget"),
            totals=[_("Total"), *_figures(EURO, figures.totals[EURO])] if figures.totals[EURO]["count"] else None,
            empty=_("No budget lines for this year."),
        ),
        tables.Table(
            "budget-hours",
            _("Time budget planned and used per category (hours)"),
            [_("Category"), pgettext("budget", "Planned"), _("Used"), _("Remaining")],
            [[row["label"], *_figures(HOURS, row)] for row in figures.of(HOURS)],
            totals=[_("Total"), *_figures(HOURS, figures.totals[HOURS])] if figures.totals[HOURS]["count"] else None,
            empty=_("No hours have been budgeted for this year."),
        ),
    ]


def budget_totals_table(figures: BudgetFigures, year: int) -> tables.Table:
    """The programme dashboard's budget: one row per unit (euros, hours), never a sum across them."""
    labels = dict(BudgetLine.Unit.choices)
    return tables.Table(
        "budget",
        _("Budget of %(year)s per unit") % {"year": year},
        [_("Budgeted in"), pgettext("budget", "Planned"), _("Used"), _("Remaining")],
        [[str(labels[unit]), *_figures(unit, total)] for unit, total in figures.totals.items() if total["count"]],
        empty=_("No budget lines for this year."),
    )


def budget_evidence(figures: BudgetFigures) -> str:
    """The building block's evidence: the lines, then what was used of what was planned, per unit."""
    lines = figures.lines
    parts = [ngettext("%(count)s budget line", "%(count)s budget lines", lines) % {"count": number(lines)}]
    for unit, phrase in (
        (EURO, _("%(actual)s spent of %(planned)s planned")),
        (HOURS, _("%(actual)s used of %(planned)s planned")),
    ):
        total = figures.totals[unit]
        if total["count"]:
            parts.append(phrase % {"actual": TEXT[unit](total["actual"]), "planned": TEXT[unit](total["planned"])})
    return "; ".join(parts)
