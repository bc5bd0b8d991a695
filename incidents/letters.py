"""The letter to the data subjects (art. 34 GDPR): the draft, and the letter as .docx and PDF.

A letter as a municipality sends it: the organisation's logo and return address, the addressee (name and address,
or merge fields for a mail merge when left empty), place and date, "ons kenmerk" (the report's reference) and
"uw kenmerk", the subject, the salutation, the officer's text, the signatory and the contact block. The officer's
text is kept and shown as text: it is never HTML-escaped into the letter (the draft is rendered without
autoescaping; the HTML of the PDF escapes it once, the .docx takes it as it is).
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incidents.models import DataLeak

logger = logging.getLogger(__name__)

# An instruction in square brackets left in the text ("[Beschrijf ...]"): a letter with one is not sent.
PLACEHOLDER = re.compile(r"\[[^\[\]\n]*[^\W\d_][^\[\]\n]*\]")
# The mail-merge fields of the .docx when the addressee is left empty.
MERGE_FIELDS = ("Naam", "Adres", "Postcode_en_woonplaats")
# A line alone that asks a question ("Wat is er gebeurd?") heads the paragraph under it.
_HEADING_MAX = 80


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


def letter_language(user: Any = None) -> str:
    """English when the reader's language (the officer writing it) is English; Dutch otherwise."""
    return "en" if getattr(user, "language", "") == "en" else "nl"


def draft_letter(leak: DataLeak, language: str = "nl") -> str:
    """A first draft of the body in plain language (B1) with what art. 34(2) requires, without instructions in
    brackets: every sentence is one that may be sent; the officer reads it, completes and adapts it."""
    context = Context({"leak": leak, **privacy_contact(leak.organisation)}, autoescape=False)
    with translation.override(language):
        text = get_template("incidents/letter.txt").template.render(context)
    # The template's tags leave blank lines of their own: one empty line between paragraphs.
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def placeholders(text: str) -> list[str]:
    """The bracket instructions still in ``text``."""
    return PLACEHOLDER.findall(text or "")


def check_sendable(text: str) -> None:
    """A letter that is empty or still holds an instruction in brackets cannot be recorded as sent."""
    from django.core.exceptions import ValidationError

    if not (text or "").strip():
        raise ValidationError(_("The letter is empty."))
    found = placeholders(text)
    if found:
        raise ValidationError(
            _(
                "The letter still contains an instruction in square brackets: %(placeholder)s. Replace it with your "
                "own text before you record the letter as sent."
            )
            % {"placeholder": found[0]}
        )


@dataclass
class Block:
    heading: str
    lines: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """The body as paragraphs, each with the question that heads it (if any) and its lines."""
    result = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        heading = ""
        if len(lines) > 1 and lines[0].endswith("?") and len(lines[0]) <= _HEADING_MAX:
            heading, lines = lines[0], lines[1:]
        result.append(Block(heading=heading, lines=lines))
    return result


@dataclass
class Letter:
    """Everything a letter shows, in its language; the .docx and the PDF are built from the same object."""

    leak: DataLeak
    organisation: Any
    language: str
    text: str
    addressee: list[str]
    their_reference: str
    date: datetime.date

    @property
    def body(self) -> list[Block]:
        return blocks(self.text)

    @property
    def return_address(self) -> list[str]:
        org = self.organisation
        town_line = " ".join(part for part in (org.postcode, org.town) if part)
        return [line for line in (org.display_legal_name, org.street, town_line) if line]

    @property
    def place_and_date(self) -> str:
        with translation.override(self.language):
            when = date_format(self.date, "j F Y")
        return f"{self.organisation.town}, {when}" if self.organisation.town else when

    @property
    def mail_merge(self) -> bool:
        return not self.addressee

    def _(self, message: str) -> str:
        with translation.override(self.language):
            return _(message)

    @property
    def labels(self) -> dict[str, str]:
        with translation.override(self.language):
            # In their own context: the same words elsewhere in the product mean other things ("Onderwerpregel").
            return {
                "our_reference": pgettext("letter", "Our reference"),
                "their_reference": pgettext("letter", "Your reference"),
                "date": pgettext("letter", "Date"),
                "subject_label": pgettext("letter", "Subject"),
                "contact": pgettext("letter", "Contact"),
                "dpo": pgettext("letter", "Data protection officer (FG)"),
            }

    @property
    def title(self) -> str:
        with translation.override(self.language):
            return _("Letter about data leak %(reference)s") % {"reference": self.leak.reference}

    @property
    def subject(self) -> str:
        with translation.override(self.language):
            return _("Something went wrong with your personal data")

    @property
    def signatory(self) -> list[str]:
        org = self.organisation
        return [line for line in (org.letter_signatory_name, org.letter_signatory_function) if line] or [
            org.display_legal_name
        ]

    @property
    def contact(self) -> dict[str, str]:
        return privacy_contact(self.organisation)


