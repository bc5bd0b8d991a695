"""Sign-in: who may configure the organisation's identity provider, and who keeps the password as break-glass."""

from __future__ import annotations

from typing import Any

from .roles import get_roles

__all__ = ["can_configure_own_sign_in", "can_configure_sign_in", "keeps_password_sign_in"]


def can_configure_sign_in(user: Any, organisation: Any) -> bool:
    """A superuser for any organisation; otherwise only a CISO of that organisation (not an ISO or Privacy Officer)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.organisation_id == organisation.pk and get_roles(user).is_ciso


def can_configure_own_sign_in(user: Any) -> bool:
    """The sign-in settings of the user's own organisation (the menu entry)."""
    return user.organisation_id is not None and can_configure_sign_in(user, user.organisation)


def keeps_password_sign_in(user: Any) -> bool:
    """Break-glass: officers and superusers sign in with their password (and second factor) even when their
    organisation has switched password sign-in off, so a broken identity provider never locks everyone out."""
    return user.is_superuser or get_roles(user).is_officer
