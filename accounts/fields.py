"""``DepartmentField``: one of the organisation's departments, searched on the server as the user types
(``core.autocomplete``), instead of a select of every department on each page (a large municipality has hundreds).

The form gives the field its queryset as for any ``ModelChoiceField`` and validates the answer against it; the
search (``accounts:department_search``) offers the user's organisation's departments, the active ones only for
``ActiveDepartmentField``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from accounts.models import Department
from core.autocomplete import Autocomplete

DEPARTMENT_SEARCH_FIELDS = ("name", "code")


class DepartmentField(forms.ModelChoiceField):
    """Any department of the organisation (a list's filter: abolished ones included)."""

    search_query = ""

    def __init__(self, *, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.pop("widget", None)  # a model form's default (a select) gives way to the combobox
        url = reverse_lazy("accounts:department_search")
        widget = Autocomplete(
            search_url=format_lazy("{}?{}", url, self.search_query) if self.search_query else url,
            search_fields=DEPARTMENT_SEARCH_FIELDS,
        )
        super().__init__(queryset=Department.objects.none() if queryset is None else queryset, widget=widget, **kwargs)

    def label_from_instance(self, obj: Department) -> str:
        return obj.name


class ActiveDepartmentField(DepartmentField):
    """A department that still exists (a new report's, a person's)."""

    search_query = "actief=1"
