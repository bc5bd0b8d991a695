from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topic(org):
    from programme.models import AnnualPlan, Topic

    today = timezone.localdate()
    plan = AnnualPlan.objects.create(organisation=org, year=today.year, status=AnnualPlan.Status.PUBLISHED)
    return Topic.objects.create(
        plan=plan, title="Phishing herkennen", quarter=(today.month - 1) // 3 + 1, status=Topic.Status.PUBLISHED
    )


@pytest.fixture
def other_topic(other_org):
    from programme.models import AnnualPlan, Topic

    today = timezone.localdate()
    plan = AnnualPlan.objects.create(organisation=other_org, year=today.year, status=AnnualPlan.Status.PUBLISHED)
    return Topic.objects.create(plan=plan, title="Naburig onderwerp", month=today.month, status=Topic.Status.PUBLISHED)
