from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.models import BudgetLine, HoursConfirmation, Kpi, Message, Topic, TopicMaterial
from programme.tests.factories import (
    AnnualPlanFactory,
    BudgetLineFactory,
    GoalFactory,
    KpiFactory,
    MailingFactory,
    MessageFactory,
    SuggestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def officer_urls(year, topic):
    return [
        reverse("programme:topic_create", args=[year]),
        reverse("programme:topic_update", args=[topic.pk]),
        reverse("programme:goal_create"),
        reverse("programme:suggestions"),
        reverse("programme:mailing_edit", args=[year, 1]),
        reverse("programme:budget_line_create", args=[year]),
        reverse("programme:material_create", args=[topic.pk]),
        reverse("programme:message_create", args=[topic.pk]),
    ]


def reader_urls(year, topic):
    return [
        reverse("programme:plan", args=[year]),
        reverse("programme:topics", args=[year]),
        reverse("programme:plan_print", args=[year]),
        reverse("programme:topic", args=[topic.pk]),
        reverse("programme:goals", args=[year]),
        reverse("programme:calendar"),
    ]


# Access ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, year, topic):
    for url in [*officer_urls(year, topic), *reader_urls(year, topic), reverse("programme:budget", args=[year])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["staff_b", "ambassador_a", "manager_a"])
def test_non_officers_get_403_on_officer_pages(request, client_as, year, topic, who):
    client = client_as(request.getfixturevalue(who))
    for url in officer_urls(year, topic):
        assert client.get(url).status_code == 403, url


def test_staff_get_403_on_every_programme_page(client_as, staff_b, year, topic):
    client = client_as(staff_b)
    urls = [
        *reader_urls(year, topic),
        reverse("programme:budget", args=[year]),
        reverse("programme:communication", args=[year]),
        reverse("programme:hours"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["ambassador_a", "manager_a", "officer"])
def test_readers_see_the_plan(request, client_as, year, topic, who):
    client = client_as(request.getfixturevalue(who))
    for url in reader_urls(year, topic):
        response = client.get(url)
        assert response.status_code == 200, url


def test_ambassador_reads_communication_but_not_budget_or_hours(client_as, ambassador_a, year):
    client = client_as(ambassador_a)
    assert client.get(reverse("programme:communication", args=[year])).status_code == 200
    assert client.get(reverse("programme:budget", args=[year])).status_code == 403
    assert client.get(reverse("programme:hours")).status_code == 403


def test_manager_reads_budget_but_not_communication(client_as, manager_a, year):
    client = client_as(manager_a)
    assert client.get(reverse("programme:budget", args=[year])).status_code == 200
    assert client.get(reverse("programme:communication", args=[year])).status_code == 403


def test_objects_of_another_organisation_are_404(client_as, officer, foreign_topic, other_org, year):
    goal = GoalFactory(organisation=other_org)
    kpi = KpiFactory(goal=goal)
    message = MessageFactory(topic=foreign_topic)
    line = BudgetLineFactory(organisation=other_org)
    material = TopicMaterial.objects.create(topic=foreign_topic, title="Link", url="https://example.org")
    client = client_as(officer)
    for url in [
        reverse("programme:topic", args=[foreign_topic.pk]),
        reverse("programme:topic_update", args=[foreign_topic.pk]),
        reverse("programme:goal", args=[goal.pk]),
        reverse("programme:kpi_update", args=[kpi.pk]),
        reverse("programme:measurement_create", args=[kpi.pk]),
        reverse("programme:message_update", args=[message.pk]),
        reverse("programme:budget_line_update", args=[line.pk]),
        reverse("programme:material", args=[material.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_foreign_plan_is_not_shown(client_as, officer, foreign_topic, year):
    response = client_as(officer).get(reverse("programme:plan", args=[year]))
    assert "Buitenlands onderwerp" not in response.content.decode()


def test_readers_do_not_see_draft_topics(client_as, manager_a, officer, plan, year):
    draft = TopicFactory(plan=plan, title="Nog geheim", status="draft")
    client = client_as(manager_a)
    assert "Nog geheim" not in client.get(reverse("programme:plan", args=[year])).content.decode()
    assert client.get(reverse("programme:topic", args=[draft.pk])).status_code == 404
    assert "Nog geheim" in client_as(officer).get(reverse("programme:plan", args=[year])).content.decode()


# Plan pages -------------------------------------------------------------------------------------


def test_year_view_runs_a_fixed_number_of_queries(client_as, officer, plan, year, django_assert_max_num_queries):
    client = client_as(officer)
    client.get(reverse("programme:plan", args=[year]))  # warm up the session and roles
    for quarter in (1, 2, 3, 4):
        TopicFactory.create_batch(3, plan=plan, quarter=quarter)
        TopicFactory(plan=plan, month=3 * quarter, quarter=None)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme:plan", args=[year]))
    assert response.status_code == 200
    assert response.content.decode().count('href="/programma/onderwerpen/') == 16


def test_topic_list_filters_and_runs_a_fixed_number_of_queries(
    client_as, officer, plan, year, department_a, django_assert_max_num_queries
):
    TopicFactory.create_batch(10, plan=plan, quarter=2, channels=["poster"], owner=officer, department=department_a)
    TopicFactory(plan=plan, title="Op intranet", quarter=2, channels=["intranet"])
    TopicFactory(plan=plan, title="Ander kwartaal", quarter=3, channels=["intranet"])
    client = client_as(officer)
    client.get(reverse("programme:topics", args=[year]))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme:topics", args=[year]), {"quarter": 2, "channel": "intranet"})
    content = response.content.decode()
    assert "Op intranet" in content and "Ander kwartaal" not in content
    assert content.count('href="/programma/onderwerpen/') == 1


def test_print_view_has_a_print_button(client_as, officer, topic, year):
    content = client_as(officer).get(reverse("programme:plan_print", args=[year])).content.decode()
    assert "data-print" in content and "Phishing herkennen" in content


def test_officer_creates_a_topic(client_as, officer, org, plan, year, department_a):
    response = client_as(officer).post(
        reverse("programme:topic_create", args=[year]),
        {
            "title": "Clean desk",
            "key_message": "Ruim uw bureau op.",
            "month_value": f"{year}-03",
            "channels": ["poster", "team_meeting"],
            "department": department_a.pk,
            "owner": officer.pk,
        },
    )
    topic = Topic.objects.get(title="Clean desk")
    assert response.status_code == 302
    assert topic.month == 3 and topic.quarter is None and topic.plan.year == year and topic.plan.organisation == org
    assert topic.channels == ["poster", "team_meeting"] and topic.status == "draft"


def test_a_topic_outside_the_plans_year_is_refused_and_the_input_kept(client_as, officer, plan, year):
    response = client_as(officer).post(
        reverse("programme:topic_create", args=[year]),
        {"title": "Verkeerd jaar", "month_value": f"{year + 1}-03", "key_message": "Getypte tekst"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "valt buiten het jaar van het jaarplan" in content
    assert "Getypte tekst" in content and "Verkeerd jaar" in content
    assert not Topic.objects.filter(title="Verkeerd jaar").exists()


def test_month_and_quarter_together_are_refused(client_as, officer, plan, year):
    response = client_as(officer).post(
        reverse("programme:topic_create", args=[year]), {"title": "Beide", "month_value": f"{year}-03", "quarter": 1}
    )
    assert "maand of een kwartaal" in response.content.decode()
    assert not Topic.objects.filter(title="Beide").exists()


def test_a_stale_edit_is_refused_with_the_typed_values_kept(client_as, officer, topic):
    url = reverse("programme:topic_update", args=[topic.pk])
    client = client_as(officer)
    form = {"title": "Mijn versie", "quarter": 1, "version": 1, "reason": "Titel verduidelijkt"}
    assert client.post(url, {**form, "title": "Eerste opslag"}).status_code == 302
    response = client.post(url, form)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit onderwerp opgeslagen" in content and "Mijn versie" in content
    topic.refresh_from_db()
    assert topic.title == "Eerste opslag" and topic.version == 2


def test_copy_into_next_year(client_as, officer, topic, year):
    response = client_as(officer).post(reverse("programme:plan_copy", args=[year]))
    assert response.status_code == 302 and response["Location"] == reverse("programme:plan", args=[year + 1])
    assert Topic.objects.filter(plan__year=year + 1, title="Phishing herkennen", status="draft").exists()
    # A second copy is refused, nothing doubled.
    client_as(officer).post(reverse("programme:plan_copy", args=[year]))
    assert Topic.objects.filter(plan__year=year + 1).count() == 1


def test_publish_plan(client_as, officer, org, year):
    plan = AnnualPlanFactory(organisation=org, year=year)
    TopicFactory(plan=plan)
    client_as(officer).post(reverse("programme:plan_publish", args=[year]))
    plan.refresh_from_db()
    assert plan.status == "published" and plan.topics.get().status == "published"


def test_upload_material_and_download_it(client_as, officer, manager_a, topic):
    client = client_as(officer)
    upload = SimpleUploadedFile("poster.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("programme:material_create", args=[topic.pk]), {"title": "Poster", "file": upload})
    assert response.status_code == 302
    material = TopicMaterial.objects.get()
    assert material.original_name == "poster.pdf"
    download = client_as(manager_a).get(reverse("programme:material", args=[material.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_an_upload_that_is_not_what_its_name_says_is_refused(client_as, officer, topic):
    upload = SimpleUploadedFile("poster.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_as(officer).post(
        reverse("programme:material_create", args=[topic.pk]), {"title": "Nep", "file": upload}
    )
    assert response.status_code == 200 and "niet toegestaan" in response.content.decode()
    assert not TopicMaterial.objects.exists()


def test_material_needs_a_file_or_a_link(client_as, officer, topic):
    response = client_as(officer).post(reverse("programme:material_create", args=[topic.pk]), {"title": "Leeg"})
    assert "een bestand of een link" in response.content.decode()


def test_message_outside_the_plans_year_is_refused(client_as, officer, topic, year):
    url = reverse("programme:message_create", args=[topic.pk])
    response = client_as(officer).post(url, {"channel": "intranet", "planned_on": f"{year + 1}-01-10"})
    assert "valt buiten het jaar" in response.content.decode()
    client_as(officer).post(url, {"channel": "intranet", "planned_on": f"{year}-01-10", "title": "Intranetbericht"})
    assert Message.objects.get().title == "Intranetbericht"


# Suggestions -----------------------------------------------------------------------------------


def test_pull_suggestions_into_a_plan(client_as, officer, org, year):
    suggestion = SuggestionFactory(organisation=org, title="AI-tools")
    response = client_as(officer).post(
        reverse("programme:suggestions"),
        {"action": "pull", "suggestions": [suggestion.pk], "year": year + 1, "quarter": 2},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and suggestion.topic.plan.year == year + 1


def test_pulling_without_a_choice_gives_a_dutch_error(client_as, officer, org, year):
    SuggestionFactory(organisation=org)
    response = client_as(officer).post(reverse("programme:suggestions"), {"action": "pull", "year": year, "quarter": 1})
    assert "Kies ten minste één suggestie." in response.content.decode()


def test_suggestions_of_another_organisation_cannot_be_pulled(client_as, officer, other_org, year):
    foreign = SuggestionFactory(organisation=other_org)
    client_as(officer).post(
        reverse("programme:suggestions"), {"action": "pull", "suggestions": [foreign.pk], "year": year, "quarter": 1}
    )
    foreign.refresh_from_db()
    assert foreign.status == "open"


# Goals and KPIs ---------------------------------------------------------------------------------


def test_goal_list_runs_a_fixed_number_of_queries(client_as, officer, org, year, django_assert_max_num_queries):
    client = client_as(officer)
    client.get(reverse("programme:goals", args=[year]))
    for _index in range(5):
        goal = GoalFactory(organisation=org, year=year)
        for kpi in KpiFactory.create_batch(3, goal=goal):
            kpi.measurements.create(value=3, measured_on=datetime.date(year, 1, 2), source="Enquête")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme:goals", args=[year]))
    assert response.content.decode().count('data-testid="kpi-value"') == 15


def test_kpi_target_without_unit_and_inverted_period_are_refused(client_as, officer, org, year):
    goal = GoalFactory(organisation=org, year=year)
    response = client_as(officer).post(
        reverse("programme:kpi_create", args=[goal.pk]),
        {
            "name": "Klikratio",
            "target": "10",
            "unit": "",
            "period_start": f"{year}-06-01",
            "period_end": f"{year}-01-01",
        },
    )
    content = response.content.decode()
    assert "Een streefwaarde heeft een eenheid nodig" in content
    assert "De periode kan niet eindigen voordat hij begint." in content
    assert "Klikratio" in content and not Kpi.objects.exists()


def test_overlapping_kpi_period_is_refused(client_as, officer, org, year):
    goal = GoalFactory(organisation=org, year=year)
    KpiFactory(goal=goal, name="Klikratio")
    response = client_as(officer).post(
        reverse("programme:kpi_create", args=[goal.pk]),
        {
            "name": "Klikratio",
            "target": "5",
            "unit": "%",
            "period_start": f"{year}-03-01",
            "period_end": f"{year}-04-01",
        },
    )
    assert "overlapt" in response.content.decode() and Kpi.objects.count() == 1


def test_computed_kpi_with_a_missing_measure_shows_not_available(client_as, officer, org, year, measures):
    goal = GoalFactory(organisation=org, year=year)
    KpiFactory(goal=goal, measure="dataleak_reports_missing")
    content = client_as(officer).get(reverse("programme:goal", args=[goal.pk])).content.decode()
    assert "niet beschikbaar" in content


# Communication ----------------------------------------------------------------------------------


def test_mailing_edit_and_preview_for_a_department(client_as, officer, org, plan, year, team_a, ambassador_a):
    TopicFactory(plan=plan, title="Clean desk", status="published", quarter=1)
    client = client_as(officer)
    response = client.post(
        reverse("programme:mailing_edit", args=[year, 1]), {"subject": "Kwartaal 1", "body": "Beste collega,"}
    )
    assert response.status_code == 302
    preview = client.get(reverse("programme:mailing_preview", args=[year, 1]), {"department": team_a.pk})
    content = preview.content.decode()
    assert "Kwartaal 1" in content and "Clean desk" in content and "Sanne Ambassadeur" in content


def test_mailing_preview_refuses_a_foreign_department(client_as, officer, org, year, other_department):
    MailingFactory(organisation=org, year=year, quarter=1)
    preview = client_as(officer).get(
        reverse("programme:mailing_preview", args=[year, 1]), {"department": other_department.pk}
    )
    assert 'data-testid="mailing-preview"' not in preview.content.decode()


def test_communication_page_runs_a_fixed_number_of_queries(
    client_as, officer, plan, year, django_assert_max_num_queries
):
    client = client_as(officer)
    client.get(reverse("programme:communication", args=[year]))
    for topic in TopicFactory.create_batch(5, plan=plan):
        MessageFactory.create_batch(3, topic=topic)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programme:communication", args=[year]))
    assert response.status_code == 200


# Hours and budget -------------------------------------------------------------------------------


def test_manager_confirms_hours_and_history_is_kept(client_as, manager_a, department_a, year):
    client = client_as(manager_a)
    url = reverse("programme:hours_confirm", args=[department_a.pk]) + f"?jaar={year}"
    client.post(url, {f"d{department_a.pk}-hours_per_month": "6"})
    client.post(url, {f"d{department_a.pk}-hours_per_month": "8"})
    rows = HoursConfirmation.objects.filter(department=department_a, year=year)
    assert rows.count() == 2 and rows.first().hours_per_month == Decimal("8") and rows.first().confirmed_by == manager_a
    assert "8,0 uur per maand" in client.get(reverse("programme:hours")).content.decode()


def test_manager_cannot_confirm_for_another_department(client_as, manager_a, department_b, other_department):
    client = client_as(manager_a)
    for department in (department_b, other_department):
        url = reverse("programme:hours_confirm", args=[department.pk])
        assert client.post(url, {f"d{department.pk}-hours_per_month": "6"}).status_code == 404
    assert not HoursConfirmation.objects.exists()


def test_negative_hours_are_refused(client_as, manager_a, department_a):
    url = reverse("programme:hours_confirm", args=[department_a.pk])
    response = client_as(manager_a).post(url, {f"d{department_a.pk}-hours_per_month": "-3"})
    assert "negatief" in response.content.decode() and not HoursConfirmation.objects.exists()


def test_budget_shows_totals_and_an_overrun(client_as, officer, org, year, django_assert_max_num_queries):
    client = client_as(officer)
    client.get(reverse("programme:budget", args=[year]))
    BudgetLineFactory.create_batch(6, organisation=org, year=year, planned=100, actual=50)
    BudgetLineFactory(organisation=org, year=year, category="communication", planned=100, actual=900)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme:budget", args=[year]))
    content = response.content.decode().replace("\xa0", " ")  # money keeps "€" and the amount together
    assert 'data-testid="budget-overrun"' in content
    assert "€ 700,00" in content and "€ 1.200,00" in content


def test_negative_amount_is_refused_and_input_kept(client_as, officer, year):
    response = client_as(officer).post(
        reverse("programme:budget_line_create", args=[year]),
        {"category": "training", "description": "E-learning", "planned": "-50", "actual": "0"},
    )
    content = response.content.decode()
    assert "Een bedrag kan niet negatief zijn." in content and "E-learning" in content
    assert not BudgetLine.objects.exists()


def test_manager_sees_the_budget_read_only(client_as, manager_a, org, year):
    BudgetLineFactory(organisation=org, year=year, description="Posters")
    content = client_as(manager_a).get(reverse("programme:budget", args=[year])).content.decode()
    assert "Posters" in content and "Nieuwe begrotingsregel" not in content


# Calendar feed and home panel -------------------------------------------------------------------


def test_calendar_feed_by_secret_token_and_rotation(client, client_as, ambassador_a, topic, plan):
    TopicFactory(plan=plan, title="Concept", status="draft")
    from core.models import CalendarFeedToken

    page = client_as(ambassador_a).get(reverse("programme:calendar"))
    assert page.status_code == 200 and not CalendarFeedToken.objects.exists()  # a GET never writes
    client_as(ambassador_a).post(reverse("programme:calendar_rotate"))
    token = CalendarFeedToken.objects.get(user=ambassador_a, feed="plan").token
    client.logout()
    feed = client.get(reverse("programme:calendar_feed", args=[token]))
    body = feed.content.decode()
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Phishing herkennen" in body and "Concept" not in body
    client_as(ambassador_a).post(reverse("programme:calendar_rotate"))
    client.logout()
    assert client.get(reverse("programme:calendar_feed", args=[token])).status_code == 404


def test_unknown_calendar_token_is_404(client):
    assert client.get(reverse("programme:calendar_feed", args=["onbekend"])).status_code == 404


def test_staff_home_shows_only_published_topics_of_the_current_quarter(
    client_as, staff_a, plan, year, current_quarter, department_b, foreign_topic
):
    TopicFactory(plan=plan, title="Nu actueel", status="published", quarter=current_quarter)
    TopicFactory(plan=plan, title="Concept nu", status="draft", quarter=current_quarter)
    TopicFactory(
        plan=plan, title="Andere afdeling", status="published", quarter=current_quarter, department=department_b
    )
    TopicFactory(plan=plan, title="Ander kwartaal", status="published", quarter=current_quarter % 4 + 1)
    content = client_as(staff_a).get("/").content.decode()
    assert "Nu actueel" in content
    for hidden in ("Concept nu", "Andere afdeling", "Ander kwartaal", "Buitenlands onderwerp"):
        assert hidden not in content
