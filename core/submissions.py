"""A double click stores once: each rendered form carries a one-time token, claimed by its first POST.

Render ``{% submission_token %}`` (core_tags) inside the form and decorate the
view with ``@once_per_submission``. A second POST with the same token (a double
click, a reload of the POST) is answered with a redirect to the page and a
message instead of being processed again. A form shown again with errors gets a
fresh token, so the user can correct and send it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

FIELD = "submission_token"
TTL_SECONDS = 6 * 60 * 60


def claim(request: HttpRequest) -> bool:
    """True for the first POST with this token (or a POST without one), False for a repeat."""
    token = request.POST.get(FIELD, "")
    if not token:
        return True
    # Hashed: the token comes from the client, and a cache key must be short and plain ASCII.
    digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
    return cache.add(f"submission:{request.user.pk}:{digest}", 1, timeout=TTL_SECONDS)


def once_per_submission(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and not claim(request):
            messages.info(request, _("This form was already sent; it has been stored once."))
            return HttpResponseRedirect(request.headers.get("referer") or request.path)
        return view(request, *args, **kwargs)

    return wrapped
