"""The dashboards' background rollup: the same figures as counting live, its age on the page, live when stale."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department
from ambassadors.models import Activity, Feedback
from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory, UserFactory
from evaluation.dashboards import rollup
from evaluation.dashboards.department import (
    _activity_totals,
    _feedback_totals,
    _leak_totals,
    department_dashboard,
)
from evaluation.dashboards.models import QuarterCount, Rollup
from evaluation.tasks import refresh_rollups
from evaluation.tests.dashboard_data import add_bulk, more_departments
from incidents.models import DataLeak
from incidents.tests.factories import DataLeakFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def data(data, org, department_a, team_a, ambassador_a):
    """The dashboards' example, with rows in earlier quarters and last year too."""
    today = timezone.localdate()
    for days in (100, 200, 300, 400):
        ActivityFactory(organisation=org, user=ambassador_a, department=team_a, date=today - datetime.timedelta(days))
        leak = DataLeakFactory(department=department_a)
        DataLeak.objects.filter(pk=leak.pk).update(created_at=timezone.now() - datetime.timedelta(days))
        feedback = FeedbackFactory(department=team_a)
        Feedback.objects.filter(pk=feedback.pk).update(created_at=timezone.now() - datetime.timedelta(days))
    return data


def _figure(dashboard, label):
    return next(f for f in dashboard.figures if f.label == label)


def _sorted(totals):
    return sorted((tuple(sorted(row.items())) for row in totals.rows), key=repr)


def test_the_rollup_gives_what_counting_live_gives(data, org, department_a, team_a):
    today = timezone.localdate()
    ids = list(Department.objects.filter(path__startswith=department_a.path).values_list("pk", flat=True))
    counted = rollup.refresh(org.pk)
    activities, feedback, leaks, _surveys = rollup.department_totals(counted, department_a.pk, today)
    in_dept = {"organisation_id": org.pk, "department_id__in": ids}
    assert _sorted(activities) == _sorted(_activity_totals(Activity.objects.filter(**in_dept), today, ("topic_id",)))
    assert _sorted(feedback) == _sorted(_feedback_totals(Feedback.objects.filter(**in_dept), today))
    assert _sorted(leaks) == _sorted(_leak_totals(DataLeak.objects.filter(**in_dept), today))
    assert activities.year_total() > 0 and leaks.rows and feedback.rows


def test_the_dashboard_reads_the_rollup_and_says_how_old_it_is(data, org, department_a, ambassador_a):
    live = department_dashboard(department_a)
    assert live.counted_at is None
    counted = rollup.refresh(org.pk)
    from_rollup = department_dashboard(department_a)
    assert from_rollup.counted_at == counted.computed_at
    assert [t.rows for t in from_rollup.tables] == [t.rows for t in live.tables]
    # What is logged after the count shows with the next count, not before.
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=timezone.localdate())
    assert _figure(department_dashboard(department_a), "Activities this year").value == (
        _figure(live, "Activities this year").value
    )
    rollup.refresh(org.pk)
    assert (
        _figure(department_dashboard(department_a), "Activities this year").value
        == _figure(live, "Activities this year").value + 1
    )


def test_a_stale_rollup_is_not_used(data, org, department_a, ambassador_a, settings):
    settings.DASHBOARD_ROLLUP_MAX_AGE_SECONDS = 600
    before = _figure(department_dashboard(department_a), "Activities this year").value
    rollup.refresh(org.pk, now=timezone.now() - datetime.timedelta(seconds=601))
    ActivityFactory(organisation=org, user=ambassador_a, department=department_a, date=timezone.localdate())
    dashboard = department_dashboard(department_a)
    assert dashboard.counted_at is None  # the worker stopped ten minutes ago: counted live
    assert _figure(dashboard, "Activities this year").value == before + 1
    settings.DASHBOARD_ROLLUP_MAX_AGE_SECONDS = 0  # switched off
    rollup.refresh(org.pk)
    assert department_dashboard(department_a).counted_at is None


