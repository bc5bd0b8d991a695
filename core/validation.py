"""Free text that cannot break what reads it: one rule for every form field and every API field that takes text.

A text field keeps newline and tab and refuses every other control character (0x00-0x1F, 0x7F): a NUL cannot be
stored in PostgreSQL, openpyxl refuses the rest in a workbook, and a mail header or a CSV cell is no place for them.
What a person pastes is normalised first, so it is not refused: a line break copied from Word (vertical tab, 0x0B),
CR LF and a lone CR become a newline. A field without a maximum of its own gets one a person needs
(``FREE_TEXT_MAX_LENGTH``): a 1 MB "message" is refused rather than mailed.

``install()`` (called once from ``core.apps.CoreConfig.ready``) attaches this to ``django.forms.CharField`` and to
DRF's ``serializers.CharField``, the classes every text field of the product's forms and the API's serializers is
(or derives from: model forms make a ``TextField`` a ``forms.CharField``, ``EmailField``, ``URLField``, ``SlugField``
... derive from it). A shared base class would not reach the forms Django and the libraries build (allauth's, the
admin's, the model forms' generated fields), and a field that forgot it would be the hole; so the rule lives on the
field classes themselves, in this one module. ``default_validators`` is the fields' documented hook for a rule every
instance runs; the normalisation is a wrapper around ``to_python`` / ``to_internal_value``, because a validator
cannot change a value.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator, RegexValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# Enough for the longest answer a person writes in a form (about eight pages); a field with its own max_length keeps it.
FREE_TEXT_MAX_LENGTH = 20_000

_LINE_BREAKS = re.compile(r"\r\n|\r|\x0b")
FORBIDDEN = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f]|\x0b|\r")
_STORED_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_NAMES = {0x00: "NUL", 0x08: "backspace", 0x0C: "form feed", 0x1B: "ESC", 0x7F: "DEL"}


def normalise_text(value: str) -> str:
    """A pasted line break (Word's vertical tab, CR LF, CR) as a newline."""
    return _LINE_BREAKS.sub("\n", value) if ("\r" in value or "\x0b" in value) else value


def readable(value: str, replacement: str = "") -> str:
    """Text already stored as it may be shown or written anywhere: newline and tab kept, other control characters
    dropped (for exports, documents and mails of text stored before the rule)."""
    if not isinstance(value, str):
        return value
    return _STORED_FORBIDDEN.sub(replacement, normalise_text(value))


def validate_text(value: Any) -> None:
    """Refuse a control character other than newline and tab (after normalising), with where it is."""
    if not isinstance(value, str):
        return
    found = FORBIDDEN.search(value)
    if found is None:
        return
    code = ord(found.group())
    name = _NAMES.get(code)
    character = f"U+{code:04X} {name}" if name else f"U+{code:04X}"
    raise ValidationError(
        _(
            "This field contains a character that cannot be stored (%(character)s, at position %(position)s). "
            "Remove it, or retype the text instead of pasting it."
        ),
        code="control_character",
        params={"character": character, "position": found.start() + 1},
    )


def validate_length(value: Any, limit: int = FREE_TEXT_MAX_LENGTH) -> None:
    if isinstance(value, str) and len(value) > limit:
        raise ValidationError(
            _("This text is too long: at most %(limit)s characters (it has %(count)s). Shorten it, please."),
            code="max_length",
            params={
                "limit": number_format(limit, force_grouping=True),
                "count": number_format(len(value), force_grouping=True),
            },
        )


class FreeTextValidator(RegexValidator):
    """Newline and tab, no other control character. A RegexValidator, so drf-spectacular documents the rule as the
    field's ``pattern`` and a caller of the API reads it in the schema (a pasted VT or CR is allowed: it is
    normalised into a newline before this runs)."""

    regex = r"^[^\x00-\x08\x0c\x0e-\x1f\x7f]*\Z"

    def __call__(self, value: Any) -> None:
        validate_text(value)


class FreeTextLengthValidator(MaxLengthValidator):
    """The maximum of a field without one of its own; documented as ``maxLength`` like any MaxLengthValidator."""

    def __init__(self, limit_value: int = FREE_TEXT_MAX_LENGTH) -> None:
        super().__init__(limit_value)

    def __call__(self, value: Any) -> None:
        validate_length(value, self.limit_value)


_installed = False


def install() -> None:
    """Attach the rule to Django's and DRF's CharField (every subclass inherits it). Idempotent."""
    global _installed
    if _installed:
        return
    _installed = True

    from django import forms
    from rest_framework import serializers

    def django_init(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            # The rule covers NUL too: without Django's own NUL validator a NUL gives one message, the Dutch one.
            self.validators[:] = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            self.validators.append(FreeTextValidator())
            if getattr(self, "max_length", None) is None:
                self.validators.append(FreeTextLengthValidator())

        return __init__

    def django_to_python(original):
        def to_python(self, value):
            value = original(self, value)
            return normalise_text(value) if isinstance(value, str) else value

        return to_python

    forms.CharField.__init__ = django_init(forms.CharField.__init__)
    forms.CharField.to_python = django_to_python(forms.CharField.to_python)
    serializers.CharField.__init__ = django_init(serializers.CharField.__init__)
    serializers.CharField.to_internal_value = django_to_python(serializers.CharField.to_internal_value)
