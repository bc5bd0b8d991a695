"""The art. 34 letter as a municipality sends it: the draft, the .docx, the PDF and the check before sending."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from docx import Document

from core.tests.pdf_checks import NAMES, assert_accessible
from incidents import services
from incidents.letters import build_letter, draft_letter, letter_docx, letter_pdf, placeholders
from incidents.models import SentLetter

QUOTED = 'De kans op misbruik is "gering"; controleer post & adressering.'


@pytest.fixture
def letter_org(org):
    org.legal_name = "Gemeente Ĳsselmeer"
    org.street = "Stadhuisplein 1"
    org.postcode = "1234 AB"
    org.town = "Ĳsselstein"
    org.dpo_name = "Łukasz Wiśniewski"
    org.dpo_email = "fg@voorbeeld.test"
    org.privacy_contact_name = "Privacyloket"
    org.privacy_contact_email = "privacy@voorbeeld.test"
    org.letter_signatory_name = "Ørsted Müller"
    org.letter_signatory_function = "Privacy Officer"
    org.save()
    return org


def _docx_text(content: bytes) -> tuple[str, list[str], object]:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs), [p.style.name for p in document.paragraphs], document


def test_the_default_draft_holds_no_instruction_in_brackets(letter_org, leak_a):
    leak_a.consequences = leak_a.measures_taken = ""
    leak_a.save()
    draft = draft_letter(leak_a)
    assert placeholders(draft) == [] and "[" not in draft
    assert "Autoriteit Persoonsgegevens" in draft and "Łukasz Wiśniewski" in draft and "Privacyloket" in draft
    assert draft.startswith("Geachte heer, mevrouw,") and draft.endswith("Met vriendelijke groet,")
    english = draft_letter(leak_a, "en")
    assert english.startswith("Dear Sir or Madam,") and "Autoriteit Persoonsgegevens" in english


def test_the_officers_text_is_never_html_escaped(letter_org, leak_a, privacy_officer, client_as):
    leak_a.consequences = QUOTED
    leak_a.save()
    assert QUOTED in draft_letter(leak_a)
    page = client_as(privacy_officer).get(reverse("incidents:subjects", args=[leak_a.pk]))
    assert page.context["letter_form"]["text"].value().count(QUOTED) == 1
    # The textarea escapes it once, as HTML does: the browser shows the quotes and the ampersand.
    assert "&amp;quot;" not in page.content.decode() and "&amp;amp;" not in page.content.decode()
    letter = build_letter(leak_a, draft_letter(leak_a))
    text, _styles, _document = _docx_text(letter_docx(letter))
    assert QUOTED in text and "&quot;" not in text and "&amp;" not in text


def test_the_docx_is_a_letter_with_word_styles_and_true_properties(letter_org, leak_a):
    letter = build_letter(
        leak_a,
        f"Geachte heer Şahin,\n\nWat is er gebeurd?\n{QUOTED}\n\nMet vriendelijke groet,",
        addressee="Şahin Yılmaz\nDorpsstraat 5\n1234 AB Ĳsselstein",
        their_reference="UW-42",
    )
    text, styles, document = _docx_text(letter_docx(letter))
    today = date_format(timezone.localdate(), "j F Y")
    for needle in (
        "Gemeente Ĳsselmeer",
        "Stadhuisplein 1",
        "Şahin Yılmaz",
        f"Ĳsselstein, {today}",
        f"Ons kenmerk: {leak_a.reference}",
        "Uw kenmerk: UW-42",
        "Onderwerp: Er is iets misgegaan met uw persoonsgegevens",
        "Ørsted Müller",
        "Privacy Officer",
        "Functionaris gegevensbescherming (FG): Łukasz Wiśniewski",
    ):
        assert needle in text, needle
    assert {"Afzender", "Adresblok", "Kenmerken", "Heading 1", "Heading 2", "Normal"} <= set(styles)
    assert styles[[p.text for p in document.paragraphs].index("Wat is er gebeurd?")] == "Heading 2"
    properties = document.core_properties
    assert properties.author == "Gemeente Ĳsselmeer" and properties.title == f"Brief over datalek {leak_a.reference}"
    assert properties.created.year == timezone.now().year and properties.created.date() == timezone.now().date()
    assert "python-docx" not in f"{properties.comments}{properties.author}{properties.last_modified_by}"


def test_an_empty_addressee_gives_merge_fields_for_a_mail_merge(letter_org, leak_a):
    content = letter_docx(build_letter(leak_a, "Tekst."))
    xml = Document(io.BytesIO(content)).element.body.xml
    for field in ("Naam", "Adres", "Postcode_en_woonplaats"):
        assert f"MERGEFIELD {field}" in xml


def test_the_letters_pdf_is_tagged_with_every_name_intact(letter_org, leak_a):
    letter = build_letter(
        leak_a, f"Geachte heer, mevrouw,\n\nWat is er gebeurd?\n{QUOTED} {NAMES}", addressee="Şahin Yılmaz"
    )
    facts = assert_accessible(letter_pdf(letter), title=f"Brief over datalek {leak_a.reference}")
    assert facts.author == "Gemeente Ĳsselmeer"
    for needle in (
        leak_a.reference,
        date_format(timezone.localdate(), "j F Y"),
        "Ørsted Müller",
        '"gering"',
        "post & adressering",
    ):
        assert needle in facts.text, needle
    assert "&quot;" not in facts.text and "&amp;" not in facts.text


def test_an_english_reader_gets_an_english_letter(letter_org, leak_a):
    letter = build_letter(leak_a, draft_letter(leak_a, "en"), language="en")
    facts = assert_accessible(
        letter_pdf(letter), title=f"Letter about data leak {leak_a.reference}", lang="en", names="Ĳsselmeer"
    )
    assert "Our reference" in facts.text and "Something went wrong with your personal data" in facts.text


def test_a_draft_with_an_instruction_in_brackets_cannot_be_recorded_as_sent(
    letter_org, leak_a, privacy_officer, client_as
):
    client = client_as(privacy_officer)
    url = reverse("incidents:subjects", args=[leak_a.pk])
    text = "Geachte heer, mevrouw,\n\n[Beschrijf in één of twee eenvoudige zinnen wat er is gebeurd.]"
    response = client.post(
        url, {"action": "letter_sent", "text": text, "sent_on": timezone.localdate(), "addressee": "A. Şahin"}
    )
    assert response.status_code == 400 and not SentLetter.objects.exists()
    body = response.content.decode()
    assert "De brief bevat nog een aanwijzing tussen vierkante haken" in body
    assert "A. Şahin" in body  # what was typed is kept
    # Saving a draft with it is fine; sending the finished text is recorded with its addressee.
    client.post(url, {"action": "save_letter", "text": text})
    done = text.replace(
        "[Beschrijf in één of twee eenvoudige zinnen wat er is gebeurd.]", "Er ging een brief naar het verkeerde adres."
    )
    client.post(
        url,
        {
            "action": "letter_sent",
            "text": done,
            "sent_on": timezone.localdate(),
            "addressee": "A. Şahin",
            "their_reference": "UW-1",
        },
    )
    sent = SentLetter.objects.get()
    assert (sent.addressee, sent.their_reference) == ("A. Şahin", "UW-1")
    kept = client.get(reverse("incidents:letter_docx", args=[leak_a.pk]), {"verzonden": sent.pk})
    assert "A. Şahin" in _docx_text(kept.getvalue())[0]


def test_the_service_refuses_a_placeholder_too(letter_org, leak_a, privacy_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.dataleak_letter_sent(
            leak=leak_a, actor=privacy_officer, text="[Noem de gegevens.]", sent_on=timezone.localdate()
        )
    assert placeholders("Zie art. 34 [AVG] en [x]") == ["[AVG]", "[x]"] and placeholders("lijst [1]") == []
