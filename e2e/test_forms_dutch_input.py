"""Forms as a Dutch reader fills them in: no answer chosen for them, an error that leads to its field, "1,5" is 1,5.

Staff give feedback (the only form of theirs with a required list of radio buttons); numbers are typed by an
ambassador (staff have no number field): the hours of an activity.
"""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import assert_accessible

PHONE = {"width": 390, "height": 844}


def test_staff_feedback_starts_with_no_category_and_its_error_leads_to_the_first_one(signed_in, site, staff_a, team_a):
    page = signed_in(staff_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/feedback/afdeling/{team_a.pk}/")
    categories = page.locator("input[name=category]")
    expect(categories.first).to_be_visible()
    # No empty "---------" answer, and none chosen for the user.
    expect(page.get_by_label("---------")).to_have_count(0)
    expect(page.locator("input[name=category][value='']")).to_have_count(0)
    expect(page.locator("input[name=category]:checked")).to_have_count(0)
    page.get_by_label("Uw feedback").fill("De printer op de tweede verdieping vraagt geen pincode.")
    page.get_by_role("button", name="Feedback versturen").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Categorie: Dit veld is verplicht.")
    expect(link).to_be_visible()
    expect(summary).not_to_contain_text("?:")
    expect(page.get_by_label("Uw feedback")).to_have_value("De printer op de tweede verdieping vraagt geen pincode.")
    assert_accessible(page, context="feedback form with a category error")
    link.click()
    expect(categories.first).to_be_focused()


def test_an_ambassador_types_hours_with_a_decimal_comma(signed_in, site, ambassador_a):
    from ambassadors.models import Activity

    page = signed_in(ambassador_a, viewport=PHONE)
    page.goto(f"{site}/ambassadeurs/activiteiten/nieuw/")
    hours = page.get_by_label("Uren")
    expect(hours).to_have_attribute("inputmode", "decimal")
    page.get_by_label("Soort").select_option(label="Vraag beantwoord")
    page.get_by_label("Notitie").fill("Vraag over thuisprinten")
    # An ambiguous number is refused with an example, and stays as typed.
    hours.fill("1,000.5")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("link", name="Uren: Voer een getal in zoals 1.234,5.")).to_be_visible()
    expect(page.get_by_label("Uren")).to_have_value("1,000.5")
    assert_accessible(page, context="activity form with an ambiguous number")

    page.get_by_label("Uren").fill("1,5")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("heading", name="Mijn activiteiten")).to_be_visible()
    expect(page.get_by_test_id("activity-totals")).to_contain_text("1,5")
    assert str(Activity.objects.get(user=ambassador_a).hours) in ("1.5", "1.50")
    assert_accessible(page, context="activity list after a decimal comma")
