"""Citizen service numbers (BSN) in the free text of a data-leak report: found, masked or marked at display.

The report stores what was typed (the Privacy Officer may need the number to
inform the citizen); what a reader sees depends on who reads: the handlers
(``can_handle_dataleaks``) see a BSN marked as one, everyone else sees it
masked. A BSN is nine digits that pass the eleven-test (elfproef, checked by
python-stdnum's ``stdnum.nl.bsn``), written together or in groups of at least
two digits separated by a dot, a space or a hyphen ("123456782",
"1234.56.782", "123 456 782"). Longer runs of digits (an IBAN's account part,
a phone number) are never cut into a BSN. ``static/incidents/bsn_warning.js``
applies the same rule in the report form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from stdnum.nl import bsn as stdnum_bsn

# Runs of digit groups joined by one separator each; a BSN is a sequence of whole groups inside a run.
_RUN = re.compile(r"\d+(?:[ .\-\u00a0]\d+)*")
_GROUP = re.compile(r"\d+")
BSN_LENGTH = 9
MAX_GROUPS = 4


def find_bsns(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) spans of the BSNs in ``text``, in order, never overlapping."""
    for run in _RUN.finditer(text or ""):
        groups = list(_GROUP.finditer(run.group()))
        i = 0
        while i < len(groups):
            span = _bsn_from(groups, i)
            if span is None:
                i += 1
                continue
            end_index, start, end = span
            yield run.start() + start, run.start() + end
            i = end_index + 1


def _bsn_from(groups: list[re.Match], first: int) -> tuple[int, int, int] | None:
    """The BSN made of whole groups starting at ``first``: (index of its last group, start, end) in the run."""
    digits = ""
    for index in range(first, min(first + MAX_GROUPS, len(groups))):
        group = groups[index].group()
        if index > first and (len(group) < 2 or len(groups[first].group()) < 2):
            return None
        digits += group
        if len(digits) > BSN_LENGTH:
            return None
        if len(digits) == BSN_LENGTH:
            return (index, groups[first].start(), groups[index].end()) if stdnum_bsn.is_valid(digits) else None
    return None


def contains_bsn(text: str) -> bool:
    return next(find_bsns(text), None) is not None


def mask_bsns(text: str) -> str:
    """Plain text with every BSN replaced (for a mail or a file a non-handler receives)."""
    return _replace(text, lambda number: str(_("[BSN hidden]")), escape=False)


def bsn_html(text: str, *, reveal: bool) -> SafeString:
    """The text, escaped, with each BSN marked for a handler (``reveal``) or masked for anyone else."""
    if reveal:
        return _replace(
            text,
            lambda number: format_html(
                '<mark class="bsn"><span class="visually-hidden">{} </span>{}</mark>', _("BSN"), number
            ),
        )
    return _replace(
        text,
        lambda number: format_html('<span class="bsn-masked">{}</span>', _("[BSN hidden]")),
    )


def _replace(text: str, render, *, escape: bool = True) -> str:
    text = text or ""
    parts = []
    last = 0
    for start, end in find_bsns(text):
        parts.append(conditional_escape(text[last:start]) if escape else text[last:start])
        parts.append(render(text[start:end]))
        last = end
    parts.append(conditional_escape(text[last:]) if escape else text[last:])
    joined = "".join(str(part) for part in parts)
    return mark_safe(joined) if escape else joined  # noqa: S308 - every part was escaped or built by format_html
