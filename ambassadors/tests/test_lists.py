"""The lists people work in: search, sort by column, "mine", filters in the URL, a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from ambassadors.models import Feedback, Nomination
from ambassadors.tests.factories import ActivityFactory, FeedbackFactory, NominationFactory

pytestmark = pytest.mark.django_db


def _feedback(org, department, n, **kwargs):
    for i in range(n):
        FeedbackFactory(organisation=org, department=department, message=f"Opmerking nummer {i}", **kwargs)


# --- Feedback ---------------------------------------------------------------------------------------


def test_feedback_can_be_searched_sorted_and_narrowed_to_mine(client_as, officer, org, department_a, department_b):
    FeedbackFactory(organisation=org, department=department_a, message="De printer staat open en bloot")
    FeedbackFactory(organisation=org, department=department_b, message="Wachtwoordbeleid is onwerkbaar")
    answered = FeedbackFactory(
        organisation=org,
        department=department_b,
        message="Vraag over USB-sticks",
        status=Feedback.Status.EXPLAINED,
        answer="Gebruik versleutelde sticks.",
        answered_by=officer,
    )
    client = client_as(officer)
    url = reverse("ambassadors:feedback_list")
    found = client.get(url, {"q": "printer"}).context["page"].object_list
    assert [f.message for f in found] == ["De printer staat open en bloot"]
    assert [f.pk for f in client.get(url, {"q": "versleutelde"}).context["page"]] == [answered.pk]
    by_department = [f.department.name for f in client.get(url, {"sort": "afdeling"}).context["page"]]
    assert by_department == sorted(by_department)
    assert [f.pk for f in client.get(url, {"mine": "on"}).context["page"]] == [answered.pk]
    html = client.get(url, {"sort": "-afdeling", "status": "explained"}).content.decode()
    assert 'aria-sort="descending"' in html
    # The header links keep the filters of the URL.
    assert "status=explained" in html and "sort=afdeling" in html


def test_an_unknown_sort_key_is_ignored(client_as, officer, org, department_a):
    _feedback(org, department_a, 2)
    response = client_as(officer).get(reverse("ambassadors:feedback_list"), {"sort": "ip_address"})
    assert response.status_code == 200 and response.context["listing"].sort == "-ontvangen"


def test_an_ambassadors_search_stays_within_their_departments(client_as, ambassador_a, org, department_a, department_b):
    FeedbackFactory(organisation=org, department=department_a, message="Printer bij de balie")
    FeedbackFactory(organisation=org, department=department_b, message="Printer bij Werk en Inkomen")
    found = client_as(ambassador_a).get(reverse("ambassadors:feedback_list"), {"q": "printer"}).context["page"]
    assert [f.department_id for f in found] == [department_a.pk]


@pytest.mark.parametrize("size", [3, 30])
def test_feedback_list_runs_fixed_queries(size, client_as, officer, org, department_a, django_assert_max_num_queries):
    _feedback(org, department_a, size)
    client = client_as(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ambassadors:feedback_list"), {"q": "opmerking", "sort": "afdeling"})
    assert response.context["page"].paginator.count == size


# --- Activities -------------------------------------------------------------------------------------


def test_my_activities_can_be_searched_and_sorted(client_as, ambassador_a, org, department_a):
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, note="Clean-desk-ronde", hours=2)
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, note="Phishingquiz", hours=1)
    other = UserFactory(organisation=org, department=department_a)
    ActivityFactory(organisation=org, user=other, department=department_a, note="Clean-desk van een ander")
    client = client_as(ambassador_a)
    url = reverse("ambassadors:activity_list")
    response = client.get(url, {"q": "clean-desk"})
    assert [a.note for a in response.context["page"]] == ["Clean-desk-ronde"]
    assert response.context["totals"]["count"] == 1  # the totals follow the search
    hours = [a.hours for a in client.get(url, {"sort": "uren"}).context["page"]]
    assert hours == sorted(hours)


@pytest.mark.parametrize("size", [3, 30])
def test_activity_list_runs_fixed_queries(
    size, client_as, ambassador_a, org, department_a, topic, django_assert_max_num_queries
):
    for i in range(size):
        ActivityFactory(organisation=org, user=ambassador_a, department=department_a, topic=topic, note=f"Sessie {i}")
    client = client_as(ambassador_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ambassadors:activity_list"), {"q": "sessie", "sort": "-onderwerp"})
    assert response.context["page"].paginator.count == size


# --- Nominations ------------------------------------------------------------------------------------


def test_nominations_open_first_searchable_and_mine(client_as, officer, org, department_a):
    decided = NominationFactory(
        organisation=org,
        nominee=UserFactory(organisation=org, full_name="Bea Besloten"),
        status=Nomination.Status.DECLINED,
        decided_by=officer,
        decided_at=timezone.now() - datetime.timedelta(days=1),
    )
    NominationFactory(organisation=org, nominee=UserFactory(organisation=org, full_name="Otto Open"))
    client = client_as(officer)
    url = reverse("ambassadors:nominations")
    assert [n.nominee.full_name for n in client.get(url).context["page"]] == ["Otto Open", "Bea Besloten"]
    assert [n.pk for n in client.get(url, {"q": "besloten"}).context["page"]] == [decided.pk]
    assert [n.pk for n in client.get(url, {"mine": "on"}).context["page"]] == [decided.pk]
    names = [n.nominee.full_name for n in client.get(url, {"sort": "-kandidaat"}).context["page"]]
    assert names == ["Otto Open", "Bea Besloten"]


@pytest.mark.parametrize("size", [3, 30])
def test_nomination_list_runs_fixed_queries_at_any_size(size, client_as, officer, org, django_assert_max_num_queries):
    for _ in range(size):
        NominationFactory(organisation=org)
    client = client_as(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ambassadors:nominations"), {"q": "medewerker", "sort": "afdeling"})
    assert response.context["page"].paginator.count == size


# --- People -----------------------------------------------------------------------------------------


def test_people_can_be_searched_and_sorted(client_as, officer, org, staff_a, staff_b, outsider):
    client = client_as(officer)
    url = reverse("accounts:people")
    assert [p.pk for p in client.get(url, {"q": "tom medewerker"}).context["page"]] == [staff_b.pk]
    names = [p.full_name for p in client.get(url, {"sort": "-naam"}).context["page"]]
    assert names == sorted(names, reverse=True) and outsider.full_name not in names
    assert 'aria-sort="descending"' in client.get(url, {"sort": "-naam"}).content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_people_list_runs_fixed_queries(size, client_as, officer, org, department_a, django_assert_max_num_queries):
    for _ in range(size):
        UserFactory(organisation=org, department=department_a)
    client = client_as(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:people"), {"q": "medewerker", "sort": "afdeling"})
    assert response.context["page"].paginator.count == size
