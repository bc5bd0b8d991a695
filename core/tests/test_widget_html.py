"""The plain widgets rendered in Python give Django's template HTML, character for character."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core import widget_html
from core.forms import PROMPT, FormRenderer
from core.tests.renderers import TemplatesOnly

TRICKY = "R&D <\"quoted\"> 'afdeling'"
VALUES = [
    None,
    "",
    "tekst",
    TRICKY,
    0,
    12345,
    Decimal("1234.50"),
    gettext_lazy("Search"),
    mark_safe("<b>al veilig</b>"),
]
ATTRS = [
    {},
    {"id": "id_x", "class": "form-control is-invalid", "required": True, "disabled": False},
    {"data-x": '"<&>', "placeholder": gettext_lazy("Reference or text"), "maxlength": 200, "aria-describedby": "a b"},
    {"autofocus": True, "hidden": False, "title": mark_safe("<i>veilig</i>"), "min": 0, "step": Decimal("0.5")},
]
INPUTS = [
    forms.TextInput(),
    forms.TextInput(attrs={"type": "search"}),
    forms.EmailInput(),
    forms.URLInput(),
    forms.NumberInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.ColorInput(),
    forms.Textarea(),
    forms.Textarea(attrs={"rows": 3}),
]


@pytest.fixture(params=["nl", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


def _both(widget, name, value, attrs):
    ours = widget.render(name, value, attrs=dict(attrs), renderer=FormRenderer())
    theirs = widget.render(name, value, attrs=dict(attrs), renderer=TemplatesOnly())
    return ours, theirs


@pytest.mark.parametrize("widget", INPUTS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("attrs", ATTRS, ids=range(len(ATTRS)))
def test_inputs_and_textareas_are_the_html_of_their_templates(language, widget, value, attrs):
    ours, theirs = _both(widget, "veld", value, attrs)
    assert ours == theirs


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.DateInput(), datetime.date(2026, 3, 4)),
        (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), datetime.date(2026, 3, 4)),
        (forms.DateTimeInput(), datetime.datetime(2026, 10, 25, 2, 30)),
        (forms.TimeInput(), datetime.time(9, 5)),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.CheckboxInput(), "on"),
        (forms.CheckboxInput(), None),
    ],
    ids=repr,
)
@pytest.mark.parametrize("attrs", ATTRS, ids=range(len(ATTRS)))
def test_dates_times_and_checkboxes_are_the_html_of_their_templates(language, widget, value, attrs):
    ours, theirs = _both(widget, "veld", value, attrs)
    assert ours == theirs


CHOICES = [
    ("", "---------"),
    (1, "Een"),
    ("twee", TRICKY),
    (ModelChoiceIteratorValue(3, None), gettext_lazy("Search")),
    ("Groep <1>", [(4, "Vier"), (5, mark_safe("<b>vijf</b>"))]),
    (6, 12345),
    (None, "Geen"),
]


@pytest.mark.parametrize("value", [None, "", "1", 1, "twee", "3", "5", ["1", "5"], "bestaat-niet"], ids=repr)
@pytest.mark.parametrize("attrs", [*ATTRS, {"required": True}], ids=range(len(ATTRS) + 1))
@pytest.mark.parametrize("multiple", [False, True])
def test_selects_are_the_html_of_their_templates(language, value, attrs, multiple):
    widget = (forms.SelectMultiple if multiple else forms.Select)(choices=CHOICES)
    ours, theirs = _both(widget, "keuze", value, attrs)
    assert ours == theirs


@pytest.mark.parametrize("choices", [[(1, "Een"), (2, "Twee")], [("", "---------"), (1, "Een")], []])
def test_a_required_select_gets_its_prompt_either_way(language, choices):
    widget = forms.Select(choices=choices)
    widget.is_required = True  # as its field sets it
    ours, theirs = _both(widget, "keuze", None, {"required": True})
    assert ours == theirs
    assert str(PROMPT) in ours


class Everything(forms.Form):
    naam = forms.CharField(label="Naam", help_text="Voluit", max_length=5)
    aantal = forms.IntegerField(label="Aantal", min_value=1)
    bedrag = forms.DecimalField(label="Bedrag", max_digits=8, decimal_places=2, required=False)
    datum = forms.DateField(label="Datum", widget=forms.DateInput(attrs={"type": "date"}))
    toelichting = forms.CharField(label="Toelichting", widget=forms.Textarea, required=False)
    soort = forms.ChoiceField(label="Soort", choices=[("a", "A"), ("b", "B & C")])
    akkoord = forms.BooleanField(label="Akkoord", required=False)
    kanaal = forms.ChoiceField(label="Kanaal", choices=[("mail", "Mail"), ("teams", "Teams")], widget=forms.RadioSelect)
    bijlage = forms.FileField(label="Bijlage", required=False)


@pytest.mark.parametrize(
    "data",
    [None, {}, {"naam": "te lang <b>", "aantal": "0", "bedrag": "12,5", "datum": "gisteren", "soort": "b"}],
    ids=["unbound", "empty", "invalid"],
)
def test_a_whole_form_and_its_crispy_fields_render_as_before(language, data):
    """Radio buttons and file inputs keep their templates; crispy's field templates get the same widgets."""
    ours = Everything(data, renderer=FormRenderer())
    theirs = Everything(data, renderer=TemplatesOnly())
    if data is not None:
        assert not ours.is_valid() and not theirs.is_valid()
    assert ours.as_div() == theirs.as_div()
    template = Template("{% load crispy_forms_tags %}{% for field in form %}{{ field|as_crispy_field }}{% endfor %}")
    assert template.render(Context({"form": ours})) == template.render(Context({"form": theirs}))


def test_other_widget_templates_are_left_to_the_template_engine():
    assert widget_html.render("django/forms/widgets/radio.html", {"widget": {}}) is None
    assert widget_html.render("django/forms/widgets/clearable_file_input.html", {"widget": {}}) is None
    assert widget_html.render("core/widgets/anything.html", {"widget": {}}) is None
