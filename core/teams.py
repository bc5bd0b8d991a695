"""Posts to an MS Teams channel through an incoming webhook."""

from __future__ import annotations

import json
import urllib.request

from core import outbox

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


def webhook_for(organisation_id: int | None, department_id: int | None = None) -> str:
    """The webhook a post goes to: the department's own, else the nearest department above it with one,
    else the organisation's; empty when none is set (nothing is posted).

    Each organisation has its own channel: on a shared installation one gemeente's posts never reach
    another's. The models are looked up through the app registry: ``core`` sits below ``accounts``.
    """
    from django.apps import apps

    if organisation_id is None:
        return ""
    if department_id is not None:
        department_model = apps.get_model("accounts", "Department")
        department = department_model.objects.filter(pk=department_id, organisation_id=organisation_id).first()
        if department is not None:
            hooks = dict(
                department.ancestors_and_self().exclude(teams_webhook_url="").values_list("path", "teams_webhook_url")
            )
            if hooks:
                return hooks[max(hooks, key=len)]
    organisation_model = apps.get_model("accounts", "Organisation")
    return (
        organisation_model.objects.filter(pk=organisation_id).values_list("teams_webhook_url", flat=True).first() or ""
    )


def announce(
    *, key: str, organisation_id: int, title: str, text: str, path: str = "", department_id: int | None = None
) -> None:
    """Queue a Teams card when the organisation (or the department) has a webhook; sent after commit.

    The outbox keeps the ids, not the webhook: the URL is a secret and is read again when the card is sent.
    """
    from django.conf import settings

    if not webhook_for(organisation_id, department_id):
        return
    outbox.enqueue(
        "core.tasks.post_to_teams",
        key=f"teams:{key}",
        organisation_id=organisation_id,
        department_id=department_id,
        title=title,
        text=text,
        url=f"{settings.SITE_URL}{path}" if path else "",
    )
