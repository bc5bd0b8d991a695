"""The handler's queue and the register: the same filters in the URL, sorting by whitelisted columns, a fixed
number of queries; and the access rules behind "my reports" and the statistics."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import (
    can_report_dataleak_on_behalf,
    can_view_department_dataleaks,
    dataleak_statistics_scope,
)
from incidents.models import DataLeak
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db


def _queue(client, **query):
    return client.get(reverse("incidents:queue"), query)


def test_the_queue_searches_by_reference_and_text(client_as, privacy_officer, team_a, department_b):
    wanted = DataLeakFactory(department=team_a, description="Een USB-stick met dossiers verloren in de trein.")
    other = DataLeakFactory(department=department_b)
    client = client_as(privacy_officer)
    references = [leak.reference for leak in _queue(client, q="usb-stick").context["page"]]
    assert references == [wanted.reference]
    references = [leak.reference for leak in _queue(client, q=other.reference).context["page"]]
    assert references == [other.reference]


def test_the_queue_filters_on_assigned_to_me_department_and_type(client_as, privacy_officer, team_a, department_b):
    mine = DataLeakFactory(department=team_a, assignee=privacy_officer)
    DataLeakFactory(department=team_a)
    lost = DataLeakFactory(department=department_b, category="lost_device")
    client = client_as(privacy_officer)
    assert [leak.pk for leak in _queue(client, mine="on").context["page"]] == [mine.pk]
    assert [leak.pk for leak in _queue(client, category="lost_device").context["page"]] == [lost.pk]
    assert {leak.pk for leak in _queue(client, department=department_b.pk).context["page"]} == {lost.pk}


def test_the_queue_shows_open_reports_unless_all_are_asked_for(client_as, privacy_officer, team_a):
    open_leak = DataLeakFactory(department=team_a)
    closed = DataLeakFactory(department=team_a, closed_at=timezone.now())
    client = client_as(privacy_officer)
    assert [leak.pk for leak in _queue(client).context["page"]] == [open_leak.pk]
    assert {leak.pk for leak in _queue(client, toon="alle").context["page"]} == {open_leak.pk, closed.pk}
    # The filters apply to either view, and the "all" link keeps them.
    response = _queue(client, toon="alle", q=closed.reference)
    assert [leak.pk for leak in response.context["page"]] == [closed.pk]
    assert f"q={closed.reference}" in response.content.decode()


def test_the_queue_sorts_by_its_columns_with_aria_sort(client_as, privacy_officer, team_a):
    first = DataLeakFactory(department=team_a)
    second = DataLeakFactory(department=team_a)
    client = client_as(privacy_officer)
    assert [leak.pk for leak in _queue(client, sort="-referentie").context["page"]] == [second.pk, first.pk]
    response = _queue(client, sort="referentie")
    assert [leak.pk for leak in response.context["page"]] == [first.pk, second.pk]
    body = response.content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-referentie"' in body
    assert 'aria-sort="none"><a href="?sort=behandelaar"' in body


def test_an_unknown_sort_key_falls_back_to_the_deadline(client_as, privacy_officer, team_a):
    DataLeakFactory(department=team_a)
    response = _queue(client_as(privacy_officer), sort="description")
    assert response.status_code == 200
    assert response.context["sort"] == "deadline"


def test_the_filters_survive_paging(client_as, privacy_officer, team_a):
    for _ in range(51):
        DataLeakFactory(department=team_a, assignee=privacy_officer)
    body = _queue(client_as(privacy_officer), mine="on", sort="status").content.decode()
    assert "mine=on" in body and "sort=status" in body and "page=2" in body
    page_link = next(part for part in body.split('href="?') if "page=2" in part.split('"')[0])
    assert "mine=on" in page_link.split('"')[0]


@pytest.mark.parametrize(("name", "most"), [("incidents:queue", 14), ("incidents:register", 20)])
def test_both_lists_run_a_fixed_number_of_queries_with_filters(
    name, most, client_as, privacy_officer, team_a, django_assert_max_num_queries
):
    client = client_as(privacy_officer)
    query = {"q": "mail", "mine": "on", "sort": "afdeling", "department": team_a.pk}
    for _ in range(3):
        DataLeakFactory(department=team_a, assignee=privacy_officer)
    client.get(reverse(name), query)
    with django_assert_max_num_queries(most):
        client.get(reverse(name), query)
    for _ in range(20):
        DataLeakFactory(department=team_a, assignee=privacy_officer)
    with django_assert_max_num_queries(most):
        response = client.get(reverse(name), query)
    assert len(response.context["page"]) == 23


def test_an_ambassador_sees_only_their_departments_reports(client_as, ambassador_a, leak_a, leak_b, foreign_leak):
    assert can_view_department_dataleaks(ambassador_a)
    response = client_as(ambassador_a).get(reverse("incidents:departments"))
    shown = {leak.pk for leak in response.context["page"]}
    assert shown == {leak_a.pk}
    body = response.content.decode()
    for hidden in (leak_b, foreign_leak):
        assert reverse("incidents:detail", args=[hidden.pk]) not in body


def test_reporting_on_behalf_is_for_ambassadors_and_handlers(ambassador_a, privacy_officer, staff_a, manager_a):
    assert can_report_dataleak_on_behalf(ambassador_a)
    assert can_report_dataleak_on_behalf(privacy_officer)
    assert not can_report_dataleak_on_behalf(staff_a)
    assert not can_report_dataleak_on_behalf(manager_a)


def test_a_manager_of_a_counts_only_a(client_as, manager_a, department_a, leak_a, leak_b, foreign_leak):
    assert department_a.pk in dataleak_statistics_scope(manager_a)
    counted = set(DataLeak.objects.countable_by(manager_a).values_list("pk", flat=True))
    assert counted == {leak_a.pk}
    rows = client_as(manager_a).get(reverse("incidents:statistics")).context["rows"]
    assert sum(row["count"] for row in rows) == 1


def test_handlers_count_their_whole_organisation_only(privacy_officer, leak_a, leak_b, foreign_leak):
    assert dataleak_statistics_scope(privacy_officer) is None
    assert set(DataLeak.objects.countable_by(privacy_officer).values_list("pk", flat=True)) == {leak_a.pk, leak_b.pk}
