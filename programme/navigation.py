from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    can_confirm_hours,
    can_manage_programme,
    can_use_topic_library,
    can_view_budget,
    can_view_communication,
    can_view_goals,
    can_view_plan,
)
from core.navigation import NavItem, Panel
from programme.models import Topic


def _this_year(request: HttpRequest) -> list[int]:
    return [timezone.localdate().year]


SECTION = _("Programme")
NAV_ITEMS = [
    NavItem(_("Annual plan"), "programme:plan", "calendar3", SECTION, 200, can_view_plan, _this_year),
    NavItem(
        _("Goals and KPIs"), "programme:goals", "bullseye", SECTION, 201, (can_view_plan, can_view_goals), _this_year
    ),
    NavItem(
        _("Communication"),
        "programme:communication",
        "megaphone",
        SECTION,
        202,
        (can_view_plan, can_view_communication),
        _this_year,
    ),
    NavItem(_("Budget"), "programme:budget", "cash-coin", SECTION, 203, (can_view_plan, can_view_budget), _this_year),
    NavItem(_("Confirm hours"), "programme:hours", "clock", SECTION, 204, (can_view_plan, can_confirm_hours)),
    NavItem(
        _("Topic suggestions"),
        "programme:suggestions",
        "lightbulb",
        SECTION,
        205,
        (can_view_plan, can_manage_programme),
    ),
    NavItem(_("Calendar link"), "programme:calendar", "calendar-plus", SECTION, 206, can_view_plan),
    NavItem(_("Topic library"), "topic_library:index", "collection", SECTION, 207, can_use_topic_library),
]


def current_quarter_topics(user):
    """The published topics of the current quarter for the user's organisation and department."""
    today = timezone.localdate()
    return (
        Topic.objects.visible_to(user)
        .published()
        .in_quarter(today.year, (today.month - 1) // 3 + 1)
        .for_department(user.department if user.department_id else None)
        .select_related("department")
        .order_by("month", "title")
    )


def home_panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if user.organisation_id is None:
        return []
    today = timezone.localdate()
    return [
        Panel(
            "programme/panels/quarter_topics.html",
            {"topics": list(current_quarter_topics(user)), "quarter": (today.month - 1) // 3 + 1, "year": today.year},
            order=20,
        )
    ]
