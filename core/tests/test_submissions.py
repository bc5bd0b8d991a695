"""A form sent twice with the same one-time token is stored once."""

import pytest
from django.urls import reverse

from accounts.models import User
from programme.models import Goal

pytestmark = pytest.mark.django_db


def test_a_double_click_on_the_invitation_stores_once(client_as, officer, department_a):
    client = client_as(officer)
    data = {
        "full_name": "Nieuw",
        "email": "nieuw@voorbeeld.test",
        "department": department_a.pk,
        "language": "nl",
        "submission_token": "abc123",
    }
    assert client.post(reverse("accounts:invite"), data).status_code == 302
    response = client.post(reverse("accounts:invite"), data, follow=True)
    assert "Dit formulier was al verstuurd" in response.content.decode()
    assert User.objects.filter(email="nieuw@voorbeeld.test").count() == 1


def test_a_double_click_on_a_programme_form_stores_once(client_as, officer):
    client = client_as(officer)
    data = {"title": "Meer meldingen", "kind": "short_term", "year": 2026, "submission_token": "t1"}
    page = client.get(reverse("programme:goal_create"))
    assert 'name="submission_token"' in page.content.decode()
    client.post(reverse("programme:goal_create"), data)
    client.post(reverse("programme:goal_create"), data)
    assert Goal.objects.filter(title="Meer meldingen").count() == 1


def test_a_form_with_errors_can_be_sent_again_with_its_new_token(client_as, officer, department_a):
    client = client_as(officer)
    bad = {
        "full_name": "",
        "email": "x@voorbeeld.test",
        "department": department_a.pk,
        "language": "nl",
        "submission_token": "first",
    }
    assert client.post(reverse("accounts:invite"), bad).status_code == 200
    good = {**bad, "full_name": "X", "submission_token": "second"}
    assert client.post(reverse("accounts:invite"), good).status_code == 302


def test_a_token_of_any_characters_or_length_is_claimed_once(rf, officer):
    """The token comes from the client: the cache key is its hash, never the raw text."""
    import warnings

    from django.core.cache import CacheKeyWarning

    from core.submissions import claim

    for token in ["ñ\U000606fb`GྭÓÜ\x06ô", "x" * 500, "x" * 499 + "y"]:
        request = rf.post("/", {"submission_token": token})
        request.user = officer
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheKeyWarning)
            assert claim(request) is True
            assert claim(request) is False
