"""Shared by the incidents services: the access log, the timeline, the status and the open check."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.formatting import short_datetime
from core.logging import client_origin
from incidents.models import (
    DataLeak,
    DataLeakAccess,
    DataLeakEvent,
)


def access_record(
    *, user: Any, leak: DataLeak | None, action: str, detail: str = "", ip: str | None = None
) -> DataLeakAccess:
    """Append who did what with which report (or with the register, ``leak`` None), from which IP."""
    organisation_id = leak.organisation_id if leak is not None else user.organisation_id
    ip = ip or client_origin.get() or None
    # The same fact goes into the hash-chained audit trail, which no one can alter unnoticed.
    audit.record(
        f"dataleak_{action}",
        actor=user if getattr(user, "is_authenticated", False) else None,
        object_type="incidents.dataleak" if leak is not None else "incidents.register",
        object_id=str(leak.pk) if leak is not None else str(organisation_id),
        origin=ip or "",
    )
    return DataLeakAccess.objects.create(
        organisation_id=organisation_id,
        leak=leak,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        detail=detail[:255],
        ip_address=ip or None,
    )


def log_change(leak: DataLeak, actor: Any, detail: str) -> DataLeakAccess:
    """Each write service records itself in the access log (and so in the audit trail); the request's address comes
    from ``core.logging.client_origin``."""
    return access_record(user=actor, leak=leak, action=DataLeakAccess.Action.CHANGE, detail=detail)


def add_event(leak: DataLeak, actor: Any, kind: str, text: str = "") -> DataLeakEvent:
    return DataLeakEvent.objects.create(leak=leak, actor=actor, kind=kind, text=text)


def format_moment(moment: datetime.datetime) -> str:
    return short_datetime(moment)


def set_status(leak: DataLeak, actor: Any, status: str) -> None:
    if leak.status == status:
        return
    old = leak.get_status_display()
    leak.status = status
    if status in DataLeak.FINAL_STATUSES:
        leak.closed_at = timezone.now()
    leak.save()
    add_event(
        leak,
        actor,
        DataLeakEvent.Kind.STATUS,
        _("Status: %(old)s → %(new)s.") % {"old": old, "new": leak.get_status_display()},
    )


def require_open(leak: DataLeak) -> None:
    if leak.is_final:
        raise ValidationError(_("This report is closed; it can no longer be changed."))
