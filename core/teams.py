"""Posts to an MS Teams channel through an incoming webhook."""

from __future__ import annotations

import json
import urllib.request

TIMEOUT_SECONDS = 10


def card(title: str, text: str, url: str = "") -> dict:
    """A simple adaptive card: a title, a text and an optional link."""
    body: list[dict] = [
        {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "text": title, "wrap": True},
        {"type": "TextBlock", "text": text, "wrap": True},
    ]
    actions = [{"type": "Action.OpenUrl", "title": "Openen", "url": url}] if url else []
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                    "actions": actions,
                },
            }
        ],
    }


def post(webhook_url: str, payload: dict) -> int:
    """POST the payload; raises on a network error or a non-2xx answer (the task retries)."""
    if not webhook_url.startswith(("https://", "http://")):
        raise ValueError("The Teams webhook must be an http(s) URL.")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        webhook_url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        status = response.status
    if not 200 <= status < 300:
        raise OSError(f"Teams answered {status}")
    return status


def announce(*, key: str, title: str, text: str, path: str = "") -> None:
    """Queue a Teams card when a webhook is configured (in the caller's transaction, sent after commit)."""
    from django.conf import settings

    from core import outbox

    if not settings.TEAMS_WEBHOOK_URL:
        return
    outbox.enqueue(
        "core.tasks.post_to_teams",
        key=f"teams:{key}",
        webhook_url=settings.TEAMS_WEBHOOK_URL,
        title=title,
        text=text,
        url=f"{settings.SITE_URL}{path}" if path else "",
    )
