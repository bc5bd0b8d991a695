from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def settings_tab(context, url_name: str, label: str, **kwargs: str) -> str:
    """One tab of the organisation settings' sub-navigation, marked current on its own page."""
    url = reverse(url_name, kwargs=kwargs or None)
    current = context["request"].path == url
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        " active" if current else "",
        url,
        mark_safe(' aria-current="page"') if current else "",
        label,
    )
