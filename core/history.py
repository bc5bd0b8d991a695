"""The one history of corrections: a record others rely on is corrected in place with a reason, and the old values
are kept in ``core.Correction`` (each change with its field's name and its old and new value as data), shown by
``core/partials/history.html`` in the reader's language (:func:`readable`) and written to the audit trail.

A service corrects through :func:`correct` (set the fields, save, keep what changed) or, when it must save the record
itself, takes a :func:`snapshot` first and hands it to :func:`record`. A form asks the reason with
:func:`reason_field`; a missing reason is refused with one message, :data:`MISSING_REASON`, in forms and services alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import audit
from core.formatting import EMPTY, number, short_date, short_datetime
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


# A value the history cannot keep as data (a related record): only its text is kept.
_TEXT_ONLY = object()


def _raw(record: models.Model, name: str) -> Any:
    """A field's value as JSON data, so a later reader sees it in their own language: numbers as their digits,
    dates and moments in ISO 8601, choices as their key."""
    value = getattr(record, name)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return _TEXT_ONLY


class Snapshot(dict):
    """The fields' values as the history shows them (the mapping), with their data in ``raw``."""

    def __init__(self, shown: Mapping[str, str], raw: Mapping[str, Any]) -> None:
        super().__init__(shown)
        self.raw = dict(raw)


def snapshot(record: models.Model, fields: Iterable[str]) -> Snapshot:
    """The fields' values as the history shows them, taken before a correction."""
    fields = list(fields)
    return Snapshot({name: display(record, name) for name in fields}, {name: _raw(record, name) for name in fields})


def present(field: models.Field | None, value: Any) -> str:
    """A kept value in the reader's language (``core.formatting``): "1.234,50", "31-12-2026", a choice's label."""
    if value in (None, "", []):
        return EMPTY
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    try:
        if isinstance(field, models.BooleanField):
            return gettext("yes") if value else gettext("no")
        if isinstance(field, models.DateTimeField):
            return short_datetime(datetime.datetime.fromisoformat(value))
        if isinstance(field, models.DateField):
            return short_date(datetime.date.fromisoformat(value))
        if isinstance(field, models.DecimalField):
            return number(value, field.decimal_places)
        if isinstance(field, models.FloatField):
            amount = Decimal(str(value)).normalize()
            return number(amount, max(0, -amount.as_tuple().exponent))
        if isinstance(field, models.IntegerField):
            return number(value)
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def readable(correction: Correction) -> list[dict[str, str]]:
    """A correction's changes in the reader's language: the field's name and, where the data was kept, its old and
    new value formatted now; what was kept as text only (older corrections, related records) as it was written."""
    model = ContentType.objects.get_for_id(correction.content_type_id).model_class()
    changes = []
    for change in correction.changes:
        field = None
        if model is not None and change.get("name"):
            try:
                field = model._meta.get_field(change["name"])
            except FieldDoesNotExist:
                field = None
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else change["field"]
        if "old_value" in change and "new_value" in change:
            old, new = present(field, change["old_value"]), present(field, change["new_value"])
        else:
            old, new = change["old"], change["new"]
        changes.append({"field": label, "old": old, "new": new})
    return changes


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
    raw = getattr(before, "raw", {})
    changes = []
    for name, old in before.items():
        new = display(instance, name)
        if new != old:
            # The text as read now (the audit trail, and older readers), and the data for a reader in any language.
            change = {"name": name, "field": str(instance._meta.get_field(name).verbose_name), "old": old, "new": new}
            old_value, new_value = raw.get(name, _TEXT_ONLY), _raw(instance, name)
            if old_value is not _TEXT_ONLY and new_value is not _TEXT_ONLY:
                change.update(old_value=old_value, new_value=new_value)
            changes.append(change)
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
