"""Form rendering shared by every app: no required choice starts on a pre-selected answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django.forms
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
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
    if not widget.get("required") or widget.get("attrs", {}).get("multiple"):
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


class FormRenderer(Jinja2):
    """Django's Jinja2 form renderer (settings.FORM_RENDERER) with the prompt on required selects.

    Every widget, error list and form layout is Django's own template in its Jinja2 form (``django/forms/jinja2/``;
    an app's ``jinja2/`` folder overrides it, ``core/jinja2/`` holds the app's own widgets): a select of the few
    hundred departments of a large municipality renders several times faster than through the template language,
    with the same HTML. The pages' templates, crispy's field templates among them, stay Django templates."""

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
