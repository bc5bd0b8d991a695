"""Who may configure the organisation's sign-in with its identity provider."""

from __future__ import annotations

from typing import Any

from .roles import get_roles

__all__ = ["can_configure_sign_in"]


def can_configure_sign_in(user: Any, organisation: Any) -> bool:
    """A superuser for any organisation; otherwise only a CISO of that organisation (not an ISO or Privacy Officer)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.organisation_id == organisation.pk and get_roles(user).is_ciso
