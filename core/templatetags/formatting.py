"""``{% load formatting %}``: ``{{ amount|money }}``, ``{{ share|percent }}``, ``{{ hours|number:1 }}``, ``{{ planned|hours }}``.

The same functions as ``core.formatting``, so a page, its mail and its PDF show a figure the same way.
"""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()


@register.filter
def money(value, decimals=2) -> str:
    return formatting.money(value, int(decimals))


@register.filter
def hours(value, decimals=2) -> str:
    return formatting.hours(value, int(decimals))


@register.filter
def percent(value, decimals=1) -> str:
    return formatting.percent(value, int(decimals))


@register.filter
def number(value, decimals=0) -> str:
    return formatting.number(value, int(decimals))


@register.filter
def short_date(value) -> str:
    return formatting.short_date(value)


@register.filter
def short_datetime(value) -> str:
    return formatting.short_datetime(value)


@register.simple_tag
def quarter(year, number) -> str:
    """``{% quarter row.year row.quarter %}``: "2026 K4"."""
    return formatting.quarter(year, number)
