"""Menu entries and the home panel of the department programme (collected through ambassadors.navigation)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    can_view_department_programmes,
    can_view_good_practices,
    can_view_programme_overview,
    draftable_department_ids,
)
from ambassadors.programmes.selectors import this_month_items
from core.navigation import NavItem, Panel

SECTION = _("Ambassadors")


def _this_year(request: HttpRequest) -> list[int]:
    return [timezone.localdate().year]


NAV_ITEMS = [
    NavItem(
        _("Department programmes"),
        "department_programmes:programmes",
        "calendar3",
        SECTION,
        304,
        can_view_department_programmes,
    ),
    NavItem(_("Good practices"), "department_programmes:practices", "lightbulb", SECTION, 305, can_view_good_practices),
    NavItem(
        _("Programmes of every department"),
        "department_programmes:overview",
        "grid-1x2",
        SECTION,
        306,
        can_view_programme_overview,
        _this_year,
    ),
]


def home_panels(request: HttpRequest) -> list[Panel]:
    if not draftable_department_ids(request.user):
        return []
    items = this_month_items(request.user, timezone.localdate())
    return [Panel("department_programme/panels/this_month.html", {"items": items}, order=11)]
