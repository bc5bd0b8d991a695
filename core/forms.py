"""Form rendering shared by every app: no required choice starts on a pre-selected answer."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

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


class FormRenderer(DjangoTemplates):
    """Django's renderer (settings.FORM_RENDERER) with the prompt on required selects; every widget is Django's
    template, so an override in templates/django/forms/ applies."""

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        if template_name == "django/forms/widgets/select.html" and "widget" in context:
            prompt_required_choice(context["widget"])
        return super().render(template_name, context, request=request)
