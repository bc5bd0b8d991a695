from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer
from accounts.permissions import (
    can_configure_own_sign_in,
    can_create_organisation,
    can_manage_organisation_settings,
    can_manage_people,
)
from core.navigation import NavItem, Panel

# "Organisation" (api/navigation.py adds its entries to the same section).
SECTION = _("Organisation")


def _own_slug(request: HttpRequest) -> list[str]:
    return [request.user.organisation.slug]


NAV_ITEMS = [
    NavItem(_("Employees"), "accounts:people", "people", SECTION, 900, can_manage_people),
    NavItem(_("Departments"), "accounts:departments", "diagram-3", SECTION, 901, can_manage_people),
    NavItem(_("Import from HR"), "accounts:hr_import", "upload", SECTION, 902, can_manage_people),
    NavItem(_("Invite an employee"), "accounts:invite", "envelope-plus", SECTION, 903, can_manage_people),
    NavItem(_("Settings"), "accounts:organisation_settings", "gear", SECTION, 904, can_manage_organisation_settings),
    NavItem(_("Organisations"), "accounts:organisations", "buildings", SECTION, 905, can_create_organisation),
    NavItem(
        _("Sign-in with the municipal account"),
        "sso:settings",
        "box-arrow-in-right",
        SECTION,
        906,
        can_configure_own_sign_in,
        _own_slug,
    ),
]


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
        # The role badges read ``roles`` (accounts.context_processors), computed once per request.
        Panel("accounts/panels/welcome.html", {}, order=0),
        Panel("accounts/panels/privacy_contact.html", privacy_contact(request.user.organisation), order=90),
    ]
