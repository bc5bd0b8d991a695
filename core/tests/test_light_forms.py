"""``{% light_field %}``: crispy's Bootstrap markup for the plain fields, errors and help pointed at, input kept."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template
from django.utils import translation


class Filters(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=5, help_text="Kenmerk <em>of</em> tekst")
    start = forms.DateField(label="Van", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    soort = forms.ChoiceField(label="Soort", choices=[("", "Alle soorten"), ("a", "A & B")], required=False)
    mine = forms.BooleanField(label="Aan mij <toegewezen>", required=False)
    aantal = forms.IntegerField(label="Aantal", min_value=1, widget=forms.NumberInput(attrs={"class": "w-auto"}))
    kanaal = forms.ChoiceField(label="Kanaal", choices=[("mail", "Mail"), ("teams", "Teams")], widget=forms.RadioSelect)


def _render(form, name):
    return Template("{% load light_forms %}{% light_field field %}").render(Context({"field": form[name]}))


def _tag(html, name):
    return re.search(rf'<(input|select)[^>]* name="{name}"[^>]*>', html).group(0)


def test_a_valid_field_has_its_label_widget_class_and_help_pointed_at():
    html = _render(Filters(), "q")
    assert '<label for="id_q" class="form-label">Zoeken</label>' in html
    tag = _tag(html, "q")
    assert 'class="form-control"' in tag and 'aria-describedby="id_q_helptext"' in tag
    assert "aria-invalid" not in tag and "is-invalid" not in tag
    assert '<div id="id_q_helptext" class="form-text">Kenmerk <em>of</em> tekst</div>' in html
    assert _tag(_render(Filters(), "soort"), "soort").count("form-select") == 1
    assert 'class="w-auto form-control"' in _render(Filters(), "aantal")  # the widget's own class kept
    assert '<span class="asteriskField">*</span>' in _render(Filters(), "aantal")


def test_a_checkbox_is_a_form_check_with_its_label_escaped():
    html = _render(Filters({"mine": "on", "aantal": "2", "kanaal": "mail"}), "mine")
    assert 'class="form-check"' in html and 'class="form-check-input"' in _tag(html, "mine")
    assert " checked" in _tag(html, "mine")
    assert '<label for="id_mine" class="form-check-label">Aan mij &lt;toegewezen&gt;</label>' in html


def test_an_invalid_field_keeps_what_was_typed_and_says_why_in_dutch():
    with translation.override("nl"):
        form = Filters({"q": "te <lang>", "start": "gisteren", "aantal": "0", "kanaal": "mail"})
        assert not form.is_valid()
        q, start, aantal = _render(form, "q"), _render(form, "start"), _render(form, "aantal")
    tag = _tag(q, "q")
    assert 'value="te &lt;lang&gt;"' in tag
    assert 'class="form-control is-invalid"' in tag and 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_q_helptext id_q_error"' in tag
    assert '<div id="id_q_error" class="invalid-feedback d-block"><strong>Zorg dat deze waarde' in q
    assert 'value="gisteren"' in _tag(start, "start") and "Voer een geldige datum in." in start
    assert "Zorg ervoor dat deze waarde minstens 1 is." in aantal and 'aria-describedby="id_aantal_error"' in aantal


def test_a_widget_it_does_not_know_is_left_to_crispy():
    html = _render(Filters(), "kanaal")
    assert 'type="radio"' in html and "form-check-input" in html  # crispy's radio markup
    assert html.count('name="kanaal"') == 2
