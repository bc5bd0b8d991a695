"""``{{ text|bsn:reveal }}``: a report's free text with each BSN masked, or marked when ``reveal`` (a handler).

Put it before ``linebreaksbr``: it escapes the text itself and returns safe HTML. Without the argument it masks.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from incidents.bsn import bsn_html, contains_bsn

register = template.Library()


@register.filter(name="bsn")
def bsn(text: str, reveal: bool = False) -> SafeString:
    return bsn_html(str(text or ""), reveal=bool(reveal))


@register.filter(name="has_bsn")
def has_bsn(text: str) -> bool:
    return contains_bsn(str(text or ""))
