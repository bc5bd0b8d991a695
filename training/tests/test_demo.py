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
