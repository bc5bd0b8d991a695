"""Officers and managers (and superusers) reach no page without a second factor."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.models import IdentityProvider
from accounts.permissions import requires_mfa
from accounts.sso import IDP_MFA_METHOD

# Paths a user who still has to set up MFA may use: allauth's own pages, the
# language switch and static files.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", settings.STATIC_URL)


def session_has_mfa(request: HttpRequest) -> bool:
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    return any(record.get("method") == "mfa" for record in records)


def session_has_idp_mfa(request: HttpRequest) -> bool:
    """Signed in by the organisation's identity provider, whose ID token proved a second factor, while the
    organisation still lets that count (switching it off ends such sessions at their next request)."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    if not any(record.get("method") == IDP_MFA_METHOD for record in records):
        return False
    return IdentityProvider.objects.filter(
        organisation_id=request.user.organisation_id, is_enabled=True, idp_mfa_counts=True
    ).exists()


# The session carries the answer to "has this user a TOTP authenticator?" for this long: one query per five
# minutes instead of one per request. Removing one's own authenticator forgets it at once (security_events).
TOTP_CHECKED_KEY = "_mfa_totp_checked_at"
TOTP_RECHECK_SECONDS = 300


def forget_totp_check(request: HttpRequest) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(TOTP_CHECKED_KEY, None)


def _has_totp(request: HttpRequest) -> bool:
    checked = request.session.get(TOTP_CHECKED_KEY)
    now = time.time()
    if checked is not None and 0 <= now - checked < TOTP_RECHECK_SECONDS:
        return True
    if not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
        forget_totp_check(request)
        return False
    request.session[TOTP_CHECKED_KEY] = now
    return True


def must_set_up_mfa(request: HttpRequest) -> bool:
    """Signed in, required to have a second factor and without one yet: every page but setting it up (and signing
    out, the language) is closed, so the menu offers nothing else either (config.navigation)."""
    user = request.user
    return user.is_authenticated and requires_mfa(user) and not session_has_idp_mfa(request) and not _has_totp(request)


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and requires_mfa(user)
            and not request.path.startswith(_OPEN_PREFIXES)
            and not session_has_idp_mfa(request)
        ):
            if not _has_totp(request):
                return redirect(reverse("mfa_activate_totp"))
            if not session_has_mfa(request):
                # A session made without the second factor (an old session,
                # another login route): it does not count.
                logout(request)
                return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)
