"""Access rules of the programme app (see accounts.permissions).

Officers plan and change everything. Managers and ambassadors read what
helps them do their part: the published plan and the goals; managers also see
the budget (they give the hours) and confirm their departments' hours;
ambassadors also read the communication plan (they carry the messages).
Staff see only the current quarter's published topics, on their home page.
"""

from __future__ import annotations

from typing import Any

from .roles import get_roles, same_organisation

__all__ = [
    "can_confirm_hours",
    "can_confirm_hours_for",
    "can_manage_programme",
    "can_view_budget",
    "can_view_communication",
    "can_view_goals",
    "can_view_plan",
    "can_view_topic",
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


def can_confirm_hours_for(user: Any, department: Any) -> bool:
    """A manager confirms hours for the departments they manage (their subtree included)."""
    return same_organisation(user, department) and department.pk in get_roles(user).managed_ids
