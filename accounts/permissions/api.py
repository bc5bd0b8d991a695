"""Access rules of the REST API (see accounts.permissions).

A token belongs to one organisation and carries scopes. It may be used while
it is neither revoked nor expired, for the endpoints of its scopes, and only
ever reaches data of its own organisation. The CISO creates and revokes the
organisation's tokens; officers read the API's documentation with their
session. Tokens are duck-typed here (accounts sits below the api app).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from .roles import get_roles, same_organisation

__all__ = [
    "api_token_refusal",
    "can_manage_api_tokens",
    "can_revoke_api_token",
    "can_view_api_docs",
    "token_has_scope",
]


def can_manage_api_tokens(user: Any) -> bool:
    """The CISO decides which systems may talk to the programme."""
    return get_roles(user).is_ciso


def can_revoke_api_token(user: Any, token: Any) -> bool:
    return same_organisation(user, token) and can_manage_api_tokens(user)


def can_view_api_docs(user: Any) -> bool:
    """Officers read the documentation (and the schema) with their session; the data needs a token."""
    return get_roles(user).is_officer


def api_token_refusal(token: Any, now: datetime.datetime | None = None) -> str:
    """Why the token may not be used ("revoked", "expired", "inactive"), or "" when it may."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    if not getattr(token.organisation, "is_active", True):
        return "inactive"
    return ""


def token_has_scope(token: Any, scope: str) -> bool:
    return scope in (token.scopes or [])
