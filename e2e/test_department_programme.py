"""Browser tests of the department year programme: the ambassador drafts on a phone, the CISO agrees, the manager
sees planned against done; a good practice is adopted by another department in one click."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import AXE_SOURCE, PHONE

WCAG22 = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']"


def assert_accessible_22(page, *, context: str) -> None:
    """axe-core with the WCAG 2.2 AA rules as well; no serious or critical violation."""
    page.mouse.move(0, 0)
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG22}}}}})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe violations on {context}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)


def assert_fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def plan(org):
    from programme.models import AnnualPlan, Topic

    year = timezone.localdate().year
    plan = AnnualPlan.objects.create(organisation=org, year=year, status=AnnualPlan.Status.PUBLISHED)
    for title, month in (("Phishing herkennen", 2), ("Clean desk", 6), ("Veilig thuiswerken", 10)):
        Topic.objects.create(plan=plan, title=title, month=month, status=Topic.Status.PUBLISHED)
    return plan


def test_ambassador_drafts_on_a_phone_ciso_agrees_manager_sees(
    signed_in, site, plan, ambassador_a, officer, manager_a, department_a
):
    year = plan.year
    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/afdelingsprogramma/")
    expect(page.get_by_role("heading", name="Afdelingsprogramma's", level=1)).to_be_visible()
    assert_fits(page)
    assert_accessible_22(page, context="programme list on a phone")
    page.get_by_role("button", name=f"Stel het programma {year} op vanuit het jaarplan").click()
    expect(page.get_by_text("Er is een conceptprogramma gemaakt vanuit het jaarplan")).to_be_visible()
    expect(page.get_by_test_id("programme-items")).to_contain_text("Phishing herkennen")
    expect(page.get_by_test_id("programme-items")).to_contain_text("Veilig thuiswerken")
    assert_fits(page)
    assert_accessible_22(page, context="draft programme on a phone")

    page.get_by_role("link", name="Bewerken Phishing herkennen").click()
    page.get_by_label("Wat").fill("Phishingquiz in het teamoverleg")
    page.get_by_label("Uren").fill("2")
    page.get_by_label("Besluit").select_option(label="Vervallen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Geef de reden waarom het onderdeel vervalt.").first).to_be_visible()
    expect(page.get_by_label("Wat")).to_have_value("Phishingquiz in het teamoverleg")
    assert_accessible_22(page, context="item form with an error")
    page.get_by_label("Besluit").select_option(label="Geen besluit")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het onderdeel is gewijzigd.")).to_be_visible()
    expect(page.get_by_test_id("programme-items")).to_contain_text("Phishingquiz in het teamoverleg")
    page.get_by_role("button", name="Indienen voor akkoord").click()
    expect(page.get_by_test_id("programme-status")).to_have_text("Wacht op akkoord")

    page = signed_in(officer)
    page.goto(f"{site}/ambassadeurs/afdelingsprogramma/overzicht/{year}/")
    expect(page.get_by_test_id("without-agreed")).to_contain_text(department_a.name)
    assert_accessible_22(page, context="officer overview")
    page.get_by_role("link", name=department_a.name).click()
    assert_accessible_22(page, context="programme to agree")
    page.get_by_role("button", name="Terugsturen met opmerking").click()
    expect(page.get_by_text("Geef aan wat er moet veranderen").first).to_be_visible()
    assert_accessible_22(page, context="sent back without a remark")
    page.get_by_role("button", name="Akkoord geven").click()
    expect(page.get_by_text("Het programma heeft akkoord gekregen.")).to_be_visible()
    expect(page.get_by_test_id("programme-status")).to_have_text("Akkoord")

    page = signed_in(manager_a)
    page.goto(f"{site}/evaluatie/afdeling/{department_a.pk}/")
    section = page.get_by_test_id("dashboard-programme")
    expect(section).to_contain_text(f"Afdelingsprogramma {year}")
    expect(section).to_contain_text("Akkoord")
    section.get_by_role("link", name="Open het programma").click()
    expect(page.get_by_test_id("programme-hours")).to_contain_text(ambassador_a.full_name)
    expect(page.get_by_role("link", name=re.compile("Bewerken"))).to_have_count(0)
    assert_accessible_22(page, context="programme as manager")


def test_a_good_practice_lands_in_another_programme_in_one_click(
    signed_in, site, plan, ambassador_a, org, department_a, department_b
):
    from accounts.tests.factories import UserFactory
    from ambassadors.programmes import services
    from ambassadors.tests.factories import AppointmentFactory

    programme, _ = services.programme_start(user=ambassador_a, department=department_a, year=plan.year)
    services.practice_share(
        user=ambassador_a,
        item=programme.items.first(),
        data={
            "title": "Phishingquiz van vijf minuten",
            "kind": "team_meeting",
            "what": "Vijf echte phishingmails; het team stemt.",
            "audience": "Team Balie",
            "what_worked": "Echte voorbeelden.",
            "effort": "Een half uur voorbereiden.",
        },
        url="https://example.org/quiz",
    )
    colleague = UserFactory(organisation=org, department=department_b, full_name="Youssef Haddou")
    AppointmentFactory(user=colleague, organisation=org, departments=[department_b])
    services.programme_start(user=colleague, department=department_b, year=plan.year)

    page = signed_in(colleague, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/afdelingsprogramma/goede-voorbeelden/")
    expect(page.get_by_role("heading", name="Phishingquiz van vijf minuten")).to_be_visible()
    assert_fits(page)
    assert_accessible_22(page, context="good practices on a phone")
    page.get_by_role("button", name=re.compile(f"Toevoegen aan het programma van {department_b.name}")).click()
    expect(page.get_by_text("Het goede voorbeeld is toegevoegd aan uw afdelingsprogramma.")).to_be_visible()
    expect(page.get_by_test_id("programme-items")).to_contain_text("Uit het goede voorbeeld")
    page.goto(f"{site}/ambassadeurs/afdelingsprogramma/goede-voorbeelden/")
    expect(page.get_by_test_id("reuse-count")).to_have_text("Overgenomen door 1 afdelingsprogramma.")
