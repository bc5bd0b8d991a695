"""Who may set up organisations, change their settings and appoint their officers."""

from __future__ import annotations

from typing import Any

from .roles import get_roles, same_organisation

__all__ = [
    "can_correct_department",
    "can_create_organisation",
    "can_manage_officers",
    "can_manage_organisation_settings",
]


def can_create_organisation(user: Any) -> bool:
    """Only the installation's technical administrators start a new organisation."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def can_manage_organisation_settings(user: Any) -> bool:
    """The CISO (deputies included) keeps the organisation's master data, mail and Teams settings."""
    return get_roles(user).is_ciso


def can_manage_officers(user: Any) -> bool:
    """The CISO appoints and ends the CISO, ISO and Privacy Officer roles of their organisation."""
    return get_roles(user).is_ciso


def can_correct_department(user: Any, department: Any) -> bool:
    """A CISO corrects a department's managers (normally from the HR import) and its Teams webhook."""
    return same_organisation(user, department) and get_roles(user).is_ciso
