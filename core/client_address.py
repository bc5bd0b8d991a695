"""The client's address, taken from X-Forwarded-For only as far as the configured trusted proxies reach."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str:
    """The address the outermost trusted proxy saw, or ``REMOTE_ADDR`` without trusted proxies.

    Each of ``TRUSTED_PROXY_COUNT`` proxies appends the address it received the request from, so the
    client is the ``TRUSTED_PROXY_COUNT``-th entry from the right; anything left of it was written by the
    client and may be forged. A header with fewer entries than trusted proxies, or an entry that is not an
    address, is not believed.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote[:64]
