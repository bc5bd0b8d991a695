"""In the browser: an officer makes a KPI lower-is-better and sees it marked on or off track correctly."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible


def test_officer_sees_a_lower_is_better_kpi_on_and_off_track(signed_in, site, officer, org):
    from programme.tests.factories import GoalFactory, KpiFactory

    today = timezone.localdate()
    goal = GoalFactory(organisation=org, year=today.year, title="Bewustzijn")
    kpi = KpiFactory(goal=goal, name="Klikratio phishing", baseline=Decimal("24"), target=Decimal("10"), unit="procent")
    kpi.measurements.create(value=Decimal("5"), measured_on=today, source="Simulatie")

    page = signed_in(officer)
    row = page.get_by_test_id("kpi-status").locator(f"tr[data-kpi='{kpi.pk}']")
    # As entered (higher is better) a fall from 24 to 5 is off track.
    page.goto(site + reverse("evaluation:programme_dashboard"))
    expect(row.get_by_test_id("kpi-state")).to_have_text("Uit koers")

    page.goto(site + reverse("programme:kpi_update", args=[kpi.pk]))
    page.get_by_label("Lager is beter").check()
    assert_accessible(page, context="kpi form with direction")
    page.get_by_role("button", name="KPI opslaan").click()
    expect(page.get_by_test_id("kpi-state")).to_have_text("Op koers")

    page.goto(site + reverse("evaluation:programme_dashboard"))
    expect(row.get_by_test_id("kpi-state")).to_have_text("Op koers")
    expect(row).to_contain_text("lager is beter")
    assert_accessible(page, context="programme dashboard with KPI status")

    # A new measurement above the expected line turns it off track.
    page.goto(site + reverse("programme:measurement_create", args=[kpi.pk]))
    page.get_by_label("Waarde").fill("30")
    page.get_by_label("Bron").fill("Simulatie december")
    page.get_by_role("button", name="Waarde vastleggen").click()
    page.goto(site + reverse("evaluation:programme_dashboard"))
    expect(row.get_by_test_id("kpi-state")).to_have_text("Uit koers")

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="programme dashboard on a phone")
