"""The form renderer as Django has it, for tests that compare HTML with it."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates

from core.forms import prompt_required_choice


class TemplatesOnly(DjangoTemplates):
    """Every widget through its template (no ``core.widget_html``), with the prompt on required selects."""

    def render(self, template_name, context, request=None):
        if template_name == "django/forms/widgets/select.html" and "widget" in context:
            prompt_required_choice(context["widget"])
        return super().render(template_name, context, request=request)
