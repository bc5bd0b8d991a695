"""Browser tests of the lists people work in, at phone width: search, sort by a column header, 'mine', my feedback."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible, sort_by


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_officer_searches_sorts_and_narrows_the_feedback(signed_in, site, officer, org, department_a, department_b):
    from ambassadors.models import Feedback
    from ambassadors.tests.factories import FeedbackFactory

    FeedbackFactory(organisation=org, department=department_a, message="De printer bij de balie staat open")
    FeedbackFactory(organisation=org, department=department_b, message="Wachtwoordbeleid is onwerkbaar")
    FeedbackFactory(
        organisation=org,
        department=department_b,
        message="Vraag over USB-sticks",
        status=Feedback.Status.EXPLAINED,
        answer="Gebruik versleutelde sticks.",
        answered_by=officer,
        answered_at=timezone.now(),
    )
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/feedback/")
    page.get_by_label("Zoeken").fill("printer")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("1 feedbackitem", exact=False)).to_be_visible()
    expect(page.get_by_text("De printer bij de balie staat open")).to_be_visible()
    expect(page.get_by_text("Wachtwoordbeleid")).to_have_count(0)
    assert "q=printer" in page.url  # bookmarkable
    _fits(page)
    assert_accessible(page, context="feedback list searched")

    page.goto(f"{site}/ambassadeurs/feedback/")
    header = page.get_by_role("columnheader", name="Afdeling")
    expect(header).to_have_attribute("aria-sort", "none")
    sort_by(page, "Afdeling")
    expect(page.get_by_role("columnheader", name="Afdeling")).to_have_attribute("aria-sort", "ascending")
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("Burgerzaken")
    sort_by(page, "Afdeling")
    expect(page.get_by_role("columnheader", name="Afdeling")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("tbody tr").first).to_contain_text("Werk en Inkomen")
    # The filter keeps the sort; "mine" leaves what this officer answered.
    page.get_by_label("Door mij beantwoord of vastgelegd").check()
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("Vraag over USB-sticks")
    assert "sort=-afdeling" in page.url and "mine=on" in page.url
    _fits(page)
    assert_accessible(page, context="feedback list sorted, mine")


def test_ambassador_searches_their_activities_on_a_phone(signed_in, site, ambassador_a, org, department_a):
    from ambassadors.tests.factories import ActivityFactory

    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, note="Clean-desk-ronde", hours=2)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, note="Phishingquiz", hours=1)
    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/activiteiten/")
    page.get_by_label("Zoeken").fill("quiz")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("cell", name="Phishingquiz")).to_be_visible()
    expect(page.get_by_role("cell", name="Clean-desk-ronde")).to_have_count(0)
    page.goto(f"{site}/ambassadeurs/activiteiten/?sort=uren")
    expect(page.get_by_role("columnheader", name="Uren")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("tbody tr").first).to_contain_text("Phishingquiz")
    _fits(page)
    assert_accessible(page, context="activity list sorted")


def test_officer_finds_a_nomination_and_a_person(signed_in, site, officer, org, staff_a, staff_b):
    from ambassadors.tests.factories import NominationFactory

    NominationFactory(organisation=org, nominee=staff_a, nominated_by=staff_a)
    NominationFactory(organisation=org, nominee=staff_b, nominated_by=staff_b)
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/voordrachten/")
    page.get_by_label("Zoeken").fill("Tom")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("link", name=staff_b.full_name)).to_be_visible()
    expect(page.get_by_role("link", name=staff_a.full_name)).to_have_count(0)
    _fits(page)
    assert_accessible(page, context="nomination list searched")

    page.goto(f"{site}/mensen/medewerkers/")
    sort_by(page, "Naam")
    expect(page.get_by_role("columnheader", name="Naam")).to_have_attribute("aria-sort", "descending")
    page.get_by_label("Zoeken").fill("medewerker")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("tbody tr").first).to_contain_text("Tom Medewerker")
    assert "sort=-naam" in page.url
    _fits(page)
    assert_accessible(page, context="people list")


def test_an_employee_reads_the_answer_to_their_feedback(signed_in, site, staff_a, staff_b, org, department_a):
    from ambassadors.models import Feedback
    from ambassadors.tests.factories import FeedbackFactory

    FeedbackFactory(
        organisation=org,
        department=department_a,
        author=staff_a,
        message="De kluis bij de balie klemt",
        status=Feedback.Status.PROCEDURE_CHANGED,
        answer="De sleutel ligt voortaan bij de teamleider.",
        answered_at=timezone.now(),
    )
    FeedbackFactory(organisation=org, department=department_a, author=staff_b, message="Feedback van Tom")
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/")
    page.get_by_role("link", name="Mijn feedback en de antwoorden").click()
    expect(page.get_by_role("heading", name="Mijn feedback", level=1)).to_be_visible()
    expect(page.get_by_text("De sleutel ligt voortaan bij de teamleider.")).to_be_visible()
    expect(page.get_by_text("Feedback van Tom")).to_have_count(0)
    _fits(page)
    assert_accessible(page, context="my feedback")


def test_nothing_of_someone_else_shows_on_my_feedback(signed_in, site, staff_b, staff_a, org, department_a):
    from ambassadors.tests.factories import FeedbackFactory

    FeedbackFactory(organisation=org, department=department_a, author=staff_a, message="Van Anna")
    page = signed_in(staff_b, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/feedback/mijn/")
    expect(page.get_by_text("U hebt nog geen feedback op naam gegeven.")).to_be_visible()
    expect(page.get_by_text("Van Anna")).to_have_count(0)
    assert re.search(r"/feedback/mijn/$", page.url)
