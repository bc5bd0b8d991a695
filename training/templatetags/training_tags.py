"""``{% enrolment_badge status %}``: the badge of an enrolment's status, one element wherever an enrolment shows."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def enrolment_badge(status: str) -> str:
    """The badge of an enrolment's status (enrolled, on the waiting list); nothing for any other."""
    if status == "enrolled":
        return format_html('<span class="badge text-bg-success">{}</span>', _("Enrolled"))
    if status == "waitlisted":
        return format_html('<span class="badge text-bg-warning">{}</span>', _("On the waiting list"))
    return ""
