"""Access rules of the ambassadors app (see accounts.permissions).

Ambassadors see and change only their own activities and the feedback of the
departments they cover (and the teams below them); managers see their
departments' ambassadors, activities and feedback statistics; officers see
everything of their own organisation. Nothing crosses organisations.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.apps import apps

from accounts.models import Department

from .roles import get_roles, same_organisation

__all__ = [
    "own_ambassador_department_ids",
    "can_change_recognition",
    "can_correct_activity",
    "can_correct_appointment",
    "can_delete_event",
    "can_withdraw_nomination",
    "can_view_own_feedback",
    "activity_department_ids",
    "ambassador_overview_scope",
    "can_view_department_histories",
    "feedback_scope",
    "feedback_statistics_scope",
    "has_ambassador_standing",
    "nomination_candidate_department_ids",
    "profile_activity_scope",
    "recognisable_scope",
    "can_change_activity",
    "can_give_feedback",
    "can_log_activity",
    "can_manage_ambassadors",
    "can_record_feedback",
    "can_recognise",
    "can_use_recognitions",
    "can_view_ambassador_overview",
    "can_view_ambassador_profile",
    "can_view_activity",
    "can_view_department_history",
    "can_view_events",
    "can_follow_up_feedback",
    "can_view_feedback",
    "can_view_feedback_list",
    "can_view_feedback_statistics",
    "covered_department_ids",
]

_COVERED_ATTR = "_ambassadeurs_covered_ids"


def own_ambassador_department_ids(user: Any) -> frozenset[int]:
    """The departments the user is a current ambassador of themselves (without the teams below them)."""
    return frozenset(get_roles(user).ambassador_ids)


def covered_department_ids(user: Any) -> frozenset[int]:
    """Departments the user covers as a current ambassador, with the teams below them (cached per request)."""
    roles = get_roles(user)
    if not roles.ambassador_ids:
        return frozenset()
    cached = getattr(user, _COVERED_ATTR, None)
    if cached is None:
        covered = Department.objects.filter(pk__in=roles.ambassador_ids, organisation_id=user.organisation_id)
        cached = frozenset(
            Department.objects.filter(organisation_id=user.organisation_id)
            .subtree_of(list(covered))
            .values_list("id", flat=True)
        )
        setattr(user, _COVERED_ATTR, cached)
    return cached


def can_manage_ambassadors(user: Any) -> bool:
    """Officers decide on nominations, watch coverage, triage feedback, plan events."""
    return get_roles(user).is_officer


def can_log_activity(user: Any) -> bool:
    return get_roles(user).is_ambassador


def can_view_activity(user: Any, activity: Any) -> bool:
    if not same_organisation(user, activity):
        return False
    roles = get_roles(user)
    return activity.user_id == user.pk or roles.is_officer or activity.department_id in roles.managed_ids


def can_change_activity(user: Any, activity: Any) -> bool:
    """Only the ambassador's own entries, and only while the quarter is open."""
    return same_organisation(user, activity) and activity.user_id == user.pk and activity.in_open_quarter()


def can_give_feedback(user: Any, department: Any) -> bool:
    return same_organisation(user, department) and department.is_active


def can_record_feedback(user: Any) -> bool:
    return get_roles(user).is_ambassador


