"""The one history of corrections: a record others rely on is corrected in place with a reason, and the old values
are kept in ``core.Correction``, shown by ``core/partials/history.html`` and written to the audit trail.

A service corrects through :func:`correct` (set the fields, save, keep what changed) or, when it must save the record
itself, takes a :func:`snapshot` first and hands it to :func:`record`. A form asks the reason with
:func:`reason_field`; a missing reason is refused with one message, :data:`MISSING_REASON`, in forms and services alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import audit
from core.formatting import short_datetime
from core.models import Correction

MISSING_REASON = _("Give the reason for the correction.")
REASON_HELP = _("Stored with the correction and shown with it; the old value is kept.")


def reason_field(*, label: Any = None, help_text: Any = None, required: bool = True) -> forms.CharField:
    """The reason of a correction in a form, with the one message for a missing reason."""
    return forms.CharField(
        label=label or _("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=required,
        help_text=help_text or REASON_HELP,
        error_messages={"required": MISSING_REASON},
    )


def require_reason(reason: str | None) -> str:
    """The reason without surrounding spaces; a ValidationError on ``reason`` when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": MISSING_REASON})
    return reason


def display(record: models.Model, name: str) -> str:
    """A field's value as the history keeps it: a choice's label, a day as 31-12-2026, a local moment, yes/no, a
    number as stored; "–" when empty."""
    value = getattr(record, name)
    if value in (None, "", []):
        return "–"
    field = record._meta.get_field(name)
    if getattr(field, "choices", None):
        value = dict(field.flatchoices).get(value, value)
    elif isinstance(value, bool):
        value = gettext("yes") if value else gettext("no")
    elif isinstance(value, datetime.datetime):
        value = short_datetime(value)
    elif isinstance(value, datetime.date):
        value = value.strftime("%d-%m-%Y")
    elif isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return str(value)


def snapshot(record: models.Model, fields: Iterable[str]) -> dict[str, str]:
    """The fields' values as the history shows them, taken before a correction."""
    return {name: display(record, name) for name in fields}


def record(
    instance: models.Model,
    *,
    before: Mapping[str, str],
    reason: str,
    user: Any,
    action: str,
    organisation_id: int | None,
    at: datetime.datetime | None = None,
) -> Correction | None:
    """Keep what changed in ``instance`` since ``before`` (a :func:`snapshot`), with the reason, and audit it.

    Returns the correction, or None when nothing changed (nothing is kept then).
    """
    reason = require_reason(reason)
    changes = []
    for name, old in before.items():
        new = display(instance, name)
        if new != old:
            changes.append({"field": str(instance._meta.get_field(name).verbose_name), "old": old, "new": new})
    if not changes:
        return None
    correction = Correction.objects.create(
        organisation_id=organisation_id,
        record=instance,
        changes=changes,
        reason=reason,
        corrected_by=user,
        corrected_at=at or timezone.now(),
    )
    audit.record(action, actor=user, obj=instance, detail=", ".join(change["field"] for change in changes))
    return correction


def correct(
    instance: models.Model,
    *,
    data: Mapping[str, Any],
    fields: Iterable[str],
    reason: str,
    user: Any,
    action: str,
    organisation_id: int | None,
    exclude_from_validation: Iterable[str] = (),
) -> Correction | None:
    """Set ``fields`` from ``data`` on ``instance``, validate and save it, and keep the old values with the reason.

    Nothing is saved or kept when no field changed.
    """
    reason = require_reason(reason)
    fields = list(fields)
    before = snapshot(instance, fields)
    for name in fields:
        setattr(instance, name, data.get(name))
    if snapshot(instance, fields) == before:
        return None
    instance.full_clean(
        exclude=[*(f.name for f in instance._meta.fields if f.name not in fields), *exclude_from_validation]
    )
    instance.save()
    return record(instance, before=before, reason=reason, user=user, action=action, organisation_id=organisation_id)
