"""``reverse`` for the rows of a long list: a URL with one whole-number argument, reversed once per view name.

``{% url 'incidents:detail' leak.pk %}`` resolves the name, checks the pattern and quotes the argument for every
row; fifty rows took longer than the list's query. ``row_url(name)(pk)`` reverses the name once with a marker
and puts each row's number in its place: the same URL (``core/tests/test_reversing.py``). A name whose URL
does not take one number as its only argument is reversed as usual.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = 987654321987654321


@functools.lru_cache(maxsize=256)
def _builder(viewname: str, prefix: str, urlconf: str | None, root: str) -> Callable[[int], str]:
    try:
        marked = reverse(viewname, args=[_MARK])
    except Exception:  # noqa: BLE001 - not a one-number URL: reverse each time, with its own error
        marked = ""
    if marked.count(str(_MARK)) != 1:
        return lambda pk: reverse(viewname, args=[pk])
    head, tail = marked.split(str(_MARK))
    return lambda pk: f"{head}{int(pk)}{tail}"


def row_url(viewname: str) -> Callable[[int], str]:
    """A function giving ``reverse(viewname, args=[pk])`` for each ``pk``."""
    return _builder(viewname, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
