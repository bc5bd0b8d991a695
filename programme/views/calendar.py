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
from programme import services
from programme.calendar import calendar_feed
from programme.models import CalendarToken


@require_GET
@role_required(can_view_plan)
def calendar_settings(request: HttpRequest) -> HttpResponse:
    token = services.calendar_token_for(request.user)
    url = request.build_absolute_uri(reverse("programme:calendar_feed", args=[token.token]))
    return render(request, "programme/calendar.html", {"feed_url": url})


@require_POST
@role_required(can_view_plan)
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    services.calendar_token_rotate(user=request.user)
    messages.success(request, _("You have a new calendar link; the old link no longer works."))
    return redirect("programme:calendar")


@login_not_required
@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design: calendars cannot sign in. The secret token is the key; rotating it revokes the URL."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active or not can_view_plan(entry.user):
        raise Http404
    response = HttpResponse(calendar_feed(entry.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jaarplan.ics"'
    response["Cache-Control"] = "no-store"
    return response
