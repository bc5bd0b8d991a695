"""Where the KPIs stand on the programme dashboard, the manager dashboards and the yearly report."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programme.tests.factories import GoalFactory, KpiFactory

pytestmark = pytest.mark.django_db


def _click_rate(org, year, *, value, measured_on, name="Klikratio phishing"):
    """A lower-is-better KPI from 24% to 10% over the year, with one measurement."""
    kpi = KpiFactory(
        goal=GoalFactory(organisation=org, year=year, title="Bewustzijn"),
        name=name,
        direction="lower",
        baseline=Decimal("24"),
        target=Decimal("10"),
        unit="procent",
    )
    kpi.measurements.create(value=Decimal(value), measured_on=measured_on, source="Simulatie")
    return kpi


def _state(html: str, kpi) -> str:
    row = html[html.index(f'data-kpi="{kpi.pk}"') :]
    row = row[: row.index("</tr>")]
    return row[row.index('data-state="') + 12 :].split('"', 1)[0]


def test_programme_dashboard_marks_a_lower_is_better_kpi(client_as, officer, org):
    today = timezone.localdate()
    good = _click_rate(org, today.year, value="9", measured_on=today, name="Klikratio goed")
    bad = _click_rate(org, today.year, value="30", measured_on=today, name="Klikratio slecht")
    html = client_as(officer).get(reverse("evaluation:programme_dashboard")).content.decode()
    assert _state(html, good) == "on_track"
    assert _state(html, bad) == "off_track"
    assert "Op koers" in html and "Uit koers" in html and "Lager is beter".lower() in html


def test_a_measurement_outside_the_period_does_not_count(client_as, officer, org):
    today = timezone.localdate()
    kpi = _click_rate(org, today.year, value="9", measured_on=datetime.date(today.year - 1, 12, 1))
    html = client_as(officer).get(reverse("evaluation:programme_dashboard")).content.decode()
    assert _state(html, kpi) == "none"


def test_status_is_exported_in_words(client_as, officer, org):
    today = timezone.localdate()
    _click_rate(org, today.year, value="9", measured_on=today)
    csv = client_as(officer).get(reverse("evaluation:programme_export", args=["kpis", "csv"]))
    text = csv.getvalue().decode("utf-8-sig")
    assert "Richting" in text and "Op koers" in text and "Lager is beter" in text


def test_manager_dashboard_shows_the_programme_kpis(client_as, manager_a, department_a, org):
    today = timezone.localdate()
    kpi = _click_rate(org, today.year, value="30", measured_on=today)
    html = client_as(manager_a).get(reverse("evaluation:department_dashboard", args=[department_a.pk])).content
    html = html.decode()
    assert 'data-testid="kpi-status"' in html and _state(html, kpi) == "off_track"


def test_yearly_report_shows_status_and_trend(client_as, officer, org):
    year = timezone.localdate().year - 1
    kpi = _click_rate(org, year, value="15", measured_on=datetime.date(year, 3, 1))
    kpi.measurements.create(value=Decimal("9.5"), measured_on=datetime.date(year, 11, 1), source="Simulatie")
    html = client_as(officer).get(reverse("evaluation:year_report", args=[year])).content.decode()
    section = html[html.index('data-testid="report-kpis"') :]
    assert "Op koers" in section  # the period is over and the target was reached
    assert "15" in section and "9,5" in section  # the trend over the measurements


def test_another_organisations_kpis_never_show(client_as, officer, org, other_org):
    today = timezone.localdate()
    _click_rate(other_org, today.year, value="9", measured_on=today, name="GEHEIM-KPI")
    for url in (reverse("evaluation:programme_dashboard"), reverse("evaluation:year_report", args=[today.year])):
        assert "GEHEIM-KPI" not in client_as(officer).get(url).content.decode()


def test_programme_dashboard_queries_do_not_grow_with_kpis_measurements(client_as, officer, org):
    today = timezone.localdate()
    client = client_as(officer)
    url = reverse("evaluation:programme_dashboard")
    kpi = _click_rate(org, today.year, value="20", measured_on=datetime.date(today.year, 1, 2))
    KpiFactory(goal=kpi.goal, name="Uren", measure="ambassador_hours_ratio", target=80, unit="%")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for day in range(3, 28):
        kpi.measurements.create(value=Decimal("19"), measured_on=datetime.date(today.year, 1, day), source="x")
    for index in range(5):
        _click_rate(org, today.year, value="12", measured_on=today, name=f"Handmatig {index}")
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before) <= 50
