"""Budget figures know their unit (euros or hours, never summed across) and KPIs their direction and time left."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programme.tests.factories import BudgetLineFactory, GoalFactory, KpiFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _mixed_budget(org, year=YEAR):
    """€ 20.619,95 spent of € 32.750,50, and 15 of 120 hours: the issue's figures."""
    BudgetLineFactory(organisation=org, year=year, category="training", planned="12000.00", actual="7664.95")
    BudgetLineFactory(organisation=org, year=year, category="tooling", planned="20750.50", actual="12955.00")
    BudgetLineFactory(organisation=org, year=year, category="training", unit="hours", planned=120, actual=15)


def test_the_programme_dashboard_never_adds_hours_to_euros(client_as, officer, org):
    _mixed_budget(org)
    html = client_as(officer).get(reverse("evaluation:programme_dashboard")).content.decode().replace("\xa0", " ")
    block = html[html.index('data-testid="building-blocks"') :]
    block = block[: block.index("</ol>")]
    assert "€ 20.634,95" not in block and "€ 32.870,50" not in block
    assert "€ 20.619,95" in block and "€ 32.750,50" in block
    assert "15 uur" in block and "120 uur" in block


def test_the_programme_dashboard_exports_the_budget_per_unit(client_as, officer, org):
    _mixed_budget(org)
    response = client_as(officer).get(reverse("evaluation:programme_export", args=["budget", "csv"]))
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert any(line.endswith(";32750,50;20619,95;12130,55") for line in lines), lines
    assert any(line.endswith(";120,00;15,00;105,00") for line in lines), lines


def test_the_yearly_report_keeps_hours_out_of_the_euro_total_and_prints_amounts(client_as, officer, org):
    _mixed_budget(org)
    html = client_as(officer).get(reverse("evaluation:year_report", args=[YEAR])).content.decode().replace("\xa0", " ")
    section = html[html.index('data-testid="report-budget"') :]
    section = section[: section.index("</table>", section.index('data-testid="report-budget-hours"'))]
    assert "7.664,95000" not in section
    assert "€ 7.664,95" in section and "€ 32.750,50" in section and "€ 20.619,95" in section
    assert "120 uur" in section and "15 uur" in section
    # The euro training row holds only euros: 12.000, not 12.120.
    assert "€ 12.000,00" in section and "12.120" not in section


def test_hours_read_as_hours_in_both_languages():
    from django.utils import translation

    from core.formatting import hours

    with translation.override("nl"):
        assert hours(Decimal("120.00")) == "120 uur"
        assert hours(Decimal("1")) == "1 uur"
        assert hours(Decimal("7.50")) == "7,5 uur"
    with translation.override("en"):
        assert hours(Decimal("1")) == "1 hour"
        assert hours(Decimal("1234.5")) == "1,234.5 hours"


def test_a_kpi_whose_period_ended_says_so(client_as, officer, org):
    today = timezone.localdate()
    if today.month < 5:
        pytest.skip("needs a period that ended this year")
    goal = GoalFactory(organisation=org, year=today.year, title="Meldingen")
    kpi = KpiFactory(
        goal=goal,
        name="Meldingen eerste kwartaal",
        measure="dataleak_reports",
        target=12,
        baseline=6,
        period_start=datetime.date(today.year, 1, 1),
        period_end=datetime.date(today.year, 3, 31),
    )
    for url in (reverse("programme:goals", args=[today.year]), reverse("evaluation:programme_dashboard")):
        html = client_as(officer).get(url).content.decode().replace("\xa0", " ")
        row = html[html.index(kpi.name) :]
        row = row[: row.index("</tr>")]
        assert "nog 0 dagen" not in row and "0 dagen" not in row
        assert "periode afgelopen op 31 mrt. " + str(today.year) in row.lower()


def test_the_programme_target_column_says_why_a_row_has_no_target(client_as, manager_a, department_a, org):
    """Issue 31: the column said "niet beschikbaar" in every row: only rates can have a programme target (a count
    target is the whole organisation's), and a rate shows one only when a KPI of the year measures it."""
    goal = GoalFactory(organisation=org, year=YEAR)
    KpiFactory(goal=goal, measure="feedback_answered_30d", target=90, unit="%")
    response = client_as(manager_a).get(reverse("evaluation:department_dashboard", args=[department_a.pk]))
    rows = {row[0]: row[3] for row in response.context["dashboard"].table("figures").rows}
    assert rows["Feedback binnen 30 dagen beantwoord (%)"] == Decimal(90)
    assert rows["Geregistreerde uren ten opzichte van afgesproken (%)"] == "geen KPI vastgelegd"
    assert rows["Activiteiten dit jaar"] == "n.v.t."
    assert None not in rows.values()  # no target column cell reads "niet beschikbaar"
    assert "geen KPI vastgelegd" in response.content.decode()


def test_the_demo_gives_the_department_dashboard_programme_targets(db):
    from django.core.management import call_command

    from programme.models import Kpi

    call_command("seed_demo")
    measures = set(Kpi.objects.filter(goal__organisation__slug="voorbeeld").values_list("measure", flat=True))
    assert {"feedback_answered_30d", "ambassador_hours_ratio"} <= measures


def test_the_evidence_report_counts_the_kpis_on_track_by_their_one_status(org):
    from evaluation.evidence.selectors import evidence_for_year

    today = timezone.localdate()
    goal = GoalFactory(organisation=org, year=today.year)
    on_track = KpiFactory(goal=goal, direction="lower", baseline=24, target=10)
    on_track.measurements.create(value=Decimal("9"), measured_on=today, source="Simulatie")
    off_track = KpiFactory(goal=goal, direction="lower", baseline=24, target=10)
    off_track.measurements.create(value=Decimal("30"), measured_on=today, source="Simulatie")
    facts = {str(f.label): f.value for f in evidence_for_year(org.pk, today.year)["management"].facts}
    assert facts["KPI's op koers"] == 1
