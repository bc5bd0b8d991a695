import pytest
from django.urls import reverse

from accounts.unsubscribe import make_token, unsubscribe_headers

pytestmark = pytest.mark.django_db


def test_the_link_works_without_login_and_asks_first(client, staff_b):
    url = reverse("accounts:unsubscribe", args=[make_token(staff_b, "topic_mailings")])
    response = client.get(url)
    assert (
        response.status_code == 200
        and "Wilt u de driemaandelijkse onderwerpenmail niet meer ontvangen?" in response.content.decode()
    )
    staff_b.refresh_from_db()
    assert staff_b.receives_topic_mailings


def test_one_click_post_unsubscribes_without_csrf(staff_b):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("accounts:unsubscribe", args=[make_token(staff_b, "reminders")])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    staff_b.refresh_from_db()
    assert not staff_b.receives_reminders and staff_b.receives_topic_mailings


def test_a_forged_token_is_refused(client, staff_b):
    token = make_token(staff_b, "reminders")[:-3] + "abc"
    assert client.post(reverse("accounts:unsubscribe", args=[token])).status_code == 404
    staff_b.refresh_from_db()
    assert staff_b.receives_reminders


def test_headers_for_mail_clients(staff_b):
    headers = unsubscribe_headers(staff_b, "topic_mailings")
    assert headers["List-Unsubscribe"].startswith("<http") and "/mensen/afmelden/" in headers["List-Unsubscribe"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_preferences_switch_mailings_off(client_as, staff_b):
    client_as(staff_b).post(reverse("accounts:preferences"), {"language": "nl", "receives_reminders": "on"})
    staff_b.refresh_from_db()
    assert not staff_b.receives_topic_mailings and staff_b.receives_reminders
