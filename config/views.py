from __future__ import annotations

import re
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_text_list
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organisation
from config import accessibility as tested
from config.navigation import home_panels
from core import audit
from core.health import readiness
from core.models import AuditEntry


def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what to do next, gathered from the apps."""
    return render(request, "home.html", {"panels": home_panels(request)})


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is remembered for mails too."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 60 * 60,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: the organisation's registered one when it has entered it, else the product's.

    Reachable without signing in (a statement must be). A visitor who is not signed in sees the organisation's
    statement when the installation serves one organisation; on a shared installation, the product's.
    """
    organisation = getattr(request.user, "organisation", None) if request.user.is_authenticated else None
    if organisation is None:
        only = list(Organisation.objects.order_by("pk")[:2])
        organisation = only[0] if len(only) == 1 else None
    return render(
        request,
        "accessibility.html",
        {
            "organisation": organisation,
            "statement_url": organisation.accessibility_statement_url if organisation else "",
            "tested": tested,
            "tested_roles": get_text_list([str(role) for role in tested.TESTED_ROLES], _("and")),
        },
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    audit.record("permission_denied", request=request, result=AuditEntry.Result.DENIED, detail=request.path[:255])
    return render(request, "403.html", status=403)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    audit.record("rate_limited", request=request, result=AuditEntry.Result.DENIED, detail=request.path[:255])
    return render(request, "429.html", status=429)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Readiness for a load balancer or monitor: the state of the database, cache and broker, no data."""
    code, body = readiness()
    return JsonResponse(body, status=code)


# POST fields never written back into a page: secrets, and the CSRF token (the re-post form carries its own).
_NOT_ECHOED = re.compile(r"password|secret|otp|csrfmiddlewaretoken", re.IGNORECASE)
# What a person wrote, shown to copy: words with a space between them (not a choice's code, a date or a token).
_PROSE = re.compile(r"[^\W\d_]+\s+\S")


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500, except when the database could not be reached: then a 503 that needs no database.

    Django calls this inside the ``except`` of the failed request, so the exception is at hand. Whatever was
    running when PostgreSQL went away (a middleware reading the user, a form's choices, a service), the page says
    so plainly: nothing was stored, try again in a moment. For a POST it shows what was typed and offers to send
    exactly that again: the same fields, so a form's one-time token makes a repeat store once (core.submissions)
    even if the first try was stored after all. Files are not kept; the page says so.
    """
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    fields = []
    if request.method == "POST":
        fields = [
            (name, value) for name, values in request.POST.lists() if not _NOT_ECHOED.search(name) for value in values
        ]
    typed = [value for _name, value in fields if _PROSE.search(value)]
    context = {
        "posted": request.method == "POST",
        "fields": fields,
        "typed": typed,
        "had_files": bool(request.method == "POST" and request.FILES),
        "path": request.path,
        "csrf_token": request.POST.get("csrfmiddlewaretoken", "") if request.method == "POST" else "",
    }
    # No request context: the context processors would ask the database that just failed.
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
