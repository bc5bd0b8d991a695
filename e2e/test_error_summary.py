"""A form sent empty on a phone: the error summary takes the focus, and its links take the user to each field."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import assert_accessible

SMALL_PHONE = {"width": 360, "height": 740}


def test_an_empty_activity_opens_with_a_focused_summary_whose_links_reach_the_fields(signed_in, site, ambassador_a):
    page = signed_in(ambassador_a, viewport=SMALL_PHONE)
    page.goto(site + "/ambassadeurs/activiteiten/nieuw/")
    kind = page.get_by_label("Soort")
    # The required type starts on the prompt, not on a pre-selected answer.
    expect(kind.locator("option").first).to_have_text("— Maak een keuze —")
    expect(kind).to_have_value("")
    page.get_by_label("Uren").fill("")
    page.get_by_label("Notitie").fill("Gesprek bij de balie")
    page.get_by_role("button", name="Opslaan", exact=True).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Er ging iets mis")
    expect(summary.get_by_role("link", name="Soort: Dit veld is verplicht.")).to_be_visible()
    # What was typed is still there.
    expect(page.get_by_label("Notitie")).to_have_value("Gesprek bij de balie")
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    assert_accessible(page, context="activity form with errors")

    summary.get_by_role("link", name="Uren: Dit veld is verplicht.").click()
    expect(page.get_by_label("Uren")).to_be_focused()
    summary.get_by_role("link", name="Soort: Dit veld is verplicht.").click()
    expect(kind).to_be_focused()
