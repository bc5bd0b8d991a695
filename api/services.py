"""Writes of the api app: creating, revoking and using tokens."""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, Scope
from api.problems import Problem
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


# The report's own idempotency token is derived from the organisation and its key (a key is the organisation's).
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c2b9e-7a4d-4e55-9a51-2d0c5e0a7b31")


def _invalid(errors: dict) -> Problem:
    # 422: the body has the form the schema documents (the serializer checked that: 400 otherwise), but the report
    # form's rules or the organisation refuse what it says (an unknown reporter, a department of another
    # organisation, a moment in the future).
    return Problem(
        422,
        "invalid-request",
        _("The request is not valid."),
        _("Some fields were not filled in correctly; see errors."),
        errors,
    )


def fingerprint(payload: Any) -> str:
    """The body as canonical JSON (keys sorted, no spacing), hashed: the same request, however it is spelled."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def dataleak_handover(*, organisation_id: int, key: str, payload: Any, ip: str | None = None) -> tuple[Any, bool]:
    """A data leak handed over by another system, stored once per ``Idempotency-Key`` (the IETF draft).

    The key is claimed first, under a unique constraint, in the same transaction as the report: a concurrent
    repeat waits for the first. A key already claimed with the same body answers the stored report
    (``created`` False); with another body a 422 problem, and nothing is stored. A request that is refused (400,
    422) rolls its claim back, so the key stays free for the corrected request.
    """
    from accounts.models import User
    from api.models import IdempotencyKey
    from api.serializers import DataLeakHandoverSerializer
    from incidents import services as incident_services
    from incidents.forms.intake import DataLeakReportForm
    from incidents.models import DataLeak

    digest = fingerprint(payload)
    token_uuid = uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{organisation_id}:{key}")
    with transaction.atomic():
        claim, claimed = IdempotencyKey.objects.get_or_create(
            organisation_id=organisation_id, key=key, defaults={"fingerprint": digest}
        )
        if not claimed:
            if claim.fingerprint != digest:
                raise Problem(
                    422,
                    "idempotency-key-reused",
                    _("This Idempotency-Key was used for another hand-over."),
                    _("Use a new key for a new hand-over."),
                )
            return claim.leak, False
        # A hand-over stored before keys had fingerprints: its report carries the key's token.
        earlier = DataLeak.objects.filter(idempotency_token=token_uuid).first()
        if earlier is not None:
            claim.leak = earlier
            claim.save(update_fields=["leak"])
            return earlier, False
        serializer = DataLeakHandoverSerializer(data=payload)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reporter = User.objects.filter(
            organisation_id=organisation_id, is_active=True, email__iexact=data["reporter_email"]
        ).first()
        if reporter is None:
            raise _invalid({"reporter_email": [_("No active employee of the organisation has this e-mail address.")]})
        form = DataLeakReportForm(
            data={
                **{name: data[name] for name in DataLeak.INTAKE_FIELDS if name in data},
                "idempotency_token": str(token_uuid),
                "contact_email": data["contact_email"] or reporter.email,
            },
            user=reporter,
            can_report_on_behalf=False,
        )
        if not form.is_valid():
            errors = {
                ("non_field_errors" if name == "__all__" else name): list(msgs) for name, msgs in form.errors.items()
            }
            raise _invalid(errors)
        leak, created = incident_services.dataleak_report(reporter=reporter, data=form.cleaned_data, ip=ip)
        claim.leak = leak
        claim.save(update_fields=["leak"])
    return leak, created
