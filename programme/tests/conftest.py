from __future__ import annotations

import pytest
from django.utils import timezone

from programme.tests.factories import AnnualPlanFactory, TopicFactory


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def current_quarter():
    return (timezone.localdate().month - 1) // 3 + 1


@pytest.fixture
def plan(org, year):
    return AnnualPlanFactory(organisation=org, year=year, status="published")


@pytest.fixture
def topic(plan):
    return TopicFactory(plan=plan, title="Phishing herkennen", status="published", quarter=1)


@pytest.fixture
def foreign_topic(other_org, year):
    plan = AnnualPlanFactory(organisation=other_org, year=year, status="published")
    return TopicFactory(plan=plan, title="Buitenlands onderwerp", status="published")


@pytest.fixture
def measures():
    """The KPI registry, restored after the test: other apps' measures may or may not be registered."""
    from programme.kpis import registry

    saved = dict(registry._measures)
    yield registry
    registry._measures.clear()
    registry._measures.update(saved)
