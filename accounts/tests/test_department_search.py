"""The department combobox's search (``accounts:department_search``, ``accounts.fields``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:department_search")


def test_finds_the_users_own_organisations_departments_by_name_or_code(client_as, staff_a, team_a, department_b):
    DepartmentFactory(organisation=staff_a.organisation, name="Team Balie Noord", code="BN")
    client = client_as(staff_a)
    body = client.get(URL, {"department_text": "balie", "listbox": "id_department_listbox"}).content.decode()
    assert "Team Balie</li>" in body and "Team Balie Noord" in body and "Werk en Inkomen" not in body
    assert 'id="id_department_listbox_1"' in body and f'data-value="{team_a.pk}"' in body
    assert "Werk en Inkomen" in client.get(URL, {"department_text": "B"}).content.decode()  # its code


def test_never_offers_another_organisations_department(client_as, staff_a, other_department):
    body = client_as(staff_a).get(URL, {"department_text": other_department.name}).content.decode()
    assert other_department.name not in body
    assert "Niets gevonden" in body


def test_offers_only_active_departments_when_asked(client_as, staff_a):
    DepartmentFactory(organisation=staff_a.organisation, name="Opgeheven afdeling", code="O", is_active=False)
    client = client_as(staff_a)
    assert "Opgeheven afdeling" in client.get(URL, {"department_text": "opgeheven"}).content.decode()
    assert "Opgeheven afdeling" not in client.get(URL, {"actief": "1", "department_text": "opgeheven"}).content.decode()


def test_a_listbox_id_that_is_not_an_id_is_not_echoed(client_as, staff_a, team_a):
    body = client_as(staff_a).get(URL, {"department_text": "balie", "listbox": '"><script>x'}).content.decode()
    assert "<script>x" not in body and 'id="autocomplete_listbox_1"' in body


def test_asks_to_sign_in_first(client_as, team_a):
    response = client_as(None).get(URL, {"department_text": "balie"})
    assert response.status_code == 302 and "Team Balie" not in response.content.decode()
