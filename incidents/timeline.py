"""The timeline's entries as data, rendered in the reader's language when shown.

A service stores what happened as ``DataLeakEvent.data`` (``{"message": key, ...values}``): field names, choice
values and moments, never text in the writer's language. :func:`render` turns it into a sentence with the labels of
the reader's language (a field's verbose name, a choice's label, a moment in the local format). What someone typed
(a reason, a note) is kept as typed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import number, short_date, short_datetime


def raw(record: models.Model, name: str) -> Any:
    """A field's value as JSON the timeline can render later: moments and days as ISO text under a marker."""
    value = getattr(record, name)
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, models.Model):
        return str(value)
    return value


def value_text(model: type[models.Model], name: str, value: Any) -> str:
    """A stored value in the reader's language: a choice's label, yes/no, a local moment; "–" when empty."""
    if value in (None, "", [], {}):
        return "–"
    if isinstance(value, dict) and "dt" in value:
        moment = parse_datetime(value["dt"])
        return short_datetime(moment) if moment else value["dt"]
    if isinstance(value, dict) and "d" in value:
        day = parse_date(value["d"])
        return short_date(day) if day else value["d"]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    labels: dict = {}
    if field is not None and getattr(field, "choices", None):
        labels = dict(field.flatchoices)
    elif name in ("data_kinds", "personal_data_categories"):
        from incidents.models import DataKind

        labels = dict(DataKind.choices)
    if isinstance(value, list):
        return ", ".join(str(labels.get(item, item)) for item in value)
    return str(labels.get(value, value))


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _state_label(value: str) -> str:
    from incidents.state import LeakState

    return str(LeakState(value).label) if value in LeakState.values else value


def _kind_label(value: str) -> str:
    from incidents.models import APNotification

    return str(dict(APNotification.Kind.choices).get(value, value))


def _moment(value: Any) -> str:
    return value_text(models.Model, "", value)


def render(event) -> str:
    """The entry's text in the active language."""
    from incidents.models import DataLeak, SubjectNotification

    data = event.data or {}
    message = data.get("message")
    if not message:
        return event.text
    if message == "started":
        return _("Assessment started.")
    if message == "ap_notification":
        text = _("%(kind)s to the AP on %(when)s, AP reference %(reference)s.") % {
            "kind": _kind_label(data["kind"]),
            "when": _moment(data["when"]),
            "reference": data.get("reference", ""),
        }
        if data["kind"] == "withdrawal":
            return text + " " + _("Reason: %(reason)s") % {"reason": data.get("reason", "")}
        return text + " " + (_("Complete.") if data.get("complete") else _("Provisional, to be supplemented."))
    if message == "subjects_informed":
        count = data.get("count") or 0
        return ngettext(
            "%(count)s data subject informed by %(channel)s on %(date)s.",
            "%(count)s data subjects informed by %(channel)s on %(date)s.",
            count,
        ) % {
            "count": number(count),
            "channel": value_text(SubjectNotification, "channel", data.get("channel")).lower(),
            "date": _moment(data.get("date")),
        }
    if message == "closed":
        return _("Closed. Cause: %(cause)s Lesson: %(lesson)s") % {
            "cause": data.get("cause", ""),
            "lesson": data.get("lesson", ""),
        }
    if message == "no_leak":
        return _("Closed as no data leak: %(reason)s") % {"reason": data.get("reason", "")}
    if message == "reopened":
        return _("Reopened (was: %(old)s). Reason: %(reason)s") % {
            "old": _state_label(data.get("was", "")),
            "reason": data.get("reason", ""),
        }
    if message == "status":  # entries from before the state was derived (migrated from their text)
        return _("Status: %(old)s → %(new)s.") % {
            "old": _state_label(data.get("old", "")),
            "new": _state_label(data.get("new", "")),
        }
    if message == "aware_at":
        return _("Aware since changed from %(old)s to %(new)s.") % {
            "old": _moment(data.get("old")),
            "new": _moment(data.get("new")),
        }
    if message == "assessment":
        lines = [
            _("%(field)s: %(old)s → %(new)s")
            % {
                "field": field_label(DataLeak, name),
                "old": _short(value_text(DataLeak, name, old)),
                "new": _short(value_text(DataLeak, name, new)),
            }
            for name, old, new in data.get("changes", [])
        ]
        return _("Changed:") + "\n" + "\n".join(lines)
    if message == "decision":
        ap = data.get("which") == "ap"
        field = "ap_decision" if ap else "subjects_decision"
        template = (
            _("AP decision: %(decision)s. %(reason)s") if ap else _("Data-subject decision: %(decision)s. %(reason)s")
        )
        text = template % {
            "decision": value_text(DataLeak, field, data.get("new")),
            "reason": data.get("new_reason", ""),
        }
        if data.get("exemption"):
            text += " " + value_text(DataLeak, "subjects_exemption", data["exemption"])
        if data.get("old"):
            text += "\n" + _("Before: %(old)s. %(reason)s") % {
                "old": value_text(DataLeak, field, data["old"]),
                "reason": data.get("old_reason", ""),
            }
        if data.get("reason"):
            text += "\n" + _("Reason: %(reason)s") % {"reason": data["reason"]}
        return text
    return event.text


def _short(text: str) -> str:
    return text if len(text) <= 300 else text[:299] + "…"
