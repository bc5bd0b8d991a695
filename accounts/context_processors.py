from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.permissions import get_roles


def roles(request: HttpRequest) -> dict:
    """``roles`` in every template, computed lazily: a page that never asks runs no query."""
    user = getattr(request, "user", None)
    return {"roles": SimpleLazyObject(lambda: get_roles(user))}
