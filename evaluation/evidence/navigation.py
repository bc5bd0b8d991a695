"""Menu items of the evidence report and the maturity self-assessment (called from evaluation.navigation)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can_assess_maturity, can_view_evidence_report
from core.navigation import NavItem


def evidence_nav_items(request: HttpRequest, section: str) -> list[NavItem]:
    items: list[NavItem] = []
    if can_view_evidence_report(request.user):
        year = timezone.localdate().year
        items.append(
            NavItem(
                _("Evidence BIO / ENSIA"),
                reverse("evaluation:evidence_report", args=[year]),
                "patch-check",
                section,
                715,
            )
        )
    if can_assess_maturity(request.user):
        items.append(NavItem(_("Maturity"), reverse("evaluation:maturity"), "graph-up-arrow", section, 716))
    return items
