"""In the browser: an officer marks a follow-up of a baseline survey and compares the two."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible


def _survey(org, officer, title, deadline):
    from evaluation.surveys.models import Question, Survey

    survey = Survey.objects.create(
        organisation=org, title=title, deadline=deadline, status="closed", created_by=officer
    )
    Question.objects.create(survey=survey, order=1, text="Ik herken phishing.", kind="likert")
    Question.objects.create(
        survey=survey, order=2, text="Hoe deelt u documenten?", kind="choice", options=["Downloadlink", "Bijlage"]
    )
    return survey


def _answer(survey, department, count, likert, choice):
    from evaluation.surveys.models import Answer, Response

    questions = list(survey.questions.all())
    for _i in range(count):
        response = Response.objects.create(survey=survey, department=department, submitted_at=timezone.now())
        Answer.objects.create(response=response, question=questions[0], likert=likert)
        Answer.objects.create(response=response, question=questions[1], choice=choice)


def test_officer_compares_a_baseline_and_a_follow_up(signed_in, site, officer, org, department_a, department_b):
    today = timezone.localdate()
    baseline = _survey(org, officer, "Nulmeting phishing", today - datetime.timedelta(days=120))
    follow_up = _survey(org, officer, "Vervolgmeting phishing", today - datetime.timedelta(days=1))
    _answer(baseline, department_a, 6, 2, "Bijlage")
    _answer(baseline, department_b, 5, 3, "Bijlage")
    _answer(follow_up, department_a, 6, 5, "Downloadlink")
    _answer(follow_up, department_b, 5, 3, "Bijlage")

    page = signed_in(officer)
    page.goto(site + reverse("evaluation:survey_measurement", args=[baseline.pk]))
    page.get_by_label("Nulmeting (0-meting)").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("bewustwordingscampagne")
    page.get_by_label("Bewustwordingscampagne").fill("Phishing 2026")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("survey-measurement")).to_contain_text("Phishing 2026")

    page.goto(site + reverse("evaluation:survey_measurement", args=[follow_up.pk]))
    page.get_by_label("Vervolgmeting (1-meting)").check()
    page.get_by_label("Nulmeting", exact=True).select_option(label="Nulmeting phishing")
    assert_accessible(page, context="measurement form")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Vergelijken met de nulmeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nulmeting en vervolgmeting: Phishing 2026")
    expect(page.get_by_test_id("method")).to_contain_text("Welch")
    first = page.get_by_test_id("compare-table").first
    expect(first.locator(f"tr[data-group='{department_a.pk}']")).to_contain_text("+3")
    expect(first.locator(f"tr[data-group='{department_a.pk}'] [data-testid='significance']")).to_contain_text("Ja")
    expect(first.locator(f"tr[data-group='{department_b.pk}'] [data-testid='significance']")).to_contain_text("Nee")
    assert_accessible(page, context="survey comparison")

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="survey comparison on a phone")
