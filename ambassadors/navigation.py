from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    can_log_activity,
    can_manage_ambassadors,
    can_record_feedback,
    can_use_recognitions,
    can_view_ambassador_overview,
    can_view_events,
    can_view_feedback_statistics,
    can_view_levels,
)
from ambassadors.models import Activity, Appointment, Feedback, Nomination, quarter_bounds
from ambassadors.programmes import navigation as programmes_navigation
from ambassadors.selectors import hours_agreed
from core.navigation import NavItem, Panel

SECTION = _("Ambassadors")


def _own_pk(request: HttpRequest) -> list[int]:
    return [request.user.pk]


NAV_ITEMS = [
    NavItem(_("My activities"), "ambassadors:activity_list", "list-check", SECTION, 300, can_log_activity),
    NavItem(_("Log an activity"), "ambassadors:activity_create", "plus-circle", SECTION, 301, can_log_activity),
    NavItem(_("Feedback"), "ambassadors:feedback_list", "chat-left-text", SECTION, 302, can_record_feedback),
    NavItem(_("My profile"), "ambassadors:profile", "person-badge", SECTION, 303, can_log_activity, _own_pk),
    NavItem(_("Nominations"), "ambassadors:nominations", "person-plus", SECTION, 310, can_manage_ambassadors),
    NavItem(_("Coverage"), "ambassadors:coverage", "grid-3x3", SECTION, 311, can_manage_ambassadors),
    NavItem(_("Feedback triage"), "ambassadors:feedback_list", "inboxes", SECTION, 312, can_manage_ambassadors),
    NavItem(
        _("Ambassadors overview"), "ambassadors:ambassador_list", "people", SECTION, 313, can_view_ambassador_overview
    ),
    NavItem(
        _("Feedback statistics"),
        "ambassadors:feedback_statistics",
        "bar-chart",
        SECTION,
        314,
        can_view_feedback_statistics,
    ),
    NavItem(_("Recognitions"), "ambassadors:recognitions", "award", SECTION, 316, can_use_recognitions),
    NavItem(_("Points and levels"), "ambassadors:levels", "stars", SECTION, 317, can_view_levels),
    NavItem(_("Events"), "ambassadors:events", "calendar-event", SECTION, 315, can_view_events),
    NavItem(_("Give feedback"), "ambassadors:feedback_start", "chat-heart", SECTION, 320),
    NavItem(_("My feedback"), "ambassadors:my_feedback", "chat-square-quote", SECTION, 321),
    NavItem(_("Become an ambassador"), "ambassadors:nominate", "megaphone", SECTION, 322),
    *programmes_navigation.NAV_ITEMS,
]


def home_panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    logs_activities = can_log_activity(user)
    panels = [Panel("ambassadors/panels/feedback.html", {"is_ambassador": can_record_feedback(user)}, order=20)]
    if logs_activities:
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
    if can_manage_ambassadors(user):
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
    return panels + programmes_navigation.home_panels(request)