def test_the_page_shows_the_moment_of_the_count(client_as, data, org, manager_a, department_a):
    url = reverse("evaluation:department_dashboard", args=[department_a.pk])
    with CaptureQueriesContext(connection):
        page = client_as(manager_a).get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "zojuist geteld" in page
    counted = rollup.refresh(org.pk)
    page = client_as(manager_a).get(url).content.decode()
    moment = timezone.localtime(counted.computed_at)
    assert 'data-testid="counted-at"' in page
    assert f"{moment:%H:%M}" in page


def test_the_dashboard_on_the_rollup_runs_a_fixed_number_of_queries(
    client_as, data, org, manager_a, department_a, team_a
):
    client = client_as(manager_a)
    url = reverse("evaluation:department_dashboard", args=[department_a.pk])
    rollup.refresh(org.pk)
    client.get(url)  # the organisation's cached figures
    rollup.refresh(org.pk)  # a new rollup: the page is built anew, as after the bulk below
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_bulk(org=org, departments=[department_a, team_a, *more_departments(org, 6)], count=48)
    rollup.refresh(org.pk)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
    assert any("evaluation_quartercount" in q["sql"] for q in after.captured_queries)
    assert not any('FROM "ambassadors_activity"' in q["sql"] for q in after.captured_queries)


def test_the_page_is_built_once_per_rollup_and_shows_a_change_with_the_next(
    client_as, data, org, manager_a, department_a
):
    from ambassadors.tests.factories import AppointmentFactory

    client = client_as(manager_a)
    url = reverse("evaluation:department_dashboard", args=[department_a.pk])
    rollup.refresh(org.pk)
    with CaptureQueriesContext(connection) as built:
        first = client.get(url).context["dashboard"]
    with CaptureQueriesContext(connection) as read:
        assert client.get(url).context["dashboard"].appointment_count == first.appointment_count
    assert len(read) < len(built)
    assert not any("evaluation_quartercount" in q["sql"] for q in read.captured_queries)  # from the cache
    AppointmentFactory(organisation=org, user=UserFactory(organisation=org), departments=[department_a])
    assert client.get(url).context["dashboard"].appointment_count == first.appointment_count
    rollup.refresh(org.pk)
    assert client.get(url).context["dashboard"].appointment_count == first.appointment_count + 1
    # One per language: the labels are built in the reader's.
    from django.utils import translation

    from evaluation.dashboards.department import page_dashboard

    with translation.override("nl"):
        dutch = page_dashboard(department_a).figures[0].label
    with translation.override("en"):
        english = page_dashboard(department_a).figures[0].label
    assert (dutch, english) == ("Huidige ambassadeurs", "Current ambassadors")


def test_a_refresh_replaces_only_its_own_organisation(data, org, other_department):
    rollup.refresh(org.pk)
    rollup.refresh(other_department.organisation_id)
    mine = QuarterCount.objects.filter(organisation=org).count()
    theirs = QuarterCount.objects.filter(organisation_id=other_department.organisation_id).count()
    rollup.refresh(org.pk)
    assert QuarterCount.objects.filter(organisation=org).count() == mine
    assert QuarterCount.objects.filter(organisation_id=other_department.organisation_id).count() == theirs > 0


def test_the_beat_task_refreshes_every_organisation_once_at_a_time(data, org, other_department):
    from core.locks import single_run

    with single_run("evaluation.refresh_rollups") as mine:
        assert mine
        assert refresh_rollups() == 0  # a second run at the same moment does nothing
    assert not Rollup.objects.exists()
    assert refresh_rollups() >= 2
    assert set(Rollup.objects.values_list("organisation_id", flat=True)) >= {org.pk, other_department.organisation_id}
    assert "dashboard-rollups" in __import__("django.conf").conf.settings.CELERY_BEAT_SCHEDULE


