"""Staff read the quarter's topics; the budget in money and hours; the mailing preview is the mail itself."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.permissions import can_read_topic
from programme import delivery
from programme.models import BudgetLine, QuarterlyMailing, TopicMaterial
from programme.tests.factories import AnnualPlanFactory, BudgetLineFactory, MailingFactory, TopicFactory

pytestmark = pytest.mark.django_db


# Staff and the quarter's topics -------------------------------------------------------------------


@pytest.fixture
def quarter_topic(plan, current_quarter):
    topic = TopicFactory(plan=plan, title="Wachtwoorden", status="published", quarter=current_quarter)
    TopicMaterial.objects.create(topic=topic, title="Poster wachtwoorden", url="https://example.org/poster")
    return topic


def test_staff_open_a_topic_of_the_quarter_from_the_home_page(client_as, staff_b, quarter_topic):
    client = client_as(staff_b)
    home = client.get(reverse("home")).content.decode()
    url = reverse("programme:topic_read", args=[quarter_topic.pk])
    assert url in home
    page = client.get(url)
    content = page.content.decode()
    assert page.status_code == 200 and "Wachtwoorden" in content and "Poster wachtwoorden" in content
    assert client.get(reverse("programme:topic", args=[quarter_topic.pk])).status_code == 403


def test_staff_download_the_material_of_a_topic_they_may_read(client_as, staff_b, quarter_topic, settings, tmp_path):
    from django.core.files.base import ContentFile

    material = TopicMaterial(topic=quarter_topic, title="Folder", original_name="folder.pdf")
    material.file.save("folder.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    response = client_as(staff_b).get(reverse("programme:material", args=[material.pk]))
    assert response.status_code == 200


def test_staff_never_read_drafts_other_quarters_other_departments_or_organisations(
    client_as, staff_b, org, plan, year, current_quarter, department_a, foreign_topic
):
    other_quarter = current_quarter % 4 + 1
    hidden = [
        TopicFactory(plan=plan, status="draft", quarter=current_quarter),
        TopicFactory(plan=plan, status="published", quarter=other_quarter),
        TopicFactory(plan=plan, status="published", quarter=current_quarter, department=department_a),
        TopicFactory(
            plan=AnnualPlanFactory(organisation=org, year=year - 1, status="published"),
            status="published",
            quarter=current_quarter,
        ),
        foreign_topic,
    ]
    client = client_as(staff_b)
    for topic in hidden:
        assert client.get(reverse("programme:topic_read", args=[topic.pk])).status_code == 404, topic.title
        assert not can_read_topic(staff_b, topic)


def test_a_draft_plan_keeps_its_topics_from_staff(client_as, staff_b, org, year, current_quarter):
    draft = AnnualPlanFactory(organisation=org, year=year + 1, status="draft")
    topic = TopicFactory(plan=draft, status="published", quarter=current_quarter)
    assert client_as(staff_b).get(reverse("programme:topic_read", args=[topic.pk])).status_code == 404


def test_staff_of_the_department_read_its_topic_and_its_teams_too(
    client_as, staff_a, plan, current_quarter, department_a
):
    topic = TopicFactory(plan=plan, status="published", quarter=current_quarter, department=department_a)
    assert client_as(staff_a).get(reverse("programme:topic_read", args=[topic.pk])).status_code == 200


def test_the_officer_reads_a_draft_on_the_read_only_page(client_as, officer, plan, current_quarter):
    topic = TopicFactory(plan=plan, status="draft", quarter=current_quarter)
    assert client_as(officer).get(reverse("programme:topic_read", args=[topic.pk])).status_code == 200


def test_anonymous_is_sent_to_login_for_a_topic(client, quarter_topic):
    response = client.get(reverse("programme:topic_read", args=[quarter_topic.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Budget in money and hours -------------------------------------------------------------------------


def test_hours_are_budgeted_per_line_with_planned_used_and_remaining(client_as, officer, org, year):
    client = client_as(officer)
    response = client.post(
        reverse("programme:budget_line_create", args=[year]),
        {
            "unit": "hours",
            "category": "training",
            "description": "Ambassadeurstraining",
            "planned": "40",
            "actual": "12",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(description="Ambassadeurstraining")
    assert line.unit == BudgetLine.Unit.HOURS
    content = client.get(reverse("programme:budget", args=[year])).content.decode()
    assert 'data-testid="budget-hours"' in content and "28 u" in content
    assert 'data-testid="budget-overrun"' not in content


def test_an_hours_overrun_warns_even_when_the_money_is_fine(client_as, officer, org, year):
    BudgetLineFactory(organisation=org, year=year, planned=1000, actual=100)
    BudgetLineFactory(organisation=org, year=year, unit="hours", planned=10, actual=15)
    content = client_as(officer).get(reverse("programme:budget", args=[year])).content.decode()
    assert 'data-testid="hours-overrun"' in content and "15 uur gebruikt" in content
    assert "€\xa01.000,00" in content  # money, with its non-breaking space


def test_money_totals_leave_the_hours_out(org, year):
    BudgetLineFactory(organisation=org, year=year, planned=100, actual=50)
    BudgetLineFactory(organisation=org, year=year, unit="hours", planned=8, actual=2)
    lines = BudgetLine.objects.filter(organisation=org, year=year)
    by_unit = lines.totals_by_unit()
    assert (by_unit["euro"]["planned"], by_unit["euro"]["actual"]) == (Decimal(100), Decimal(50))
    assert by_unit["hours"]["remaining"] == Decimal(6) and not by_unit["hours"]["overrun"]
    rows = {(row["unit"], row["category"]): row for row in lines.by_category()}
    assert rows[("euro", "training")]["remaining"] == Decimal(50)


@pytest.mark.parametrize("size", [2, 12])
def test_the_budget_page_runs_a_fixed_number_of_queries(
    client_as, officer, org, year, size, django_assert_max_num_queries
):
    client = client_as(officer)
    client.get(reverse("programme:budget", args=[year]))
    for index in range(size):
        BudgetLineFactory(organisation=org, year=year, unit="hours" if index % 2 else "euro", category="training")
        BudgetLineFactory(organisation=org, year=year, category="communication")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("programme:budget", args=[year])).status_code == 200


def test_a_manager_sees_another_organisations_budget_never(client_as, manager_a, other_org, year):
    BudgetLineFactory(organisation=other_org, year=year, unit="hours", description="Naburige uren")
    content = client_as(manager_a).get(reverse("programme:budget", args=[year])).content.decode()
    assert "Naburige uren" not in content


# The mailing preview ---------------------------------------------------------------------------------


def test_the_preview_shows_exactly_the_message_that_is_sent(client_as, officer, org, plan, year, team_a):
    TopicFactory(plan=plan, title="Clean desk", status="published", quarter=1)
    MailingFactory(organisation=org, year=year, quarter=1, subject="Kwartaal 1", body="Beste collega,\n<b>vet</b>")
    client = client_as(officer)
    query = {"department": team_a.pk}
    content = client.get(reverse("programme:mailing_preview", args=[year, 1]), query).content.decode()
    mailing = QuarterlyMailing.objects.get(organisation=org, year=year, quarter=1)
    message = delivery.mailing_preview_message(mailing=mailing, department=team_a, language="nl", user=officer)
    assert 'data-testid="mailing-from"' in content
    assert message.from_email.replace("<", "&lt;").replace(">", "&gt;") in content
    # The officer's text is shown as text: the tag is escaped, never interpreted.
    assert "&lt;b&gt;vet&lt;/b&gt;" in content and "<b>vet</b>" not in content
    html_url = reverse("programme:mailing_preview_html", args=[year, 1])
    assert html_url in content
    frame = client.get(html_url, query)
    assert frame.status_code == 200
    # The same mail, but for the signed unsubscribe link, whose signature carries the second it was made.
    assert _unsigned(frame.content.decode()) == _unsigned(message.alternatives[0][0])
    assert "&lt;b&gt;vet&lt;/b&gt;" in frame.content.decode()
    assert (
        "sandbox" in frame["Content-Security-Policy"] and "frame-ancestors 'self'" in frame["Content-Security-Policy"]
    )
    # The test copy goes out through the same builder.
    client.post(reverse("programme:mailing_test", args=[year, 1]))
    assert mail.outbox[-1].from_email == message.from_email
    assert mail.outbox[-1].subject == f"[TEST] {message.subject}"


def test_the_html_frame_refuses_a_foreign_department_and_staff(
    client_as, officer, staff_b, org, year, other_department
):
    MailingFactory(organisation=org, year=year, quarter=1)
    url = reverse("programme:mailing_preview_html", args=[year, 1])
    assert client_as(officer).get(url, {"department": other_department.pk}).status_code == 404
    assert client_as(staff_b).get(url, {"department": other_department.pk}).status_code == 403


def _unsigned(html: str) -> str:
    import re

    return re.sub(r"/afmelden/[^/\"]+/", "/afmelden/TOKEN/", html)
