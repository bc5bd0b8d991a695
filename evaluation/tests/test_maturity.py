"""The maturity self-assessment: answers with the evidence beside them, history, and low blocks as topic proposals."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.evidence.models import MaturityAnswer, MaturityAssessment
from evaluation.evidence.selectors import maturity_history
from evaluation.report.models import TopicProposal

YEAR = timezone.localdate().year


def _answers(level: int = 3, **overrides) -> dict:
    data = {f"level_{block}": str(level) for block in range(1, 11)}
    data.update({f"note_{block}": "" for block in range(1, 11)})
    data["notes"] = ""
    data.update(overrides)
    return data


def _assess(org, year, round_, levels: dict[int, int]):
    assessment = MaturityAssessment.objects.create(organisation=org, year=year, round=round_)
    for block, level in levels.items():
        MaturityAnswer.objects.create(assessment=assessment, block=block, level=level)
    return assessment


@pytest.mark.django_db
def test_maturity_is_for_officers_only(client, client_as, officer, manager_a, ambassador_a, staff_b):
    urls = [reverse("evaluation:maturity"), reverse("evaluation:maturity_form", args=[YEAR, 1])]
    for url in urls:
        assert client.get(url).status_code == 302
    for url in urls:
        for user in (manager_a, ambassador_a, staff_b):
            assert client_as(user).get(url).status_code == 403
        assert client_as(officer).get(url).status_code == 200
    assert client_as(officer).get(reverse("evaluation:maturity_form", args=[YEAR, 3])).status_code == 404


@pytest.mark.django_db
def test_an_officer_fills_an_assessment_with_the_evidence_and_last_years_beside_it(
    client_as, officer, org, department_a, ambassador_a
):
    _assess(org, YEAR - 1, 2, {3: 2})
    client = client_as(officer)
    url = reverse("evaluation:maturity_form", args=[YEAR, 1])
    page = client.get(url).content.decode()
    assert "1 van 2 afdelingen gedekt" in page or "1 of 2 departments" in page or "afdelingen" in page
    assert "Niveau 2 (" in page  # last year's level beside the block
    incomplete = client.post(url, _answers(**{"level_4": ""}, note_1="Doelen staan in het jaarplan."))
    assert "Kies een niveau voor deze bouwsteen." in incomplete.content.decode()
    assert "Doelen staan in het jaarplan." in incomplete.content.decode()  # nothing typed is lost
    client.post(url, _answers(level=4, level_3="1"))
    client.post(url, _answers(level=4, level_3="1"))  # a double submit stores once
    assessment = MaturityAssessment.objects.get(organisation=org, year=YEAR, round=1)
    assert assessment.answers.count() == 10
    answer = assessment.answers.get(block=3)
    assert answer.level == 1 and "ambassadeur" in answer.evidence.lower()
    client.post(url, _answers(level=4, level_3="2"))  # corrected
    assert assessment.answers.get(block=3).level == 2


@pytest.mark.django_db
def test_a_low_block_becomes_a_topic_proposal_once(client_as, officer, org):
    assessment = _assess(org, YEAR, 1, {3: 1, 4: 4})
    low, high = assessment.answers.get(block=3), assessment.answers.get(block=4)
    client = client_as(officer)
    client.post(reverse("evaluation:maturity_propose", args=[low.pk]))
    client.post(reverse("evaluation:maturity_propose", args=[low.pk]))
    client.post(reverse("evaluation:maturity_propose", args=[high.pk]))
    proposal = TopicProposal.objects.get(organisation=org)
    assert proposal.year == YEAR and "Selectie" in proposal.title
    low.refresh_from_db()
    assert low.proposal == proposal


@pytest.mark.django_db
def test_the_history_takes_the_latest_round_of_each_year(org, other_org, client_as, officer):
    _assess(org, YEAR - 1, 1, {1: 1})
    _assess(org, YEAR - 1, 2, {1: 2})
    _assess(org, YEAR, 1, {1: 3})
    _assess(other_org, YEAR, 1, {1: 5})
    years, rows = maturity_history(org.pk)
    assert years == [YEAR - 1, YEAR]
    assert rows[0][1:] == [2, 3]
    page = client_as(officer).get(reverse("evaluation:maturity")).content.decode()
    assert 'data-testid="table-maturity"' in page and "chart-data-maturity" in page


@pytest.mark.django_db
def test_maturity_never_crosses_organisations(client_as, outsider, org):
    assessment = _assess(org, YEAR, 1, {3: 1})
    MaturityAnswer.objects.filter(assessment=assessment).update(note="GEHEIM-VOORBEELD")
    client = client_as(outsider)
    assert b"GEHEIM" not in client.get(reverse("evaluation:maturity_form", args=[YEAR, 1])).content
    answer = assessment.answers.get()
    assert client.post(reverse("evaluation:maturity_propose", args=[answer.pk])).status_code == 404


@pytest.mark.django_db
def test_the_latest_assessment_feeds_the_programme_dashboard_and_the_yearly_evaluation(client_as, officer, org):
    _assess(org, YEAR - 1, 1, {3: 4})
    _assess(org, YEAR, 1, {3: 2})
    client = client_as(officer)
    dashboard = client.get(reverse("evaluation:programme_dashboard")).content.decode()
    assert 'data-testid="maturity-latest"' in dashboard and f"{YEAR} (eerste helft)" in dashboard
    report = client.get(reverse("evaluation:year_report", args=[YEAR - 1])).content.decode()
    assert f"{YEAR - 1} (eerste helft)" in report  # the year's own assessment, not a later one
    pdf = client.get(reverse("evaluation:year_report_pdf", args=[YEAR]))
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_demo_seeds_last_years_assessments_once(org, other_org, officer):
    from evaluation.evidence.demo import seed_demo

    for _i in range(2):
        seed_demo(None, organisation=org, people={"ciso": officer})
        seed_demo(None, organisation=other_org, people={})
    assert MaturityAssessment.objects.filter(organisation=org, year=YEAR - 1).count() == 2
    assert MaturityAnswer.objects.count() == 20
    assert not MaturityAssessment.objects.filter(organisation=other_org).exists()


def test_each_level_is_named_once_in_its_choice():
    from django.utils import translation

    from evaluation.evidence.forms import MaturityForm

    with translation.override("nl"):
        labels = [str(label) for _value, label in MaturityForm().fields["level_1"].choices]
    assert labels[1] == "2 Herhaalbaar: Het gebeurt regelmatig, maar is nog niet vastgelegd of gepland."
    for label in labels:
        name, description = label.split(": ", 1)
        assert name.split(" ", 1)[1].lower() not in description.lower(), label
