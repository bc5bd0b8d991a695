"""How the dashboards are rendered: the department's lower tables loaded when scrolled into view (htmx) or with
the page (the link without JavaScript), its figures kept per rollup, and the programme's heat map capped."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DepartmentFactory
from evaluation.dashboards import rollup
from evaluation.dashboards.views import HEAT_MAP_ROWS

pytestmark = pytest.mark.django_db


def _dept_url(department):
    return reverse("evaluation:department_dashboard", args=[department.pk])


def test_the_lower_tables_come_when_scrolled_into_view(client_as, data, manager_a, department_a):
    client = client_as(manager_a)
    body = client.get(_dept_url(department_a)).content.decode()
    assert 'hx-trigger="revealed"' in body and 'data-testid="table-feedback_status"' not in body
    assert 'href="?tabellen=alle#lower-tables"' in body  # without JavaScript, a link to the page with them
    assert 'data-testid="table-activities"' in body  # the charts' tables come with the page

    part = client.get(_dept_url(department_a), {"deel": "tabellen"}, headers={"HX-Request": "true"})
    html = part.content.decode()
    assert 'data-testid="table-feedback_status"' in html and 'data-testid="table-dataleak_categories"' in html
    assert "<html" not in html and "table-activities" not in html


def test_without_javascript_the_link_shows_every_table(client_as, data, manager_a, department_a):
    body = client_as(manager_a).get(_dept_url(department_a), {"tabellen": "alle"}).content.decode()
    assert 'data-testid="table-feedback_status"' in body and 'hx-trigger="revealed"' not in body


def test_the_lower_tables_are_guarded_as_the_page(client_as, data, manager_a, staff_a, department_b):
    assert client_as(staff_a).get(_dept_url(department_b), {"deel": "tabellen"}).status_code == 403
    response = client_as(manager_a).get(_dept_url(department_b), {"deel": "tabellen"}, headers={"HX-Request": "true"})
    assert response.status_code == 404


def test_the_figures_are_kept_per_rollup_language_and_day(client_as, data, org, manager_a, department_a, settings):
    settings.DASHBOARD_ROLLUP_MAX_AGE_SECONDS = 3600
    counted = rollup.refresh(org.pk)
    client_as(manager_a).get(_dept_url(department_a))
    key = [department_a.pk, counted.computed_at, "nl", timezone.localdate(), False]
    kept = cache.get(make_template_fragment_key("department-dashboard", key))
    assert 'data-testid="table-figures"' in kept
    # The next rollup is another key: its first view builds the fragment anew.
    later = timezone.now() + datetime.timedelta(seconds=5)
    rollup.Rollup.objects.filter(organisation=org).update(computed_at=later)
    assert cache.get(make_template_fragment_key("department-dashboard", [*key[:1], later, *key[2:]])) is None
    client_as(manager_a).get(_dept_url(department_a))
    assert cache.get(make_template_fragment_key("department-dashboard", [*key[:1], later, *key[2:]])) is not None


def test_the_heat_map_shows_the_most_active_departments_and_links_to_all(client_as, data, org, officer):
    for index in range(HEAT_MAP_ROWS + 2):
        DepartmentFactory(organisation=org, name=f"Afdeling {index:02d}")
    client = client_as(officer)
    url = reverse("evaluation:programme_dashboard")
    body = client.get(url).content.decode()
    heat = body[body.index('data-testid="table-heatmap"') : body.index("</table>", body.index("table-heatmap"))]
    assert heat.count('<th scope="row">') == HEAT_MAP_ROWS
    assert "Burgerzaken" in heat  # the busiest stay
    assert 'href="?kaart=alle#heading-heatmap"' in body and 'data-testid="heatmap-more"' in body
    every = client.get(url, {"kaart": "alle"}).content.decode()
    heat = every[every.index('data-testid="table-heatmap"') : every.index("</table>", every.index("table-heatmap"))]
    assert heat.count('<th scope="row">') > HEAT_MAP_ROWS
