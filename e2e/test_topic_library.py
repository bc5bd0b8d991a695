"""Browser test of the topic library: the CISO of one municipality publishes a topic, the CISO of another on the same
installation follows, adopts it on a phone, and later takes over a newer version with one click."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.test_department_programme import assert_accessible_22, assert_fits


@pytest.fixture
def publisher_topic(other_org):
    from programme.models import AnnualPlan, Topic

    plan = AnnualPlan.objects.create(organisation=other_org, year=timezone.localdate().year, status="published")
    return Topic.objects.create(
        plan=plan,
        title="Maand van de cybersecurity",
        key_message="Gebruik een wachtwoordzin.",
        target_audience="Alle medewerkers",
        channels=["newsletter"],
        month=10,
        status="published",
    )


@pytest.fixture
def publisher_ciso(other_org):
    from accounts.tests.factories import OfficerFactory, UserFactory

    user = UserFactory(organisation=other_org, full_name="Eva Smit", email="ciso@naburig.test")
    OfficerFactory(user=user, kind="ciso")
    return user


def test_one_municipality_publishes_another_adopts_on_a_phone(
    signed_in, site, publisher_topic, publisher_ciso, officer
):
    page = signed_in(publisher_ciso, viewport=PHONE)
    page.goto(f"{site}/programma/onderwerpen/{publisher_topic.pk}/")
    page.get_by_role("button", name="Publiceren in de onderwerpenbibliotheek").click()
    expect(page.get_by_text("Het onderwerp is gepubliceerd in de onderwerpenbibliotheek.")).to_be_visible()
    expect(page.get_by_test_id("topic-library")).to_contain_text("versie 1")
    assert_fits(page)
    assert_accessible_22(page, context="topic page of the publisher on a phone")
    page.close()

    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/programma/bibliotheek/")
    expect(page.get_by_role("heading", name="Onderwerpenbibliotheek", level=1)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Volgen\W+Gemeente Naburig")).click()
    expect(page.get_by_text("U volgt nu de publicaties van Gemeente Naburig.")).to_be_visible()
    assert_fits(page)
    assert_accessible_22(page, context="topic library on a phone")
    page.get_by_role("link", name="Maand van de cybersecurity").click()
    expect(page.get_by_test_id("publisher")).to_contain_text("Gepubliceerd door Gemeente Naburig")
    assert_fits(page)
    assert_accessible_22(page, context="publication on a phone")
    page.get_by_role("button", name="Overnemen in mijn jaarplan").click()
    expect(page.get_by_text("Het onderwerp is als concept overgenomen")).to_be_visible()
    expect(page.get_by_test_id("topic-source")).to_contain_text(
        "Overgenomen uit de onderwerpenbibliotheek van Gemeente Naburig"
    )
    assert_fits(page)
    assert_accessible_22(page, context="adopted topic on a phone")

    # The publisher changes the topic and publishes the change: offered to the subscriber, not imposed.
    from programme.library import services

    publisher_topic.key_message = "Zet tweestapsverificatie aan."
    publisher_topic.save()
    services.publish(topic=publisher_topic)
    page.reload()
    expect(page.get_by_test_id("topic-source")).to_contain_text("Nieuwere versie beschikbaar")
    expect(page.get_by_test_id("topic-source")).to_contain_text("kernboodschap")
    expect(page.get_by_text("Gebruik een wachtwoordzin.")).to_be_visible()
    assert_accessible_22(page, context="adopted topic with a newer version on a phone")
    page.get_by_role("button", name="Nieuwere versie overnemen").click()
    expect(page.get_by_text("De nieuwere versie van de bron is overgenomen.")).to_be_visible()
    expect(page.get_by_text("Zet tweestapsverificatie aan.")).to_be_visible()
    assert_fits(page)
