"""The error summary at the top of every form, and the prompt on required selects."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from accounts.models import Department
from accounts.tests.factories import DepartmentFactory


class ContactForm(forms.Form):
    name = forms.CharField(label="Naam")
    kind = forms.ChoiceField(label="Soort", choices=[("a", "Eerste"), ("b", "Tweede")])
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="Toelichting", required=False)

    def clean(self):
        data = super().clean()
        if data.get("note") == "fout":
            raise forms.ValidationError("De combinatie klopt niet.")
        if data.get("note") == "verborgen":
            self.add_error("secret", "Verborgen veld ongeldig.")
        return data


def render(source: str, form) -> str:
    with translation.override("nl"):
        return Template("{% load crispy_forms_tags core_tags %}" + source).render(Context({"form": form}))


def test_a_crispy_form_with_errors_opens_with_a_summary_linking_each_field():
    form = ContactForm(data={"name": "", "kind": "", "note": "fout"})
    html = render("{{ form|crispy }}", form)
    assert html.count("data-error-summary") == 1
    assert 'role="alert"' in html and 'tabindex="-1"' in html and "Er ging iets mis" in html
    assert '<a href="#id_name" class="alert-link">Naam: Dit veld is verplicht.</a>' in html
    assert '<a href="#id_kind" class="alert-link">Soort: Dit veld is verplicht.</a>' in html
    # The summary comes before the first field, and the typed note is still there.
    assert html.index("data-error-summary") < html.index('name="name"')
    assert 'value="fout"' in html


def test_a_non_field_error_is_a_plain_item_and_a_hidden_field_is_not_a_link():
    form = ContactForm(data={"name": "Anna", "kind": "a", "note": "fout"})
    html = render("{% error_summary form %}", form)
    assert "<li>De combinatie klopt niet.</li>" in html and "<a " not in html
    form = ContactForm(data={"name": "Anna", "kind": "a", "note": "verborgen"})
    html = render("{% error_summary form %}", form)
    assert "Verborgen veld ongeldig." in html and 'href="#id_secret"' not in html


def test_the_summary_shows_once_per_form_even_when_a_template_also_includes_it():
    form = ContactForm(data={})
    html = render("{% error_summary form %}{{ form|crispy }}", form)
    assert html.count("data-error-summary") == 1


def test_no_summary_without_errors():
    assert "data-error-summary" not in render("{{ form|crispy }}", ContactForm())
    assert "data-error-summary" not in render("{{ form|crispy }}", ContactForm(data={"name": "Anna", "kind": "a"}))


def test_a_required_choice_starts_on_the_prompt_and_refuses_it_in_dutch():
    with translation.override("nl"):
        html = str(ContactForm()["kind"])
        assert html.index('<option value="" selected>— Maak een keuze —</option>') < html.index('value="a"')
        assert 'value="a" selected' not in html
        form = ContactForm(data={"name": "Anna", "kind": ""})
        assert not form.is_valid() and form.errors["kind"] == ["Dit veld is verplicht."]
        # What the user chose stays chosen, the prompt no longer selected.
        html = str(ContactForm(data={"name": "", "kind": "b"})["kind"])
        assert '<option value="">— Maak een keuze —</option>' in html and 'value="b" selected' in html


@pytest.mark.django_db
def test_a_required_model_choice_shows_the_prompt_instead_of_dashes_and_an_optional_one_keeps_them():
    DepartmentFactory(name="Burgerzaken")

    class DepartmentForm(forms.Form):
        department = forms.ModelChoiceField(queryset=Department.objects.all())
        optional = forms.ModelChoiceField(queryset=Department.objects.all(), required=False)

    with translation.override("nl"):
        form = DepartmentForm()
        assert '<option value="" selected>— Maak een keuze —</option>' in str(form["department"])
        assert "---------" not in str(form["department"]) and "---------" in str(form["optional"])
        assert DepartmentForm(data={"department": ""}).errors["department"] == ["Dit veld is verplicht."]


def test_multiple_selects_and_radios_get_no_prompt():
    class Form(forms.Form):
        many = forms.MultipleChoiceField(choices=[("a", "A")])
        radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    form = Form()
    assert "Make a choice" not in str(form["many"]) + str(form["radio"])
