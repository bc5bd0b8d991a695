"""Programme planning in the browser: goals and KPIs, the annual plan, communication, budget, hours, access."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import assert_accessible
from programme.models import AnnualPlan, HoursConfirmation, Kpi, Message, Topic
from programme.tests.factories import AnnualPlanFactory, BudgetLineFactory, GoalFactory, TopicFactory


def year() -> int:
    return timezone.localdate().year


def test_officer_sets_goals_and_kpis(signed_in, site, officer):
    page = signed_in(officer)
    page.goto(f"{site}/programma/doelen/{year()}/")
    page.get_by_role("link", name="Nieuw doel").click()
    page.get_by_label("Titel").fill("Meer datalekken gemeld")
    page.get_by_label("Soort").select_option(label="Korte termijn")
    page.get_by_role("button", name="Doel opslaan").click()
    expect(page.get_by_role("heading", name=re.compile("Meer datalekken gemeld"))).to_be_visible()

    page.get_by_role("link", name="Nieuwe KPI").click()
    page.get_by_label("Naam").fill("Klikratio phishingsimulatie")
    page.get_by_label("Streefwaarde").fill("10")
    page.get_by_label("Begin periode").fill(f"{year()}-06-30")
    page.get_by_label("Einde periode").fill(f"{year()}-01-01")
    page.get_by_role("button", name="KPI opslaan").click()
    expect(page.get_by_text("Een streefwaarde heeft een eenheid nodig").first).to_be_visible()
    expect(page.get_by_text("De periode kan niet eindigen voordat hij begint.").first).to_be_visible()
    expect(page.get_by_label("Naam")).to_have_value("Klikratio phishingsimulatie")
    assert_accessible(page, context="kpi form with errors")

    page.get_by_label("Eenheid").fill("procent")
    page.get_by_label("Begin periode").fill(f"{year()}-01-01")
    page.get_by_label("Einde periode").fill(f"{year()}-12-31")
    page.get_by_role("button", name="KPI opslaan").click()
    expect(page.get_by_role("cell", name=re.compile("Klikratio phishingsimulatie"))).to_be_visible()
    page.get_by_role("link", name="Waarde vastleggen").click()
    page.get_by_label("Waarde").fill("18.5")
    page.get_by_label("Bron").fill("Phishingsimulatie maart")
    page.get_by_role("button", name="Waarde vastleggen").click()
    expect(page.get_by_test_id("kpi-value")).to_contain_text("18,50 procent")
    assert Kpi.objects.get().measurements.count() == 1
    assert_accessible(page, context="goal detail")
    page.goto(f"{site}/programma/doelen/{year()}/")
    expect(page.get_by_role("link", name="Meer datalekken gemeld")).to_be_visible()
    assert_accessible(page, context="goal list")


def add_topic(page, site, title, *, month=None, quarter=None, channels=()):
    page.goto(f"{site}/programma/jaarplan/{year()}/onderwerp/nieuw/")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Kernboodschap").fill(f"Kernboodschap over {title.lower()}.")
    if month:
        page.get_by_label("Maand").fill(month)
    if quarter:
        page.get_by_label("Kwartaal").select_option(str(quarter))
    for channel in channels:
        page.get_by_label(channel, exact=True).check()
    page.get_by_role("button", name="Onderwerp opslaan").click()


def test_officer_builds_a_plan_for_four_quarters_and_copies_it(signed_in, site, officer):
    page = signed_in(officer)
    this_year = year()
    # No plan yet: the year page offers to create one (a GET never does).
    page.goto(f"{site}/programma/jaarplan/{this_year}/")
    page.get_by_role("button", name="Jaarplan aanmaken").click()
    expect(page.get_by_text(f"Het jaarplan voor {this_year} is als concept aangemaakt")).to_be_visible()
    # Bad input first: a month in another year, with everything typed kept.
    add_topic(page, site, "Phishing herkennen", month=f"{this_year + 1}-01")
    expect(page.get_by_text(f"Deze maand valt buiten het jaar van het jaarplan ({this_year}).").first).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Phishing herkennen")
    assert_accessible(page, context="topic form with errors")
    page.get_by_label("Maand").fill(f"{this_year}-01")
    page.get_by_label("Nieuwsbrief", exact=True).check()
    page.get_by_label("Intranet", exact=True).check()
    page.get_by_role("button", name="Onderwerp opslaan").click()
    expect(page.get_by_role("heading", name=re.compile("Phishing herkennen"))).to_be_visible()

    add_topic(page, site, "Wachtwoorden en MFA", quarter=2, channels=["MS Teams"])
    add_topic(page, site, "AVG en bewaartermijnen", quarter=3, channels=["Teamoverleg"])
    add_topic(page, site, "Social engineering", month=f"{this_year}-10", channels=["Poster"])
    assert Topic.objects.filter(plan__year=this_year).count() == 4

    # Plan a message on a channel for the last topic.
    page.get_by_role("link", name="Bericht plannen").click()
    page.get_by_label("Kanaal").select_option(label="Poster")
    page.get_by_label("Geplande datum").fill(f"{this_year + 1}-10-05")
    page.get_by_role("button", name="Bericht plannen").click()
    expect(
        page.get_by_text(f"De geplande datum valt buiten het jaar van het jaarplan ({this_year}).").first
    ).to_be_visible()
    page.get_by_label("Geplande datum").fill(f"{this_year}-10-05")
    page.get_by_label("Titel").fill("Poster bij de koffieautomaat")
    page.get_by_role("button", name="Bericht plannen").click()
    expect(page.get_by_role("cell", name="Poster bij de koffieautomaat")).to_be_visible()
    assert_accessible(page, context="topic detail")

    page.goto(f"{site}/programma/jaarplan/{this_year}/")
    for quarter, title in enumerate(
        ["Phishing herkennen", "Wachtwoorden en MFA", "AVG en bewaartermijnen", "Social engineering"], start=1
    ):
        expect(page.get_by_test_id(f"quarter-{quarter}")).to_contain_text(title)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Jaarplan publiceren").click()
    expect(page.get_by_text(f"Het jaarplan voor {this_year} is gepubliceerd.").first).to_be_visible()
    assert_accessible(page, context="year view")

    page.get_by_role("button", name=f"Kopiëren naar {this_year + 1}").click()
    expect(page.get_by_role("heading", name=re.compile(f"Jaarplan {this_year + 1}"))).to_be_visible()
    expect(page.get_by_test_id("quarter-4")).to_contain_text("Social engineering")
    copied = Topic.objects.filter(plan__year=this_year + 1)
    assert copied.count() == 4 and set(copied.values_list("status", flat=True)) == {"draft"}
    assert Message.objects.get(topic__plan__year=this_year + 1).planned_on.year == this_year + 1
    assert AnnualPlan.objects.get(year=this_year + 1).status == "draft"

    page.goto(f"{site}/programma/jaarplan/{this_year}/lijst/?channel=teams")
    expect(page.get_by_role("link", name="Wachtwoorden en MFA")).to_be_visible()
    expect(page.get_by_role("link", name="Phishing herkennen")).to_have_count(0)
    assert_accessible(page, context="topic list")
    page.goto(f"{site}/programma/jaarplan/{this_year}/afdrukken/")
    expect(page.get_by_role("button", name="Afdrukken")).to_be_visible()
    assert_accessible(page, context="print view")


def test_a_stale_edit_is_refused_in_the_browser(signed_in, site, officer, org):
    topic = TopicFactory(plan=AnnualPlanFactory(organisation=org, year=year()), title="Clean desk", quarter=1)
    page = signed_in(officer)
    page.goto(f"{site}/programma/onderwerpen/{topic.pk}/bewerken/")
    # Meanwhile a colleague saves the same topic.
    Topic.objects.filter(pk=topic.pk).update(title="Clean desk en clear screen", version=2)
    page.get_by_label("Titel").fill("Clean desk op de flexplek")
    page.get_by_role("button", name="Onderwerp opslaan").click()
    expect(page.get_by_text("Iemand anders heeft dit onderwerp opgeslagen").first).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Clean desk op de flexplek")
    assert Topic.objects.get(pk=topic.pk).title == "Clean desk en clear screen"
    assert_accessible(page, context="stale edit")


def test_officer_writes_the_quarterly_mailing_and_previews_it(signed_in, site, officer, org, team_a, ambassador_a):
    plan = AnnualPlanFactory(organisation=org, year=year(), status="published")
    TopicFactory(plan=plan, title="Datalek melden", quarter=2, status="published")
    page = signed_in(officer)
    page.goto(f"{site}/programma/communicatie/{year()}/")
    assert_accessible(page, context="communication plan")
    page.get_by_role("link", name="Mailing schrijven").nth(1).click()
    page.get_by_label("Onderwerpregel").fill("De onderwerpen van het tweede kwartaal")
    page.get_by_label("Tekst").fill("Beste collega,")
    page.get_by_role("button", name="Mailing opslaan").click()
    page.get_by_label("Voorbeeld als medewerker van").select_option(label="Team Balie")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    preview = page.get_by_test_id("mailing-preview")
    expect(preview).to_contain_text("Datalek melden")
    expect(preview).to_contain_text("Sanne Ambassadeur")
    assert_accessible(page, context="mailing preview")


def test_officer_sees_the_budget_and_a_negative_amount_is_refused(signed_in, site, officer, org):
    BudgetLineFactory(
        organisation=org, year=year(), description="Posters", category="communication", planned=500, actual=800
    )
    page = signed_in(officer)
    page.goto(f"{site}/programma/budget/{year()}/")
    expect(page.get_by_test_id("budget-overrun")).to_be_visible()
    page.get_by_role("link", name="Nieuwe begrotingsregel").click()
    page.get_by_label("Categorie").select_option(label="Training")
    page.get_by_label("Beschrijving").fill("E-learning")
    page.locator("#id_planned").fill("-100")
    page.get_by_role("button", name="Begrotingsregel opslaan").click()
    expect(page.get_by_text("Een bedrag kan niet negatief zijn.").first).to_be_visible()
    expect(page.get_by_label("Beschrijving")).to_have_value("E-learning")
    assert_accessible(page, context="budget line form with errors")
    page.locator("#id_planned").fill("2000")
    page.get_by_role("button", name="Begrotingsregel opslaan").click()
    expect(page.get_by_test_id("total-planned")).to_have_text("€ 2.500,00")
    expect(page.get_by_test_id("hours-logged")).to_be_visible()
    assert_accessible(page, context="budget")


def test_manager_confirms_hours_and_reads_the_plan(signed_in, site, manager_a, department_a, org):
    plan = AnnualPlanFactory(organisation=org, year=year(), status="published")
    TopicFactory(plan=plan, title="Thuiswerken", quarter=2, status="published")
    page = signed_in(manager_a)
    page.goto(f"{site}/programma/uren/")
    field = page.get_by_label("Uren per maand")
    field.fill("-2")
    page.get_by_role("button", name="Uren bevestigen").click()
    expect(page.get_by_text("Het aantal uren kan niet negatief zijn.").first).to_be_visible()
    assert_accessible(page, context="hours error")
    page.get_by_label("Uren per maand").fill("6")
    page.get_by_role("button", name="Uren bevestigen").click()
    expect(page.get_by_test_id(f"current-hours-{department_a.pk}")).to_contain_text("6,0 uur per maand")
    assert HoursConfirmation.objects.get().confirmed_by == manager_a
    assert_accessible(page, context="hours")
    page.goto(f"{site}/programma/jaarplan/{year()}/")
    expect(page.get_by_role("link", name="Thuiswerken")).to_be_visible()
    expect(page.get_by_role("link", name="Nieuw onderwerp")).to_have_count(0)
    response = page.goto(f"{site}/programma/communicatie/{year()}/")
    assert response.status == 403
    assert_accessible(page, context="manager 403")


def test_ambassador_reads_plan_and_goals_but_not_budget(signed_in, site, ambassador_a, org):
    plan = AnnualPlanFactory(organisation=org, year=year(), status="published")
    TopicFactory(plan=plan, title="Phishing herkennen", quarter=1, status="published")
    TopicFactory(plan=plan, title="Geheim concept", quarter=1, status="draft")
    GoalFactory(organisation=org, year=year(), title="Bewustzijn")
    page = signed_in(ambassador_a)
    page.goto(f"{site}/programma/jaarplan/{year()}/")
    expect(page.get_by_role("link", name="Phishing herkennen")).to_be_visible()
    expect(page.get_by_text("Geheim concept")).to_have_count(0)
    assert_accessible(page, context="ambassador year view")
    page.goto(f"{site}/programma/doelen/{year()}/")
    expect(page.get_by_role("link", name="Bewustzijn")).to_be_visible()
    expect(page.get_by_role("link", name="Nieuw doel")).to_have_count(0)
    page.goto(f"{site}/programma/agenda/")
    page.get_by_role("button", name="Mijn agendalink aanmaken").click()
    expect(page.get_by_label("Uw persoonlijke agendalink")).to_have_value(re.compile(r"/jaarplan\.ics$"))
    assert_accessible(page, context="calendar link")
    for path in ["/programma/budget/", "/programma/suggesties/", f"/programma/jaarplan/{year()}/onderwerp/nieuw/"]:
        response = page.goto(site + path)
        assert response.status == 403, path
    assert_accessible(page, context="ambassador 403")


def test_staff_sees_this_quarters_topics_at_home_and_nothing_else(signed_in, site, staff_a, org):
    quarter = (timezone.localdate().month - 1) // 3 + 1
    plan = AnnualPlanFactory(organisation=org, year=year(), status="published")
    TopicFactory(plan=plan, title="Veilig thuiswerken", quarter=quarter, status="published")
    TopicFactory(plan=plan, title="Volgend kwartaal", quarter=quarter % 4 + 1, status="published")
    page = signed_in(staff_a)
    page.goto(site + "/")
    topics = page.get_by_test_id("quarter-topics")
    expect(topics).to_contain_text("Veilig thuiswerken")
    expect(topics).not_to_contain_text("Volgend kwartaal")
    expect(page.get_by_role("button", name="Programma")).to_have_count(0)
    assert_accessible(page, context="staff home")
    response = page.goto(f"{site}/programma/jaarplan/{year()}/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="U heeft geen toegang tot deze pagina")).to_be_visible()
    assert_accessible(page, context="staff 403")
