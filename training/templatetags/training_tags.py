"""A session's moment and an enrolment's badge as tags: the training overview lists fifty sessions, and an
included template per row cost more than the list's query."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.dates import format_date

register = template.Library()


@register.simple_tag
def session_when(session) -> str:
    """ "maandag 2 november 2026, 09:30–11:00", in the local time zone."""
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{format_date(start, 'l j F Y')}, {format_date(start, 'H:i')}–{format_date(end, 'H:i')}"


@register.simple_tag
def enrolment_badge(status: str) -> str:
    """The badge of an enrolment's status (enrolled, on the waiting list); nothing for any other."""
    if status == "enrolled":
        return format_html('<span class="badge text-bg-success">{}</span>', _("Enrolled"))
    if status == "waitlisted":
        return format_html('<span class="badge text-bg-warning">{}</span>', _("On the waiting list"))
    return ""
