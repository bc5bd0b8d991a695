"""Helpers shared by the ambassadors views: objects fetched with a 404 for what the user may not know exists, sorting, confirmation pages."""

from __future__ import annotations

from django.db.models import Case, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

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

NOMINATION_SORTS = {
    "kandidaat": "nominee__full_name",
    "afdeling": "department__name",
    "uren": "hours_available",
    "ingediend": "created_at",
    # Open first, then appointed, then declined (the order the officers work in).
    "status": Case(
        When(status=Nomination.Status.OPEN, then=Value(0)),
        When(status=Nomination.Status.ACCEPTED, then=Value(1)),
        default=Value(2),
    ),
}

ACTIVITY_SORTS = {
    "datum": "date",
    "soort": "kind",
    "onderwerp": "topic__title",
    "uren": "hours",
    "bereikt": "colleagues_reached",
}

ACTIVITY_SEARCH = ["note", "topic__title"]

FEEDBACK_SORTS = {
    "ontvangen": "created_at",
    "afdeling": "department__name",
    "categorie": "category",
    "status": "status",
}


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


def _confirm(request: HttpRequest, *, title: str, text: str, cancel_url: str, submit_label: str = "") -> HttpResponse:
    """The confirmation page of a deletion: the POST goes to the same URL."""
    return render(
        request,
        "ambassadors/confirm_delete.html",
        {"title": title, "text": text, "cancel_url": cancel_url, "submit_label": submit_label or _("Delete")},
    )
