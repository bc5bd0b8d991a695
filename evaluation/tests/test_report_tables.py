"""The yearly report's one definition: the tables the page and the PDF are both rendered from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from evaluation.dashboards.tables import Cell, Table, text
from evaluation.report.selectors import year_report

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def test_a_table_exports_bare_values_and_prints_localised_text():
    table = Table(
        "budget",
        "Budget",
        ["Categorie", "Gepland"],
        [[Cell("Training", href="/x/"), Decimal("1000.50")]],
        totals=["Totaal", Decimal("1000.50")],
    )
    assert table.plain_rows() == [["Training", Decimal("1000.50")], ["Totaal", Decimal("1000.50")]]
    assert [c.right for c in table.cell_rows()[0]] == [False, True]
    from django.utils import translation

    with translation.override("nl"):
        assert text(Decimal("12.50")) == "12,50"
    assert text(None) == "–"


def test_the_report_is_one_list_of_tables_in_its_order(data, org):
    from programme.tests.factories import BudgetLineFactory

    BudgetLineFactory(organisation=org, category="training", planned=1000, actual=400)
    report = year_report(org.pk, YEAR)
    assert [t.key for t in report.tables()] == [
        "kpis",
        "surveys",
        "activities",
        "department-programmes",
        "featured-practices",
        "feedback",
        "feedback-changes",
        "leaks",
        "budget",
        "budget-hours",
    ]
    budget = next(t for t in report.tables() if t.key == "budget")
    assert budget.plain_rows()[-1][1:] == [Decimal("1000"), Decimal("400"), Decimal("600")]
    kpis = report.tables()[0]
    assert [c.kind for c in kpis.cell_rows()[0]][-2:] == ["kpi_state", "kpi_trend"]
    sections = report.sections()
    assert [s.key for s in sections] == [
        "kpis",
        "surveys",
        "activities",
        "department-programmes",
        "feedback",
        "leaks",
        "budget",
    ]
    assert [t.key for t in sections[3].tables] == ["department-programmes", "featured-practices"]
    assert [t.key for t in sections[4].tables] == ["feedback", "feedback-changes"]
    assert [t.key for t in sections[6].tables] == ["budget", "budget-hours"]  # euros and hours, each with its total


def test_the_page_renders_every_table_of_the_report(client_as, data, org, officer):
    content = client_as(officer).get(reverse("evaluation:year_report", args=[YEAR])).content.decode()
    for table in year_report(org.pk, YEAR).tables():
        assert f'data-testid="{table.testid or "report-" + table.key}"' in content
        assert escape(str(table.caption)) in content
    assert 'data-testid="report-proposals"' in content


def test_the_pdf_prints_the_same_tables(client_as, data, org, officer, monkeypatch):
    """The PDF is built from ``YearReport.sections()``: a table added there appears in it."""
    from evaluation.report import selectors

    printed = []
    original = selectors.YearReport.sections

    def spy(self):
        sections = original(self)
        printed.extend(t.key for s in sections for t in s.tables)
        return sections

    monkeypatch.setattr(selectors.YearReport, "sections", spy)
    response = client_as(officer).get(reverse("evaluation:year_report_pdf", args=[YEAR]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert printed == [t.key for t in year_report(org.pk, YEAR).tables()]
