"""The personal calendar feed of the annual plan and its settings page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.permissions import can_view_plan
from core import calendar
from programme import services
from programme.calendar import calendar_feed


@require_GET
@role_required(can_view_plan)
def calendar_settings(request: HttpRequest) -> HttpResponse:
    token = calendar.feed_token(request.user, calendar.Feed.PLAN)
    url = request.build_absolute_uri(reverse("programme:calendar_feed", args=[token.token])) if token else ""
    return render(request, "programme/calendar.html", {"feed_url": url})


@require_POST
@role_required(can_view_plan)
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    existed = calendar.feed_token(request.user, calendar.Feed.PLAN) is not None
    services.calendar_token_rotate(user=request.user)
    if existed:
        messages.success(request, _("You have a new calendar link; the old link no longer works."))
    else:
        messages.success(request, _("Your personal calendar link is ready."))
    return redirect("programme:calendar")


@login_not_required
@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design: calendars cannot sign in. The secret token is the key; rotating it revokes the URL."""
    user = calendar.feed_owner(token, calendar.Feed.PLAN)
    if user is None or not can_view_plan(user):
        raise Http404
    # Not cached: an officer's feed holds unpublished topics.
    return calendar.ics_response(calendar_feed(user), filename="jaarplan.ics")
