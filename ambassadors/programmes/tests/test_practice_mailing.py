"""The officer features a good practice in the quarter's mailing text; the mailing preview shows it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors.programmes.models import GoodPractice
from programme.models import QuarterlyMailing

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(org, ambassador_a):
    return GoodPractice.objects.create(
        organisation=org,
        author=ambassador_a,
        title="Phishingquiz in het teamoverleg",
        kind="talk",
        what="Vijf echte phishingmails op het scherm.",
        audience="Team Balie",
        what_worked="Samen stemmen: echt of nep?",
        effort="Tien minuten",
    )


def test_the_officer_features_a_practice_in_this_quarters_mailing(client_as, officer, practice, org):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    url = reverse("department_programmes:practice_mailing", args=[practice.pk])
    response = client_as(officer).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:mailing_edit", args=[today.year, quarter])
    mailing = QuarterlyMailing.objects.get(organisation=org, year=today.year, quarter=quarter)
    assert "Goed voorbeeld: Phishingquiz in het teamoverleg" in mailing.body
    assert "Wat werkte: Samen stemmen: echt of nep?" in mailing.body
    practice.refresh_from_db()
    assert practice.featured
    client_as(officer).post(url)  # twice: the story is in the text once
    assert QuarterlyMailing.objects.get(pk=mailing.pk).body.count("Phishingquiz") == 1
    from programme.services import mailing_render

    _subject, text, html = mailing_render(
        mailing=QuarterlyMailing.objects.get(pk=mailing.pk), department=None, language="nl"
    )
    assert "Goed voorbeeld: Phishingquiz in het teamoverleg" in text and "Phishingquiz in het teamoverleg" in html


def test_an_existing_introduction_keeps_its_text_and_a_started_mailing_is_not_changed(
    client_as, officer, practice, org
):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    mailing = QuarterlyMailing.objects.create(
        organisation=org, year=today.year, quarter=quarter, subject="K", body="Hallo"
    )
    url = reverse("department_programmes:practice_mailing", args=[practice.pk])
    client_as(officer).post(url)
    mailing.refresh_from_db()
    assert mailing.body.startswith("Hallo\n\nGoed voorbeeld:")
    QuarterlyMailing.objects.filter(pk=mailing.pk).update(body="Verzonden", started_at=timezone.now())
    response = client_as(officer).post(url)
    assert response.status_code == 302 and QuarterlyMailing.objects.get(pk=mailing.pk).body == "Verzonden"


def test_only_officers_of_the_organisation_feature_in_the_mailing(client_as, ambassador_a, manager_a, practice):
    url = reverse("department_programmes:practice_mailing", args=[practice.pk])
    assert client_as(None).post(url).status_code in (302, 403)
    assert client_as(ambassador_a).post(url).status_code == 403
    assert client_as(manager_a).post(url).status_code in (403, 404)
    assert not QuarterlyMailing.objects.exists()
