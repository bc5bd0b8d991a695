"""Budget lines, published topics and sent messages are corrected with a reason through the one history
(core.history); a draft topic and a planned message are edited plainly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry, Correction
from programme import services
from programme.models import BudgetLine, Message, Topic
from programme.tests.factories import AnnualPlanFactory, BudgetLineFactory, MessageFactory, TopicFactory

pytestmark = pytest.mark.django_db

LINE = {"unit": "euro", "category": "communication", "description": "Posters", "planned": "1000", "actual": "120"}


def test_a_budget_line_is_corrected_with_a_reason_and_the_old_values_kept(client_as, officer, org, year):
    line = BudgetLineFactory(
        organisation=org, year=year, category="communication", description="Posters", actual=Decimal("1234.50")
    )
    url = reverse("programme:budget_line_update", args=[line.pk])
    client = client_as(officer)
    response = client.post(url, LINE)
    assert response.status_code == 200
    assert "Geef de reden voor de correctie." in response.content.decode()
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal("1234.50")
    response = client.post(url, {**LINE, "reason": "Factuur dubbel geboekt"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.actual == Decimal(120)
    correction = line.corrections.get()
    assert correction.reason == "Factuur dubbel geboekt" and correction.corrected_by == officer
    # Kept as data, shown in the reader's language: Dutch on the page, English for an English reader.
    assert correction.changes == [
        {
            "name": "actual",
            "field": "gebruikt",
            "old": "1234.50",
            "new": "120.00",
            "old_value": "1234.50",
            "new_value": "120.00",
        }
    ]
    assert correction.readable_changes() == [{"field": "gebruikt", "old": "1.234,50", "new": "120,00"}]
    with translation.override("en"):
        assert correction.readable_changes() == [{"field": "used", "old": "1,234.50", "new": "120.00"}]
    assert AuditEntry.objects.filter(action="programme.budget_line_corrected").exists()
    page = client.get(reverse("programme:budget", args=[year])).content.decode()
    assert "Factuur dubbel geboekt" in page and "gebruikt: 1.234,50 → 120,00" in page
    assert "Factuur dubbel geboekt" in client.get(url).content.decode()


def test_the_budget_line_service_refuses_a_correction_without_reason(officer, org, year):
    line = BudgetLineFactory(organisation=org, year=year, actual=500)
    with pytest.raises(ValidationError) as error:
        services.budget_line_correct(line=line, data={"actual": Decimal(1)}, reason=" ", user=officer)
    assert "reason" in error.value.message_dict
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal(500) and not Correction.objects.exists()


def test_a_draft_topic_is_edited_plainly(client_as, officer, org, year):
    topic = TopicFactory(plan=AnnualPlanFactory(organisation=org, year=year), title="Concept", status="draft")
    assert not topic.is_fact
    response = client_as(officer).post(
        reverse("programme:topic_update", args=[topic.pk]), {"title": "Concept 2", "quarter": 2, "version": 1}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Concept 2" and not topic.corrections.exists()


def test_a_published_topic_is_corrected_with_a_reason_shown_on_its_page(client_as, officer, topic):
    assert topic.is_fact
    url = reverse("programme:topic_update", args=[topic.pk])
    client = client_as(officer)
    response = client.post(url, {"title": "Phishing", "quarter": 2, "version": 1})
    assert "Geef de reden voor de correctie." in response.content.decode()
    assert Topic.objects.get(pk=topic.pk).quarter == 1
    response = client.post(url, {"title": "Phishing", "quarter": 2, "version": 1, "reason": "Verschoven naar Q2"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.quarter == 2 and topic.version == 2
    changes = topic.corrections.get().readable_changes()
    assert {"field": "kwartaal", "old": "1", "new": "2"} in changes
    assert {"field": "titel", "old": "Phishing herkennen", "new": "Phishing"} in changes
    assert AuditEntry.objects.filter(action="programme.topic_corrected").exists()
    assert "Verschoven naar Q2" in client.get(reverse("programme:topic", args=[topic.pk])).content.decode()


def test_the_topic_service_refuses_a_published_topic_without_reason(topic):
    with pytest.raises(ValidationError):
        services.topic_update(topic=topic, expected_version=1, data={"title": "Anders"})
    assert Topic.objects.get(pk=topic.pk).title == "Phishing herkennen"


def test_a_planned_message_is_edited_plainly_and_a_sent_one_with_a_reason(client_as, officer, topic):
    planned = MessageFactory(topic=topic, title="Intranet")
    sent = MessageFactory(topic=topic, title="Nieuwsbrief", status=Message.Status.SENT)
    client = client_as(officer)
    data = {"channel": "intranet", "planned_on": topic.starts_on.isoformat(), "title": "Gewijzigd"}
    assert client.post(reverse("programme:message_update", args=[planned.pk]), data).status_code == 302
    planned.refresh_from_db()
    assert planned.title == "Gewijzigd" and not planned.corrections.exists()
    url = reverse("programme:message_update", args=[sent.pk])
    assert "Geef de reden voor de correctie." in client.post(url, data).content.decode()
    assert Message.objects.get(pk=sent.pk).title == "Nieuwsbrief"
    assert client.post(url, {**data, "reason": "Titel verkeerd overgenomen"}).status_code == 302
    sent.refresh_from_db()
    assert sent.title == "Gewijzigd"
    assert sent.corrections.get().readable_changes() == [{"field": "titel", "old": "Nieuwsbrief", "new": "Gewijzigd"}]
    assert "Titel verkeerd overgenomen" in client.get(url).content.decode()


def test_the_budget_page_with_corrections_runs_a_fixed_number_of_queries(
    client_as, officer, org, year, django_assert_max_num_queries
):
    client = client_as(officer)
    client.get(reverse("programme:budget", args=[year]))
    for index in range(5):
        line = BudgetLineFactory(organisation=org, year=year)
        services.budget_line_correct(line=line, data={"actual": Decimal(index)}, reason="Geboekt", user=officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("programme:budget", args=[year]))
    assert response.content.decode().count('data-testid="correction"') == 5
