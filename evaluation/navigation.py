from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_manage_surveys, can_view_survey_list
from core.navigation import MenuLink, NavItem, Panel, unless
from evaluation.dashboards.navigation import dashboard_home_panels, dashboard_links, dashboard_nav_items
from evaluation.evidence.navigation import evidence_nav_items
from evaluation.surveys.selectors import open_surveys_for

SECTION = _("Evaluation")
NAV_ITEMS = [
    NavItem(_("Surveys"), "evaluation:survey_list", "ui-checks", SECTION, 700, can_manage_surveys),
    NavItem(
        _("Survey results"),
        "evaluation:survey_list",
        "bar-chart",
        SECTION,
        700,
        (unless(can_manage_surveys), can_view_survey_list),
    ),
    *dashboard_nav_items(SECTION),
    *evidence_nav_items(SECTION),
]


def nav_links(request: HttpRequest) -> list[MenuLink]:
    return dashboard_links(request, SECTION)


def home_panels(request: HttpRequest) -> list[Panel]:
    surveys = list(open_surveys_for(request.user).only("pk", "title", "deadline").order_by("deadline", "pk"))
    panels = dashboard_home_panels(request)
    if not surveys:
        return panels
    return [Panel("evaluation/surveys/panels/open_surveys.html", {"surveys": surveys}, order=5), *panels]
