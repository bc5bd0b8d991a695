"""The yearly evaluation's demo data: last year's draft report and two proposals with votes, idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from evaluation.models import EvaluationReport, TopicProposal, TopicVote
from evaluation.report.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_once(org, other_org, officer, ambassador_a, staff_b):
    people = {"ciso": officer, "ambassador": ambassador_a, "ambassador_wi": staff_b}
    today = timezone.localdate()
    for _i in range(2):
        seed_demo(None, organisation=org, people=people, today=today)
        seed_demo(None, organisation=other_org, people={}, today=today)
    report = EvaluationReport.objects.get()
    assert report.organisation == org and report.year == today.year - 1 and report.status == "draft"
    assert report.conclusions
    assert TopicProposal.objects.filter(organisation=org, year=today.year).count() == 2
    assert TopicVote.objects.count() == 4
