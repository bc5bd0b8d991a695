"""Access rules of ambassador levels (see accounts.permissions).

The rules (points per kind and hour, levels) are shown to ambassadors, managers
and officers of the organisation, so the system is transparent; officers
change them and see which ambassadors reached a level no recognition marks yet.
"""

from __future__ import annotations

from typing import Any

from .roles import get_roles

__all__ = ["can_manage_levels", "can_view_levels"]


def can_view_levels(user: Any) -> bool:
    roles = get_roles(user)
    return roles.is_ambassador or roles.is_officer or roles.is_manager


def can_manage_levels(user: Any) -> bool:
    return get_roles(user).is_officer
