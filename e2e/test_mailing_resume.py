"""The officer sees that a mailing stalled (its worker died) and resumes it; nobody gets it twice."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from e2e.conftest import PHONE, assert_accessible
from programme.models import MailingRecipient, QuarterlyMailing


def test_officer_resumes_a_stalled_mailing(signed_in, site, officer, department_a, mailoutbox):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    mailing = QuarterlyMailing.objects.create(
        organisation=officer.organisation,
        year=2026,
        quarter=2,
        subject="Onderwerpen Q2",
        body="Beste collega,",
        started_at=long_ago,
    )
    people = [UserFactory(organisation=officer.organisation, department=department_a) for _ in range(5)]
    for index, user in enumerate(people):
        MailingRecipient.objects.create(
            mailing=mailing,
            user=user,
            status="sent" if index < 2 else "sending",
            claim="" if index < 2 else "dead-worker",
            claimed_at=long_ago,
            sent_at=long_ago if index < 2 else None,
        )
    page = signed_in(officer, viewport=PHONE)
    page.goto(f"{site}/programma/communicatie/{mailing.year}/kwartaal/{mailing.quarter}/voorbeeld/")
    expect(page.get_by_test_id("mailing-stalled")).to_contain_text("De verzending staat stil: 3 exemplaren")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="stalled mailing")

    page.get_by_role("button", name="Verzending hervatten").click()
    expect(page.get_by_text("Verzending hervat: er zijn nog 3 exemplaren te versturen")).to_be_visible()
    expect(page.get_by_test_id("mailing-stalled")).to_have_count(0)
    expect(page.get_by_test_id("mailing-progress").locator("tbody td").first).to_have_text("5")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in people[2:])
    assert_accessible(page, context="mailing resumed")
