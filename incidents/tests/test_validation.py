"""The date rules of a data leak, each with its Dutch message."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from incidents import validation
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leak(team_a):
    now = timezone.now()
    return DataLeakFactory(
        department=team_a,
        occurred_at=now - datetime.timedelta(hours=10),
        discovered_at=now - datetime.timedelta(hours=8),
    )


def _message(call, *args, **kwargs) -> str:
    with translation.override("nl"), pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.messages[0]


def test_an_ap_notification_before_awareness_is_refused(leak):
    message = _message(validation.check_ap_notified_at, leak, leak.aware_at - datetime.timedelta(minutes=1))
    assert message.startswith("De melding aan de AP kan niet liggen vóór het moment waarop de organisatie")


def test_an_ap_notification_in_the_future_is_refused(leak):
    message = _message(validation.check_ap_notified_at, leak, timezone.now() + datetime.timedelta(days=1))
    assert message == "De melding kan niet in de toekomst liggen."


def test_an_ap_notification_between_awareness_and_now_is_accepted(leak):
    validation.check_ap_notified_at(leak, leak.aware_at)
    validation.check_ap_notified_at(leak, timezone.now())
    # A browser clock a few minutes ahead is not an error.
    validation.check_ap_notified_at(leak, timezone.now() + datetime.timedelta(minutes=3))


def test_an_end_before_the_start_is_refused(leak):
    message = _message(validation.check_breach_end, leak, leak.occurred_at - datetime.timedelta(hours=1))
    assert message == "Het datalek kan niet geëindigd zijn voordat het begon."
    assert _message(validation.check_breach_end, leak, timezone.now() + datetime.timedelta(hours=1)) == (
        "Het einde van het datalek kan niet in de toekomst liggen."
    )
    validation.check_breach_end(leak, leak.occurred_at)
    validation.check_breach_end(leak, None)


def test_a_discovery_before_the_breach_is_refused():
    now = timezone.now()
    message = _message(validation.check_discovery, now, now - datetime.timedelta(hours=1))
    assert message == "De ontdekking kan niet vóór het moment liggen waarop het gebeurde."


def test_awareness_later_than_the_discovery_needs_a_reason(leak):
    later = leak.discovered_at + datetime.timedelta(hours=1)
    assert _message(validation.check_aware_at, leak, later) == (
        "Het moment van kennisname ligt na de ontdekking: leg de reden vast."
    )
    validation.check_aware_at(leak, later, "Pas na onderzoek bleek het om persoonsgegevens te gaan.")
    validation.check_aware_at(leak, leak.discovered_at)


def test_awareness_before_the_breach_or_in_the_future_is_refused(leak):
    assert _message(validation.check_aware_at, leak, leak.occurred_at - datetime.timedelta(minutes=1)) == (
        "De organisatie kan niet op de hoogte zijn geraakt voordat het datalek gebeurde."
    )
    assert _message(validation.check_aware_at, leak, timezone.now() + datetime.timedelta(hours=1), "reden") == (
        "Het moment van kennisname kan niet in de toekomst liggen."
    )


def test_a_follow_up_before_the_first_notification_is_refused(leak):
    first = timezone.now() - datetime.timedelta(hours=2)
    assert _message(validation.check_follow_up_after_initial, first, first - datetime.timedelta(minutes=1)) == (
        "Een vervolgmelding of intrekking kan niet vóór de eerste melding liggen."
    )
    validation.check_follow_up_after_initial(first, first)


def test_informing_the_data_subjects_before_the_breach_or_in_the_future_is_refused(leak):
    occurred = timezone.localtime(leak.occurred_at).date()
    assert _message(validation.check_subjects_informed_on, leak, occurred - datetime.timedelta(days=1)) == (
        "De betrokkenen kunnen niet geïnformeerd zijn voordat het datalek gebeurde."
    )
    assert _message(validation.check_subjects_informed_on, leak, timezone.localdate() + datetime.timedelta(days=1)) == (
        "Deze datum ligt in de toekomst."
    )
    validation.check_subjects_informed_on(leak, timezone.localdate())


def test_a_letter_sent_before_the_breach_is_refused(leak):
    occurred = timezone.localtime(leak.occurred_at).date()
    assert _message(validation.check_letter_sent_on, leak, occurred - datetime.timedelta(days=1)) == (
        "De brief kan niet verstuurd zijn voordat het datalek gebeurde."
    )
