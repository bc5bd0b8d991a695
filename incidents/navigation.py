from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can_handle_dataleaks, can_report_dataleak, can_view_dataleak_statistics
from core.navigation import NavItem, Panel


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not can_report_dataleak(user):
        return []
    section = _("Data leaks")
    items = [
        NavItem(_("Report a data leak"), reverse("incidents:report"), "exclamation-triangle", section, order=300),
        NavItem(_("My reports"), reverse("incidents:mine"), "list-check", section, order=301),
    ]
    if can_handle_dataleaks(user):
        items += [
            NavItem(_("Reports to handle"), reverse("incidents:queue"), "inbox", section, order=302),
            NavItem(_("Data-leak register"), reverse("incidents:register"), "journal-text", section, order=303),
            NavItem(_("Data-leak statistics"), reverse("incidents:statistics"), "bar-chart", section, order=304),
        ]
    elif can_view_dataleak_statistics(user):
        items.append(
            NavItem(_("Data-leak statistics"), reverse("incidents:statistics"), "bar-chart", section, order=304)
        )
    return items


def home_panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not can_report_dataleak(user):
        return []
    panels = [Panel("incidents/panels/report.html", {}, order=5)]
    if can_handle_dataleaks(user):
        from incidents.models import DataLeak

        open_leaks = list(
            DataLeak.objects.visible_to(user).open().select_related("department").order_by("aware_at")[:5]
        )
        count = DataLeak.objects.visible_to(user).open().count()
        panels.append(
            Panel("incidents/panels/queue.html", {"leaks": open_leaks, "count": count, "now": timezone.now()}, order=6)
        )
    return panels
