"""Menu items and the home panel of the dashboards and the yearly evaluation (called from navigation.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import (
    can_manage_evaluation_report,
    can_propose_topics,
    can_view_programme_dashboard,
    dashboard_departments,
    director_departments,
)
from core.navigation import NavItem, Panel


def dashboard_nav_items(request: HttpRequest, section: str) -> list[NavItem]:
    user = request.user
    year = timezone.localdate().year
    items: list[NavItem] = []
    if can_view_programme_dashboard(user):
        items.append(
            NavItem(_("Programme dashboard"), reverse("evaluation:programme_dashboard"), "speedometer2", section, 690)
        )
    if can_manage_evaluation_report(user):
        items.append(
            NavItem(
                _("Yearly evaluation"), reverse("evaluation:year_report", args=[year]), "journal-check", section, 710
            )
        )
    elif can_propose_topics(user):
        items.append(
            NavItem(_("Topic proposals"), reverse("evaluation:proposals", args=[year]), "lightbulb", section, 710)
        )
    for department in dashboard_departments(user):
        items.append(
            NavItem(
                _("Dashboard %(name)s") % {"name": department.name},
                reverse("evaluation:department_dashboard", args=[department.pk]),
                "speedometer2",
                section,
                680,
            )
        )
    return items


def dashboard_home_panels(request: HttpRequest) -> list[Panel]:
    departments = dashboard_departments(request.user)
    if not departments:
        return []
    directed = set(director_departments(request.user).values_list("pk", flat=True))
    return [
        Panel(
            "evaluation/panels/manager_dashboards.html",
            {"departments": departments, "directed": directed},
            order=4,
        )
    ]
