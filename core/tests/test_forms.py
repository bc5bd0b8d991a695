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


# --- punctuation, radio lists, required choices, numbers (issue #31) ------------------------------


class QuestionForm(forms.Form):
    discovered = forms.CharField(label="Wanneer is het ontdekt?")
    category = forms.TypedChoiceField(
        label="Categorie", choices=[("", "---------"), ("idea", "Idee"), ("worry", "Zorg")], widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label="Onderwerpen", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


def test_the_summary_does_not_double_a_label_s_punctuation():
    html = render("{% error_summary form %}", QuestionForm(data={}))
    assert "Wanneer is het ontdekt? Dit veld is verplicht." in html
    assert "?:" not in html


def test_an_error_of_a_radio_list_or_check_boxes_links_to_its_first_input():
    html = render("{% error_summary form %}{{ form|crispy }}", QuestionForm(data={}))
    assert '<a href="#id_category_0" class="alert-link">Categorie: Dit veld is verplicht.</a>' in html
    assert '<a href="#id_topics_0" class="alert-link">Onderwerpen: Dit veld is verplicht.</a>' in html
    assert 'id="id_category_0"' in html and 'id="id_topics_0"' in html


def test_a_required_radio_list_offers_no_empty_answer_and_none_is_selected():
    for html in (render("{{ form|crispy }}", QuestionForm()), str(QuestionForm()["category"])):
        assert "---------" not in html and 'value=""' not in html
        assert "checked" not in html
    optional = QuestionForm()
    optional.fields["category"].required = False
    assert "---------" in render("{{ form|crispy }}", optional)


def test_a_select_made_required_after_the_form_is_built_still_starts_on_the_prompt():
    form = ContactForm()
    form.fields["note"] = forms.ChoiceField(choices=[("", "---------"), ("x", "X")], required=False)
    form.fields["note"].required = True
    with translation.override("nl"):
        html = str(form["note"])
    assert '<option value="" selected>— Maak een keuze —</option>' in html and "---------" not in html


class AmountsForm(forms.Form):
    hours = forms.DecimalField(label="Uren", max_digits=6, decimal_places=2)
    share = forms.FloatField(label="Aandeel", required=False)
    people = forms.IntegerField(label="Aantal", required=False, min_value=0)


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("30,5", "30.5"), ("1.234,5", "1234.5"), ("1.234", "1234"), ("30.5", "30.5"), ("7", "7"), (" 12,25 ", "12.25")],
)
def test_a_dutch_decimal_is_read_as_written(typed, hours):
    from decimal import Decimal

    with translation.override("nl"):
        form = AmountsForm(data={"hours": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal(hours)


@pytest.mark.parametrize("typed", ["1,000.5", "1,5,0", "1.00,5", "30,5.1", "12a"])
def test_an_ambiguous_number_is_refused_with_an_example_in_dutch(typed):
    with translation.override("nl"):
        form = AmountsForm(data={"hours": typed, "share": typed})
        assert not form.is_valid()
        assert form.errors["hours"] == ["Voer een getal in zoals 1.234,5."]
        assert form.errors["share"] == ["Voer een getal in zoals 1.234,5."]
        # What was typed stays in the field.
        assert f'value="{typed}"' in str(form["hours"])


def test_english_reads_english_numbers_and_refuses_a_dutch_comma():
    with translation.override("en"):
        assert AmountsForm(data={"hours": "1,234.5"}).is_valid()
        form = AmountsForm(data={"hours": "30,5"})
        assert not form.is_valid() and form.errors["hours"] == ["Enter a number such as 1,234.5."]


def test_whole_numbers_take_the_thousands_dot_and_refuse_a_decimal_comma():
    with translation.override("nl"):
        form = AmountsForm(data={"hours": "1", "people": "1.000"})
        assert form.is_valid() and form.cleaned_data["people"] == 1000
        form = AmountsForm(data={"hours": "1", "people": "1,5"})
        assert form.errors["people"] == ["Voer een geheel getal in."]
        form = AmountsForm(data={"hours": "1", "people": "-3"})
        assert form.errors["people"] == ["Zorg ervoor dat deze waarde minstens 0 is."]


def test_number_fields_are_text_fields_with_the_number_pad_showing_the_reader_s_numbers():
    from decimal import Decimal

    with translation.override("nl"):
        form = AmountsForm(initial={"hours": Decimal("1234.50"), "people": 2026})
        hours, people = str(form["hours"]), str(form["people"])
    assert 'type="text"' in hours and 'inputmode="decimal"' in hours and 'value="1.234,50"' in hours
    assert 'type="text"' in people and 'inputmode="numeric"' in people and 'value="2026"' in people
    assert "step" not in hours and "min=" not in people
