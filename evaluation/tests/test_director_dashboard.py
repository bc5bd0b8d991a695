"""The director's overview: one row per department of their subtree, nothing outside it, a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import DepartmentFactory
from evaluation.dashboards.director import director_dashboard
from evaluation.tests.dashboard_data import add_bulk

pytestmark = pytest.mark.django_db


def _url(department):
    return reverse("evaluation:director_dashboard", args=[department.pk])


def test_each_row_counts_the_department_with_the_teams_below_it(data, department_a, team_a):
    dashboard = director_dashboard(department_a)
    rows = {row.department.pk: row for row in dashboard.rows}
    assert list(rows) == [department_a.pk, team_a.pk]
    top, team = rows[department_a.pk], rows[team_a.pk]
    # Department A: 3 activities of 1.5 hours (logged in the team), 2 leaks, 2 feedback of which 1 answered.
    assert (top.depth, top.ambassadors, top.activities, top.hours, top.leaks, top.feedback) == (
        0,
        1,
        3,
        Decimal("4.5"),
        2,
        2,
    )
    assert top.answered_rate == Decimal("50.0")
    assert (team.depth, team.activities, team.leaks, team.feedback, team.answered_rate) == (
        1,
        3,
        1,
        1,
        Decimal("100.0"),
    )


def test_a_director_sees_their_subtree_per_department_with_links(client_as, data, manager_a, department_a, team_a):
    content = client_as(manager_a).get(_url(department_a)).content.decode()
    assert 'data-testid="director-table"' in content
    assert reverse("evaluation:department_dashboard", args=[team_a.pk]) in content
    assert "Werk en Inkomen" not in content and "Algemene Zaken" not in content


def test_a_director_never_sees_a_department_outside_their_subtree(
    client_as, data, manager_a, department_b, other_department
):
    client = client_as(manager_a)
    assert client.get(_url(department_b)).status_code == 404
    assert client.get(_url(other_department)).status_code == 404


def test_staff_and_ambassadors_are_refused(client_as, data, staff_a, ambassador_a, department_a):
    assert client_as(staff_a).get(_url(department_a)).status_code == 403
    assert client_as(ambassador_a).get(_url(department_a)).status_code == 403


def test_the_director_of_a_directorate_sees_every_unit_below_it(client_as, org, department_b, data):
    from accounts.tests.factories import UserFactory

    directorate = DepartmentFactory(organisation=org, name="Directie Dienstverlening", level="directorate")
    unit = DepartmentFactory(organisation=org, parent=directorate, name="Belastingen")
    director = UserFactory(organisation=org, department=directorate, email="directeur@voorbeeld.test")
    directorate.managers.add(director)
    client = client_as(director)
    content = client.get(_url(directorate)).content.decode()
    assert "Belastingen" in content and "Werk en Inkomen" not in content
    assert client.get(_url(unit)).status_code == 200
    assert client.get(_url(department_b)).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert _url(directorate) in home
    assert (
        reverse("evaluation:director_dashboard", args=[directorate.pk])
        in client.get(reverse("evaluation:department_dashboard", args=[directorate.pk])).content.decode()
    )


def test_the_overview_runs_a_fixed_number_of_queries(client_as, data, org, manager_a, department_a, team_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(manager_a)
    url = _url(department_a)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    teams = [DepartmentFactory(organisation=org, parent=department_a, name=f"Team {i}", level="team") for i in range(4)]
    add_bulk(org=org, departments=[department_a, team_a, *teams], count=30)
    with CaptureQueriesContext(connection) as after:
        content = client.get(url).content.decode()
    assert len(after) == len(before)
    assert "Team 3" in content
