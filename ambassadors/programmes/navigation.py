"""Navigation items and the home panel of the department programme (collected through ambassadors.navigation)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import (
    can_view_department_programmes,
    can_view_good_practices,
    can_view_programme_overview,
    draftable_department_ids,
)
from core.navigation import NavItem, Panel


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    section = _("Ambassadors")
    items: list[NavItem] = []
    if can_view_department_programmes(user):
        items.append(
            NavItem(
                _("Department programmes"), reverse("department_programmes:programmes"), "calendar3", section, order=304
            )
        )
    if can_view_good_practices(user):
        items.append(
            NavItem(_("Good practices"), reverse("department_programmes:practices"), "lightbulb", section, order=305)
        )
    if can_view_programme_overview(user):
        items.append(
            NavItem(
                _("Programmes of every department"),
                reverse("department_programmes:overview", args=[timezone.localdate().year]),
                "grid-1x2",
                section,
                order=306,
            )
        )
    return items


def home_panels(request: HttpRequest) -> list[Panel]:
    from ambassadors.programmes.selectors import this_month_items

    if not draftable_department_ids(request.user):
        return []
    items = this_month_items(request.user, timezone.localdate())
    return [Panel("department_programme/panels/this_month.html", {"items": items}, order=11)]
