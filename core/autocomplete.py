"""``Autocomplete``: the choice of one of thousands (an employee, a department) searched on the server as the user
types, instead of a select that lists every one of them on each page.

The widget is an ARIA 1.2 combobox (``core/jinja2/core/widgets/autocomplete.html``, a template of the Jinja2 form
renderer like every widget's, ``static/js/autocomplete.js``): a text box
whose options htmx fetches from ``search_url`` into a listbox, and the chosen object's key in a hidden input that
the form's ``ModelChoiceField`` validates against its queryset as it would a select's answer. Without JavaScript
the typed text is sent: one match is taken, otherwise the field says to choose from the list.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# The most options a search shows; a longer name narrows it down.
SEARCH_LIMIT = 20
# The listbox's id, as the widget names it (``id_<field>_listbox``), sent along with each search.
_LISTBOX_ID = re.compile(r"^[A-Za-z][\w-]{0,99}_listbox$")


def search(queryset: QuerySet, fields: tuple[str, ...], text: str, limit: int = SEARCH_LIMIT) -> QuerySet:
    """The first ``limit`` rows of ``queryset`` with every word of ``text`` in one of ``fields``."""
    words = text.split()
    if not words:
        return queryset.none()
    for word in words[:5]:
        queryset = queryset.filter(functools.reduce(operator.or_, (Q(**{f"{f}__icontains": word}) for f in fields)))
    return queryset[:limit]


class Autocomplete(forms.Widget):
    template_name = "core/widgets/autocomplete.html"

    def __init__(self, attrs=None, *, search_url: str = "", search_fields: tuple[str, ...] = ()) -> None:
        super().__init__(attrs)
        self.search_url = search_url
        self.search_fields = search_fields
        self.choices: Any = []

    def _queryset(self) -> QuerySet | None:
        return getattr(self.choices, "queryset", None)

    def _label(self, value: Any) -> str:
        """The label of the chosen object, for the text box (one query, only when something was chosen)."""
        queryset = self._queryset()
        if value in (None, "") or queryset is None:
            return ""
        try:
            chosen = queryset.filter(pk=value).first()
        except (TypeError, ValueError):
            return ""
        return self.choices.field.label_from_instance(chosen) if chosen is not None else ""

    def text_name(self, name: str) -> str:
        return f"{name}_text"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["text_name"] = self.text_name(name)
        label = self._label(value)
        # A chosen object shows its label; text that named none (sent without JavaScript) stays as typed.
        widget["label"] = label or ("" if value is None else str(value))
        widget["chosen"] = str(value) if label else ""
        widget["listbox_label"] = _("Suggestions")
        url = str(self.search_url)
        element_id = widget["attrs"].get("id")
        # The search answers with options whose ids belong to this listbox (and its status line).
        if element_id:
            url += ("&" if "?" in url else "?") + urlencode({"listbox": f"{element_id}_listbox"})
        widget["search_url"] = url
        return context

    def value_from_datadict(self, data, files, name: str) -> Any:
        value = data.get(name)
        if value:
            return value
        # Sent without JavaScript: the typed text, taken when it names exactly one.
        text = (data.get(self.text_name(name)) or "").strip()
        queryset = self._queryset()
        if not text or queryset is None or not self.search_fields:
            return value
        found = list(search(queryset, self.search_fields, text, limit=2).values_list("pk", flat=True))
        return str(found[0]) if len(found) == 1 else text

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and self.text_name(name) not in data


def options_response(
    request: HttpRequest,
    queryset: QuerySet,
    fields: tuple[str, ...],
    label: Callable[[Any], str] = str,
) -> HttpResponse:
    """The options of a combobox's listbox: the first rows of ``queryset`` with every typed word in one of
    ``fields``. The typed text comes as the widget's ``<name>_text`` and the listbox's id as ``listbox``."""
    typed = next((value for key, value in request.GET.items() if key.endswith("_text")), "").strip()
    listbox = request.GET.get("listbox", "")
    found = search(queryset, fields, typed)
    return render(
        request,
        "core/widgets/autocomplete_options.html",
        {
            "options": [{"pk": row.pk, "label": label(row)} for row in found],
            "typed": typed,
            "listbox": listbox if _LISTBOX_ID.match(listbox) else "autocomplete_listbox",
        },
    )
