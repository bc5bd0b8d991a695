"""Access rules of the evaluation app (see accounts.permissions).

Surveys: officers build, send and close them and see every result of their
organisation, open answers included. Managers see the results of the
departments they manage (with the teams below them), without open answers.
An employee answers only a survey they were invited to. A survey is edited
(and deleted) only until it opens. Per-department figures obey the group-size
rule in evaluation.surveys.results, whoever looks.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.apps import apps

from accounts.models import Department

from .roles import get_roles, same_organisation

__all__ = [
    "can_manage_surveys",
    "can_respond_to_survey",
    "can_see_open_answers",
    "can_view_survey_list",
    "can_view_survey_results",
    "survey_result_scope",
    "can_accept_topic_proposals",
    "can_manage_evaluation_report",
    "can_propose_topics",
    "can_view_department_dashboard",
    "can_view_department_dashboards",
    "can_view_programme_dashboard",
    "dashboard_departments",
    "director_departments",
    "can_view_director_dashboard",
    "surveys_visible_to",
    "can_edit_survey",
    "can_delete_survey",
]


def can_manage_surveys(user: Any) -> bool:
    return get_roles(user).is_officer


def can_view_survey_list(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def can_view_survey_results(user: Any, survey: Any) -> bool:
    """Officers: any survey of their organisation; managers: one that went out (not a draft)."""
    if not same_organisation(user, survey):
        return False
    roles = get_roles(user)
    if roles.is_officer:
        return True
    return roles.is_manager and survey.status != "draft"


def surveys_visible_to(user: Any) -> Any:
    """The surveys a user's list shows: officers every survey of their organisation, drafts included;
    managers only those that went out (their results)."""
    survey = apps.get_model("evaluation", "Survey")
    surveys = survey.objects.visible_to(user)
    return surveys if can_manage_surveys(user) else surveys.published()


def can_edit_survey(user: Any, survey: Any) -> bool:
    """Officers change a survey (title, introduction, period, questions) until it opens; then it is locked."""
    return same_organisation(user, survey) and can_manage_surveys(user) and survey.status == "draft"


def can_delete_survey(user: Any, survey: Any) -> bool:
    """Only a survey that never opened can be deleted: nobody was invited and nothing was answered."""
    return can_edit_survey(user, survey)


def survey_result_scope(user: Any) -> Collection[int] | None:
    """None for the whole organisation (officers); otherwise the department ids the user manages."""
    roles = get_roles(user)
    if roles.is_officer:
        return None
    return roles.managed_ids


def can_see_open_answers(user: Any, survey: Any) -> bool:
    return same_organisation(user, survey) and get_roles(user).is_officer


def can_respond_to_survey(user: Any, survey: Any) -> bool:
    """Invited to this survey of their own organisation (the audience is fixed when the survey opens)."""
    if not same_organisation(user, survey) or not getattr(user, "is_active", False):
        return False
    participation = apps.get_model("evaluation", "Participation")
    return participation.objects.filter(survey_id=survey.pk, user_id=user.pk).exists()


# --- Dashboards and the yearly evaluation -----------------------------------------------------------
# Managers see the dashboards of the departments they manage (with the teams
# below them), officers those of every department of their organisation. The
# programme dashboard and the yearly report are the officers'. Ambassadors
# (and officers) propose and vote on next year's topics; officers accept them.


def can_view_department_dashboards(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def can_view_department_dashboard(user: Any, department: Any) -> bool:
    if not same_organisation(user, department):
        return False
    roles = get_roles(user)
    return roles.is_officer or department.pk in roles.managed_ids


def dashboard_departments(user: Any) -> tuple[Any, ...]:
    """The departments whose dashboard the menu and home page offer: the ones the user manages directly."""
    return get_roles(user).directly_managed


def director_departments(user: Any) -> Any:
    """The directly managed departments that have departments below them (the user is their director).

    A queryset of the user's organisation; empty for anyone who manages no department with sub-departments.
    """
    roles = get_roles(user)
    if not roles.directly_managed_ids:
        return Department.objects.none()
    return Department.objects.filter(
        organisation_id=user.organisation_id,
        pk__in=roles.directly_managed_ids,
        children__is_active=True,
    ).distinct()


def can_view_director_dashboard(user: Any, department: Any) -> bool:
    """The overview per department of a subtree: for the department's managers (those above it included, so a
    director also opens it for a unit under their directorate) and for officers; never a department elsewhere."""
    return can_view_department_dashboard(user, department)


def can_view_programme_dashboard(user: Any) -> bool:
    return get_roles(user).is_officer


def can_manage_evaluation_report(user: Any) -> bool:
    return get_roles(user).is_officer


def can_propose_topics(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_ambassador or roles.is_officer


def can_accept_topic_proposals(user: Any) -> bool:
    return get_roles(user).is_officer
