"""'My feedback': a person sees their own named feedback and its answer, and nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import can_view_own_feedback
from ambassadors.models import Feedback
from ambassadors.tests.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


def test_the_author_sees_their_feedback_and_its_answer(client_as, staff_a, staff_b, org, department_a):
    mine = FeedbackFactory(
        organisation=org,
        department=department_a,
        author=staff_a,
        message="De kluis bij de balie klemt",
        status=Feedback.Status.PROCEDURE_CHANGED,
        answer="De procedure is aangepast: sleutel bij de teamleider.",
        answered_at=timezone.now(),
    )
    FeedbackFactory(organisation=org, department=department_a, author=staff_b, message="Feedback van Tom")
    FeedbackFactory(
        organisation=org, department=department_a, is_anonymous=True, author=None, message="Een anoniem bericht"
    )
    response = client_as(staff_a).get(reverse("ambassadors:my_feedback"))
    assert response.status_code == 200
    assert [f.pk for f in response.context["page"]] == [mine.pk]
    html = response.content.decode()
    assert "sleutel bij de teamleider" in html and "Feedback van Tom" not in html and "Een anoniem bericht" not in html
    assert can_view_own_feedback(staff_a, mine) and not can_view_own_feedback(staff_b, mine)


def test_an_officer_sees_only_their_own_there_too(client_as, officer, staff_a, org, department_a, outsider):
    FeedbackFactory(organisation=org, department=department_a, author=staff_a, message="Van Anna")
    assert not list(client_as(officer).get(reverse("ambassadors:my_feedback")).context["page"])
    assert not list(client_as(outsider).get(reverse("ambassadors:my_feedback")).context["page"])


def test_anonymous_visitors_are_sent_to_sign_in(client_as):
    response = client_as(None).get(reverse("ambassadors:my_feedback"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_home_page_links_to_it(client_as, staff_a):
    assert reverse("ambassadors:my_feedback") in client_as(staff_a).get("/").content.decode()


@pytest.mark.parametrize("size", [2, 25])
def test_it_runs_fixed_queries(size, client_as, staff_a, org, department_a, django_assert_max_num_queries):
    for i in range(size):
        FeedbackFactory(organisation=org, department=department_a, author=staff_a, message=f"Punt {i}")
    client = client_as(staff_a)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("ambassadors:my_feedback"))
    assert response.context["page"].paginator.count == size
