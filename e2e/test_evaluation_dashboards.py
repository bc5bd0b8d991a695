"""Browser tests of the dashboards and the yearly evaluation, each driven as its role in Chromium."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible

YEAR = timezone.localdate().year


@pytest.fixture
def data(dashboard_data):
    return dashboard_data


def _own_browser(browser, site, user, viewport=None):
    """A page in a browser context of its own, so two people can be signed in side by side."""
    from django.conf import settings
    from django.test import Client

    from conftest import _mfa_session

    client = Client()
    _mfa_session(client, user)
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=viewport)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}])
    return context.new_page()


def test_a_manager_sees_their_department_dashboard_and_not_another(
    signed_in, site, data, manager_a, department_a, department_b
):
    page = signed_in(manager_a)
    page.goto(site + "/")
    page.get_by_role("link", name="Dashboard Burgerzaken").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard Burgerzaken")
    expect(page.get_by_test_id("ambassadors")).to_contain_text("Sanne Ambassadeur")
    expect(page.get_by_test_id("ambassadors")).not_to_contain_text("Bram Ambassadeur")
    # Charts are drawn from the JSON blocks, with the same figures in a table beside each.
    expect(page.locator("canvas[data-chart][data-rendered='true']")).to_have_count(6)
    activities = page.get_by_test_id("table-activities")
    expect(activities.locator("caption")).to_have_text("Activiteiten per kwartaal (laatste vier kwartalen)")
    expect(activities.locator("tbody tr").last).to_contain_text("3")
    expect(page.get_by_test_id("table-topics")).to_contain_text("Phishing")
    # The lower tables arrive when scrolled into view.
    page.get_by_test_id("lower-tables").scroll_into_view_if_needed()
    expect(page.get_by_test_id("table-feedback_status")).to_be_visible()
    expect(page.get_by_test_id("table-dataleak_categories")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("GEHEIM")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    assert_accessible(page, context="department dashboard")

    response = page.goto(site + reverse("evaluation:department_dashboard", args=[department_b.pk]))
    assert response.status == 404


def test_a_manager_dashboard_on_a_phone(site, browser, data, manager_a, department_a):
    page = _own_browser(browser, site, manager_a, viewport=PHONE)
    page.goto(site + reverse("evaluation:department_dashboard", args=[department_a.pk]))
    expect(page.get_by_test_id("table-figures")).to_be_visible()
    assert_accessible(page, context="department dashboard on a phone")


def test_an_officer_sees_the_programme_dashboard(signed_in, site, data, officer):
    page = signed_in(officer)
    page.goto(site + reverse("evaluation:programme_dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmadashboard")
    expect(page.get_by_test_id("coverage")).to_have_text(re.compile(r"100"))
    expect(page.get_by_test_id("building-blocks").locator("li")).to_have_count(10)
    expect(page.get_by_test_id("building-blocks")).to_contain_text("Strategie en doelen")
    heat = page.get_by_test_id("table-heatmap")
    expect(heat).to_contain_text("Burgerzaken")
    expect(heat.locator("td.heat-4")).to_have_count(1)
    expect(page.locator("canvas[data-chart='chart-data-kpis'][data-rendered='true']")).to_have_count(1)
    expect(page.get_by_test_id("table-kpis")).to_contain_text("Uren besteed")
    assert_accessible(page, context="programme dashboard")


def test_the_yearly_report_renders_and_downloads_as_pdf(signed_in, site, data, officer):
    page = signed_in(officer)
    page.goto(site + reverse("evaluation:year_report", args=[YEAR]))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jaarevaluatie {YEAR}")
    page.get_by_role("textbox", name="Conclusies").fill(
        "Het programma groeit; volgend jaar meer aandacht voor phishing."
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het evaluatierapport is opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("conclusions")).to_contain_text("meer aandacht voor phishing")
    expect(page.get_by_test_id("report-activities")).to_contain_text("Bewustwordingspraatje")
    expect(page.get_by_test_id("feedback-changes")).to_contain_text("Verzenden van besluiten")
    assert_accessible(page, context="yearly report")
    with page.expect_download() as download:
        page.get_by_test_id("pdf-link").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_ambassadors_propose_and_vote_and_an_officer_accepts(site, browser, org, ambassador_a, officer):
    from accounts.tests.factories import UserFactory
    from ambassadors.tests.factories import AppointmentFactory

    colleague = UserFactory(organisation=org, department=officer.department, full_name="Bram Ambassadeur")
    AppointmentFactory(user=colleague, organisation=org, departments=[officer.department])

    page = _own_browser(browser, site, ambassador_a)
    page.goto(site + "/")
    page.get_by_role("button", name="Evaluatie").click()
    page.get_by_role("link", name="Onderwerpvoorstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Onderwerpvoorstellen voor {YEAR + 1}")
    page.get_by_role("textbox", name="Onderwerp*").fill("AI")
    page.get_by_role("button", name="Voorstellen", exact=True).click()
    expect(page.get_by_text("Geef het onderwerp een titel van ten minste drie tekens.").first).to_be_visible()
    page.get_by_role("textbox", name="Onderwerp*").fill("Veilig omgaan met AI-tools")
    page.get_by_role("textbox", name="Waarom dit onderwerp").fill("Collega's gebruiken chatbots voor brieven.")
    page.get_by_role("button", name="Voorstellen", exact=True).click()
    expect(page.get_by_text("uw voorstel is toegevoegd")).to_be_visible()
    expect(page.get_by_test_id("proposals")).to_contain_text("1 stem")
    assert_accessible(page, context="proposals as ambassador")

    other = _own_browser(browser, site, colleague)
    other.goto(site + reverse("evaluation:proposals", args=[YEAR]))
    other.get_by_role("button", name="Stemmen op Veilig omgaan met AI-tools").click()
    expect(other.get_by_text("Uw stem is geteld.")).to_be_visible()
    expect(other.get_by_test_id("proposals")).to_contain_text("2 stemmen")

    chief = _own_browser(browser, site, officer)
    chief.goto(site + reverse("evaluation:proposals", args=[YEAR]))
    chief.get_by_role("button", name=re.compile(r"^Overnemen.*Veilig omgaan met AI-tools")).click()
    expect(chief.get_by_text(f"onderwerpsuggestie voor het jaarplan {YEAR + 1}")).to_be_visible()
    assert_accessible(chief, context="proposals as officer")
    chief.goto(site + reverse("programme:suggestions"))
    expect(chief.locator("main")).to_contain_text("Veilig omgaan met AI-tools")
    assert_accessible(chief, context="programme suggestions")


def test_a_manager_reads_the_counts_of_the_last_rollup_with_their_moment(
    signed_in, site, data, org, manager_a, department_a, ambassador_a, privacy_officer
):
    from ambassadors.tests.factories import ActivityFactory
    from evaluation.tasks import refresh_rollups

    refresh_rollups()  # what beat runs every few minutes
    page = signed_in(manager_a)
    url = site + reverse("evaluation:department_dashboard", args=[department_a.pk])
    page.goto(url)
    counted = page.get_by_test_id("counted-at")
    expect(counted).to_contain_text("Cijfers van")
    expect(counted).to_contain_text(timezone.localtime().strftime("%Y"))
    figures = page.get_by_test_id("table-figures")
    activities = figures.locator("tr", has_text="Activiteiten dit jaar").locator("td").first
    expect(activities).to_have_text("3")
    # An activity logged now shows with the next count, and the page says so by its moment.
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=timezone.localdate())
    page.reload()
    expect(activities).to_have_text("3")
    refresh_rollups()
    page.reload()
    expect(activities).to_have_text("4")
    assert_accessible(page, context="department dashboard from the rollup")

    # The register's counts of the year come from the same rollup, with their moment.
    officer_page = signed_in(privacy_officer)
    officer_page.goto(site + reverse("incidents:register"))
    expect(officer_page.get_by_test_id("counted-at")).to_contain_text("Stand van")
    assert_accessible(officer_page, context="register counts from the rollup")
