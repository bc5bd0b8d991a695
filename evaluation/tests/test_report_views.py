"""The yearly evaluation and the topic proposals: access, forms, double submits, votes and acceptance."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import EvaluationReport, TopicProposal, TopicVote
from evaluation.tests.dashboard_data import add_bulk, more_departments
from programme.models import TopicSuggestion

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _proposal(org, user, title="Veilig omgaan met AI", year=YEAR):
    return TopicProposal.objects.create(organisation=org, year=year, title=title, proposed_by=user)


# --- The report -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["year_report", "year_report_pdf", "proposals"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(f"evaluation:{name}", args=[YEAR]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_report_is_for_officers(client_as, manager_a, ambassador_a, staff_b):
    for user in (manager_a, ambassador_a, staff_b):
        client = client_as(user)
        assert client.get(reverse("evaluation:year_report", args=[YEAR])).status_code == 403
        assert client.get(reverse("evaluation:year_report_pdf", args=[YEAR])).status_code == 403


def test_a_year_out_of_range_is_404(client_as, officer):
    assert client_as(officer).get(reverse("evaluation:year_report", args=[YEAR + 2])).status_code == 404


def test_the_report_shows_the_year_and_saves_conclusions(client_as, officer, org, data):
    client = client_as(officer)
    url = reverse("evaluation:year_report", args=[YEAR])
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Uren besteed" in content and "Verzenden van besluiten" in content
    response = client.post(url, {"conclusions": "Het programma <b>groeit</b>.", "status": "draft"})
    assert response.status_code == 302
    report = EvaluationReport.objects.get(organisation=org, year=YEAR)
    assert report.conclusions == "Het programma <b>groeit</b>." and report.updated_by == officer
    content = client.get(url).content.decode()
    assert "Het programma &lt;b&gt;groeit&lt;/b&gt;." in content
    # A second save updates the one report of the year.
    client.post(url, {"conclusions": "Definitief.", "status": "final"})
    assert EvaluationReport.objects.get(organisation=org, year=YEAR).status == "final"
    assert EvaluationReport.objects.count() == 1


def test_a_bad_status_keeps_what_was_typed(client_as, officer):
    response = client_as(officer).post(
        reverse("evaluation:year_report", args=[YEAR]), {"conclusions": "Mijn tekst", "status": "bogus"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mijn tekst" in content and "is-invalid" in content
    assert not EvaluationReport.objects.exists()


def test_the_pdf_escapes_the_officers_text(client_as, officer, org):
    EvaluationReport.objects.create(organisation=org, year=YEAR, conclusions="<font>Meer</font> & minder <br")
    response = client_as(officer).get(reverse("evaluation:year_report_pdf", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_report_never_shows_another_organisation(client_as, outsider, org):
    EvaluationReport.objects.create(organisation=org, year=YEAR, conclusions="Alleen voor Voorbeeld")
    content = client_as(outsider).get(reverse("evaluation:year_report", args=[YEAR])).content.decode()
    assert "Alleen voor Voorbeeld" not in content


def test_the_report_runs_a_fixed_number_of_queries(client_as, officer, org, department_a, ambassador_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(officer)
    url = reverse("evaluation:year_report", args=[YEAR])
    _proposal(org, ambassador_a)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_bulk(org=org, departments=[department_a, *more_departments(org, 4)], count=30)
    for index in range(5):
        _proposal(org, ambassador_a, title=f"Onderwerp {index}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# --- Proposals and votes ------------------------------------------------------------------------------


def test_staff_and_managers_cannot_propose(client_as, staff_b, manager_a):
    url = reverse("evaluation:proposals", args=[YEAR])
    assert client_as(staff_b).get(url).status_code == 403
    assert client_as(manager_a).post(url, {"title": "Iets"}).status_code == 403


def test_an_ambassador_proposes_once_per_submit_with_their_vote(client_as, ambassador_a, org):
    client = client_as(ambassador_a)
    url = reverse("evaluation:proposals", args=[YEAR])
    token = str(uuid.uuid4())
    data = {"title": "Veilig omgaan met AI", "description": "Collega's gebruiken chatbots.", "token": token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the double submit
    proposal = TopicProposal.objects.get()
    assert proposal.proposed_by == ambassador_a and proposal.organisation == org
    assert list(proposal.votes.values_list("user_id", flat=True)) == [ambassador_a.pk]


def test_a_too_short_title_gives_a_dutch_error_and_keeps_the_text(client_as, ambassador_a):
    response = client_as(ambassador_a).post(
        reverse("evaluation:proposals", args=[YEAR]), {"title": "AI", "description": "Mijn uitleg"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "ten minste drie tekens" in content and "Mijn uitleg" in content
    assert not TopicProposal.objects.exists()


def test_one_vote_per_person_per_proposal(client_as, ambassador_a, officer, org):
    proposal = _proposal(org, officer)
    client = client_as(ambassador_a)
    url = reverse("evaluation:proposal_vote", args=[YEAR, proposal.pk])
    client.post(url)
    client.post(url)
    assert TopicVote.objects.filter(proposal=proposal).count() == 1
    client.post(url, {"action": "withdraw"})
    assert not TopicVote.objects.filter(proposal=proposal).exists()


def test_a_foreign_proposal_is_404(client_as, outsider, org, ambassador_a):
    proposal = _proposal(org, ambassador_a)
    client = client_as(outsider)
    assert client.post(reverse("evaluation:proposal_vote", args=[YEAR, proposal.pk])).status_code == 404
    assert client.post(reverse("evaluation:proposal_accept", args=[YEAR, proposal.pk])).status_code == 404


def test_only_officers_accept(client_as, ambassador_a, org):
    proposal = _proposal(org, ambassador_a)
    response = client_as(ambassador_a).post(reverse("evaluation:proposal_accept", args=[YEAR, proposal.pk]))
    assert response.status_code == 403


def test_accepting_creates_one_topic_suggestion_for_next_year(client_as, officer, ambassador_a, org):
    proposal = _proposal(org, ambassador_a)
    client = client_as(officer)
    url = reverse("evaluation:proposal_accept", args=[YEAR, proposal.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    suggestion = TopicSuggestion.objects.get()
    assert suggestion.source == TopicSuggestion.Source.EVALUATION
    assert suggestion.for_year == YEAR + 1
    assert suggestion.source_reference == f"EV-{YEAR}-{proposal.pk}"
    assert suggestion.organisation == org and suggestion.suggested_by == ambassador_a
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.suggestion == suggestion


def test_proposals_close_when_their_year_has_passed(client_as, ambassador_a):
    url = reverse("evaluation:proposals", args=[YEAR - 2])
    client = client_as(ambassador_a)
    client.post(url, {"title": "Te laat", "token": str(uuid.uuid4())})
    assert not TopicProposal.objects.exists()
