"""Bearer-token authentication, scope checks and rate limits of the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework import authentication, permissions, throttling
from rest_framework.exceptions import Throttled

from accounts.permissions import api_token_refusal, can_view_api_docs, token_has_scope
from api import services
from api.problems import Problem
from core.audit import client_ip

FAILURE_WINDOW_SECONDS = 60


def _failure_key(request) -> str:
    return f"api-auth-failures:{client_ip(request)}"


def _refuse(request, reason: str, title: str) -> Problem:
    """Remember why (the view writes it to the audit trail) and count it against the client's address."""
    request._api_refusal = reason
    key = _failure_key(request)
    cache.add(key, 0, FAILURE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, FAILURE_WINDOW_SECONDS)
    problem = Problem(401, f"token-{reason}", _("A valid API token is required."), title)
    problem.auth_header = 'Bearer realm="api"'
    return problem


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer amb_...``: the token of one organisation; no user is signed in."""

    keyword = "Bearer"

    def authenticate(self, request):
        failures = cache.get(_failure_key(request)) or 0
        if failures >= settings.API_AUTH_FAILURES_PER_MINUTE:
            request._api_refusal = "rate-limited"
            raise Throttled(wait=FAILURE_WINDOW_SECONDS)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _sep, raw = header.partition(" ")
        if keyword.lower() != self.keyword.lower() or not raw.strip():
            raise _refuse(request, "invalid", _("The Authorization header must read: Bearer <token>."))
        token = services.token_lookup(raw.strip())
        if token is None:
            raise _refuse(request, "invalid", _("This API token is not known."))
        refusal = api_token_refusal(token)
        request._api_token = token
        if refusal == "revoked":
            raise _refuse(request, refusal, _("This API token has been revoked."))
        if refusal:
            raise _refuse(request, "expired", _("This API token has expired."))
        return (AnonymousUser(), token)

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class HasScope(permissions.BasePermission):
    """The view's ``required_scope`` must be among the token's scopes."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None:
            request._api_refusal = "missing"
            raise _refuse(request, "missing", _("Send an API token: Authorization: Bearer <token>."))
        scope = getattr(view, "required_scope", None)
        if scope is None or not token_has_scope(token, scope):
            request._api_refusal = "scope"
            raise Problem(
                403,
                "token-scope",
                _("This token lacks the scope this endpoint needs."),
                _("Needed: %(scope)s.") % {"scope": scope},
            )
        return True


class SchemaAccess(permissions.BasePermission):
    """The schema: any valid token, or an officer's session (for the documentation page)."""

    def has_permission(self, request, view) -> bool:
        if request.auth is not None:
            return True
        if can_view_api_docs(request.user):
            return True
        request._api_refusal = "missing"
        raise _refuse(request, "missing", _("Send an API token: Authorization: Bearer <token>."))


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token, counted in the shared cache so every web worker sees the same count."""

    scope = "api_token"

    def get_cache_key(self, request, view) -> str | None:
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def allow_request(self, request, view) -> bool:
        allowed = super().allow_request(request, view)
        if not allowed:
            request._api_refusal = "rate-limited"
        return allowed
