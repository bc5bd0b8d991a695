from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can_manage_surveys, can_view_survey_list
from core.navigation import NavItem, Panel
from evaluation.dashboards.navigation import dashboard_home_panels, dashboard_nav_items
from evaluation.evidence.navigation import evidence_nav_items


def nav_items(request: HttpRequest) -> list[NavItem]:
    section = _("Evaluation")
    items: list[NavItem] = []
    if can_manage_surveys(request.user):
        items.append(NavItem(_("Surveys"), reverse("evaluation:survey_list"), "ui-checks", section, order=700))
    elif can_view_survey_list(request.user):
        items.append(NavItem(_("Survey results"), reverse("evaluation:survey_list"), "bar-chart", section, order=700))
    items.extend(dashboard_nav_items(request, section))
    items.extend(evidence_nav_items(request, section))
    return items


def home_panels(request: HttpRequest) -> list[Panel]:
    from evaluation.surveys.selectors import open_surveys_for

    surveys = list(open_surveys_for(request.user).only("pk", "title", "deadline").order_by("deadline", "pk"))
    panels = dashboard_home_panels(request)
    if not surveys:
        return panels
    return [Panel("evaluation/surveys/panels/open_surveys.html", {"surveys": surveys}, order=5), *panels]
