"""Who may see and manage people and departments."""

from __future__ import annotations

from typing import Any

from .roles import get_roles, same_organisation

__all__ = [
    "can_manage_people",
    "can_view_department",
    "can_view_department_dashboard",
]


def can_manage_people(user: Any) -> bool:
    """Officers import employees and departments and invite people."""
    return get_roles(user).is_officer


def can_view_department(user: Any, department: Any) -> bool:
    return same_organisation(user, department)


def can_view_department_dashboard(user: Any, department: Any) -> bool:
    """Officers see every department of their organisation, managers only their own subtree."""
    if not same_organisation(user, department):
        return False
    roles = get_roles(user)
    return roles.is_officer or department.pk in roles.managed_ids
