"""Programme corrections, the hour budget, the mailing preview and staff reading topics, at phone width."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible
from programme.models import AnnualPlan, BudgetLine, KpiMeasurement, QuarterlyMailing, TopicMaterial
from programme.tests.factories import AnnualPlanFactory, BudgetLineFactory, GoalFactory, KpiFactory, TopicFactory


def year() -> int:
    return timezone.localdate().year


def assert_fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_officer_creates_the_years_plan_from_the_empty_state(signed_in, site, officer, org):
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/programma/jaarplan/{year() + 1}/")
    expect(page.get_by_test_id("plan-empty")).to_be_visible()
    assert not AnnualPlan.objects.filter(year=year() + 1).exists()
    assert_fits_a_phone(page)
    assert_accessible(page, context="plan empty state")
    page.get_by_role("button", name="Jaarplan aanmaken").click()
    expect(page.get_by_role("link", name="Nieuw onderwerp", exact=True)).to_be_visible()
    assert AnnualPlan.objects.filter(organisation=org, year=year() + 1, status="draft").exists()


def test_officer_corrects_a_measurement_with_a_reason(signed_in, site, officer, org):
    kpi = KpiFactory(
        goal=GoalFactory(organisation=org, title="Bewustzijn"),
        name="Klikratio",
        period_start=datetime.date(year(), 1, 1),
        period_end=datetime.date(year(), 6, 30),
    )
    KpiMeasurement.objects.create(kpi=kpi, value=62, measured_on=datetime.date(year(), 2, 1), source="simulatie")
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/programma/doel/{kpi.goal_id}/")
    page.get_by_role("link", name="Corrigeren").click()
    page.get_by_label("Waarde").fill("26")
    page.get_by_label("Gemeten op").fill(f"{year()}-07-15")
    page.get_by_label("Reden van de correctie").fill("Tikfout: 62 in plaats van 26")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.locator("strong", has_text="De datum moet binnen de periode van de KPI vallen")).to_be_visible()
    expect(page.get_by_role("link", name="Gemeten op: De datum moet binnen de periode")).to_be_visible()  # the summary
    expect(page.get_by_label("Reden van de correctie")).to_have_value("Tikfout: 62 in plaats van 26")
    assert_fits_a_phone(page)
    assert_accessible(page, context="measurement correction with errors")
    page.get_by_label("Gemeten op").fill(f"{year()}-02-01")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_test_id("kpi-value")).to_contain_text("26")
    expect(page.get_by_test_id("correction")).to_contain_text("Tikfout: 62 in plaats van 26")
    assert_fits_a_phone(page)
    assert_accessible(page, context="goal with a corrected measurement")
    # A KPI with measurements is not deleted: the page says why.
    page.get_by_role("link", name="Verwijderen", exact=True).click()
    expect(page.get_by_test_id("delete-refused")).to_be_visible()
    assert KpiMeasurement.objects.get().value == 26


def test_officer_budgets_hours_and_deletes_a_line_after_confirming(signed_in, site, officer, org):
    BudgetLineFactory(organisation=org, year=year(), description="Posters", category="communication", planned=500)
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/programma/budget/{year()}/")
    page.get_by_role("link", name="Nieuwe begrotingsregel").click()
    page.get_by_label("Tijd (uren)").check()
    page.get_by_label("Categorie").select_option(label="Training")
    page.get_by_label("Beschrijving").fill("Ambassadeurstraining")
    page.locator("#id_planned").fill("20")
    page.locator("#id_actual").fill("32")
    page.get_by_role("button", name="Begrotingsregel opslaan").click()
    expect(page.get_by_test_id("hours-overrun")).to_contain_text("32 uur gebruikt tegenover 20 uur begroot")
    expect(page.get_by_test_id("total-remaining-hours")).to_have_text("-12 uur")
    assert BudgetLine.objects.get(description="Ambassadeurstraining").unit == "hours"
    assert_fits_a_phone(page)
    assert_accessible(page, context="budget with hours")
    page.get_by_test_id("budget-euro").get_by_role("link", name="Verwijderen", exact=True).click()
    expect(page.get_by_test_id("confirm-delete")).to_be_visible()
    assert_accessible(page, context="confirm deletion")
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_text("De begrotingsregel is verwijderd.")).to_be_visible()
    assert not BudgetLine.objects.filter(description="Posters").exists()


def test_officer_corrects_a_budget_line_with_a_reason(signed_in, site, officer, org):
    BudgetLineFactory(
        organisation=org, year=year(), description="Posters", category="communication", planned=500, actual=400
    )
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/programma/budget/{year()}/")
    page.get_by_test_id("budget-euro").get_by_role("link", name="Corrigeren", exact=True).click()
    page.locator("#id_actual").fill("140")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_text("Geef de reden voor de correctie.").first).to_be_visible()
    expect(page.locator("#id_actual")).to_have_value("140")
    assert_fits_a_phone(page)
    assert_accessible(page, context="budget line correction without a reason")
    page.get_by_label("Reden van de correctie").fill("Factuur dubbel geboekt")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_test_id("correction")).to_contain_text("Factuur dubbel geboekt")
    expect(page.get_by_test_id("correction")).to_contain_text("gebruikt: 400,00 → 140,00")
    assert_fits_a_phone(page)
    assert_accessible(page, context="budget with a corrected line")
    assert BudgetLine.objects.get(description="Posters").actual == 140


def test_officer_previews_exactly_the_mail_and_cancels_it(signed_in, site, officer, org, team_a, ambassador_a):
    plan = AnnualPlanFactory(organisation=org, year=year(), status="published")
    TopicFactory(plan=plan, title="Datalek melden", quarter=2, status="published")
    QuarterlyMailing.objects.create(
        organisation=org, year=year(), quarter=2, subject="Kwartaal 2", body="Beste collega,\n<b>let op</b>"
    )
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/programma/communicatie/{year()}/kwartaal/2/voorbeeld/")
    page.get_by_label("Voorbeeld als medewerker van").select_option(label="Team Balie")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.get_by_test_id("mailing-subject")).to_have_text("Kwartaal 2")
    expect(page.get_by_test_id("mailing-from")).not_to_be_empty()
    expect(page.get_by_test_id("mailing-text")).to_contain_text("<b>let op</b>")
    frame = page.frame_locator('[data-testid="mailing-html"]')
    expect(frame.locator("body")).to_contain_text("<b>let op</b>")
    expect(frame.locator("body")).to_contain_text("Datalek melden")
    expect(frame.locator("b", has_text="let op")).to_have_count(0)
    assert_fits_a_phone(page)
    assert_accessible(page, context="mailing preview")
    page.get_by_role("link", name="Mailing annuleren").click()
    page.get_by_role("button", name="Ja, mailing annuleren").click()
    expect(page.get_by_text("De mailing is geannuleerd")).to_be_visible()
    assert not QuarterlyMailing.objects.exists()


def test_staff_open_the_quarters_topic_and_its_material_from_home(signed_in, site, staff_a, org):
    quarter = (timezone.localdate().month - 1) // 3 + 1
    plan = AnnualPlanFactory(organisation=org, year=year(), status="published")
    topic = TopicFactory(
        plan=plan, title="Veilig thuiswerken", quarter=quarter, status="published", key_message="Vergrendel uw scherm."
    )
    TopicMaterial.objects.create(topic=topic, title="Checklist thuiswerken", url="https://example.org/checklist")
    draft = TopicFactory(plan=plan, title="Concept", quarter=quarter, status="draft")
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(site + "/")
    page.get_by_test_id("quarter-topics").get_by_role("link", name="Veilig thuiswerken").click()
    expect(page.get_by_test_id("topic-title")).to_have_text("Veilig thuiswerken")
    expect(page.get_by_text("Vergrendel uw scherm.")).to_be_visible()
    expect(page.get_by_test_id("topic-materials")).to_contain_text("Checklist thuiswerken")
    expect(page.get_by_role("link", name="Bewerken")).to_have_count(0)
    assert_fits_a_phone(page)
    assert_accessible(page, context="staff topic page")
    response = page.goto(f"{site}/programma/onderwerpen/{draft.pk}/lezen/")
    assert response.status == 404
    response = page.goto(f"{site}/programma/onderwerpen/{topic.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", name=re.compile("geen toegang"))).to_be_visible()
