"""The API's KPI status and budget totals are the ones the pages show."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from api.models import Scope
from incidents.tests.factories import DataLeakFactory
from programme.tests.factories import BudgetLineFactory, GoalFactory, KpiFactory

pytestmark = pytest.mark.django_db


def test_a_lower_is_better_computed_kpi_on_track_is_on_target(org, make_token, api, department_a):
    today = timezone.localdate()
    goal = GoalFactory(organisation=org, year=today.year)
    # Fewer reports is better here: 1 report against a target of 5 is on track, as the page says.
    kpi = KpiFactory(goal=goal, measure="dataleak_reports", direction="lower", baseline=8, target=5)
    DataLeakFactory(organisation=org, department=department_a)
    row = api(make_token(org, [Scope.KPIS_READ])[1]).get("/api/v1/kpis/").json()["results"][0]
    assert row["id"] == kpi.pk and row["direction"] == "lower"
    assert row["status"] == "on_track" and row["on_target"] is True


def test_the_kpi_status_is_the_pages(org, make_token, api, client_as, officer):
    today = timezone.localdate()
    goal = GoalFactory(organisation=org, year=today.year)
    kpi = KpiFactory(goal=goal, direction="lower", baseline=24, target=10, unit="procent")
    kpi.measurements.create(value=Decimal("30"), measured_on=today, source="Simulatie")
    row = api(make_token(org, [Scope.KPIS_READ])[1]).get("/api/v1/kpis/").json()["results"][0]
    html = client_as(officer).get(f"/programma/doel/{goal.pk}/").content.decode()
    assert row["status"] == "off_track" and row["on_target"] is False
    assert 'data-state="off_track"' in html
    assert row["period_ended"] is (kpi.period_end < today)


def test_budget_totals_per_unit(org, other_org, make_token, api):
    year = timezone.localdate().year
    BudgetLineFactory(organisation=org, year=year, planned="1000.50", actual="200.25")
    BudgetLineFactory(organisation=org, year=year, unit="hours", planned=120, actual=15, category="training")
    BudgetLineFactory(organisation=other_org, year=year, planned=99999, actual=1)
    body = api(make_token(org, [Scope.KPIS_READ])[1]).get("/api/v1/budget/", {"period": str(year)}).json()
    totals = {row["unit"]: row for row in body["totals"]}
    assert totals["euro"] == {
        "unit": "euro",
        "planned": 1000.5,
        "used": 200.25,
        "remaining": 800.25,
        "overrun": False,
    }
    assert totals["hours"]["planned"] == 120 and totals["hours"]["used"] == 15
    assert {(c["unit"], c["category"]) for c in body["categories"]} == {("euro", "training"), ("hours", "training")}


def test_the_budget_needs_the_scope(org, make_token, api):
    response = api(make_token(org, [Scope.TOPICS_READ])[1]).get("/api/v1/budget/")
    assert response.status_code == 403
    assert datetime.date.today()  # the period defaults to this year
