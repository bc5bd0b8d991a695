"""Browser tests of corrections at phone width: a term ended with a reason, an activity corrected, a recognition
corrected and deleted after confirming, a changed answer, the activity form's topics of one year."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_officer_ends_a_term_and_corrects_an_activity_from_the_profile(
    signed_in, site, officer, ambassador_a, org, department_a
):
    from ambassadors.tests.factories import ActivityFactory

    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, hours=3, note="Voorlichting")
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/profiel/{ambassador_a.pk}/")
    page.get_by_role("link", name="Termijn beëindigen of verlengen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("beëindigen of verlengen")
    _fits(page)
    end = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Einde termijn").fill(end.isoformat())
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_text("Geef de reden voor de correctie.").first).to_be_visible()
    expect(page.get_by_label("Einde termijn")).to_have_value(end.isoformat())
    assert_accessible(page, context="term correction with error")
    page.get_by_label("Reden van de correctie").fill("Gaat per volgende maand met pensioen")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_text("De termijn is gecorrigeerd")).to_be_visible()
    expect(page.get_by_test_id("corrections")).to_contain_text("Gaat per volgende maand met pensioen")

    page.get_by_role("link", name="Corrigeren").first.click()
    page.get_by_label("Uren").fill("1.5")
    page.get_by_label("Reden van de correctie").fill("Dubbel geteld")
    _fits(page)
    assert_accessible(page, context="activity correction")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_text("De activiteit is gecorrigeerd")).to_be_visible()
    expect(page.get_by_test_id("corrections")).to_contain_text("Dubbel geteld")
    _fits(page)
    assert_accessible(page, context="profile with corrections")


def test_manager_corrects_and_deletes_their_recognition(signed_in, site, manager_a, ambassador_a):
    from ambassadors.tests.factories import RecognitionFactory

    RecognitionFactory(ambassador=ambassador_a, given_by=manager_a, title="Dank je wel")
    page = signed_in(manager_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/profiel/{ambassador_a.pk}/")
    page.get_by_test_id("recognitions").get_by_role("link", name="Corrigeren").click()
    page.get_by_label("Titel").fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_visible()
    page.get_by_label("Titel").fill("Dank voor de phishingweek")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("recognitions")).to_contain_text("Dank voor de phishingweek")
    page.get_by_test_id("recognitions").get_by_role("link", name="Verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dank voor de phishingweek")
    _fits(page)
    assert_accessible(page, context="recognition delete confirmation")
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.get_by_text("De erkenning is verwijderd.")).to_be_visible()
    expect(page.get_by_test_id("recognitions")).not_to_contain_text("Dank voor de phishingweek")


def test_ambassador_deletes_an_activity_after_confirming_and_sees_one_years_topics(
    signed_in, site, ambassador_a, org, department_a
):
    from ambassadors.tests.factories import ActivityFactory
    from programme.models import AnnualPlan, Topic

    year = timezone.localdate().year
    quarter = (timezone.localdate().month - 1) // 3 + 1
    for plan_year in (year, year - 1):
        plan = AnnualPlan.objects.create(organisation=org, year=plan_year, status=AnnualPlan.Status.PUBLISHED)
        Topic.objects.create(plan=plan, title="Phishing herkennen", quarter=quarter, status=Topic.Status.PUBLISHED)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, note="Te verwijderen")
    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/activiteiten/nieuw/")
    topic = page.get_by_label(f"Onderwerp uit het jaarplan {year}")
    expect(topic.locator("option", has_text="Phishing herkennen")).to_have_count(1)
    _fits(page)

    page.goto(f"{site}/ambassadeurs/activiteiten/")
    page.get_by_role("link", name="Verwijderen").first.click()
    expect(page.get_by_role("heading", name="Deze activiteit verwijderen?")).to_be_visible()
    _fits(page)
    assert_accessible(page, context="activity delete confirmation")
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.get_by_text("De activiteit is verwijderd.")).to_be_visible()
    expect(page.get_by_text("Te verwijderen")).to_have_count(0)


def test_officer_changes_an_answer_with_a_reason(signed_in, site, officer, org, department_a):
    from ambassadors.models import Feedback
    from ambassadors.tests.factories import FeedbackFactory

    feedback = FeedbackFactory(
        organisation=org,
        department=department_a,
        status=Feedback.Status.EXPLAINED,
        answer="Gebruik de blauwe container.",
        answered_at=timezone.now(),
    )
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/feedback/{feedback.pk}/")
    page.get_by_label("Antwoord", exact=True).fill("Gebruik de grijze container.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Geef de reden voor de correctie.").first).to_be_visible()
    expect(page.get_by_label("Antwoord", exact=True)).to_have_value("Gebruik de grijze container.")
    page.get_by_label("Reden van de wijziging van het antwoord").fill("Verkeerde kleur genoemd")
    page.get_by_role("button", name="Opslaan").click()
    page.goto(f"{site}/ambassadeurs/feedback/{feedback.pk}/")
    expect(page.get_by_test_id("corrections")).to_contain_text("Verkeerde kleur genoemd")
    expect(page.get_by_test_id("corrections")).to_contain_text("blauwe container")
    _fits(page)
    assert_accessible(page, context="feedback with an earlier answer")


def test_officer_calls_off_an_event_and_a_volunteer_withdraws(signed_in, site, officer, staff_a, org):
    from ambassadors.tests.factories import EventFactory, NominationFactory

    event = EventFactory(organisation=org, title="Ambassadeursoverleg")
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/bijeenkomsten/{event.pk}/")
    page.get_by_role("link", name="Afgelasten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ambassadeursoverleg")
    _fits(page)
    assert_accessible(page, context="event call-off confirmation")
    page.get_by_role("button", name="Bijeenkomst afgelasten").click()
    expect(page.get_by_text("De bijeenkomst is afgelast.")).to_be_visible()

    NominationFactory(organisation=org, nominee=staff_a, nominated_by=staff_a)
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/word-ambassadeur/")
    page.get_by_role("link", name="Intrekken").click()
    _fits(page)
    assert_accessible(page, context="nomination withdrawal")
    page.get_by_role("button", name="Intrekken").click()
    expect(page.get_by_text("De voordracht is ingetrokken.")).to_be_visible()
