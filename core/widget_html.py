"""Django's plainest widget templates, rendered in Python (``core.forms.FormRenderer``).

Every ``<input>``, ``<textarea>`` and single ``<select>`` of a form is a template include, and a select includes
``select_option.html`` (which includes ``attrs.html``) once per option: a filter bar of seven fields or a select of
the few hundred departments of a large municipality cost more than the page's queries. These functions give the
same HTML as Django's templates, character for character (``core/tests/test_widget_html.py`` compares them for
every widget kind, value and attribute), without the template engine. Any other widget template is rendered as
before.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

_CONTEXT = Context()  # autoescape on, as a widget template renders
SELECT_OPTION = "django/forms/widgets/select_option.html"


def _value(value: Any) -> str:
    """``{{ value }}``: localised and escaped as the template engine does; a plain ``str`` only needs escaping."""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _stringformat(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps the input's safeness (``is_safe=True``)."""
    if type(value) is str:
        return html.escape(value)
    formatted = stringformat(value, "s")
    if isinstance(value, SafeData):
        formatted = mark_safe(formatted)  # noqa: S308 - the input was already safe, as the filter keeps it
    return _value(formatted)


def attrs(attributes: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attributes.items():
        if value is not False:
            parts.append(" " + _value(name))
            if value is not True:
                parts.append('="' + _stringformat(value) + '"')
    return "".join(parts)


def input_html(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html (and text, email, date, checkbox ... which include it)."""
    value = widget["value"]
    shown = "" if value is None else ' value="' + _stringformat(value) + '"'
    return (
        '<input type="'
        + _value(widget["type"])
        + '" name="'
        + _value(widget["name"])
        + '"'
        + shown
        + attrs(widget["attrs"])
        + ">"
    )


def textarea_html(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    return (
        '<textarea name="'
        + _value(widget["name"])
        + '"'
        + attrs(widget["attrs"])
        + ">\n"
        + (_value(value) if value else "")
        + "</textarea>"
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its options; None when an option has a template of its own."""
    parts = ['<select name="', _value(widget["name"]), '"', attrs(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts += ['\n  <optgroup label="', _value(group_name), '">']
        for option in options:
            if option.get("template_name") != SELECT_OPTION:
                return None
            parts += [
                '\n  <option value="',
                _stringformat(option["value"]),
                '"',
                attrs(option["attrs"]) if option["attrs"] else "",
                ">",
                _value(option["label"]),
                "</option>\n",
            ]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "url",
        "number",
        "password",
        "search",
        "tel",
        "color",
        "date",
        "datetime",
        "time",
        "hidden",
        "checkbox",
    )
}

RENDERERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, input_html),
    "django/forms/widgets/textarea.html": textarea_html,
    "django/forms/widgets/select.html": select_html,
}


def render(template_name: str, context: dict[str, Any]) -> str | None:
    """The widget's HTML as its Django template renders it (stripped, as the renderer strips it), or None when
    the template is not one of the plain ones."""
    renderer = RENDERERS.get(template_name)
    widget = context.get("widget")
    if renderer is None or not isinstance(widget, dict):
        return None
    output = renderer(widget)
    # Every part above is escaped as the template escapes it.
    return None if output is None else mark_safe(output.strip())  # noqa: S308
