from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ambassadors.models import Activity, Event, Feedback, Nomination, Recognition
from ambassadors.navigation import NAV_ITEMS, home_panels
from core.navigation import links

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_leaves_the_second_organisation_nearly_empty():
    from accounts import demo

    demo.seed()
    counts = [
        Activity.objects.count(),
        Feedback.objects.count(),
        Event.objects.count(),
        Recognition.objects.count(),
        Nomination.objects.count(),
    ]
    assert all(counts)
    assert Feedback.objects.filter(is_anonymous=True, author__isnull=True).exists()
    assert Feedback.objects.exclude(answer="").exists()
    assert Event.objects.get().registrations.exists()
    assert Nomination.objects.filter(status="open").exists()
    demo.seed()
    assert [
        Activity.objects.count(),
        Feedback.objects.count(),
        Event.objects.count(),
        Recognition.objects.count(),
        Nomination.objects.count(),
    ] == counts
    assert not Activity.objects.filter(organisation__slug="naburig").exists()


def _labels(user):
    request = RequestFactory().get("/")
    request.user = user
    return [item.label for item in links(NAV_ITEMS, request)]


def test_navigation_per_role(staff_a, ambassador_a, officer, manager_a):
    assert _labels(staff_a) == ["Feedback geven", "Mijn feedback", "Word ambassadeur"]
    assert {"Mijn activiteiten", "Activiteit vastleggen", "Feedback"} <= set(_labels(ambassador_a))
    assert {"Voordrachten", "Dekking", "Feedback behandelen", "Bijeenkomsten", "Erkenningen"} <= set(_labels(officer))
    assert "Voordrachten" not in _labels(manager_a)


def test_home_shows_the_feedback_panel_and_the_ambassador_panel(client_as, ambassador_a):
    response = client_as(ambassador_a).get(reverse("home"))
    body = response.content.decode()
    assert reverse("ambassadors:feedback_start") in body
    assert "Uw werk als ambassadeur" in body
    request = RequestFactory().get("/")
    request.user = ambassador_a
    assert [p.template for p in home_panels(request)][:2] == [
        "ambassadors/panels/feedback.html",
        "ambassadors/panels/ambassador.html",
    ]
