"""Form rendering shared by every app: no required choice starts on a pre-selected or empty answer, numbers are
typed as the reader writes them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import django.forms
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils import formats
from django.utils.functional import cached_property, lazy
from django.utils.html import conditional_escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_upload

BLANK_LABEL = "---------"
PROMPT = _("— Make a choice —")


def prompt_required_choice(widget: dict[str, Any]) -> None:
    """Give a required single select an empty first option that says what to do.

    Django shows a required ModelChoiceField's empty option as "---------" and a
    required ChoiceField with its first answer already selected, so a user who
    never looked at the field sends an answer they did not give. The empty option
    sends "", which the field refuses with its required message.
    """
    # A form that makes a field required after creating it (``fields["x"].required = True``) leaves the widget's
    # ``is_required`` as it was; the ``required`` attribute follows the field.
    required = widget.get("required") or widget.get("attrs", {}).get("required")
    if not required or widget.get("attrs", {}).get("multiple"):
        return
    optgroups = widget.get("optgroups") or []
    first = optgroups[0][1][0] if optgroups and optgroups[0][1] else None
    if first is not None and first["value"] in ("", None):
        if first["label"] == BLANK_LABEL:
            first["label"] = PROMPT
        return
    selected = any(option["selected"] for _group, options, _index in optgroups for option in options)
    option = {
        "name": widget["name"],
        "value": "",
        "label": PROMPT,
        "selected": not selected,
        "index": "",
        "attrs": {"selected": True} if not selected else {},
        "type": "select",
        "template_name": "django/forms/widgets/select_option.html",
        "wrap_label": True,
    }
    widget["optgroups"] = [(None, [option], -1), *optgroups]


class NumberTextInput(forms.TextInput):
    """A number typed as the reader writes it ("1.234,5" in Dutch), with the phone's number keyboard.

    ``<input type="number">`` parses what is typed in the browser's language, not the page's: a Dutch "30,5" in an
    English browser arrives as 305, without a warning. A text field sends what was typed, and the server reads it in
    the page's language (``parse_number``)."""

    def __init__(self, attrs: dict | None = None, *, decimals: bool) -> None:
        super().__init__({"inputmode": "decimal" if decimals else "numeric", **(attrs or {})})


_NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
# What a browser's number field needs and a text field does not know; the field's validators still check min and max.
_NUMBER_ONLY_ATTRS = ("step", "min", "max", "type")


def _number_example() -> str:
    return formats.number_format(Decimal("1234.5"), 1, force_grouping=True)


NUMBER_INVALID = format_lazy(_("Enter a number such as {example}."), example=lazy(_number_example, str)())


def parse_number(value: Any) -> Any:
    """What was typed in a number field, as the machine form ("1234.5") in the active language's separators.

    Accepted: digits with the language's decimal separator ("30,5"), with its thousands separator between groups of
    three ("1.234,5"), or with a decimal point and no grouping ("30.5", as Django reads a lone Dutch dot that is not
    followed by three digits). Anything else ("1,000.5" on a Dutch page, "30,5" on an English one, "1,5,0") is
    ambiguous and returned unchanged, so the field refuses it with ``NUMBER_INVALID`` instead of guessing 305."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return value
    decimal, thousand = (
        re.escape(formats.get_format("DECIMAL_SEPARATOR")),
        re.escape(formats.get_format("THOUSAND_SEPARATOR")),
    )
    local = re.fullmatch(rf"([+-]?)(\d+|\d{{1,3}}(?:{thousand}\d{{3}})+)(?:{decimal}(\d+))?", text)
    if local:
        sign, whole, fraction = local.groups()
        digits = re.sub(r"\D", "", whole)
        return f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}"
    if re.fullmatch(r"[+-]?\d+\.\d+", text):
        return text
    return value


class BoundField(forms.BoundField):
    """Every form's bound field (``FormRenderer.bound_field_class``): two rules for all forms in one place.

    - A required choice shown as radio buttons offers no empty answer: Django gives a model field with choices an
      empty "---------" choice, which a radio list shows already selected.
    - A number field is a text field read in the page's language (``NumberTextInput``, ``parse_number``).
    """

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        # ``form.fields`` is the form's own deep copy, so changing the field changes this form only.
        if field.required and isinstance(field.widget, forms.RadioSelect) and isinstance(field, forms.ChoiceField):
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = None
            else:
                field.choices = [(value, label) for value, label in field.choices if value not in ("", None)]
        if isinstance(field, _NUMBER_FIELDS) and type(field.widget) is forms.NumberInput:
            # DecimalField and FloatField are IntegerFields to Django.
            decimals = isinstance(field, (forms.DecimalField, forms.FloatField))
            attrs = {key: value for key, value in field.widget.attrs.items() if key not in _NUMBER_ONLY_ATTRS}
            widget = NumberTextInput(attrs, decimals=decimals)
            widget.is_required = field.required
            # A decimal shows as the reader writes it ("1.234,50"); a whole number plainly ("2026", never "2.026").
            widget.is_localized = decimals
            field.widget = widget
            if decimals:  # a whole number keeps "Enter a whole number."
                field.error_messages = {**field.error_messages, "invalid": NUMBER_INVALID}
        super().__init__(form, field, name)

    @property
    def data(self) -> Any:
        data = super().data
        return parse_number(data) if isinstance(self.field.widget, NumberTextInput) else data

    def value(self) -> Any:
        if self.form.is_bound and isinstance(self.field.widget, NumberTextInput) and not self.field.disabled:
            # What was typed comes back as typed ("30,5"), not as the machine form it was read as.
            return super().data
        return super().value()


class FormRenderer(Jinja2):
    """Django's Jinja2 form renderer (settings.FORM_RENDERER) with the prompt on required selects.

    Every widget, error list and form layout is Django's own template in its Jinja2 form (``django/forms/jinja2/``;
    an app's ``jinja2/`` folder overrides it, ``core/jinja2/`` holds the app's own widgets): a select of the few
    hundred departments of a large municipality renders several times faster than through the template language,
    with the same HTML. The pages' templates, crispy's field templates among them, stay Django templates."""

    bound_field_class = BoundField

    @cached_property
    def engine(self):
        # Values escaped as Django's templates escape them (``&quot;``, ``&#x27;``), so a widget's HTML is the same
        # whichever engine renders it.
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(django.forms.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {"finalize": conditional_escape},
            }
        )

    @cached_property
    def templates(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            # A library's widget that exists only as a Django template (the admin's) renders through the template
            # language, as it would without this renderer.
            return self.templates.get_template(template_name)

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        if template_name == "django/forms/widgets/select.html" and "widget" in context:
            prompt_required_choice(context["widget"])
        return super().render(template_name, context, request=request)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploads in one field, at most ``max_files``, each checked by ``core.uploads.validate_upload``; the
    errors name the file they are about. Cleans to a list (empty when nothing was chosen)."""

    def __init__(self, *args: Any, max_files: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        files = [super(MultipleFileField, self).clean(item, initial) for item in _as_list(data)]
        if len(files) > self.max_files:
            raise ValidationError(_("Add at most %(count)s files.") % {"count": self.max_files}, code="max_files")
        errors = []
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except ValidationError as exc:
                errors.extend(f"{uploaded.name}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _as_list(data: Any) -> list:
    return list(data) if isinstance(data, (list, tuple)) else [data]
