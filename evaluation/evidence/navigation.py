"""Menu items of the evidence report and the maturity self-assessment (collected by evaluation.navigation)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_assess_maturity, can_view_evidence_report
from core.navigation import NavItem


def _this_year(request: HttpRequest) -> list[int]:
    return [timezone.localdate().year]


def evidence_nav_items(section: str) -> list[NavItem]:
    return [
        NavItem(
            _("Evidence BIO / ENSIA"),
            "evaluation:evidence_report",
            "patch-check",
            section,
            715,
            can_view_evidence_report,
            _this_year,
        ),
        NavItem(_("Maturity"), "evaluation:maturity", "graph-up-arrow", section, 716, can_assess_maturity),
    ]
