from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can_configure_sign_in, can_manage_people, get_roles
from core.navigation import NavItem, Panel


def nav_items(request: HttpRequest) -> list[NavItem]:
    if not can_manage_people(request.user):
        return []
    section = _("Organisation")
    items = []
    if request.user.organisation is not None and can_configure_sign_in(request.user, request.user.organisation):
        items.append(
            NavItem(
                _("Sign-in with the municipal account"),
                reverse("sso:settings", kwargs={"slug": request.user.organisation.slug}),
                "box-arrow-in-right",
                section,
                order=905,
            )
        )
    return items + [
        NavItem(_("Employees"), reverse("accounts:people"), "people", section, order=900),
        NavItem(_("Departments"), reverse("accounts:departments"), "diagram-3", section, order=901),
        NavItem(_("Import from HR"), reverse("accounts:hr_import"), "upload", section, order=902),
        NavItem(_("Invite an employee"), reverse("accounts:invite"), "envelope-plus", section, order=903),
    ]


def home_panels(request: HttpRequest) -> list[Panel]:
    return [Panel("accounts/panels/welcome.html", {"user_roles": get_roles(request.user)}, order=0)]
