"""The letter to the data subjects (art. 34 GDPR): the draft, and the letter as .docx and PDF."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils import translation

from incidents.models import DataLeak


def privacy_contact(organisation) -> dict[str, str]:
    """The Privacy Officer's contact point and the FG, from the organisation settings."""

    def details(*parts: str) -> str:
        return ", ".join(part for part in parts if part)

    return {
        "contact_name": organisation.privacy_contact_name,
        "contact_details": details(organisation.privacy_contact_email, organisation.privacy_contact_phone),
        "contact_email": organisation.privacy_contact_email,
        "contact_phone": organisation.privacy_contact_phone,
        "dpo_name": organisation.dpo_name,
        "dpo_details": details(organisation.dpo_email, organisation.dpo_phone),
        "dpo_email": organisation.dpo_email,
        "dpo_phone": organisation.dpo_phone,
    }


def draft_letter(leak: DataLeak) -> str:
    """A first draft in plain Dutch with what art. 34(2) requires; the officer completes and edits it."""
    # The letter goes to citizens: always in Dutch, whatever the officer's interface language.
    with translation.override("nl"):
        return render_to_string("incidents/letter.txt", {"leak": leak, **privacy_contact(leak.organisation)}).strip()


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def letter_docx(leak: DataLeak, text: str) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = leak.reference
    document.core_properties.author = leak.organisation.display_legal_name
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    for block in _paragraphs(text):
        paragraph = document.add_paragraph()
        lines = block.split("\n")
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if index < len(lines) - 1:
                run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_pdf(leak: DataLeak, text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=leak.reference,
        author=leak.organisation.display_legal_name,
    )
    styles = getSampleStyleSheet()
    story = []
    for block in _paragraphs(text):
        story.append(Paragraph(escape(block).replace("\n", "<br/>"), styles["Normal"]))
        story.append(Spacer(1, 0.35 * cm))
    document.build(story)
    return buffer.getvalue()
