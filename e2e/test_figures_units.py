"""On a 390 px phone, as the CISO and as a manager: budget figures in their own unit, KPI status and time left."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE


def _figures(org):
    from programme.tests.factories import BudgetLineFactory, GoalFactory, KpiFactory

    year = timezone.localdate().year
    BudgetLineFactory(organisation=org, year=year, category="training", planned="12000.00", actual="7664.95")
    BudgetLineFactory(organisation=org, year=year, category="tooling", planned="20750.50", actual="12955.00")
    BudgetLineFactory(organisation=org, year=year, category="training", unit="hours", planned=120, actual=15)
    goal = GoalFactory(organisation=org, year=year, title="Bewustzijn")
    # Lower is better, measured below the expected line: on track; its period ended on 31 March.
    kpi = KpiFactory(
        goal=goal,
        name="Klikratio phishing",
        direction="lower",
        baseline=Decimal("24"),
        target=Decimal("10"),
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 3, 31),
    )
    kpi.measurements.create(value=Decimal("9"), measured_on=datetime.date(year, 3, 15), source="Simulatie")
    return kpi, year


def test_the_ciso_reads_euros_hours_and_the_kpi_status_on_a_phone(signed_in, site, officer, org, axe):
    kpi, year = _figures(org)
    page = signed_in(officer, viewport=PHONE)

    page.goto(site + reverse("evaluation:programme_dashboard"))
    budget = page.get_by_test_id("table-budget")
    expect(budget).to_contain_text("€ 20.619,95")
    expect(budget).to_contain_text("€ 32.750,50")
    expect(budget).to_contain_text("120 uur")
    expect(page.get_by_test_id("building-blocks")).to_contain_text("15 uur gebruikt van 120 uur begroot")
    row = page.get_by_test_id("kpi-status").locator(f"tr[data-kpi='{kpi.pk}']")
    expect(row.get_by_test_id("kpi-state")).to_have_text("Op koers")
    expect(row.get_by_test_id("kpi-time-left")).to_have_text(f"periode afgelopen op 31 mrt. {year}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe(page, context="programme dashboard on a phone")

    page.goto(site + reverse("programme:goal", args=[kpi.goal_id]))
    row = page.locator(f"tr[data-kpi='{kpi.pk}']")
    expect(row.get_by_test_id("kpi-state")).to_have_text("Op koers")
    expect(row.get_by_test_id("kpi-time-left")).to_contain_text(f"periode afgelopen op 31 mrt. {year}")
    expect(row).not_to_contain_text("nog 0 dagen")
    axe(page, context="goal page on a phone")

    page.goto(site + reverse("evaluation:year_report", args=[year]))
    expect(page.get_by_test_id("report-budget").locator("tfoot")).to_contain_text("€ 32.750,50")
    expect(page.get_by_test_id("report-budget-hours").locator("tfoot")).to_contain_text("120 uur")
    axe(page, context="yearly report on a phone")


def test_a_manager_reads_the_budget_and_the_programme_kpis_on_a_phone(
    signed_in, site, manager_a, department_a, org, axe
):
    kpi, year = _figures(org)
    page = signed_in(manager_a, viewport=PHONE)

    page.goto(site + reverse("programme:budget", args=[year]))
    expect(page.get_by_test_id("total-planned")).to_have_text("€ 32.750,50")
    expect(page.get_by_test_id("total-actual")).to_have_text("€ 20.619,95")
    expect(page.get_by_test_id("total-planned-hours")).to_have_text("120 uur")
    expect(page.get_by_test_id("total-actual-hours")).to_have_text("15 uur")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe(page, context="budget page on a phone")

    page.goto(site + reverse("evaluation:department_dashboard", args=[department_a.pk]))
    row = page.get_by_test_id("kpi-status").locator(f"tr[data-kpi='{kpi.pk}']")
    expect(row.get_by_test_id("kpi-state")).to_have_text("Op koers")
    expect(row.get_by_test_id("kpi-time-left")).to_have_text(f"periode afgelopen op 31 mrt. {year}")
    expect(page.get_by_test_id("table-figures")).to_contain_text("n.v.t.")
    axe(page, context="department dashboard on a phone")
