"""Views of the dashboards: anonymous, forbidden, foreign and permitted; query counts; exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.tests.dashboard_data import add_bulk, more_departments

pytestmark = pytest.mark.django_db


def _dept_url(department):
    return reverse("evaluation:department_dashboard", args=[department.pk])


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda d: reverse("evaluation:department_dashboard", args=[d.pk]),
        lambda d: reverse("evaluation:department_export", args=[d.pk, "activities", "csv"]),
        lambda d: reverse("evaluation:programme_dashboard"),
        lambda d: reverse("evaluation:programme_export", args=["kpis", "csv"]),
    ],
)
def test_anonymous_is_sent_to_login(client, department_a, url):
    response = client.get(url(department_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_and_ambassadors_get_403_on_a_department_dashboard(client_as, department_a, staff_a, ambassador_a):
    assert client_as(staff_a).get(_dept_url(department_a)).status_code == 403
    assert client_as(ambassador_a).get(_dept_url(department_a)).status_code == 403


def test_a_manager_gets_404_for_a_department_they_do_not_manage(client_as, manager_a, department_b):
    assert client_as(manager_a).get(_dept_url(department_b)).status_code == 404
    export = reverse("evaluation:department_export", args=[department_b.pk, "activities", "csv"])
    assert client_as(manager_a).get(export).status_code == 404


def test_another_organisation_gets_404(client_as, outsider, department_a):
    assert client_as(outsider).get(_dept_url(department_a)).status_code == 404


def test_a_manager_sees_their_department_and_its_teams(client_as, data, manager_a, department_a, team_a):
    response = client_as(manager_a).get(_dept_url(department_a))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sanne Ambassadeur" in content
    assert "Bram Ambassadeur" not in content
    assert "GEHEIM" not in content
    assert 'data-chart="chart-data-activities"' in content
    assert 'id="chart-data-activities" type="application/json"' in content
    # The team below the department has its own dashboard for the same manager.
    assert client_as(manager_a).get(_dept_url(team_a)).status_code == 200


def test_an_officer_sees_any_department_of_their_organisation(client_as, data, officer, department_a):
    response = client_as(officer).get(_dept_url(department_a))
    assert response.status_code == 200
    assert "Burgerzaken" in response.content.decode()


def test_programme_dashboard_is_for_officers(client_as, data, officer, manager_a, ambassador_a, outsider):
    url = reverse("evaluation:programme_dashboard")
    assert client_as(manager_a).get(url).status_code == 403
    assert client_as(ambassador_a).get(url).status_code == 403
    response = client_as(officer).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Burgerzaken" in content and "Uren besteed" in content
    assert "Algemene Zaken" not in content
    # The outsider's programme dashboard shows only their own organisation.
    assert "Burgerzaken" not in client_as(outsider).get(url).content.decode()


# --- Query counts ---------------------------------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_department_dashboard_runs_a_fixed_number_of_queries(
    client_as, data, org, manager_a, department_a, team_a, django_assert_max_num_queries
):
    client = client_as(manager_a)
    url = _dept_url(department_a)
    client.get(url)
    limit = 40
    _queries(client, url, django_assert_max_num_queries, limit)
    add_bulk(org=org, departments=[department_a, team_a, *more_departments(org, 5)], count=40)
    _queries(client, url, django_assert_max_num_queries, limit)


def test_department_dashboard_query_count_does_not_grow(
    client_as, data, org, manager_a, department_a, team_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(manager_a)
    url = _dept_url(department_a)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_bulk(org=org, departments=[department_a, team_a, *more_departments(org, 6)], count=48)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_programme_dashboard_query_count_does_not_grow(client_as, data, org, officer, department_a, team_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(officer)
    url = reverse("evaluation:programme_dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_bulk(org=org, departments=[department_a, team_a, *more_departments(org, 6)], count=48)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before) <= 45


# --- Exports --------------------------------------------------------------------------------------


def test_department_table_exports_as_csv_and_xlsx(client_as, data, manager_a, department_a):
    client = client_as(manager_a)
    csv = client.get(reverse("evaluation:department_export", args=[department_a.pk, "topics", "csv"]))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.getvalue().decode("utf-8-sig")
    assert "Phishing;3;4,5" in text
    xlsx = client.get(reverse("evaluation:department_export", args=[department_a.pk, "dataleaks", "xlsx"]))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][1] == 2  # this quarter's reports of department A with team A
    assert not any("GEHEIM" in str(cell) for row in rows for cell in row)


def test_unknown_export_table_or_format_is_404(client_as, data, manager_a, officer, department_a):
    client = client_as(manager_a)
    assert client.get(reverse("evaluation:department_export", args=[department_a.pk, "nope", "csv"])).status_code == 404
    assert (
        client.get(reverse("evaluation:department_export", args=[department_a.pk, "topics", "pdf"])).status_code == 404
    )


def test_programme_tables_export(client_as, data, officer):
    client = client_as(officer)
    for table in ("kpis", "heatmap", "building_blocks"):
        response = client.get(reverse("evaluation:programme_export", args=[table, "xlsx"]))
        assert response.status_code == 200, table
    csv = client.get(reverse("evaluation:programme_export", args=["heatmap", "csv"])).getvalue().decode("utf-8-sig")
    assert "Burgerzaken" in csv and "Algemene Zaken" not in csv


def test_an_export_is_named_in_the_reader_s_language(client_as, data, manager_a, officer, department_a):
    import re

    client = client_as(manager_a)
    client.cookies["django_language"] = "nl"
    response = client.get(reverse("evaluation:department_export", args=[department_a.pk, "figures", "csv"]))
    name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
    assert re.fullmatch(r"dashboard-[\w-]+-kerncijfers-van-\d{4}-tot-nu-toe-\d{4}-\d{2}-\d{2}\.csv", name), name
    client = client_as(officer)
    client.cookies["django_language"] = "nl"
    name = client.get(reverse("evaluation:programme_export", args=["heatmap", "xlsx"]))["Content-Disposition"]
    assert "programmadashboard-activiteiten-per-afdeling-en-kwartaal-" in name
    client.cookies["django_language"] = "en"
    name = client.get(reverse("evaluation:programme_export", args=["heatmap", "csv"]))["Content-Disposition"]
    assert "programme-dashboard-activities-per-department-and-quarter-" in name


# --- Navigation and home ----------------------------------------------------------------------------


def test_managers_get_a_menu_item_and_a_home_panel(client_as, manager_a, department_a):
    content = client_as(manager_a).get(reverse("home")).content.decode()
    assert _dept_url(department_a) in content
    assert 'data-testid="manager-dashboards"' in content


def test_officers_get_the_programme_dashboard_in_the_menu(client_as, officer):
    content = client_as(officer).get(reverse("home")).content.decode()
    assert reverse("evaluation:programme_dashboard") in content
