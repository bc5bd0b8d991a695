"""Bootstrap 5 form fields without crispy-forms, for pages every employee opens and the filter bars of the long
lists (crispy's field template costs about a millisecond per field).

``{% light_field form.q %}`` renders one field with the markup crispy's bootstrap5 pack gives: label, widget
(``form-control``, ``form-select`` or ``form-check-input``), help text and errors, the widget pointing at both
(``aria-describedby``) and marked ``is-invalid`` and ``aria-invalid`` when the field has errors.
``{% include "core/forms/fields.html" %}`` renders every field of ``form`` so. A widget the tag does not know
(radio buttons, several checkboxes, files) is left to crispy.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CSS = {"checkbox": "form-check-input", "select": "form-select", "input": "form-control"}


def _kind(field: forms.BoundField) -> str | None:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea) or (
        isinstance(widget, forms.widgets.Input) and not isinstance(widget, forms.FileInput | forms.HiddenInput)
    ):
        return "input"
    return None


def _widget(field: forms.BoundField, kind: str, described_by: list[str]) -> SafeString:
    existing = field.field.widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {_CSS[kind]}{' is-invalid' if field.errors else ''}".strip()}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def light_field(field: forms.BoundField) -> SafeString:
    kind = _kind(field)
    if kind is None:
        return as_crispy_field(field)
    auto_id = conditional_escape(field.auto_id)
    described_by = []
    if field.help_text:
        described_by.append(f"{auto_id}_helptext")
    if field.errors:
        described_by.append(f"{auto_id}_error")
    widget = _widget(field, kind, described_by)
    if kind == "checkbox":
        head = format_html(
            '<div id="div_{}" class="form-check">{} <label for="{}" class="form-check-label">{}</label>',
            auto_id,
            widget,
            field.id_for_label,
            field.label,
        )
    else:
        required = field.field.required
        head = format_html(
            '<div id="div_{}"><label for="{}" class="form-label{}">{}{}</label> {}',
            auto_id,
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
            widget,
        )
    parts = ['<div class="mb-3">', head]
    if field.errors:
        errors = "".join(f"<strong>{conditional_escape(error)}</strong><br>" for error in field.errors)
        parts.append(f'<div id="{auto_id}_error" class="invalid-feedback d-block">{errors.removesuffix("<br>")}</div>')
    if field.help_text:
        # Help texts are the app's own and may hold markup, as crispy shows them.
        parts.append(f'<div id="{auto_id}_helptext" class="form-text">{field.help_text}</div>')
    parts.append("</div></div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or the app's own markup
