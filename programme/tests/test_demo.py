from __future__ import annotations

import random

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from programme.demo import seed_demo
from programme.models import AnnualPlan, BudgetLine, Goal, HoursConfirmation, Kpi, Message, QuarterlyMailing, Topic

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_and_idempotent():
    organisation, people = accounts_demo._seed_organisation(
        "Gemeente Voorbeeld",
        "voorbeeld",
        accounts_demo.VOORBEELD_TREE,
        accounts_demo.VOORBEELD_PEOPLE,
        extra_people=0,
        rng=random.Random(1),
    )
    today = timezone.localdate()
    for _run in range(2):
        seed_demo(sender=None, organisation=organisation, people=people, today=today)

    this_year = AnnualPlan.objects.get(organisation=organisation, year=today.year)
    assert this_year.status == "published"
    assert AnnualPlan.objects.filter(organisation=organisation, year=today.year - 1).exists()
    quarters = {topic.period_quarter for topic in Topic.objects.filter(plan=this_year)}
    assert quarters == {1, 2, 3, 4}
    assert Topic.objects.filter(plan=this_year).count() == 9  # not doubled by the second run
    assert Goal.objects.filter(organisation=organisation).count() == 2 and Kpi.objects.count() == 5
    assert Message.objects.filter(topic__plan=this_year).exists()
    assert QuarterlyMailing.objects.filter(organisation=organisation).count() == 1
    assert BudgetLine.objects.filter(organisation=organisation).count() == 5
    assert HoursConfirmation.objects.count() == 1
