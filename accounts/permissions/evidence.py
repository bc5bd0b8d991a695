"""Access rules of the evidence report and the maturity self-assessment (see accounts.permissions).

Both are the officers' (CISO, ISO, Privacy Officer): they account for the
programme to the auditor and the council. The built-in frameworks (the BIO2)
are shared and read-only; an organisation's own frameworks are changed only by
its officers. A link to underlying records is shown only to whom may open that
page, by the rule of that page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ambassadors import can_log_activity, can_manage_ambassadors, can_view_feedback_list
from .department_programmes import can_view_programme_overview
from .evaluation import can_manage_evaluation_report, can_view_survey_list
from .incidents import can_handle_dataleaks, can_view_dataleak_statistics
from .programme import can_confirm_hours, can_manage_programme, can_view_communication, can_view_goals, can_view_plan
from .roles import get_roles
from .training import can_manage_training, can_view_training_progress

__all__ = [
    "can_assess_maturity",
    "can_change_framework",
    "can_explain_control",
    "can_manage_frameworks",
    "can_open_evidence_link",
    "can_view_evidence_report",
]


def can_view_evidence_report(user: Any) -> bool:
    return get_roles(user).is_officer


def can_explain_control(user: Any, control: Any) -> bool:
    """An officer writes the explanation of a control of a built-in framework or of their organisation's own."""
    if not get_roles(user).is_officer:
        return False
    owner = control.framework.organisation_id
    return owner is None or owner == getattr(user, "organisation_id", None)


def can_manage_frameworks(user: Any) -> bool:
    return get_roles(user).is_officer


def can_change_framework(user: Any, framework: Any) -> bool:
    """Only an organisation's own framework, by its officers; a built-in one is nobody's to change."""
    return (
        get_roles(user).is_officer
        and framework.organisation_id is not None
        and framework.organisation_id == getattr(user, "organisation_id", None)
    )


def can_assess_maturity(user: Any) -> bool:
    return get_roles(user).is_officer


_LINK_RULES: dict[str, Callable[[Any], bool]] = {
    "training:session_list": can_manage_training,
    "training:module_list": can_manage_training,
    "training:progress": can_view_training_progress,
    "programme:plan": can_view_plan,
    "programme:communication": can_view_communication,
    "programme:goals": can_view_goals,
    "programme:hours": can_confirm_hours,
    "programme:suggestions": can_manage_programme,
    "department_programmes:overview": can_view_programme_overview,
    "ambassadors:coverage": can_manage_ambassadors,
    "ambassadors:activity_list": can_log_activity,
    "ambassadors:feedback_list": can_view_feedback_list,
    "incidents:register": can_handle_dataleaks,
    "incidents:statistics": can_view_dataleak_statistics,
    "evaluation:year_report": can_manage_evaluation_report,
    "evaluation:survey_list": can_view_survey_list,
}


def can_open_evidence_link(user: Any, url_name: str) -> bool:
    rule = _LINK_RULES.get(url_name)
    return rule is not None and rule(user)
