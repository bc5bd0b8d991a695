"""Shared by the incidents services: the access log, the timeline and the guards of the transitions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import audit
from core.formatting import short_datetime
from core.logging import client_origin
from incidents import state
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


def add_event(leak: DataLeak, actor: Any, kind: str, text: str = "", data: dict | None = None) -> DataLeakEvent:
    """One timeline entry: ``text`` is what someone typed, ``data`` what the application says
    (``incidents.timeline`` renders it in the reader's language)."""
    state.forget(leak)  # the facts changed: what was derived for this instance is stale
    return DataLeakEvent.objects.create(leak=leak, actor=actor, kind=kind, text=text, data=data or {})


def format_moment(moment: datetime.datetime) -> str:
    return short_datetime(moment)


def require_transition(leak: DataLeak, name: str) -> None:
    """Refuse a transition the table of ``incidents.state`` does not allow from the report's derived state."""
    derived = state.derive(state.facts_of(leak))  # from the database now, not what this instance remembers
    if state.allowed(leak, name, derived):
        return
    if derived.is_final:
        raise ValidationError(_("This report is closed; it can no longer be changed."))
    messages = {
        "notify_ap": _("The AP was already notified; record a follow-up or a withdrawal instead."),
        "follow_up": _("Record the first notification before a follow-up or a withdrawal."),
        "withdraw": _("Record the first notification before a follow-up or a withdrawal."),
        "no_leak": _(
            "This report was notified to the AP: record the withdrawal of the notification, with its reason, "
            "before closing it as no data leak."
        ),
        "reopen": _("This report is not closed."),
    }
    raise ValidationError(messages.get(name, _("This step is not possible in the report's current state.")))


def require_open(leak: DataLeak) -> None:
    if state.derive(state.facts_of(leak)).is_final:
        raise ValidationError(_("This report is closed; it can no longer be changed."))
