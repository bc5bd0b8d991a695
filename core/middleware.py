"""Cross-cutting HTTP behaviour: no caching behind login, idle session timeout, query strings no list can mean."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

IDLE_KEY = "_last_activity"


class NoStoreMiddleware:
    """Pages behind login may hold personal data: browsers and proxies must not keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class PermissionsPolicyMiddleware:
    """Every response says which browser features no page uses (``PERMISSIONS_POLICY``): none of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionIdleTimeoutMiddleware:
    """Ends a session that saw no request for ``SESSION_IDLE_SECONDS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if last is None or now - int(last) > 60:
                # Written at most once a minute, so not every request saves the session.
                request.session[IDLE_KEY] = now
        return self.get_response(request)


# Control characters no person types into a search box or filter: NUL breaks PostgreSQL text parameters,
# the others have no meaning in a query. Tab, line feed and carriage return are allowed (pasted text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
QUERY_VALUE_MAX_CHARS = 1000


class QueryStringGuardMiddleware:
    """Refuses with 400 any query string whose parameter names or values no list or filter can mean.

    One place for every list page, whatever the view does with its parameters: a NUL byte, another control
    character, a lone surrogate or a value longer than ``QUERY_VALUE_MAX_CHARS``. What passes is ordinary
    text, which forms and filters validate as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("QUERY_STRING") and not self._acceptable(request):
            if request.path.startswith("/api/"):
                return self._problem(request)
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)

    @staticmethod
    def _problem(request: HttpRequest) -> HttpResponse:
        """The API answers in its own error format (RFC 9457 problem details), in the caller's language."""
        with translation.override(translation.get_language_from_request(request)):
            title = _("The request is not valid.")
            detail = _("The query string contains control characters or values that are too long.")
        body = {"type": "urn:ambassadeurs:problem:invalid-request", "title": title, "status": 400, "detail": detail}
        return HttpResponseBadRequest(json.dumps(body), content_type="application/problem+json")

    @staticmethod
    def _acceptable(request: HttpRequest) -> bool:
        try:
            items = list(request.GET.lists())
        except Exception:  # noqa: BLE001 - TooManyFieldsSent and malformed strings: refused, not a 500
            return False
        for key, values in items:
            if _CONTROL.search(key) or len(key) > 100:
                return False
            for value in values:
                if len(value) > QUERY_VALUE_MAX_CHARS or _CONTROL.search(value):
                    return False
        return True
