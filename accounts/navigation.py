from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Officer
from accounts.permissions import (
    can_configure_sign_in,
    can_create_organisation,
    can_manage_organisation_settings,
    can_manage_people,
    get_roles,
)
from core.navigation import NavItem, Panel


def nav_items(request: HttpRequest) -> list[NavItem]:
    section = _("Organisation")
    items: list[NavItem] = []
    if can_manage_people(request.user):
        items += [
            NavItem(_("Employees"), reverse("accounts:people"), "people", section, order=900),
            NavItem(_("Departments"), reverse("accounts:departments"), "diagram-3", section, order=901),
            NavItem(_("Import from HR"), reverse("accounts:hr_import"), "upload", section, order=902),
            NavItem(_("Invite an employee"), reverse("accounts:invite"), "envelope-plus", section, order=903),
        ]
    if can_manage_organisation_settings(request.user):
        items.append(NavItem(_("Settings"), reverse("accounts:organisation_settings"), "gear", section, order=904))
    if can_create_organisation(request.user):
        items.append(NavItem(_("Organisations"), reverse("accounts:organisations"), "buildings", section, order=905))
    organisation = request.user.organisation
    if organisation is not None and can_configure_sign_in(request.user, organisation):
        items.append(
            NavItem(
                _("Sign-in with the municipal account"),
                reverse("sso:settings", kwargs={"slug": organisation.slug}),
                "box-arrow-in-right",
                section,
                order=906,
            )
        )
    return items


def privacy_contact(organisation) -> dict:
    """Whom employees contact about privacy: the organisation's contact, else its Privacy Officers."""
    if organisation is None:
        return {}
    if organisation.privacy_contact_name or organisation.privacy_contact_email or organisation.privacy_contact_phone:
        return {
            "people": [
                {
                    "name": organisation.privacy_contact_name,
                    "email": organisation.privacy_contact_email,
                    "phone": organisation.privacy_contact_phone,
                }
            ]
        }
    officers = (
        Officer.objects.filter(kind=Officer.Kind.PRIVACY_OFFICER, user__organisation=organisation, user__is_active=True)
        .order_by("is_deputy", "user__full_name")
        .values_list("user__full_name", "user__email")[:3]
    )
    return {"people": [{"name": name, "email": email, "phone": ""} for name, email in officers]}


def home_panels(request: HttpRequest) -> list[Panel]:
    return [
        Panel("accounts/panels/welcome.html", {"user_roles": get_roles(request.user)}, order=0),
        Panel("accounts/panels/privacy_contact.html", privacy_contact(request.user.organisation), order=90),
    ]
