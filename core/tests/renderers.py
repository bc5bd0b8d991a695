"""Django's own form renderer with the prompt on required selects, for tests that compare a form's HTML with it."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates

from core.forms import prompt_required_choice


class TemplatesOnly(DjangoTemplates):
    """Every widget through its template, with the prompt on required selects."""

    def render(self, template_name, context, request=None):
        if template_name == "django/forms/widgets/select.html" and "widget" in context:
            prompt_required_choice(context["widget"])
        return super().render(template_name, context, request=request)
