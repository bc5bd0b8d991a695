"""The department year programme: drafting, agreement, matching, derived state, pages, KPI, reminders, API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Activity
from ambassadors.programmes import reminders, services
from ambassadors.programmes.kpis import planned_items_done
from ambassadors.programmes.models import ActivityMatch, DepartmentProgramme, GoodPractice, PlannedItem
from ambassadors.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org):
    from programme.models import AnnualPlan, Topic

    year = timezone.localdate().year
    plan = AnnualPlan.objects.create(organisation=org, year=year, status=AnnualPlan.Status.PUBLISHED)
    for title, month in (("Phishing", 1), ("Clean desk", 6), ("Wachtwoorden", 10)):
        Topic.objects.create(plan=plan, title=title, month=month, status=Topic.Status.PUBLISHED)
    return plan


@pytest.fixture
def programme(plan, ambassador_a, department_a):
    programme, created = services.programme_start(user=ambassador_a, department=department_a, year=plan.year)
    assert created
    return programme


def test_a_draft_starts_with_one_item_per_organisation_wide_topic(programme, ambassador_a):
    items = list(programme.items.order_by("month"))
    assert [i.title for i in items] == ["Phishing", "Clean desk", "Wachtwoorden"]
    assert {i.ambassador_id for i in items} == {ambassador_a.pk}
    again, created = services.programme_start(user=ambassador_a, department=programme.department, year=programme.year)
    assert again == programme and not created


def test_state_is_derived_from_matches_and_decisions(programme, ambassador_a):
    item = programme.items.get(title="Phishing")
    assert item.state == PlannedItem.State.OPEN
    first = ActivityFactory(organisation=programme.organisation, user=ambassador_a, hours=Decimal("0.5"))
    services.activity_match_set(activity=first, item=item)
    assert PlannedItem.objects.with_progress().get(pk=item.pk).state == PlannedItem.State.PARTLY
    second = ActivityFactory(organisation=programme.organisation, user=ambassador_a, hours=Decimal("0.5"))
    services.activity_match_set(activity=second, item=item)
    assert PlannedItem.objects.with_progress().get(pk=item.pk).state == PlannedItem.State.DONE
    other = programme.items.get(title="Clean desk")
    services.item_update(item=other, data={"decision": "moved", "month": 8})
    assert PlannedItem.objects.get(pk=other.pk).state == PlannedItem.State.MOVED
    with pytest.raises(ValidationError):
        services.item_update(item=other, data={"decision": "dropped", "decision_reason": ""})
    services.item_update(item=other, data={"decision": "dropped", "decision_reason": "Geen tijd"})
    assert PlannedItem.objects.get(pk=other.pk).state == PlannedItem.State.DROPPED


def test_copy_to_next_year_keeps_items_without_decisions(programme, ambassador_a):
    services.item_update(item=programme.items.first(), data={"decision": "dropped", "decision_reason": "x"})
    copy = services.programme_copy(programme=programme, user=ambassador_a)
    assert copy.year == programme.year + 1 and copy.status == DepartmentProgramme.Status.DRAFT
    assert copy.items.count() == 3 and not copy.items.exclude(decision="").exists()
    with pytest.raises(ValidationError):
        services.programme_copy(programme=programme, user=ambassador_a)


def test_pages_anonymous_forbidden_permitted(client, client_as, programme, ambassador_a, officer, manager_a, staff_b):
    url = reverse("department_programmes:programme", args=[programme.pk])
    assert client.get(url).status_code == 302
    assert client_as(staff_b).get(url).status_code == 404
    for user in (ambassador_a, officer, manager_a):
        response = client_as(user).get(url)
        assert response.status_code == 200
        assert "Phishing" in response.content.decode()
    list_url = reverse("department_programmes:programmes")
    assert client_as(staff_b).get(list_url).status_code == 403
    overview = reverse("department_programmes:overview", args=[programme.year])
    assert client_as(ambassador_a).get(overview).status_code == 403
    assert client_as(manager_a).get(overview).status_code == 403
    assert client_as(officer).get(overview).status_code == 200


def test_outsider_sees_nothing(client_as, programme, outsider):
    assert client_as(outsider).get(reverse("department_programmes:programme", args=[programme.pk])).status_code == 404
    item = programme.items.first()
    assert client_as(outsider).get(reverse("department_programmes:item_update", args=[item.pk])).status_code == 404


def test_ambassador_drafts_submits_and_officer_agrees(client_as, plan, ambassador_a, officer, department_a):
    client = client_as(ambassador_a)
    response = client.post(
        reverse("department_programmes:programme_start"), {"department": department_a.pk, "year": plan.year}
    )
    programme = DepartmentProgramme.objects.get(department=department_a, year=plan.year)
    assert response.status_code == 302
    item = programme.items.first()
    response = client.post(
        reverse("department_programmes:item_update", args=[item.pk]),
        {
            "title": "Phishingquiz",
            "kind": "talk",
            "quarter": "",
            "month": "3",
            "ambassador": ambassador_a.pk,
            "hours": "2",
            "team": "",
            "topic": item.topic_id,
            "decision": "dropped",
            "decision_reason": "",
        },
    )
    assert response.status_code == 200
    assert "Geef de reden" in response.content.decode() or "reason" in response.content.decode()
    assert 'value="Phishingquiz"' in response.content.decode()
    client.post(
        reverse("department_programmes:item_update", args=[item.pk]),
        {
            "title": "Phishingquiz",
            "kind": "talk",
            "month": "3",
            "ambassador": ambassador_a.pk,
            "hours": "2",
            "topic": item.topic_id,
            "decision": "",
        },
    )
    item.refresh_from_db()
    assert (item.title, item.month, item.hours) == ("Phishingquiz", 3, Decimal("2"))
    # the ambassador may not agree their own programme
    client.post(reverse("department_programmes:programme_submit", args=[programme.pk]))
    assert (
        client.post(reverse("department_programmes:programme_decide", args=[programme.pk]), {"agree": "1"}).status_code
        == 403
    )
    officer_client = client_as(officer)
    response = officer_client.post(
        reverse("department_programmes:programme_decide", args=[programme.pk]), {"return": "1", "remark": ""}
    )
    assert response.status_code == 200
    officer_client.post(reverse("department_programmes:programme_decide", args=[programme.pk]), {"agree": "1"})
    programme.refresh_from_db()
    assert programme.status == DepartmentProgramme.Status.AGREED and programme.decided_by == officer


def test_privacy_officer_does_not_agree(client_as, programme, privacy_officer):
    services.programme_submit(programme=programme)
    url = reverse("department_programmes:programme_decide", args=[programme.pk])
    assert client_as(privacy_officer).post(url, {"agree": "1"}).status_code == 403


def test_activity_form_suggests_and_confirms_a_planned_item(client_as, programme, ambassador_a):
    today = timezone.localdate()
    item = PlannedItem.objects.create(
        programme=programme, title="Dit maand", kind="talk", month=today.month, ambassador=ambassador_a, hours=1
    )
    client = client_as(ambassador_a)
    response = client.get(reverse("ambassadors:activity_create"))
    assert response.context["form"].initial["planned_item"] == item.pk
    client.post(
        reverse("ambassadors:activity_create"),
        {"kind": "talk", "date": today.isoformat(), "hours": "1", "colleagues_reached": "3", "planned_item": item.pk},
    )
    activity = Activity.objects.get(user=ambassador_a)
    assert ActivityMatch.objects.get(activity=activity).item == item


def test_pages_run_a_fixed_number_of_queries(
    client_as, programme, ambassador_a, officer, django_assert_max_num_queries
):
    url = reverse("department_programmes:programme", args=[programme.pk])
    client = client_as(ambassador_a)
    client.get(url)
    with django_assert_max_num_queries(16):
        client.get(url)
    for n in range(6):
        PlannedItem.objects.create(
            programme=programme, title=f"Extra {n}", kind="talk", month=5, ambassador=ambassador_a, hours=1
        )
    with django_assert_max_num_queries(16):
        client.get(url)
    overview = reverse("department_programmes:overview", args=[programme.year])
    officer_client = client_as(officer)
    officer_client.get(overview)
    with django_assert_max_num_queries(16):
        assert officer_client.get(overview).status_code == 200


def test_overview_names_unpicked_topics_and_departments_without_agreement(client_as, programme, officer):
    programme.items.filter(title="Wachtwoorden").delete()
    response = client_as(officer).get(reverse("department_programmes:overview", args=[programme.year]))
    overview = response.context["overview"]
    assert [t.title for t in overview.unpicked] == ["Wachtwoorden"]
    assert programme.department in overview.without_agreed


def test_kpi_share_of_planned_items_done(programme, ambassador_a):
    year = programme.year
    services.programme_submit(programme=programme)
    programme.status = DepartmentProgramme.Status.AGREED
    programme.save()
    item = programme.items.get(title="Phishing")
    activity = ActivityFactory(organisation=programme.organisation, user=ambassador_a, hours=Decimal("1"))
    services.activity_match_set(activity=activity, item=item)
    value = planned_items_done(programme.organisation, datetime.date(year, 1, 1), datetime.date(year, 1, 31), None)
    assert value == Decimal("100.0")


def test_reminders_are_sent_once(programme, ambassador_a, officer):
    services.programme_submit(programme=programme)
    assert reminders.send_waiting_programme_reminders() == 1
    assert reminders.send_waiting_programme_reminders() == 0
    programme.status = DepartmentProgramme.Status.AGREED
    programme.save()
    today = datetime.date(programme.year, 2, 15)
    mail.outbox.clear()
    assert reminders.send_overdue_item_reminders(today) == 1
    assert reminders.send_overdue_item_reminders(today) == 0
    assert "Phishing" in mail.outbox[0].subject


def test_good_practice_is_adopted_in_one_click(client_as, programme, ambassador_a, org, department_b):
    from accounts.tests.factories import UserFactory
    from ambassadors.tests.factories import AppointmentFactory

    practice = services.practice_share(
        user=ambassador_a,
        item=programme.items.first(),
        data={"title": "Quiz", "kind": "talk", "what": "x", "audience": "team", "what_worked": "y", "effort": "z"},
        url="https://example.org/quiz",
    )
    other = UserFactory(organisation=org, department=department_b)
    AppointmentFactory(user=other, organisation=org, departments=[department_b])
    theirs, _ = services.programme_start(user=other, department=department_b, year=programme.year)
    client = client_as(other)
    assert "Quiz" in client.get(reverse("department_programmes:practices")).content.decode()
    client.post(reverse("department_programmes:practice_adopt", args=[practice.pk]), {"programme": theirs.pk})
    copy = theirs.items.get(source_practice=practice)
    assert copy.title == "Quiz"
    assert GoodPractice.objects.with_reuse().get(pk=practice.pk).reuse_count == 1
    # not into a programme of a department that is not theirs
    response = client.post(
        reverse("department_programmes:practice_adopt", args=[practice.pk]), {"programme": programme.pk}
    )
    assert response.status_code in (403, 404)


def test_api_lists_planned_items_of_the_tokens_organisation_only(client, programme, other_org):
    from api import services as api_services

    token, secret = api_services.token_create(
        organisation=programme.organisation,
        created_by=None,
        name="t",
        scopes=["topics:read"],
        expires_at=timezone.now() + datetime.timedelta(days=9),
    )
    response = client.get(
        reverse("api:v1_planned_items"), {"period": str(programme.year)}, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200
    titles = {row["title"] for row in response.json()["results"]}
    assert titles == {"Phishing", "Clean desk", "Wachtwoorden"}
    assert {row["state"] for row in response.json()["results"]} == {"open"}


def test_an_activity_is_shared_as_a_good_practice_with_a_link(client_as, ambassador_a, staff_b, officer, org):
    from ambassadors.programmes.models import GoodPracticeMaterial

    own = ActivityFactory(organisation=org, user=ambassador_a, note="Quiz")
    someone_elses = ActivityFactory(organisation=org, user=officer)
    url = reverse("department_programmes:practice_create")
    assert client_as(staff_b).get(url).status_code == 403
    client = client_as(ambassador_a)
    data = {
        "title": "Quiz",
        "kind": "talk",
        "what": "Een quiz",
        "audience": "Het team",
        "what_worked": "Echte voorbeelden",
        "effort": "Een uur",
        "hours": "1",
        "material_url": "https://example.org/quiz",
    }
    response = client.post(url, {**data, "activity": someone_elses.pk})
    assert response.status_code == 200 and not GoodPractice.objects.exists()
    client.post(url, {**data, "activity": own.pk})
    practice = GoodPractice.objects.get()
    assert practice.activity == own and practice.author == ambassador_a
    assert GoodPracticeMaterial.objects.get(practice=practice).url == "https://example.org/quiz"
    feature = reverse("department_programmes:practice_feature", args=[practice.pk])
    assert client.post(feature).status_code == 403
    assert client_as(officer).post(feature).status_code == 302
    practice.refresh_from_db()
    assert practice.featured


def test_lists_and_home_run_a_fixed_number_of_queries(
    client_as, programme, ambassador_a, org, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(ambassador_a)
    # One of each to start with, so prefetches run in both rounds.
    services.practice_share(
        user=ambassador_a,
        data={"title": "P", "kind": "talk", "what": "x", "audience": "y", "what_worked": "z", "effort": "w"},
        url="https://example.org/p",
    )
    urls = [reverse("department_programmes:practices"), reverse("department_programmes:programmes"), "/"]
    for url in urls:
        client.get(url)
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        before[url] = len(queries)
    for n in range(4):
        services.practice_share(
            user=ambassador_a,
            item=programme.items.first(),
            data={"title": f"P{n}", "kind": "talk", "what": "x", "audience": "y", "what_worked": "z", "effort": "w"},
            url="https://example.org/p",
        )
        PlannedItem.objects.create(
            programme=programme,
            title=f"Deze maand {n}",
            kind="talk",
            month=timezone.localdate().month,
            ambassador=ambassador_a,
            hours=1,
        )
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(queries) == before[url], url
    assert "Deze maand 3" in response.content.decode()


def test_the_demo_has_an_agreed_and_a_waiting_programme_and_a_featured_practice():
    from django.core.management import call_command

    call_command("seed_demo")
    statuses = set(DepartmentProgramme.objects.values_list("department__code", "status"))
    assert ("BZ", "agreed") in statuses and ("WI", "submitted") in statuses
    assert ActivityMatch.objects.exists()
    assert GoodPractice.objects.filter(featured=True).exists()
    assert PlannedItem.objects.filter(decision="dropped").exists()
