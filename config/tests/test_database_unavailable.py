"""The database gone for a moment: a 503 that needs no database, truthful about what was stored, text kept."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@contextmanager
def database_gone():
    """Every query fails as when PostgreSQL stopped: from the middleware reading the user on."""

    def cursor(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", cursor)
        yield


def _client(user, login) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    login(client, user)
    return client


def test_a_page_answers_503_saying_nothing_changed(staff_a, login):
    client = _client(staff_a, login)
    with database_gone():
        response = client.get(reverse("incidents:report"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert "Deze pagina is even niet beschikbaar" in content and "Er is niets veranderd" in content


def test_a_post_says_nothing_was_saved_and_offers_the_same_submission_again(staff_a, login):
    client = _client(staff_a, login)
    client.cookies["csrftoken"] = "x" * 32
    text = "Mail met een BSN naar de verkeerde Jan gestuurd.\nTweede regel."
    with database_gone():
        response = client.post(
            reverse("incidents:report"),
            {
                "csrfmiddlewaretoken": "x" * 32,
                "description": text,
                "data_kinds": ["bsn", "health"],
                "idempotency_token": "6f1c3a52-4a8e-4a51-9c1e-0d6c1f0b7a11",
                "password": "geheim-wachtwoord",
            },
        )
    assert response.status_code == 503
    content = response.content.decode()
    assert "Wat u verstuurde is NIET opgeslagen" in content
    assert "verkeerde Jan gestuurd." in content  # the text, to copy
    # The button sends exactly the same fields again: the one-time token makes a repeat store once.
    assert 'name="idempotency_token" value="6f1c3a52-4a8e-4a51-9c1e-0d6c1f0b7a11"' in content
    assert 'name="data_kinds" value="bsn"' in content and 'name="data_kinds" value="health"' in content
    assert f'action="{reverse("incidents:report")}"' in content
    assert "geheim-wachtwoord" not in content


def test_any_other_error_is_still_a_500(staff_a, login, monkeypatch):
    from incidents.views import reporting

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(reporting, "render", broken)
    response = _client(staff_a, login).get(reverse("incidents:report"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_a_changed_session_is_kept_in_the_cache_while_the_database_is_away(staff_a, login):
    from django.contrib.sessions.backends.base import UpdateError

    from core.sessions import SessionStore

    client = _client(staff_a, login)
    key = client.cookies["sessionid"].value
    session = SessionStore(key)
    session["seen"] = "before the restart"
    with database_gone():
        session.save()  # no error: the view's committed work is not turned into an error page
    assert SessionStore(key)["seen"] == "before the restart"
    with database_gone(), pytest.raises(OperationalError):
        SessionStore().save(must_create=True)  # a new session (a sign-in) fails as a whole
    gone = SessionStore(key)
    gone["seen"] = "after a sign-out elsewhere"
    SessionStore(key).delete()  # meanwhile, on another request
    with pytest.raises(UpdateError):
        gone.save()  # a session deleted meanwhile is still interrupted, as Django means it
