from __future__ import annotations

import random

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from programme.demo import seed_demo as seed_programme
from programme.library.demo import seed_demo
from programme.library.models import Publication, Subscription

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_publication_of_voorbeeld_that_naburig_follows():
    rng = random.Random(1)
    today = timezone.localdate()
    seeded = [
        accounts_demo._seed_organisation(name, slug, tree, people, extra_people=0, rng=rng)
        for name, slug, tree, people in (
            ("Gemeente Voorbeeld", "voorbeeld", accounts_demo.VOORBEELD_TREE, accounts_demo.VOORBEELD_PEOPLE),
            ("Gemeente Naburig", "naburig", accounts_demo.NABURIG_TREE, accounts_demo.NABURIG_PEOPLE),
        )
    ]
    for organisation, people in seeded:
        seed_programme(sender=None, organisation=organisation, people=people, today=today)
    for _run in range(2):
        for organisation, people in seeded:
            seed_demo(sender=None, organisation=organisation, people=people, today=today)
    (voorbeeld, _p), (naburig, _q) = seeded
    publication = Publication.objects.get()
    assert publication.publisher == voorbeeld and publication.version == 1
    assert publication.source_topic.plan.organisation == voorbeeld
    assert Subscription.objects.filter(subscriber=naburig, publisher=voorbeeld).count() == 1
