"""The ``date`` filter of every template, as Django's but through ``core.dates.format_date`` (a builtin)."""

from __future__ import annotations

from django import template
from django.utils.formats import get_format

from core.dates import format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter: the same text, compiled formats."""
    if value in (None, ""):
        return ""
    try:
        return format_date(value, get_format(arg or "DATE_FORMAT"))
    except AttributeError:
        try:
            return format_date(value, arg)
        except AttributeError:
            return ""
