"""Cross-cutting HTTP behaviour: no caching behind login, idle session timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

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