def build_letter(
    leak: DataLeak,
    text: str,
    *,
    addressee: str = "",
    their_reference: str = "",
    date: datetime.date | None = None,
    language: str = "nl",
) -> Letter:
    return Letter(
        leak=leak,
        organisation=leak.organisation,
        language=language,
        text=text,
        addressee=[line.strip() for line in (addressee or "").replace("\r\n", "\n").split("\n") if line.strip()],
        their_reference=their_reference or "",
        date=date or timezone.localdate(),
    )


def letter_pdf(letter: Letter) -> bytes:
    """The letter through the one PDF path (``core.pdf``): ``incidents/letter_document.html``."""
    from core.pdf import render_to_pdf

    return render_to_pdf(
        "incidents/letter_document.html",
        {"letter": letter},
        title=letter.title,
        subject=letter.subject,
        language=letter.language,
        author=letter.organisation.display_legal_name,
        organisation=letter.organisation,
    )


# --- .docx -----------------------------------------------------------------------------------------


def _merge_field(paragraph: Any, name: str) -> None:
    """A Word mail-merge field «name» (a simple field: Word fills it from the data source)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), f" MERGEFIELD {name} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = f"«{name}»"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor(0x0D, 0x4A, 0x8C)
    document.styles["Heading 1"].font.size = Pt(13)
    document.styles["Heading 2"].font.size = Pt(11)
    for name, size in (("Afzender", 9), ("Adresblok", 11), ("Kenmerken", 9)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(0)


def _lines(document: Any, lines: list[str], style: str) -> Any:
    paragraph = document.add_paragraph(style=style)
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def letter_docx(letter: Letter) -> bytes:
    """The same letter as a Word document with real styles: the return address ("Afzender"), the address block
    ("Adresblok", merge fields when the addressee is empty), the references ("Kenmerken"), the subject as
    Heading 1, each question as Heading 2 and the text as Normal; true core properties."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    _styles(document)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    labels = letter.labels
    organisation = letter.organisation
    if organisation.logo:
        try:
            with organisation.logo.open("rb") as handle:
                document.add_picture(io.BytesIO(handle.read()), height=Cm(1.5))
        except Exception:  # noqa: BLE001 - an unreadable logo leaves the letter without it, never without a letter
            logger.warning("The logo of organisation %s could not be put in a letter", organisation.pk)
    _lines(document, letter.return_address, "Afzender")
    document.add_paragraph(style="Afzender")
    if letter.mail_merge:
        address = document.add_paragraph(style="Adresblok")
        for index, name in enumerate(MERGE_FIELDS):
            _merge_field(address, name)
            if index < len(MERGE_FIELDS) - 1:
                address.add_run().add_break()
    else:
        _lines(document, letter.addressee, "Adresblok")
    document.add_paragraph(style="Adresblok")
    references = [f"{labels['date']}: {letter.place_and_date}", f"{labels['our_reference']}: {letter.leak.reference}"]
    references.append(f"{labels['their_reference']}: {letter.their_reference}" if letter.their_reference else "")
    _lines(document, [line for line in references if line], "Kenmerken")
    document.add_heading(f"{labels['subject_label']}: {letter.subject}", level=1)
    for block in letter.body:
        if block.heading:
            document.add_heading(block.heading, level=2)
        _lines(document, block.lines, "Normal")
    _lines(document, letter.signatory, "Normal")
    contact = letter.contact
    contact_lines = []
    if contact["contact_name"] or contact["contact_details"]:
        contact_lines.append(
            f"{labels['contact']}: " + ", ".join(p for p in (contact["contact_name"], contact["contact_details"]) if p)
        )
    if contact["dpo_name"] or contact["dpo_details"]:
        contact_lines.append(
            f"{labels['dpo']}: " + ", ".join(p for p in (contact["dpo_name"], contact["dpo_details"]) if p)
        )
    if contact_lines:
        document.add_paragraph(style="Kenmerken")
        _lines(document, contact_lines, "Kenmerken")

    now = timezone.now()
    properties = document.core_properties
    properties.author = organisation.display_legal_name
    properties.last_modified_by = organisation.display_legal_name
    properties.title = letter.title
    properties.subject = letter.subject
    properties.language = "nl-NL" if letter.language == "nl" else "en-GB"
    properties.identifier = letter.leak.reference
    properties.keywords = ""
    properties.comments = ""
    properties.category = ""
    properties.revision = 1
    properties.created = now
    properties.modified = now
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
