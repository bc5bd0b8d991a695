"""Error bodies as problem details (RFC 9457, ``application/problem+json``), in the request's language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:ambassadeurs:problem:"


class Problem(exceptions.APIException):
    """An error with its own code, title and detail; ``errors`` per field where input was refused."""

    def __init__(self, status_code: int, code: str, title: str, detail: str = "", errors: Any = None) -> None:
        super().__init__(detail or title, code)
        self.status_code = status_code
        self.problem_code = code
        self.title = title
        self.errors = errors


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: ("invalid-request", _("The request is not valid.")),
        401: ("not-authenticated", _("A valid API token is required.")),
        403: ("forbidden", _("This token may not do this.")),
        404: ("not-found", _("Not found.")),
        405: ("method-not-allowed", _("This method is not allowed here.")),
        406: ("not-acceptable", _("This response format is not available.")),
        413: ("too-large", _("The request is too large.")),
        415: ("unsupported-media-type", _("Send the request body as JSON.")),
        422: ("unprocessable", _("The request cannot be processed.")),
        429: ("too-many-requests", _("Too many requests.")),
    }


def problem_response(
    status_code: int, *, code: str, title: str, detail: str = "", instance: str = "", errors: Any = None, headers=None
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": title,
        "status": status_code,
        "detail": detail or title,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's exceptions (and Django's 404/403) as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    request = context.get("request")
    instance = request.path if request is not None else ""
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    default_code, default_title = _titles().get(exc.status_code, ("error", _("The request failed.")))
    if isinstance(exc, Problem):
        return problem_response(
            exc.status_code,
            code=exc.problem_code,
            title=exc.title,
            detail=str(exc.detail),
            instance=instance,
            errors=exc.errors,
            headers=headers,
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return problem_response(
            status.HTTP_400_BAD_REQUEST,
            code=default_code,
            title=default_title,
            detail=_("Some fields were not filled in correctly; see errors."),
            instance=instance,
            errors=errors,
            headers=headers,
        )
    if isinstance(exc, exceptions.Throttled):
        detail = _("Try again in %(seconds)s seconds.") % {"seconds": int(exc.wait or 60)}
    else:
        detail = str(exc.detail) if not isinstance(exc.detail, (list, dict)) else default_title
    return problem_response(
        exc.status_code, code=default_code, title=default_title, detail=detail, instance=instance, headers=headers
    )
