from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Organisation
from training.demo import seed_demo
from training.models import Enrolment, Module, TrainingSession
from training.selectors import ambassador_progress

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_gives_the_ambassadors_progress(
    org, officer, privacy_officer, ambassador_a, staff_b, manager_a
):
    people = {
        "ciso": officer,
        "privacy_officer": privacy_officer,
        "iso": officer,
        "ambassador": ambassador_a,
        "ambassador_wi": None,
        "staff": staff_b,
        "manager": manager_a,
        "departments": {},
    }
    today = timezone.localdate()
    for _run in range(2):
        seed_demo(sender=Organisation, organisation=org, people=people, today=today)
    assert Module.objects.filter(organisation=org, year=today.year).count() == 4
    assert TrainingSession.objects.count() == 6
    assert Enrolment.objects.filter(user=ambassador_a, attended=True).count() == 2
    me = ambassador_progress(organisation_id=org.pk, year=today.year).get(pk=ambassador_a.pk)
    assert (me.completed, me.total) == (2, 2)


def test_demo_leaves_an_organisation_without_ambassadors_alone(other_org, outsider):
    seed_demo(sender=Organisation, organisation=other_org, people={"ciso": outsider}, today=timezone.localdate())
    assert not Module.objects.exists()


@pytest.mark.parametrize("weekday", range(7))
def test_demo_sessions_and_the_ambassador_meeting_fall_on_working_days(
    org, officer, privacy_officer, ambassador_a, staff_b, manager_a, weekday
):
    """Whatever day the demo is loaded on (its dates count from that day), nothing falls in a weekend."""
    import datetime

    from ambassadors.demo import _event
    from ambassadors.models import Event

    today = timezone.localdate()
    today += datetime.timedelta(days=(weekday - today.weekday()) % 7)
    people = {
        "ciso": officer,
        "privacy_officer": privacy_officer,
        "iso": officer,
        "ambassador": ambassador_a,
        "ambassador_wi": None,
        "staff": staff_b,
        "manager": manager_a,
        "departments": {},
    }
    seed_demo(sender=Organisation, organisation=org, people=people, today=today)
    _event(org, people, officer, today)
    moments = [s.starts_at for s in TrainingSession.objects.all()] + [e.starts_at for e in Event.objects.all()]
    assert len(moments) == 7
    assert [m for m in moments if timezone.localtime(m).weekday() >= 5] == []
    # The past stays past and the future future.
    assert TrainingSession.objects.filter(starts_at__lt=timezone.now()).count() == 2
