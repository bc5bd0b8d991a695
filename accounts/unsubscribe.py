"""One-click unsubscribe from non-essential mail: a signed link that needs no login."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User

SALT = "accounts.unsubscribe"
KINDS = {"topic_mailings": "receives_topic_mailings", "reminders": "receives_reminders"}


def make_token(user: User, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    return signing.dumps({"u": user.pk, "k": kind}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[User, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    kind = data.get("k")
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or kind not in KINDS:
        return None
    return user, kind


def unsubscribe_url(user: User, kind: str) -> str:
    return settings.SITE_URL + reverse("accounts:unsubscribe", kwargs={"token": make_token(user, kind)})


def unsubscribe_headers(user: User, kind: str, url: str | None = None) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: mail clients offer a one-click unsubscribe.

    ``url``: the user's :func:`unsubscribe_url`, when the caller made it already (for the body).
    """
    return {
        "List-Unsubscribe": f"<{url or unsubscribe_url(user, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe(user: User, kind: str) -> None:
    setattr(user, KINDS[kind], False)
    user.save(update_fields=[KINDS[kind]])
