"""Writes of the api app: creating, revoking and using tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, Scope
from core import audit

TOKEN_PREFIX = "amb_"
# Writing last_used_at on every request would make each call a write; once a minute is precise enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(
    *, organisation: Any, created_by: Any, name: str, scopes: Iterable[str], expires_at: datetime.datetime
) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is returned this once and only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    valid = {choice.value for choice in Scope}
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name.strip(),
        scopes=sorted({scope for scope in scopes if scope in valid}),
        prefix=raw[:12],
        key_hash=hash_token(raw),
        expires_at=expires_at,
        created_by=created_by,
    )
    audit.record(
        "api_token_created",
        actor=created_by,
        obj=token,
        detail=f"{token.prefix} scopes={','.join(token.scopes)} expires={token.expires_at:%Y-%m-%d}",
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record("api_token_revoked", actor=actor, obj=token, detail=token.prefix)
    return token


def token_lookup(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    return ApiToken.objects.select_related("organisation").filter(key_hash=hash_token(raw)).first()


def token_touch(token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Record the use, at most once per resolution: one conditional UPDATE, usually of no row."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_RESOLUTION).update(last_used_at=now)
    token.last_used_at = now
