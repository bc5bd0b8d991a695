from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import (
    can_confirm_hours,
    can_manage_programme,
    can_view_budget,
    can_view_communication,
    can_view_goals,
    can_view_plan,
)
from core.navigation import NavItem, Panel
from programme.models import Topic


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not can_view_plan(user):
        return []
    year = timezone.localdate().year
    section = _("Programme")
    items = [NavItem(_("Annual plan"), reverse("programme:plan", args=[year]), "calendar3", section, order=200)]
    if can_view_goals(user):
        items.append(NavItem(_("Goals and KPIs"), reverse("programme:goals", args=[year]), "bullseye", section, 201))
    if can_view_communication(user):
        items.append(
            NavItem(_("Communication"), reverse("programme:communication", args=[year]), "megaphone", section, 202)
        )
    if can_view_budget(user):
        items.append(NavItem(_("Budget"), reverse("programme:budget", args=[year]), "cash-coin", section, 203))
    if can_confirm_hours(user):
        items.append(NavItem(_("Confirm hours"), reverse("programme:hours"), "clock", section, 204))
    if can_manage_programme(user):
        items.append(NavItem(_("Topic suggestions"), reverse("programme:suggestions"), "lightbulb", section, 205))
    items.append(NavItem(_("Calendar link"), reverse("programme:calendar"), "calendar-plus", section, 206))
    return items


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
