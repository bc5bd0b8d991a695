"""Menu items and the home panel of the dashboards and the yearly evaluation (called from navigation.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import get_roles
from accounts.permissions.roles import ManagedDepartment
from core.navigation import NavItem, Panel


def _managed_departments(request: HttpRequest) -> tuple[ManagedDepartment, ...]:
    """The departments the user manages directly, known from the roles (no query of its own)."""
    return get_roles(request.user).directly_managed


def dashboard_nav_items(request: HttpRequest, section: str) -> list[NavItem]:
    roles = get_roles(request.user)
    year = timezone.localdate().year
    items: list[NavItem] = []
    if roles.is_officer:
        items.append(
            NavItem(_("Programme dashboard"), reverse("evaluation:programme_dashboard"), "speedometer2", section, 690)
        )
        items.append(
            NavItem(
                _("Yearly evaluation"), reverse("evaluation:year_report", args=[year]), "journal-check", section, 710
            )
        )
    elif roles.is_ambassador:
        items.append(
            NavItem(_("Topic proposals"), reverse("evaluation:proposals", args=[year]), "lightbulb", section, 710)
        )
    for department in _managed_departments(request):
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
    departments = _managed_departments(request)
    if not departments:
        return []
    return [Panel("evaluation/panels/manager_dashboards.html", {"departments": departments}, order=4)]
