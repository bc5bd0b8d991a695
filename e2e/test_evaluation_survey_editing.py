"""Browser tests at phone width: an officer corrects and deletes a draft survey, finds surveys by search and sort,
meets the lock on an open survey; a director reads the overview of their departments."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible, sort_by


def _no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _survey(org, officer, title, *, status="draft", deadline_days=14):
    from evaluation.models import Question, Survey

    survey = Survey.objects.create(
        organisation=org,
        title=title,
        created_by=officer,
        status=status,
        deadline=timezone.localdate() + datetime.timedelta(days=deadline_days),
    )
    Question.objects.create(survey=survey, order=1, text="Ik herken phishing.", kind=Question.Kind.LIKERT)
    Question.objects.create(
        survey=survey, order=2, text="Hoe deelt u documenten?", kind="choice", options=["Downloadlink", "Bijlage"]
    )
    return survey


def test_officer_corrects_and_deletes_a_draft_and_finds_surveys_on_a_phone(signed_in, site, org, officer):
    from evaluation.models import Survey

    draft = _survey(org, officer, "Peiling najaar", deadline_days=30)
    opened = _survey(org, officer, "Peiling voorjaar", status="open", deadline_days=7)
    _survey(org, officer, "Ambassadeursevaluatie", deadline_days=60)
    page = signed_in(officer, viewport=PHONE)

    # The list: search by title and sort by a column, both kept in the address.
    page.goto(site + reverse("evaluation:survey_list"))
    page.get_by_role("searchbox", name="Zoeken op titel").fill("peiling")
    page.get_by_role("button", name="Zoeken").click()
    rows = page.get_by_test_id("survey-rows").locator("tr")
    expect(rows).to_have_count(2)
    sort_by(page, "Sluitingsdatum")
    expect(page).to_have_url(re.compile(r"q=peiling.*sort=deadline|sort=deadline.*q=peiling"))
    expect(rows.first).to_contain_text("Peiling voorjaar")
    sort_by(page, "Sluitingsdatum")
    expect(rows.first).to_contain_text("Peiling najaar")
    _no_sideways_scrolling(page)
    assert_accessible(page, context="survey list, searched and sorted")

    # A draft's question is corrected; a bad answer keeps what was typed.
    page.goto(site + reverse("evaluation:survey_detail", args=[draft.pk]))
    page.get_by_role("link", name="Wijzigen: Hoe deelt u documenten?").click()
    page.get_by_role("textbox", name=re.compile(r"^Vraag")).fill("Hoe deelt u bestanden met externen?")
    page.get_by_label("Antwoordmogelijkheden").fill("Alleen een link")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("textbox", name=re.compile(r"^Vraag"))).to_have_value("Hoe deelt u bestanden met externen?")
    expect(page.locator(".invalid-feedback, .is-invalid").first).to_be_visible()
    _no_sideways_scrolling(page)
    assert_accessible(page, context="question form with error")
    page.get_by_label("Antwoordmogelijkheden").fill("Beveiligde link\nBijlage")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De vraag is opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("question-list")).to_contain_text("Hoe deelt u bestanden met externen?")

    # Deleting asks first.
    page.get_by_role("link", name="Enquête verwijderen").click()
    expect(page.get_by_test_id("delete-warning")).to_contain_text("Peiling najaar")
    _no_sideways_scrolling(page)
    assert_accessible(page, context="delete confirmation")
    page.get_by_role("button", name="Ja, verwijder de enquête").click()
    expect(page.get_by_text("De enquête “Peiling najaar” is verwijderd.")).to_be_visible()
    assert not Survey.objects.filter(pk=draft.pk).exists()

    # An open survey is locked.
    page.goto(site + reverse("evaluation:survey_detail", args=[opened.pk]))
    expect(page.get_by_test_id("questions-locked")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Wijzigen:"))).to_have_count(0)
    expect(page.get_by_role("link", name="Enquête verwijderen")).to_have_count(0)
    page.goto(site + reverse("evaluation:question_edit", args=[opened.pk, opened.questions.first().pk]))
    expect(page.get_by_text("Deze enquête is geopend")).to_be_visible()
    _no_sideways_scrolling(page)


def test_a_director_reads_the_overview_of_their_departments_on_a_phone(
    signed_in, site, dashboard_data, department_b, manager_a
):
    page = signed_in(manager_a, viewport=PHONE)
    page.goto(site + "/")
    page.get_by_role("link", name="overzicht per afdeling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht per afdeling: Burgerzaken")
    table = page.get_by_test_id("director-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Team Balie")
    expect(table).not_to_contain_text("Werk en Inkomen")
    _no_sideways_scrolling(page)
    assert_accessible(page, context="director overview on a phone")
    table.get_by_role("link", name="Team Balie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard Team Balie")
    response = page.goto(site + reverse("evaluation:director_dashboard", args=[department_b.pk]))
    assert response.status == 404


def test_an_officer_reads_the_yearly_report_on_a_phone(signed_in, site, dashboard_data, officer):
    year = timezone.localdate().year
    page = signed_in(officer, viewport=PHONE)
    page.goto(site + reverse("evaluation:year_report", args=[year]))
    expect(page.get_by_test_id("report-kpis")).to_contain_text("Uren besteed")
    expect(page.get_by_test_id("report-activities")).to_be_visible()
    expect(page.get_by_test_id("feedback-changes")).to_contain_text("Verzenden van besluiten")
    expect(page.get_by_test_id("report-proposals")).to_be_visible()
    _no_sideways_scrolling(page)
    assert_accessible(page, context="yearly report on a phone")
