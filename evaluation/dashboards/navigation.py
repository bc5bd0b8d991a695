"""Menu items and the home panel of the dashboards and the yearly evaluation (called from navigation.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    can_manage_evaluation_report,
    can_propose_topics,
    can_view_programme_dashboard,
    dashboard_departments,
    director_departments,
)
from core.navigation import MenuLink, NavItem, Panel, unless


def _this_year(request: HttpRequest) -> list[int]:
    return [timezone.localdate().year]


def dashboard_nav_items(section: str) -> list[NavItem]:
    return [
        NavItem(
            _("Programme dashboard"),
            "evaluation:programme_dashboard",
            "speedometer2",
            section,
            690,
            can_view_programme_dashboard,
        ),
        NavItem(
            _("Yearly evaluation"),
            "evaluation:year_report",
            "journal-check",
            section,
            710,
            can_manage_evaluation_report,
            _this_year,
        ),
        NavItem(
            _("Topic proposals"),
            "evaluation:proposals",
            "lightbulb",
            section,
            710,
            (unless(can_manage_evaluation_report), can_propose_topics),
            _this_year,
        ),
    ]


def dashboard_links(request: HttpRequest, section: str) -> list[MenuLink]:
    """One entry per department whose dashboard the user follows (the departments come from the permissions)."""
    return [
        MenuLink(
            gettext("Dashboard %(name)s") % {"name": department.name},
            reverse("evaluation:department_dashboard", args=[department.pk]),
            "speedometer2",
            str(section),
            680,
        )
        for department in dashboard_departments(request.user)
    ]


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
