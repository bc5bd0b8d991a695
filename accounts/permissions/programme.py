"""Access rules of the programme app (see accounts.permissions).

Officers plan and change everything. Managers and ambassadors read what
helps them do their part: the published plan and the goals; managers also see
the budget (they give the hours) and confirm their departments' hours;
ambassadors also read the communication plan (they carry the messages).
Staff (every signed-in employee) see the current quarter's published topics
for their department on their home page, and may open those topics and their
materials read-only.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils import timezone

from .roles import get_roles, same_organisation

__all__ = [
    "can_confirm_hours",
    "can_confirm_hours_for",
    "can_manage_programme",
    "can_read_topic",
    "can_see_draft_topics",
    "can_view_budget",
    "can_view_communication",
    "can_view_goals",
    "can_view_plan",
    "can_view_topic",
    "hours_department_scope",
]


def can_manage_programme(user: Any) -> bool:
    """Goals, KPIs, the annual plan, messages, mailings, suggestions and budget lines."""
    return get_roles(user).is_officer


def can_view_plan(user: Any) -> bool:
    """The annual plan (year view, list, print, calendar feed): officers, managers, ambassadors."""
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager or roles.is_ambassador


def can_view_topic(user: Any, topic: Any) -> bool:
    """Readers see published topics of published plans; officers see drafts too."""
    if not same_organisation(user, topic.plan):
        return False
    roles = get_roles(user)
    if roles.is_officer:
        return True
    if not (roles.is_manager or roles.is_ambassador):
        return False
    return topic.status == "published" and topic.plan.status == "published"


def can_see_draft_topics(user: Any) -> bool:
    """Who reads draft topics (and draft plans) besides the published ones: the officers who plan them."""
    return get_roles(user).is_officer


def can_read_topic(user: Any, topic: Any) -> bool:
    """The read-only topic page: plan readers as in :func:`can_view_topic`; any other employee of the
    organisation only a published topic of a published plan, of the current quarter, meant for their
    department (organisation-wide or for their department or one above it), as the home page lists them.
    """
    if not getattr(user, "is_active", False) or not same_organisation(user, topic.plan):
        return False
    if can_view_topic(user, topic):
        return True
    if topic.status != "published" or topic.plan.status != "published":
        return False
    today = timezone.localdate()
    if topic.plan.year != today.year or topic.period_quarter != (today.month - 1) // 3 + 1:
        return False
    if topic.department_id is None:
        return True
    department = getattr(user, "department", None)
    # The materialised path lists the department and the ones above it.
    return department is not None and topic.department_id in {int(part) for part in department.path.split("/") if part}


def can_view_goals(user: Any) -> bool:
    return can_view_plan(user)


def can_view_communication(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_officer or roles.is_ambassador


def can_view_budget(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_officer or roles.is_manager


def can_confirm_hours(user: Any) -> bool:
    return get_roles(user).is_manager


def hours_department_scope(user: Any) -> Collection[int]:
    """The ids of the departments whose hours the user confirms (the ones they manage, subtree included)."""
    return get_roles(user).managed_ids


def can_confirm_hours_for(user: Any, department: Any) -> bool:
    """A manager confirms hours for the departments they manage (their subtree included)."""
    return same_organisation(user, department) and department.pk in get_roles(user).managed_ids
