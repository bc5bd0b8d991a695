"""No required choice of any form starts on an empty answer.

Django gives a required choice an empty first answer: "---------" in a select, and in a list of radio buttons an
empty radio that is already checked, so a user who never looked sends an answer they did not give (or is told the
field is required, about a choice they cannot see). Here every form class of the product is found by walking the
project's modules, and each required choice is rendered as the pages render it (the widget through the form
renderer, radio buttons through crispy): a select starts on the "make a choice" prompt, which is not a valid
answer; a radio list has no empty answer and none checked. Choices a form builds in ``__init__`` are checked on
the rendered pages by ``test_dutch_formats`` (``empty_choices``).
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from config.tests.test_security import PROJECT_APPS
from core.forms import PROMPT


def _prompts() -> set[str]:
    prompts = set()
    for language in ("nl", "en"):
        with translation.override(language):
            prompts.add(str(PROMPT))
    return prompts


SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S)
OPTION = re.compile(r"<option\b([^>]*)>(.*?)</option>", re.S)
RADIO = re.compile(r"<input\b[^>]*type=\"radio\"[^>]*>")


def empty_choices(page: str) -> list[str]:
    """Required selects that start on "---------" (or on an empty option other than the prompt), required radio
    lists with an empty answer, checked or not."""
    found, prompts = [], _prompts()
    for match in SELECT.finditer(page):
        tag = match.group(0)[: match.group(0).index(">") + 1]
        if "required" not in tag or "multiple" in tag:
            continue
        options = OPTION.findall(match.group(1))
        selected = [o for o in options if re.search(r"\bselected\b", o[0])] or options[:1]
        for attrs, label in selected:
            if re.search(r'value=""', attrs) and label.strip() not in prompts:
                found.append(f"{tag} starts on {label.strip()!r}")
    for radio in RADIO.findall(page):
        if 'value=""' in radio and "required" in radio:
            found.append(radio)
    return found


def _project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".tests" in info.name or ".migrations" in info.name or info.name.endswith(".tests"):
                continue
            yield importlib.import_module(info.name)


def project_forms() -> list[type[forms.BaseForm]]:
    found = {}
    for module in _project_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__.split(".")[0] in PROJECT_APPS
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def _required_single_choices(form_class):
    for name, field in form_class.base_fields.items():
        if (
            isinstance(field, forms.ChoiceField)
            and not isinstance(field, forms.MultipleChoiceField)
            and field.required
            and not field.disabled
            and not isinstance(field.widget, forms.HiddenInput)
        ):
            yield name, field


def _render(name: str, field: forms.Field) -> str:
    form = type("OneField", (forms.Form,), {name: copy.deepcopy(field)})()
    with translation.override("nl"):
        return str(form[name]) + Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
            Context({"form": form})
        )


def test_the_walk_finds_the_product_s_forms():
    names = {cls.__name__ for cls in project_forms()}
    assert {"FeedbackForm", "InvitationForm", "ActivityForm", "MaturityForm"} <= names
    assert len(names) > 50


@pytest.mark.django_db
def test_no_required_choice_of_any_form_starts_on_an_empty_answer():
    offenders = []
    checked = 0
    for form_class in project_forms():
        for name, field in _required_single_choices(form_class):
            checked += 1
            offenders += [
                f"{form_class.__module__}.{form_class.__name__}.{name}: {p}"
                for p in empty_choices(_render(name, field))
            ]
    assert checked > 20
    assert not offenders, "\n".join(offenders)


def test_the_detector_catches_an_empty_start_and_lets_the_prompt_pass():
    assert empty_choices('<select name="a" required><option value="" selected>---------</option></select>')
    assert empty_choices(
        '<select name="a" required><option value="">---------</option><option value="1">X</option></select>'
    )
    assert empty_choices('<input type="radio" name="c" value="" required checked>')
    with translation.override("nl"):
        prompt = f'<select name="a" required><option value="" selected>{PROMPT}</option><option value="1">X</option></select>'
        assert not empty_choices(prompt)
    assert not empty_choices('<select name="a"><option value="" selected>---------</option></select>')  # optional
    assert not empty_choices(
        '<select name="a" required><option value="">---------</option><option value="1" selected>X</option></select>'
    )
