"""Access rules of baseline and follow-up surveys (see accounts.permissions).

Officers mark a survey as a baseline (0-meting) or as the follow-up (1-meting)
of one. Whoever may see the results of both surveys may compare them, within
the same scope as the results (managers: the departments they manage).
"""

from __future__ import annotations

from typing import Any

from .evaluation import can_view_survey_results
from .roles import get_roles, same_organisation

__all__ = ["can_compare_surveys", "can_mark_survey_measurement"]


def can_mark_survey_measurement(user: Any, survey: Any) -> bool:
    return same_organisation(user, survey) and get_roles(user).is_officer


def can_compare_surveys(user: Any, follow_up: Any) -> bool:
    baseline = getattr(follow_up, "baseline", None)
    if baseline is None or baseline.organisation_id != follow_up.organisation_id:
        return False
    return can_view_survey_results(user, follow_up) and can_view_survey_results(user, baseline)
