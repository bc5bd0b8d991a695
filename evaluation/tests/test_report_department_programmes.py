"""The yearly report and the evidence report mention the department programmes: which departments had an agreed
programme, planned against done, the share of planned items done (the KPI measure's figure) and featured practices."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors.programmes import services
from ambassadors.programmes.kpis import planned_items_done
from ambassadors.programmes.models import DepartmentProgramme, GoodPractice
from ambassadors.tests.factories import ActivityFactory
from evaluation.evidence.selectors import evidence_for_year
from evaluation.report.selectors import year_report

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def agreed(org, ambassador_a, department_a):
    from programme.models import AnnualPlan, Topic

    plan = AnnualPlan.objects.create(organisation=org, year=YEAR, status=AnnualPlan.Status.PUBLISHED)
    for title, month in (("Phishing", 1), ("Wachtwoorden", 10)):
        Topic.objects.create(plan=plan, title=title, month=month, status=Topic.Status.PUBLISHED)
    programme, _created = services.programme_start(user=ambassador_a, department=department_a, year=YEAR)
    programme.status = DepartmentProgramme.Status.AGREED
    programme.save()
    item = programme.items.get(title="Phishing")
    activity = ActivityFactory(organisation=org, user=ambassador_a, hours=Decimal("1"), date=datetime.date(YEAR, 1, 15))
    services.activity_match_set(activity=activity, item=item)
    GoodPractice.objects.create(
        organisation=org,
        author=ambassador_a,
        title="Phishingquiz in het teamoverleg",
        kind="talk",
        what="Quiz",
        audience="Team",
        what_worked="Echte mails laten zien",
        effort="Een uur",
        featured=True,
    )
    GoodPractice.objects.create(
        organisation=org,
        author=ambassador_a,
        title="Niet uitgelicht",
        kind="talk",
        what="x",
        audience="x",
        what_worked="x",
        effort="x",
    )
    return programme


def test_the_yearly_report_lists_programmes_their_share_and_featured_practices(agreed, org, department_a):
    report = year_report(org.pk, YEAR)
    tables = {t.key: t for t in report.tables()}
    programmes = tables["department-programmes"]
    assert programmes.plain_rows() == [[department_a.name, "Akkoord", 2, 1]]
    share = planned_items_done(
        org, datetime.date(YEAR, 1, 1), min(timezone.localdate(), datetime.date(YEAR, 12, 31)), None
    )
    assert report.programmes.share_done == share
    assert "1 met akkoord" in str(programmes.caption)
    assert [row[0] for row in tables["featured-practices"].plain_rows()] == ["Phishingquiz in het teamoverleg"]


def test_the_report_page_shows_them(client_as, agreed, officer, department_a):
    content = client_as(officer).get(reverse("evaluation:year_report", args=[YEAR])).content.decode()
    assert 'data-testid="department-programmes"' in content and department_a.name in content
    assert "Phishingquiz in het teamoverleg" in content and "Niet uitgelicht" not in content


def test_the_evidence_of_awareness_names_the_department_programmes(agreed, org):
    from evaluation.evidence.models import Control

    evidence = evidence_for_year(org.pk, YEAR)["department_programmes"]
    assert [f.value for f in evidence.facts[:2]] == [1, 1]
    assert evidence.rows[0][2:] == [2, 1]
    control = Control.objects.get(framework__organisation__isnull=True, code="6.3")
    assert "department_programmes" in control.evidence_kinds
