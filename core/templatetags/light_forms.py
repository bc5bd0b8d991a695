"""Bootstrap 5 form fields without crispy-forms, for pages every employee opens (crispy costs milliseconds).

``{% include "core/forms/fields.html" %}`` renders every field of ``form`` with the markup crispy's
bootstrap5 pack gives: label, widget, help text (``aria-describedby``), errors (``is-invalid``).
"""

from __future__ import annotations

from django import forms, template

register = template.Library()


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple | forms.RadioSelect):
        return "select"
    return "input"


@register.filter
def field_kind(field: forms.BoundField) -> str:
    return _kind(field)


@register.filter
def bootstrap_widget(field: forms.BoundField) -> str:
    css = {"checkbox": "form-check-input", "select": "form-select"}.get(_kind(field), "form-control")
    if field.errors:
        css += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})