def test_a_large_department_lists_the_furthest_behind_and_the_export_all(client_as, data, org, officer, department_a):
    from evaluation.dashboards.department import PAGE_ROWS

    for i in range(PAGE_ROWS + 3):
        user = UserFactory(organisation=org, department=department_a, full_name=f"Ambassadeur {i:02d}")
        AppointmentFactory(user=user, organisation=org, departments=[department_a])
    dashboard = department_dashboard(department_a)
    total = _figure(dashboard, "Current ambassadors").value
    assert total == dashboard.appointment_count > PAGE_ROWS
    assert len(dashboard.appointments) == PAGE_ROWS
    training = dashboard.table("training")
    assert len(training.rows) == PAGE_ROWS and str(total) in training.note
    assert len(department_dashboard(department_a, rows=None).table("training").rows) == total
    page = client_as(officer).get(reverse("evaluation:department_dashboard", args=[department_a.pk]))
    assert 'data-testid="ambassadors-more"' in page.content.decode()
    export = client_as(officer).get(reverse("evaluation:department_export", args=[department_a.pk, "training", "csv"]))
    assert b"".join(export.streaming_content if export.streaming else [export.content]).count(b"\n") == total + 1


def test_the_register_counts_come_from_the_rollup_with_their_age_and_the_pdf_counts_live(
    client_as, data, org, privacy_officer, department_a
):
    url = reverse("incidents:register")
    client = client_as(privacy_officer)
    live = client.get(url).context["counts"]
    assert client.get(url).context["counted_at"] is None
    counted = rollup.refresh(org.pk)
    response = client.get(url)
    assert response.context["counted_at"] == counted.computed_at
    strip = lambda counts: {k: [{f: r[f] for f in r if f != "label"} for r in v] for k, v in counts.items()}  # noqa: E731
    assert strip(response.context["counts"]) == strip(live)
    assert 'data-testid="counted-at"' in response.content.decode()
    # An earlier year than the rollup covers is counted live.
    old = timezone.localdate().year - 3
    assert client.get(url, {"jaar": old}).context["counted_at"] is None


def test_the_register_reads_a_rollups_counts_once_and_a_newer_rollups_anew(
    client_as, data, org, privacy_officer, department_a
):
    url = reverse("incidents:register")
    client = client_as(privacy_officer)
    rollup.refresh(org.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        before = client.get(url).context["counts"]
    assert not any("evaluation_quartercount" in q["sql"] for q in first.captured_queries)  # from the cache
    reported = sum(row["count"] for row in before["per_type"])
    assert _shown_per_type(client.get(url)) == reported
    DataLeakFactory(department=department_a)
    assert sum(row["count"] for row in client.get(url).context["counts"]["per_type"]) == reported  # same moment
    assert _shown_per_type(client.get(url)) == reported  # the page's counts fragment, kept under the moment
    rollup.refresh(org.pk)
    assert sum(row["count"] for row in client.get(url).context["counts"]["per_type"]) == reported + 1
    assert _shown_per_type(client.get(url)) == reported + 1  # a newer rollup is another key


def _shown_per_type(response) -> int:
    """The sum of the reports column of the register page's "Per soort" table, as rendered."""
    table = response.content.decode().split("<caption>Per soort</caption>", 1)[1].split("</table>", 1)[0]
    return sum(int(count) for count in re.findall(r'<tr><td>[^<]*</td><td class="text-end">(\d+)</td>', table))


def test_the_survey_score_from_the_rollup_is_the_live_one_and_as_discreet(
    data, org, department_a, team_a, open_survey, add_responses
):
    from evaluation.models import MIN_GROUP_SIZE

    survey = open_survey()
    add_responses(survey, team_a, MIN_GROUP_SIZE - 1, likert=2)

    def score() -> tuple:
        live = _figure(department_dashboard(department_a), "Survey score (1 to 5)").value
        rollup.refresh(org.pk)
        counted = department_dashboard(department_a)
        QuarterCount.objects.all().delete()
        Rollup.objects.all().delete()
        return live, _figure(counted, "Survey score (1 to 5)").value

    assert score() == (None, None)  # too few responses to show a department's score
    add_responses(survey, department_a, 3, likert=5)
    live, counted = score()
    expected = round((2 * (MIN_GROUP_SIZE - 1) + 5 * 3) / (MIN_GROUP_SIZE + 2), 2)
    assert live == counted and float(counted) == pytest.approx(expected, abs=0.005)
