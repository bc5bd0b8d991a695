"""In the browser: an ambassador sees their level and the rules; the officer sees the suggestion to recognise."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible


def test_an_ambassador_sees_their_level_and_the_rules(signed_in, site, org, ambassador_a, officer):
    from ambassadors.models import Activity
    from ambassadors.tests.factories import ActivityFactory

    for _i in range(4):
        ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK, hours=Decimal("1"))

    page = signed_in(ambassador_a)
    page.goto(site + reverse("ambassadors:profile", args=[ambassador_a.pk]))
    expect(page.get_by_test_id("level")).to_contain_text("Actief")  # 4 talks of an hour: 60 points
    expect(page.get_by_test_id("level")).to_contain_text("60 punten")
    page.get_by_role("link", name="Zo werken punten en niveaus").click()
    expect(page.get_by_test_id("points-rules")).to_contain_text("Eigen leren")
    expect(page.get_by_test_id("level-rules")).to_contain_text("Kartrekker")
    expect(page.get_by_test_id("level")).to_contain_text("Nog 90 punten tot Gevorderd")
    assert_accessible(page, context="points and levels")
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="points and levels on a phone")


def test_the_officer_changes_the_rules_and_acts_on_a_suggestion(browser, site, org, ambassador_a, officer):
    from django.conf import settings
    from django.test import Client

    from ambassadors.models import Activity, Recognition
    from ambassadors.tests.factories import ActivityFactory
    from conftest import _mfa_session

    for _i in range(4):
        ActivityFactory(organisation=org, user=ambassador_a, kind=Activity.Kind.TALK, hours=Decimal("1"))
    client = Client()
    _mfa_session(client, officer)
    context = browser.new_context(locale="nl-NL", viewport=PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    page = context.new_page()
    page.goto(site + reverse("ambassadors:levels_settings"))
    assert_accessible(page, context="levels settings")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Regels opslaan").click()
    expect(page.get_by_test_id("level-rules")).to_contain_text("Actief")

    page.goto(site + reverse("ambassadors:ambassador_list"))
    assert_accessible(page, context="ambassador list with levels")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("suggest-recognition").click()
    page.get_by_role("button", name="Vastleggen").click()
    assert Recognition.objects.get().level_points == 50
    page.goto(site + reverse("ambassadors:ambassador_list"))
    expect(page.get_by_test_id("suggest-recognition")).to_have_count(0)
    context.close()
