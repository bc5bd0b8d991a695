"""Enrolling a colleague through the server-side combobox (core.autocomplete) instead of a select of every employee."""

from __future__ import annotations

import pytest
from django.urls import reverse

from training.models import Enrolment
from training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _search(client, session, typed):
    return client.get(reverse("training:session_colleague_search", args=[session.pk]), {"user_text": typed})


def test_the_search_is_for_those_who_enrol_colleagues(client, client_as, officer, ambassador_a, session, staff_a):
    url = reverse("training:session_colleague_search", args=[session.pk])
    assert client.get(url, {"user_text": "a"}).status_code == 302
    assert client_as(ambassador_a).get(url, {"user_text": "a"}).status_code == 403
    assert client_as(officer).get(url, {"user_text": "a"}).status_code == 200


def test_the_search_finds_colleagues_by_part_of_their_name_or_mail(client_as, officer, session, staff_a, outsider):
    client = client_as(officer)
    word = staff_a.full_name.split()[0]
    body = _search(client, session, word.lower()).content.decode()
    assert f'data-value="{staff_a.pk}"' in body and staff_a.email in body
    assert 'role="option"' in body
    # Never someone of another organisation, nor someone already enrolled.
    assert f'data-value="{outsider.pk}"' not in _search(client, session, outsider.full_name).content.decode()
    EnrolmentFactory(session=session, user=staff_a)
    assert f'data-value="{staff_a.pk}"' not in _search(client, session, word).content.decode()


def test_an_empty_or_unknown_search_says_what_to_do(client_as, officer, session):
    client = client_as(officer)
    assert "Typ een deel van een naam." in _search(client, session, "").content.decode()
    assert "Niets gevonden" in _search(client, session, "zzzqqq").content.decode()


def test_the_page_lists_no_employees_but_a_combobox(client_as, officer, session, staff_a, staff_b):
    body = client_as(officer).get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert 'role="combobox"' in body and 'name="user_text"' in body
    assert f'value="{staff_b.pk}"' not in body  # the employees are searched, not listed


def test_without_javascript_a_typed_name_that_matches_one_colleague_is_taken(client_as, officer, session, staff_a):
    client = client_as(officer)
    url = reverse("training:session_enrol_colleague", args=[session.pk])
    client.post(url, {"user": "", "user_text": staff_a.email})
    assert Enrolment.objects.filter(session=session, user=staff_a).exists()


def test_a_typed_name_that_matches_nobody_is_refused_and_kept(client_as, officer, session):
    response = client_as(officer).post(
        reverse("training:session_enrol_colleague", args=[session.pk]), {"user": "", "user_text": "Niemand Bekend"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies een collega uit de lijst." in body
    assert 'value="Niemand Bekend"' in body
    assert 'aria-invalid="true"' in body
