"""Free text that cannot break what reads it (core/validation.py): every form's text fields refuse control characters
and over-long text in Dutch, a pasted Word line break is a newline, and text stored before the rule still exports."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.validation import FREE_TEXT_MAX_LENGTH, normalise_text, readable

CONTROL = [chr(code) for code in [*range(0x00, 0x20), 0x7F]]
REFUSED = [c for c in CONTROL if c not in "\t\n\r\x0b"]
ONE_MB = "x" * (1024 * 1024)
DUTCH_CHARACTER = "Dit veld bevat een teken dat niet kan worden opgeslagen"


def _project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in a forms module (or forms package) of the project's own apps."""
    found: dict[str, type[forms.BaseForm]] = {}
    root = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not config.path.startswith(root) or ".venv" in config.path:
            continue
        names = []
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            parts = info.name.split(".")
            is_forms = any(part in ("forms", "sso_forms") or part.endswith("_forms") for part in parts[1:])
            if is_forms and "tests" not in parts and "migrations" not in parts:
                names.append(info.name)
        for name in names:
            module = importlib.import_module(name)
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


def _text_fields() -> list[tuple[str, forms.CharField]]:
    fields = []
    for form in _project_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField):
                fields.append((f"{form.__module__}.{form.__qualname__}.{name}", field))
    return fields


TEXT_FIELDS = _text_fields()


def test_the_forms_are_found():
    names = {name.rsplit(".", 1)[0] for name, _field in TEXT_FIELDS}
    assert len(names) >= 20
    assert any("incidents.forms" in name for name in names) and any("programme.forms" in name for name in names)


@pytest.mark.parametrize(("name", "field"), TEXT_FIELDS, ids=[name for name, _field in TEXT_FIELDS])
def test_every_text_field_refuses_control_characters_and_a_megabyte_in_dutch(name, field):
    with translation.override("nl"):
        plain = type(field).to_python is forms.CharField.to_python
        for character in REFUSED:
            with pytest.raises(ValidationError) as refused:
                field.clean(f"ab{character}cd")
            if plain:
                # The field's own message, once, in Dutch: where the character is.
                messages = [m for m in refused.value.messages if DUTCH_CHARACTER in m]
                assert len(messages) == 1, (name, hex(ord(character)), refused.value.messages)
                assert f"U+{ord(character):04X}" in messages[0] and "positie 3" in messages[0]
        with pytest.raises(ValidationError) as too_long:
            field.clean(ONE_MB)
        # Its own maximum (Django's Dutch message) or the default one (ours); a typed text (a UUID) refuses it as such.
        assert not plain or any("niet meer dan" in m or "hoogstens" in m for m in too_long.value.messages), (
            name,
            too_long.value.messages,
        )
        for pasted in ("a\x0bb", "a\r\nb", "a\rb"):
            try:
                field.clean(pasted)
            except ValidationError as error:
                assert not any(DUTCH_CHARACTER in m for m in error.messages), (name, repr(pasted))


def test_a_word_line_break_and_crlf_become_a_newline():
    field = forms.CharField(required=False, widget=forms.Textarea)
    assert (
        field.clean("Regel een\x0bregel twee\r\nregel drie\rvier\tvijf")
        == "Regel een\nregel twee\nregel drie\nvier\tvijf"
    )
    assert normalise_text("a\r\n\x0bb") == "a\n\nb"
    assert readable("a\x00b\x1bc\x0bd\te\x7f") == "abc\nd\te"


def test_a_field_with_its_own_maximum_keeps_it_and_one_without_gets_the_default():
    with translation.override("nl"):
        with pytest.raises(ValidationError) as error:
            forms.CharField(max_length=10).clean("x" * 11)
        assert len(error.value.messages) == 1
        with pytest.raises(ValidationError) as error:
            forms.CharField().clean("x" * (FREE_TEXT_MAX_LENGTH + 1))
        assert error.value.messages == [
            "Deze tekst is te lang: hoogstens 20.000 tekens (het zijn er nu 20.001). Maak hem korter."
        ]
    assert forms.CharField().clean("x" * FREE_TEXT_MAX_LENGTH)


@pytest.mark.django_db
def test_a_posted_form_answers_in_dutch_keeps_the_text_and_stores_nothing(client_as, staff_a, report_data):
    from incidents.models import DataLeak

    client = client_as(staff_a)
    for character in REFUSED:
        text = f"Mail verstuurd{character}naar de verkeerde Jan"
        response = client.post(reverse("incidents:report"), report_data(description=text))
        assert response.status_code == 200, hex(ord(character))
        page = response.content.decode()
        assert DUTCH_CHARACTER in page
    response = client.post(reverse("incidents:report"), report_data(actions_taken=ONE_MB))
    assert response.status_code == 200 and "te lang" in response.content.decode()
    assert not DataLeak.objects.exists()
    response = client.post(reverse("incidents:report"), report_data(description="Regel een\x0bregel twee\r\ndrie"))
    assert response.status_code == 302
    assert DataLeak.objects.get().description == "Regel een\nregel twee\ndrie"


@pytest.mark.django_db
def test_text_stored_before_the_rule_still_exports(client_as, privacy_officer, team_a):
    """A leak whose texts hold every control character (stored before the rule, or by a script): the register's
    page and its CSV and XLSX exports answer, the XLSX without the characters it cannot hold."""
    import openpyxl

    from incidents.tests.factories import DataLeakFactory

    # PostgreSQL cannot store a NUL at all; every other control character can have been stored.
    everything = "begin" + "".join(CONTROL[1:]) + "eind"
    DataLeakFactory(department=team_a, description=everything, consequences=everything, lesson=everything)
    client = client_as(privacy_officer)
    assert client.get(reverse("incidents:register")).status_code == 200
    csv = client.get(reverse("incidents:register"), {"export": "csv"})
    assert csv.status_code == 200 and "begin" in csv.getvalue().decode("utf-8-sig")
    xlsx = client.get(reverse("incidents:register"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    values = [str(cell.value) for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert any(value.startswith("begin") and value.endswith("eind") for value in values)


def test_a_pdf_and_a_mail_with_every_stored_control_character(settings):
    """WeasyPrint and the mail writer take text with every control character a database can hold."""
    from pathlib import Path

    from core import pdf
    from core.mail import build_message

    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = engines
    stored = "begin" + "".join(CONTROL[1:]) + "eind"
    content = pdf.render_to_pdf(
        "tests/pdf_sample.html", {"names": stored, "rows": [stored]}, title=stored, language="nl", subject=stored
    )
    assert content.startswith(b"%PDF")
    subject = " ".join(stored.split())  # as core.mail.render_mail makes a subject
    message = build_message(subject, stored, f"<p>{stored}</p>", ["anna@voorbeeld.test"])
    raw = message.message().as_bytes()
    assert b"Subject:" in raw and b"begin" in raw
