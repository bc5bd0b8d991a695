"""The audit trail: security events and every access to sensitive records, append-only and MAC-chained.

Each entry carries an HMAC-SHA256 over the previous entry's MAC and its own fields, under a key that is not in
the database (``AUDIT_HMAC_KEY``, or one derived from ``SECRET_KEY``): someone who can write to the database but
does not hold the key cannot alter, insert or remove an entry and recompute the chain. PostgreSQL (and SQLite)
refuse UPDATE and DELETE on the table (a trigger, migration ``core.0005``). Beat appends the chain's head to
``AUDIT_CHECKPOINT_PATH`` (and the log stream) every ``AUDIT_CHECKPOINT_SECONDS``, so removing the newest entries,
or all of them, is found against the last checkpoint. ``verify_chain`` checks all of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from core.client_address import client_ip as _client_ip
from core.models import AuditChainHead, AuditEntry

logger = logging.getLogger("audit")

GENESIS = "0" * 64


def derive_key(secret: str) -> bytes:
    """The chain's key derived from a ``SECRET_KEY`` (used when ``AUDIT_HMAC_KEY`` is not set)."""
    return hmac.new(secret.encode("utf-8"), b"ambassadeurs.core.audit.chain", hashlib.sha256).digest()


def signing_key() -> bytes:
    """The key new entries are MACed with: ``AUDIT_HMAC_KEY``, else derived from ``SECRET_KEY``."""
    explicit = getattr(settings, "AUDIT_HMAC_KEY", "")
    return explicit.encode("utf-8") if explicit else derive_key(settings.SECRET_KEY)


def verifying_keys() -> list[bytes]:
    """Every key an entry may have been MACed with: the current one first, then those of a rotation."""
    keys = [signing_key()]
    keys += [key.encode("utf-8") for key in getattr(settings, "AUDIT_HMAC_KEY_FALLBACKS", []) if key]
    keys += [derive_key(secret) for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]]
    unique: list[bytes] = []
    for key in keys:
        if key not in unique:
            unique.append(key)
    return unique


def _payload(previous_hash: str, fields: dict[str, Any]) -> bytes:
    return (previous_hash + json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))).encode("utf-8")


def _digest(previous_hash: str, fields: dict[str, Any], key: bytes | None = None) -> str:
    return hmac.new(key or signing_key(), _payload(previous_hash, fields), hashlib.sha256).hexdigest()


def _valid(entry_hash: str, previous_hash: str, fields: dict[str, Any], keys: list[bytes]) -> bool:
    payload = _payload(previous_hash, fields)
    return any(
        hmac.compare_digest(hmac.new(key, payload, hashlib.sha256).hexdigest(), entry_hash or "") for key in keys
    )


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


def _checkpoint_mac(fields: dict[str, Any], key: bytes) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, b"checkpoint:" + payload, hashlib.sha256).hexdigest()


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_PATH)


def read_checkpoints() -> list[dict[str, Any]]:
    """Every checkpoint written out, oldest first (an unreadable line is returned as ``{"broken": line}``)."""
    path = checkpoint_path()
    if not path.exists():
        return []
    checkpoints: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as file:
        for line in file:
            if not line.strip():
                continue
            try:
                checkpoints.append(json.loads(line))
            except ValueError:
                checkpoints.append({"broken": line.strip()[:80]})
    return checkpoints


def write_checkpoint() -> dict[str, Any] | None:
    """Append the chain's head (newest entry's id and MAC, and the number of entries) outside the database.

    Written to the append-only file ``AUDIT_CHECKPOINT_PATH`` and to the log stream; nothing is written when the
    head did not move since the last checkpoint. Returns the checkpoint written, if any.
    """
    last = AuditEntry.objects.order_by("-pk").only("pk", "entry_hash", "at").first()
    if last is None:
        return None
    checkpoints = read_checkpoints()
    if (
        checkpoints
        and checkpoints[-1].get("entry_id") == last.pk
        and checkpoints[-1].get("entry_hash") == last.entry_hash
    ):
        return None
    fields = {
        "written_at": timezone.now().isoformat(),
        "entry_id": last.pk,
        "entry_hash": last.entry_hash,
        "count": AuditEntry.objects.filter(pk__lte=last.pk).count(),
    }
    checkpoint = {**fields, "mac": _checkpoint_mac(fields, signing_key())}
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(checkpoint, sort_keys=True, separators=(",", ":")) + "\n"
    # O_APPEND: every line goes at the end, whoever else writes; the file is never rewritten.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    logger.info(
        "audit checkpoint entry=%s hash=%s count=%s",
        checkpoint["entry_id"],
        checkpoint["entry_hash"],
        checkpoint["count"],
    )
    return checkpoint


def verify_chain() -> list[str]:
    """Problems found in the trail; empty means intact.

    Finds an entry altered, inserted or removed anywhere in the chain (each entry's MAC covers the previous
    one's, and only the key's holder can compute one), a head that does not match the newest entry, and entries
    removed from the end (or all of them) up to the last checkpoint written outside the database.
    """
    problems: list[str] = []
    keys = verifying_keys()
    previous = GENESIS
    last = None
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            problems.append(f"entry {entry.pk}: the entry before it was removed or altered")
        if not _valid(entry.entry_hash, entry.previous_hash, _fields(entry), keys):
            problems.append(f"entry {entry.pk}: its contents were altered")
        previous = entry.entry_hash
        last = entry
    head = AuditChainHead.objects.filter(pk=1).first()
    if last is not None and (head is None or head.last_hash != last.entry_hash):
        problems.append("the newest entries were removed")
    problems += _verify_checkpoints(keys)
    return problems


def _verify_checkpoints(keys: list[bytes]) -> list[str]:
    problems: list[str] = []
    checkpoints = read_checkpoints()
    for number, checkpoint in enumerate(checkpoints, start=1):
        if "broken" in checkpoint:
            problems.append(f"checkpoint {number}: unreadable")
            continue
        fields = {name: checkpoint.get(name) for name in ("written_at", "entry_id", "entry_hash", "count")}
        if not any(hmac.compare_digest(_checkpoint_mac(fields, key), str(checkpoint.get("mac", ""))) for key in keys):
            problems.append(f"checkpoint {number}: not written with the trail's key")
    if not checkpoints or "broken" in checkpoints[-1]:
        return problems
    newest = checkpoints[-1]
    entry = AuditEntry.objects.filter(pk=newest.get("entry_id")).only("pk", "entry_hash").first()
    if entry is None or entry.entry_hash != newest.get("entry_hash"):
        problems.append(
            f"entries up to {newest.get('entry_id')} (checkpoint of {newest.get('written_at')}) were removed or altered"
        )
    elif AuditEntry.objects.filter(pk__lte=entry.pk).count() != newest.get("count"):
        problems.append(
            f"the number of entries up to {entry.pk} differs from the checkpoint of {newest.get('written_at')}"
        )
    return problems
