"""The form renderer for tests that compare a form's HTML with Django's: the project's own (Django's widget
templates in their Jinja2 form, the prompt on required selects), so only what the form itself does differs."""

from __future__ import annotations

from core.forms import FormRenderer


class TemplatesOnly(FormRenderer):
    """Every widget through Django's template, with the prompt on required selects."""
