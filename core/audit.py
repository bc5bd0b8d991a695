"""The audit trail: security events and every access to sensitive records, append-only and hash-chained."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from core.client_address import client_ip as _client_ip
from core.models import AuditChainHead, AuditEntry

logger = logging.getLogger("audit")

GENESIS = "0" * 64


def _digest(previous_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256((previous_hash + payload).encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation_id": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "result": entry.result,
        "origin": entry.origin,
        "detail": entry.detail,
    }


def client_ip(request: HttpRequest | None) -> str:
    """The client's address, through the configured trusted proxies only (``core.client_address.client_ip``)."""
    return _client_ip(request)


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    result: str = AuditEntry.Result.SUCCESS,
    detail: str = "",
    origin: str = "",
) -> AuditEntry:
    """Append one entry. ``detail`` must never hold a password, token or the text of a report."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=(getattr(actor, "email", "") or "")[:254],
            organisation_id=getattr(actor, "organisation_id", None) or getattr(obj, "organisation_id", None),
            action=action[:64],
            object_type=object_type[:64],
            object_id=str(object_id)[:64],
            result=result,
            origin=(origin or client_ip(request))[:64],
            detail=detail[:255],
            previous_hash=head.last_hash or GENESIS,
        )
        entry.entry_hash = _digest(entry.previous_hash, _fields(entry))
        entry.save()
        AuditChainHead.objects.filter(pk=head.pk).update(last_hash=entry.entry_hash)
    logger.info(
        "audit action=%s result=%s actor=%s object=%s:%s origin=%s",
        entry.action,
        entry.result,
        entry.actor_id,
        entry.object_type,
        entry.object_id,
        entry.origin,
    )
    return entry


def verify_chain() -> list[str]:
    """Problems found in the chain: an altered entry, a removed one, or a broken head. Empty means intact."""
    problems: list[str] = []
    previous = GENESIS
    last = None
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            problems.append(f"entry {entry.pk}: the entry before it was removed or altered")
        if _digest(entry.previous_hash, _fields(entry)) != entry.entry_hash:
            problems.append(f"entry {entry.pk}: its contents were altered")
        previous = entry.entry_hash
        last = entry
    head = AuditChainHead.objects.filter(pk=1).first()
    if last is not None and (head is None or head.last_hash != last.entry_hash):
        problems.append("the newest entries were removed")
    return problems
