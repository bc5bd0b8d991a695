"""Helpers shared by the ambassadors views: objects fetched with a 404 for what the user may not know exists, sorting, confirmation pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Department, User
from accounts.permissions import (
    can_view_activity,
    can_view_ambassador_profile,
    can_view_feedback,
)
from ambassadors.models import (
    Activity,
    Event,
    Feedback,
    Nomination,
)
from core.client_address import client_ip

MY_FEEDBACK_SORTS = {"ontvangen": "created_at", "status": "status"}

ACTIVITY_SORTS = {
    "datum": "date",
    "soort": "kind",
    "onderwerp": "topic__title",
    "uren": "hours",
    "bereikt": "colleagues_reached",
}

ACTIVITY_SEARCH = ["note", "topic__title"]


# --- Object helpers: 404 for whatever the user may not know exists -------------------------------


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related("nominee__department", "nominated_by"), pk=pk
    )


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if not can_view_activity(request.user, activity) or activity.user_id != request.user.pk:
        raise Http404
    return activity


def _department(request: HttpRequest, pk: int) -> Department:
    return get_object_or_404(Department.objects.visible_to(request.user).active(), pk=pk)


def _feedback(request: HttpRequest, pk: int) -> Feedback:
    feedback = get_object_or_404(
        Feedback.objects.visible_to(request.user).select_related("department", "author", "recorded_by", "topic"),
        pk=pk,
    )
    if not can_view_feedback(request.user, feedback):
        raise Http404
    return feedback


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), pk=pk)


def _ambassador(request: HttpRequest, pk: int) -> User:
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if not can_view_ambassador_profile(request.user, person):
        raise Http404
    return person


def _client_ip(request: HttpRequest) -> str | None:
    # Through the configured trusted proxies only: a forwarded header beyond them is the client's own.
    return client_ip(request) or None
