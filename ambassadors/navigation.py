from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can_view_levels, get_roles
from core.navigation import NavItem, Panel


def nav_items(request: HttpRequest) -> list[NavItem]:
    roles = get_roles(request.user)
    section = _("Ambassadors")
    items: list[NavItem] = []
    if roles.is_ambassador:
        items += [
            NavItem(_("My activities"), reverse("ambassadors:activity_list"), "list-check", section, order=300),
            NavItem(_("Log an activity"), reverse("ambassadors:activity_create"), "plus-circle", section, order=301),
            NavItem(_("Feedback"), reverse("ambassadors:feedback_list"), "chat-left-text", section, order=302),
            NavItem(
                _("My profile"),
                reverse("ambassadors:profile", args=[request.user.pk]),
                "person-badge",
                section,
                order=303,
            ),
        ]
    if roles.is_officer:
        items += [
            NavItem(_("Nominations"), reverse("ambassadors:nominations"), "person-plus", section, order=310),
            NavItem(_("Coverage"), reverse("ambassadors:coverage"), "grid-3x3", section, order=311),
            NavItem(_("Feedback triage"), reverse("ambassadors:feedback_list"), "inboxes", section, order=312),
        ]
    if roles.is_officer or roles.is_manager:
        items.append(
            NavItem(_("Ambassadors overview"), reverse("ambassadors:ambassador_list"), "people", section, order=313)
        )
        items.append(
            NavItem(
                _("Feedback statistics"), reverse("ambassadors:feedback_statistics"), "bar-chart", section, order=314
            )
        )
        items.append(NavItem(_("Recognitions"), reverse("ambassadors:recognitions"), "award", section, order=316))
    if can_view_levels(request.user):
        items.append(NavItem(_("Points and levels"), reverse("ambassadors:levels"), "stars", section, order=317))
    if roles.is_officer or roles.is_ambassador:
        items.append(NavItem(_("Events"), reverse("ambassadors:events"), "calendar-event", section, order=315))
    items += [
        NavItem(_("Give feedback"), reverse("ambassadors:feedback_start"), "chat-heart", section, order=320),
        NavItem(_("My feedback"), reverse("ambassadors:my_feedback"), "chat-square-quote", section, order=321),
        NavItem(_("Become an ambassador"), reverse("ambassadors:nominate"), "megaphone", section, order=322),
    ]
    from ambassadors.programmes import navigation as programmes_navigation

    return items + programmes_navigation.nav_items(request)


def home_panels(request: HttpRequest) -> list[Panel]:
    from ambassadors.models import Activity, Appointment, Feedback, Nomination, quarter_bounds
    from ambassadors.selectors import hours_agreed

    user = request.user
    roles = get_roles(user)
    panels = [Panel("ambassadors/panels/feedback.html", {"is_ambassador": roles.is_ambassador}, order=20)]
    if roles.is_ambassador:
        today = timezone.localdate()
        start, end = quarter_bounds(today)
        hours = Activity.objects.visible_to(user).filter(user=user).between(start, end).totals()["hours"]
        appointments = list(Appointment.objects.visible_to(user).filter(user=user).overlapping(start, end))
        panels.append(
            Panel(
                "ambassadors/panels/ambassador.html",
                {"hours": hours, "agreed": hours_agreed(appointments, start, end)},
                order=10,
            )
        )
    if roles.is_officer:
        panels.append(
            Panel(
                "ambassadors/panels/officer.html",
                {
                    "open_nominations": Nomination.objects.visible_to(user).open().count(),
                    "new_feedback": Feedback.objects.visible_to(user).filter(status=Feedback.Status.NEW).count(),
                },
                order=30,
            )
        )
    from ambassadors.programmes import navigation as programmes_navigation

    return panels + programmes_navigation.home_panels(request)
