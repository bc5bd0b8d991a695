"""Secrets shown back to the people who entered them: enough to recognise, never enough to use."""

from __future__ import annotations

from urllib.parse import urlsplit

MASK = "…"


def mask_secret(value: str, keep: int = 4) -> str:
    """The last ``keep`` characters of a secret, the rest hidden; empty stays empty."""
    if not value:
        return ""
    if len(value) <= keep * 2:
        return MASK
    return f"{MASK}{value[-keep:]}"


def mask_url(url: str) -> str:
    """A URL whose path and query carry credentials (a webhook): the scheme and host, then the last characters."""
    if not url:
        return ""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return mask_secret(url)
    return f"{parts.scheme}://{parts.hostname}/{mask_secret(url)}"
