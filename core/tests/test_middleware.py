import time

import pytest

from core.middleware import IDLE_KEY

pytestmark = pytest.mark.django_db


def test_an_idle_session_is_ended(client_as, staff_b, settings):
    client = client_as(staff_b)
    assert client.get("/").status_code == 200
    session = client.session
    session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get("/").status_code == 302


def test_an_active_session_stays(client_as, staff_b, settings):
    client = client_as(staff_b)
    client.get("/")
    session = client.session
    session[IDLE_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS + 60
    session.save()
    assert client.get("/").status_code == 200


def test_the_absolute_session_lifetime_is_ten_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 60 * 60
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
