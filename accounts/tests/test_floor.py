"""A signed-in page's fixed cost: the user and organisation in one query, roles in one, the TOTP check carried."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.middleware import TOTP_CHECKED_KEY, TOTP_RECHECK_SECONDS
from accounts.permissions.roles import forget_roles, get_roles

pytestmark = pytest.mark.django_db


def test_the_floor_page_runs_two_queries_once_the_session_is_cached(client_as, staff_b, django_assert_num_queries):
    client = client_as(staff_b)
    client.get(reverse("accounts:preferences"))
    with django_assert_num_queries(2):  # the user with the organisation, the roles
        response = client.get(reverse("accounts:preferences"))
    assert response.status_code == 200
    assert staff_b.organisation.name in response.content.decode()


def test_the_roles_are_one_query(officer, manager_a, ambassador_a, django_assert_num_queries):
    for user, expected in ((officer, 1), (ambassador_a, 1), (manager_a, 2)):  # a manager's subtree: one more
        forget_roles(user)
        with django_assert_num_queries(expected):
            roles = get_roles(user)
        assert roles.is_officer == (user == officer)
        assert roles.is_manager == (user == manager_a)
        assert roles.is_ambassador == (user == ambassador_a)


def test_an_officer_s_totp_is_checked_once_per_interval(client_as, officer, django_assert_num_queries):
    client = client_as(officer)
    client.get(reverse("accounts:preferences"))
    assert client.session[TOTP_CHECKED_KEY] <= time.time()
    with django_assert_num_queries(2):  # no Authenticator query while the session carries the answer
        assert client.get(reverse("accounts:preferences")).status_code == 200


def test_a_removed_totp_is_noticed_after_the_interval(client_as, officer):
    client = client_as(officer)
    client.get(reverse("accounts:preferences"))
    Authenticator.objects.filter(user=officer).delete()
    session = client.session
    session[TOTP_CHECKED_KEY] = time.time() - TOTP_RECHECK_SECONDS - 1
    session.save()
    response = client.get(reverse("accounts:preferences"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_the_preferences_form_keeps_its_labels_and_shows_errors(client_as, staff_b):
    client = client_as(staff_b)
    page = client.get(reverse("accounts:preferences")).content.decode()
    assert 'for="id_language"' in page and 'form-select"' in page and "form-check-input" in page
    response = client.post(reverse("accounts:preferences"), {"language": "xx"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "is-invalid" in body and "invalid-feedback" in body
