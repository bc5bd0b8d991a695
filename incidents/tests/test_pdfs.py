"""The data-leak PDFs (AP notification, register report) through core.pdf: every name intact, tagged, Dutch."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.pdf_checks import NAMES, assert_accessible
from incidents import services
from incidents.tests.factories import DataLeakFactory


@pytest.fixture
def named_leak(org, team_a, privacy_officer):
    """A report whose reporter, department and free texts carry names a base-14 font cannot print."""
    from accounts.tests.factories import UserFactory

    org.legal_name = "Gemeente Ĳsselstein"
    org.save()
    team_a.name = "Team Ĳsselmeer Ørsted"
    team_a.save()
    reporter = UserFactory(organisation=org, department=team_a, full_name="Şahin Łukasz Wiśniewski")
    leak = DataLeakFactory(
        reported_by=reporter,
        department=team_a,
        assignee=privacy_officer,
        description=f"Brief over {NAMES} naar het verkeerde adres gestuurd.",
        measures_taken=f"{NAMES} gebeld.",
        ap_decision="notify",
        ap_decision_reason=f"Risico voor {NAMES}.",
    )
    services.dataleak_record_ap_notification(
        leak=leak,
        actor=privacy_officer,
        kind="initial",
        notified_at=leak.aware_at + datetime.timedelta(hours=1),
        ap_reference="AP-Ø1",
    )
    leak.refresh_from_db()
    return leak


def test_the_ap_notification_pdf_is_the_page_with_every_name(client_as, privacy_officer, named_leak):
    response = client_as(privacy_officer).get(reverse("incidents:ap_notification_pdf", args=[named_leak.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    facts = assert_accessible(response.content, title=f"Melding aan de AP voor {named_leak.reference}")
    assert facts.author == "Gemeente Ĳsselstein"
    # The page's chapters, numbers and answer states, in Dutch.
    for text in ("1.1", "10.5", "Samenvatting van wat er is gebeurd", "ingevuld"):
        assert text in facts.text, text
    assert "Vastleggen" not in facts.text  # the page's form is not printed


def test_the_register_report_is_the_register_page_with_every_name(client_as, privacy_officer, named_leak):
    year = timezone.localtime(named_leak.created_at).year
    response = client_as(privacy_officer).get(reverse("incidents:register_report"), {"jaar": year})
    assert response.status_code == 200
    facts = assert_accessible(response.content, title=f"Datalekkenregister {year}")
    text = " ".join(facts.text.split())
    assert named_leak.reference in text and "AP-Ø1" in text
    # One leak: a Dutch singular; the counts per type as on the page, never "(notified: 1)".
    assert "1 datalek, 1 gemeld bij de AP, waarvan 0 later dan 72 uur." in text
    assert "notified" not in text
    assert "Per soort" in text and "Per afdeling" in text
