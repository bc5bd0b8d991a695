"""The certificate of participation through core.pdf: the name as written, tagged, Dutch, fonts, full metadata."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.tests.pdf_checks import assert_accessible
from training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_certificate_carries_every_name_and_its_metadata(client_as, ambassador_a, officer, past_session):
    ambassador_a.full_name = "Şahin Łukasz Wiśniewski"
    ambassador_a.save()
    module = past_session.module
    module.title = "Privacy in het Ĳsselmeer Müller Ørsted"
    module.save()
    org = module.organisation
    org.legal_name = "Gemeente Ĳsselstein"
    org.save()
    enrolment = EnrolmentFactory(session=past_session, user=ambassador_a, attended=True)

    response = client_as(ambassador_a).get(reverse("training:certificate", args=[enrolment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    facts = assert_accessible(response.content, title="Certificaat van deelname")
    assert facts.pages == 1
    assert facts.author == "Gemeente Ĳsselstein"
    assert (
        facts.subject
        == "Şahin Łukasz Wiśniewski heeft deelgenomen aan de training Privacy in het Ĳsselmeer Müller Ørsted"
    )
    assert facts.creator == "Ambassadeursprogramma"
    day = date_format(timezone.localtime(past_session.starts_at).date(), "j F Y")
    assert f"op {day}, gegeven door {past_session.trainer_name}" in " ".join(facts.text.split())
