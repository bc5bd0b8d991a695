"""Browser tests of the surveys: an officer builds and opens one, staff answer it once, results obey group sizes."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible


@pytest.fixture
def colleagues_c(org):
    """Four employees of Vergunningen: too few to show on their own."""
    from accounts.tests.factories import DepartmentFactory, UserFactory

    department = DepartmentFactory(organisation=org, name="Vergunningen", code="C")
    return [
        UserFactory(
            organisation=org, department=department, full_name=f"Vergunner {i}", email=f"vergunner{i}@voorbeeld.test"
        )
        for i in range(4)
    ]


@pytest.fixture
def colleagues_b(org, department_b):
    """Six more employees of Werk en Inkomen: enough for their department to show on its own."""
    from accounts.tests.factories import UserFactory

    return [
        UserFactory(
            organisation=org, department=department_b, full_name=f"Collega {i}", email=f"collega{i}@voorbeeld.test"
        )
        for i in range(6)
    ]


@pytest.fixture
def own_browser(browser, site):
    """``own_browser(user, viewport=None) -> page`` in a browser context of its own, closed after the test.

    The officer's session (the ``signed_in`` context) stays signed in next to it.
    """
    from django.conf import settings
    from django.test import Client

    from conftest import _mfa_session

    contexts = []

    def make(user, viewport=None):
        client = Client()
        _mfa_session(client, user)
        context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=viewport)
        contexts.append(context)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}])
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _answer_in_database(survey, users):
    from evaluation.models import Question
    from evaluation.surveys.services import response_submit

    questions = list(survey.questions.all())
    for index, user in enumerate(users):
        answers = {}
        for question in questions:
            if question.kind == Question.Kind.LIKERT:
                answers[question.pk] = 2 + index % 3
            elif question.kind == Question.Kind.CHOICE:
                answers[question.pk] = question.options[index % 2]
            else:
                answers[question.pk] = f"Suggestie {index}"
        response_submit(survey=survey, user=user, answers=answers)


def test_officer_builds_and_opens_a_survey_staff_answer_and_results_follow_the_group_size_rule(
    signed_in, own_browser, site, officer, staff_a, staff_b, manager_a, colleagues_b, colleagues_c
):
    from evaluation.models import Response, Survey

    page = signed_in(officer)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{site}/")
    page.get_by_role("button", name="Evaluatie").click()
    page.get_by_role("link", name="Enquêtes").click()
    expect(page.get_by_role("heading", name="Enquêtes", level=1)).to_be_visible()
    assert_accessible(page, context="survey list")

    page.get_by_role("link", name="Nieuwe enquête").click()
    page.get_by_label("Titel").fill("Bewustzijnspeiling voorjaar")
    page.get_by_label("Inleiding").fill("Vijf minuten, anoniem.")
    page.get_by_label("Soort").select_option(label="Bewustzijnspeiling medewerkers")
    page.get_by_label("Doelgroep").select_option(label="Alle actieve medewerkers")
    page.get_by_label("Sluitingsdatum").fill("2020-01-01")
    page.get_by_role("button", name="Enquête aanmaken").click()
    expect(page.get_by_text("De sluitingsdatum kan niet in het verleden liggen.").first).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Bewustzijnspeiling voorjaar")
    assert_accessible(page, context="survey form with error")
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Sluitingsdatum").fill(deadline.isoformat())
    page.get_by_role("button", name="Enquête aanmaken").click()
    expect(page.get_by_text("De enquête is aangemaakt. Voeg nu de vragen toe.").first).to_be_visible()

    question = page.get_by_role("textbox", name=re.compile(r"^Vraag"))
    question.fill("Ik weet hoe ik een datalek meld.")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("De vraag is toegevoegd.").first).to_be_visible()
    page.get_by_role("textbox", name=re.compile(r"^Vraag")).fill("Hoe deelt u documenten met externen?")
    page.get_by_label("Soort vraag").select_option(label="Meerkeuze")
    page.get_by_label("Antwoordmogelijkheden").fill("Beveiligde downloadlink")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("Geef ten minste twee antwoordmogelijkheden, één per regel.").first).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile(r"^Vraag"))).to_have_value(
        "Hoe deelt u documenten met externen?"
    )
    assert_accessible(page, context="question form with error")
    page.get_by_label("Antwoordmogelijkheden").fill("Beveiligde downloadlink\nGewone bijlage")
    page.get_by_role("button", name="Vraag toevoegen").click()
    page.get_by_role("textbox", name=re.compile(r"^Vraag")).fill("Wat zou u helpen om veiliger te werken?")
    page.get_by_label("Soort vraag").select_option(label="Open antwoord")
    page.get_by_label("Antwoord verplicht").uncheck()
    page.get_by_role("button", name="Vraag toevoegen").click()
    page.get_by_role("button", name="Omhoog: Hoe deelt u documenten met externen?").click()
    questions = page.get_by_test_id("question-list").get_by_role("listitem")
    expect(questions.first).to_contain_text("Hoe deelt u documenten met externen?")
    expect(questions).to_have_count(3)
    assert_accessible(page, context="survey builder")

    page.get_by_role("link", name="Voorbeeld", exact=True).click()
    expect(page.get_by_text("Voorbeeld: zo zien invullers de enquête.").first).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Ik weet hoe ik een datalek meld."))).to_be_visible()
    assert_accessible(page, context="survey preview")
    page.get_by_role("link", name="Terug naar de enquête").click()

    page.get_by_role("button", name="Openen en uitnodigingen versturen").click()
    expect(
        page.get_by_text(re.compile(r"De enquête is open; 14 medewerkers zijn per e-mail uitgenodigd."))
    ).to_be_visible()
    expect(page.get_by_test_id("survey-status")).to_have_text("Open")
    # Once open, the questions are locked so that every answer is given to the same questions.
    expect(page.get_by_role("button", name="Vraag toevoegen")).to_have_count(0)
    expect(page.get_by_test_id("questions-locked")).to_be_visible()
    assert_accessible(page, context="open survey")

    survey = Survey.objects.get(title="Bewustzijnspeiling voorjaar")
    _answer_in_database(survey, colleagues_b + colleagues_c)

    # Anna answers on her phone: a required question left open is a Dutch error, her text is kept.
    staff_page = own_browser(staff_a, viewport=PHONE)
    staff_page.goto(f"{site}/")
    expect(staff_page.get_by_role("heading", name="Enquêtes voor u")).to_be_visible()
    assert_accessible(staff_page, context="home with survey panel")
    staff_page.get_by_role("link", name="Bewustzijnspeiling voorjaar").click()
    second_tab = staff_page.context.new_page()
    second_tab.goto(staff_page.url)  # the same form, as after a back button
    staff_page.get_by_label("Wat zou u helpen om veiliger te werken?").fill("Vaker korte voorbeelden.")
    staff_page.get_by_role("button", name="Antwoorden versturen").click()
    expect(staff_page.get_by_text("Niet alle verplichte vragen zijn beantwoord.")).to_be_visible()
    expect(staff_page.get_by_text("Beantwoord deze vraag alstublieft.").first).to_be_visible()
    expect(staff_page.get_by_label("Wat zou u helpen om veiliger te werken?")).to_have_value("Vaker korte voorbeelden.")
    assert_accessible(staff_page, context="survey answer with error")
    staff_page.get_by_label("Gewone bijlage").check()
    staff_page.get_by_label("5 - helemaal eens").check()
    staff_page.get_by_role("button", name="Antwoorden versturen").click()
    expect(staff_page.get_by_text("Hartelijk dank voor uw antwoorden.")).to_be_visible()
    expect(staff_page.get_by_role("heading", name="Enquêtes voor u")).to_have_count(0)
    # The stale form submitted again: refused, stored once.
    second_tab.get_by_label("Beveiligde downloadlink").check()
    second_tab.get_by_label("1 - helemaal oneens").check()
    second_tab.get_by_role("button", name="Antwoorden versturen").click()
    expect(second_tab.get_by_text("U heeft deze enquête al ingevuld. Uw eerste inzending is bewaard")).to_be_visible()
    assert_accessible(second_tab, context="double submit refused")
    assert Response.objects.filter(survey=survey).count() == 11

    page.goto(f"{site}/evaluatie/enquetes/{survey.pk}/")
    expect(page.get_by_test_id("response-count")).to_contain_text("11 van 14")
    expect(page.get_by_text("De vragen kunnen niet meer worden gewijzigd").first).to_be_visible()
    page.get_by_role("button", name="Enquête sluiten").click()
    expect(page.get_by_text("De enquête is gesloten.", exact=True)).to_be_visible()
    page.get_by_role("link", name="Resultaten").first.click()
    expect(page.get_by_role("heading", name="Resultaten: Bewustzijnspeiling voorjaar")).to_be_visible()
    groups = page.get_by_test_id("groups")
    expect(groups.get_by_role("row", name=re.compile("Werk en Inkomen"))).to_contain_text("6")
    # Anna's team (1) and Vergunningen (4) are too small on their own: together they are "overig" (5).
    expect(groups.get_by_role("row", name=re.compile("Overig"))).to_contain_text("5")
    expect(groups).not_to_contain_text("Team Balie")
    expect(groups).not_to_contain_text("Vergunningen")
    expect(page.get_by_role("table", name=re.compile("helemaal oneens")).first).not_to_contain_text("Vergunningen")
    expect(page.get_by_test_id("open-answers").first).to_contain_text("Vaker korte voorbeelden.")
    assert_accessible(page, context="survey results")


def test_manager_sees_results_of_their_departments_only(signed_in, site, make_closed_survey, manager_a):
    survey = make_closed_survey()
    page = signed_in(manager_a)
    page.goto(f"{site}/")
    page.get_by_role("button", name="Evaluatie").click()
    page.get_by_role("link", name="Enquêteresultaten").click()
    assert_accessible(page, context="manager survey list")
    page.get_by_role("link", name=re.compile(f"Resultaten.*{survey.title}")).click()
    groups = page.get_by_test_id("groups")
    expect(groups.get_by_role("row", name=re.compile("Burgerzaken"))).to_contain_text("6")
    expect(groups.get_by_role("row", name=re.compile("Team Balie"))).to_contain_text("5")
    expect(groups.get_by_role("row", name=re.compile("Totaal"))).to_contain_text("11")
    expect(groups).not_to_contain_text("Werk en Inkomen")
    expect(page.get_by_text("Open antwoorden zijn alleen zichtbaar voor de functionarissen.").first).to_be_visible()
    expect(page.get_by_text("Geheime suggestie")).to_have_count(0)
    assert_accessible(page, context="manager survey results")


@pytest.fixture
def make_closed_survey(org, officer, department_a, team_a, department_b):
    from evaluation.models import Answer, Question, Response, Survey

    def make():
        survey = Survey.objects.create(
            organisation=org,
            title="Najaarspeiling",
            kind=Survey.Kind.STAFF_PULSE,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
            status=Survey.Status.CLOSED,
            created_by=officer,
        )
        likert = Question.objects.create(survey=survey, order=1, text="Ik vergrendel mijn scherm.", kind="likert")
        text = Question.objects.create(survey=survey, order=2, text="Tips?", kind="text", required=False)
        for department, count in ((department_a, 6), (team_a, 5), (department_b, 7)):
            for index in range(count):
                response = Response.objects.create(survey=survey, department=department, submitted_at=timezone.now())
                Answer.objects.create(response=response, question=likert, likert=1 + index % 5)
                Answer.objects.create(response=response, question=text, text="Geheime suggestie")
        return survey

    return make
