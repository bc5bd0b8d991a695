"""Views of the ambassadors app: community meetings: plan, register, attend, call off."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import (
    can_delete_event,
    can_manage_ambassadors,
    can_view_events,
)
from ambassadors import services
from ambassadors.forms import (
    EventForm,
)
from ambassadors.models import (
    Event,
)
from ambassadors.views.common import (
    _event,
)
from core import calendar
from core.deletion import confirm_delete

# --- Community ----------------------------------------------------------------------------------


@role_required(can_view_events)
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.visible_to(request.user).annotate(
        registered=Count("registrations", distinct=True),
        mine=Count("registrations", filter=Q(registrations__user=request.user), distinct=True),
    )
    upcoming = events.upcoming().order_by("starts_at")
    past = events.past().order_by("-starts_at")[:20]
    return render(
        request,
        "ambassadors/event_list.html",
        {"upcoming": upcoming, "past": past, "can_manage": can_manage_ambassadors(request.user)},
    )


@role_required(can_manage_ambassadors)
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event, _created = services.event_create(
            organisation=request.user.organisation,
            officer=request.user,
            data=form.cleaned_data,
            token=form.cleaned_data.get("token"),
        )
        messages.success(request, _("The event has been planned."))
        return redirect("ambassadors:event", pk=event.pk)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Plan an event"),
            "submit_label": _("Plan event"),
            "cancel_url": reverse("ambassadors:events"),
        },
    )


@role_required(can_manage_ambassadors)
@require_http_methods(["GET", "POST"])
def event_update(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.event_update(event=event, data=form.cleaned_data)
        messages.success(request, _("The event has been saved."))
        return redirect("ambassadors:event", pk=event.pk)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Edit event"),
            "intro": _("After the event, add the notes and the experiences shared."),
            "submit_label": _("Save"),
            "cancel_url": reverse("ambassadors:event", args=[event.pk]),
        },
    )


@role_required(can_manage_ambassadors)
@require_http_methods(["GET", "POST"])
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if not can_delete_event(request.user, event):
        messages.error(request, _("This event has already taken place; correct its notes instead."))
        return redirect("ambassadors:event", pk=event.pk)
    count = event.registrations.count()
    return confirm_delete(
        request,
        delete=lambda: services.event_delete(event=event, user=request.user),
        done=_("The event has been called off."),
        next_url=reverse("ambassadors:events"),
        title=_("Call off %(title)s?") % {"title": event.title},
        question=ngettext(
            "The event and %(count)s registration are removed.",
            "The event and %(count)s registrations are removed.",
            count,
        )
        % {"count": count},
        cancel_url=reverse("ambassadors:event", args=[event.pk]),
        submit_label=_("Call off the event"),
    )


@role_required(can_view_events)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    registrations = list(event.registrations.select_related("user").order_by("user__full_name"))
    mine = next((r for r in registrations if r.user_id == request.user.pk), None)
    full = event.capacity is not None and len(registrations) >= event.capacity
    return render(
        request,
        "ambassadors/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "mine": mine,
            "full": full,
            "can_manage": can_manage_ambassadors(request.user),
            "can_delete": can_delete_event(request.user, event),
        },
    )


@role_required(can_view_events)
@require_POST
def event_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if event.is_past:
        messages.error(request, _("This event has already taken place."))
    else:
        try:
            services.event_register(event=event, user=request.user)
        except services.EventFull:
            messages.error(request, _("This event is full; registration is no longer possible."))
        else:
            messages.success(request, _("You are registered. Add the invitation to your calendar."))
    return redirect("ambassadors:event", pk=event.pk)


@role_required(can_view_events)
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    services.event_unregister(event=event, user=request.user)
    messages.success(request, _("Your registration has been cancelled."))
    return redirect("ambassadors:event", pk=event.pk)


@role_required(can_manage_ambassadors)
@require_POST
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    ids = {int(value) for value in request.POST.getlist("attended") if value.isdecimal()}
    services.event_record_attendance(event=event, attended_ids=ids)
    messages.success(request, _("The attendance has been saved."))
    return redirect("ambassadors:event", pk=event.pk)


@role_required(can_view_events)
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    entry = calendar.Entry(
        uid=f"event-{event.pk}",
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        location=event.location or event.online_url,
        description=f"{event.agenda}\n\n{event.online_url}".strip() if event.online_url else event.agenda,
        url=settings.SITE_URL + reverse("ambassadors:event", args=[event.pk]),
    )
    return calendar.ics_response(
        calendar.ics(event.title, [entry], method="PUBLISH"),
        filename=f"bijeenkomst-{event.pk}.ics",
        attachment=True,
        cache="private",
    )