def can_view_feedback_list(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_officer or roles.is_ambassador


def can_view_feedback(user: Any, feedback: Any) -> bool:
    """Officers: every item of their organisation; ambassadors: those of the departments they cover."""
    if not same_organisation(user, feedback):
        return False
    return get_roles(user).is_officer or feedback.department_id in covered_department_ids(user)


def can_follow_up_feedback(user: Any, feedback: Any) -> bool:
    """Who answers feedback and marks it handled: the organisation's officers, and the ambassadors of the
    department it is about (they are its first point of contact). Only an officer changes a procedure, links a plan
    topic or names the procedure concerned (``can_manage_ambassadors``)."""
    return can_view_feedback(user, feedback)


def can_view_own_feedback(user: Any, feedback: Any) -> bool:
    """The author of named feedback follows it and its answer; anonymous feedback has no author to show it to."""
    return same_organisation(user, feedback) and feedback.author_id is not None and feedback.author_id == user.pk


def can_view_feedback_statistics(user: Any) -> bool:
    """Managers see counts for their departments, never the items (nor who wrote them)."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def can_view_ambassador_overview(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def _ambassador_department_ids(ambassador: Any) -> set[int]:
    """The departments of the ambassador's terms (cached on the user object, so a page asks once)."""
    cached = getattr(ambassador, "_ambassadeurs_term_department_ids", None)
    if cached is not None:
        return cached
    appointment_model = apps.get_model("ambassadors", "Appointment")
    cached = set(
        appointment_model.objects.filter(user=ambassador, organisation_id=ambassador.organisation_id)
        .values_list("departments__id", flat=True)
        .exclude(departments__id=None)
    )
    ambassador._ambassadeurs_term_department_ids = cached
    return cached


def can_view_ambassador_profile(user: Any, ambassador: Any) -> bool:
    if not same_organisation(user, ambassador):
        return False
    if user.pk == ambassador.pk:
        return True
    roles = get_roles(user)
    if roles.is_officer:
        return True
    return bool(roles.managed_ids and _ambassador_department_ids(ambassador) & roles.managed_ids)


def can_use_recognitions(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def can_recognise(user: Any, ambassador: Any) -> bool:
    """Officers recognise any ambassador; managers the ambassadors of their departments."""
    if not same_organisation(user, ambassador) or user.pk == ambassador.pk:
        return False
    roles = get_roles(user)
    if roles.is_officer:
        return True
    return bool(roles.managed_ids and _ambassador_department_ids(ambassador) & roles.managed_ids)


def can_view_department_history(user: Any, department: Any) -> bool:
    if not same_organisation(user, department):
        return False
    roles = get_roles(user)
    return roles.is_officer or department.pk in roles.managed_ids


def can_view_events(user: Any) -> bool:
    """The community: ambassadors, and the officers who run it."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_ambassador


# --- Scopes: which departments a user sees on a page (None: the whole organisation) ---------------
# A view applies a scope through the queryset's ``within(scope)``; it never branches on a role itself.


def nomination_candidate_department_ids(user: Any) -> frozenset[int]:
    """Whose nomination the user may put forward besides their own: the members of the departments they manage."""
    return get_roles(user).managed_ids


def can_view_department_histories(user: Any) -> bool:
    """The appointment history of departments: officers (all) and managers (their own, see the object rule)."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def ambassador_overview_scope(user: Any) -> Collection[int] | None:
    """The ambassadors overview: None for officers; otherwise the departments the user manages."""
    roles = get_roles(user)
    return None if roles.is_officer else roles.managed_ids


def profile_activity_scope(user: Any, ambassador: Any) -> Collection[int] | None:
    """An ambassador's activities on their profile: all for officers and the ambassador; a manager's departments."""
    roles = get_roles(user)
    if roles.is_officer or ambassador.pk == user.pk:
        return None
    return roles.managed_ids


def activity_department_ids(user: Any, activity: Any = None) -> frozenset[int]:
    """The departments an activity may be logged for: those the user is appointed for (and the activity's own)."""
    ids = get_roles(user).ambassador_ids
    if activity is not None and activity.department_id is not None:
        ids = ids | {activity.department_id}
    return frozenset(ids)


def feedback_scope(user: Any) -> Collection[int] | None:
    """The feedback list: None for officers; ambassadors the departments they cover (with the teams below)."""
    if get_roles(user).is_officer:
        return None
    return covered_department_ids(user)


def feedback_statistics_scope(user: Any) -> Collection[int] | None:
    """Feedback counts: None for officers; managers the departments they manage."""
    roles = get_roles(user)
    return None if roles.is_officer else roles.managed_ids


def recognisable_scope(user: Any) -> Collection[int] | None:
    """Whom the user may recognise: None for officers (every past or current ambassador of the organisation);
    managers the current ambassadors of the departments they manage."""
    roles = get_roles(user)
    return None if roles.is_officer else roles.managed_ids


def has_ambassador_standing(user: Any) -> bool:
    """Whether the levels page shows the user's own points and level (a current ambassador)."""
    return get_roles(user).is_ambassador


# --- Corrections ---------------------------------------------------------------------------------
# What was recorded is corrected by those allowed to record it. Terms and logged activities feed the
# figures others rely on: officers correct them with a reason (ambassadors change their own activities
# while the quarter is open, see can_change_activity).


def can_correct_appointment(user: Any, appointment: Any) -> bool:
    """Officers end or extend a term (they appoint)."""
    return same_organisation(user, appointment) and get_roles(user).is_officer


def can_correct_activity(user: Any, activity: Any) -> bool:
    """Officers correct any activity of their organisation, also in a closed quarter, with a reason."""
    return same_organisation(user, activity) and get_roles(user).is_officer


def can_change_recognition(user: Any, recognition: Any) -> bool:
    """Who gave the recognition (while they may still recognise that ambassador), and officers."""
    if not same_organisation(user, recognition):
        return False
    if get_roles(user).is_officer:
        return True
    return recognition.given_by_id == user.pk and can_recognise(user, recognition.ambassador)


def can_delete_event(user: Any, event: Any) -> bool:
    """Officers call off an event before it takes place; afterwards its notes and attendance are the record."""
    return same_organisation(user, event) and get_roles(user).is_officer and not event.is_past


def can_withdraw_nomination(user: Any, nomination: Any) -> bool:
    """The candidate, or whoever nominated them, withdraws an open nomination."""
    if not same_organisation(user, nomination) or nomination.status != "open":
        return False
    return user.pk in (nomination.nominee_id, nomination.nominated_by_id)
