from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    can_handle_dataleaks,
    can_report_dataleak,
    can_view_dataleak_statistics,
    can_view_department_dataleaks,
)
from core.navigation import NavItem, Panel
from incidents.models import DataLeak

SECTION = _("Data leaks")
NAV_ITEMS = [
    NavItem(_("Report a data leak"), "incidents:report", "exclamation-triangle", SECTION, 300, can_report_dataleak),
    NavItem(_("My reports"), "incidents:mine", "list-check", SECTION, 301, can_report_dataleak),
    # Ambassadors: the reports of their departments, as first point of contact (handlers have the queue).
    NavItem(
        _("Reports of my departments"),
        "incidents:departments",
        "people",
        SECTION,
        301,
        (can_report_dataleak, can_view_department_dataleaks),
    ),
    NavItem(
        _("Reports to handle"), "incidents:queue", "inbox", SECTION, 302, (can_report_dataleak, can_handle_dataleaks)
    ),
    NavItem(
        _("Data-leak register"),
        "incidents:register",
        "journal-text",
        SECTION,
        303,
        (can_report_dataleak, can_handle_dataleaks),
    ),
    # Handlers and managers (counts of their departments) alike.
    NavItem(
        _("Data-leak statistics"),
        "incidents:statistics",
        "bar-chart",
        SECTION,
        304,
        (can_report_dataleak, can_view_dataleak_statistics),
    ),
]


def home_panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not can_report_dataleak(user):
        return []
    panels = [Panel("incidents/panels/report.html", {"first_contact": can_view_department_dataleaks(user)}, order=5)]
    if can_handle_dataleaks(user):
        open_leaks = list(
            DataLeak.objects.visible_to(user).open().with_state().select_related("department").order_by("aware_at")[:5]
        )
        count = DataLeak.objects.visible_to(user).open().count()
        panels.append(
            Panel("incidents/panels/queue.html", {"leaks": open_leaks, "count": count, "now": timezone.now()}, order=6)
        )
    return panels
