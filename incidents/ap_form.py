"""The answers for the AP's notification form, in its order and chapter numbers, and their PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents.models import DataLeak


@dataclass
class Answer:
    label: str
    value: str

    @property
    def filled(self) -> bool:
        return bool(self.value and self.value.strip())


@dataclass
class Chapter:
    number: int
    title: str
    answers: list[Answer] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for answer in self.answers if not answer.filled)


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def _yes_no(value: bool) -> str:
    return str(_("Yes")) if value else str(_("No"))


def ap_chapters(leak: DataLeak) -> list[Chapter]:
    """Chapters 1-8 of the AP's form: organisation, timeline, the breach, personal data,
    persons affected, prior measures, consequences, follow-up."""
    contact = leak.assignee
    return [
        Chapter(
            1,
            _("Organisation"),
            [
                Answer(_("Name of the organisation"), leak.organisation.name),
                Answer(_("Contact person for the AP"), contact.full_name if contact else ""),
                Answer(_("Contact person's e-mail address"), contact.email if contact else ""),
            ],
        ),
        Chapter(
            2,
            _("Timeline"),
            [
                Answer(_("When did the breach start?"), _moment(leak.occurred_at)),
                Answer(_("When was it discovered?"), _moment(leak.discovered_at)),
                Answer(_("When did the organisation become aware?"), _moment(leak.aware_at)),
                Answer(_("Is the breach still going on?"), leak.get_ongoing_display()),
            ]
            + (
                [Answer(_("Reason for the delay"), leak.late_reason)]
                if timezone.now() > leak.deadline or leak.late_reason
                else []
            ),
        ),
        Chapter(
            3,
            _("The breach"),
            [
                Answer(_("Type of breach"), leak.get_category_display()),
                Answer(_("Summary of what happened"), leak.description),
                Answer(_("Nature of the breach"), ", ".join(leak.breach_nature_display)),
                Answer(_("Cross-border"), _yes_no(leak.cross_border)),
            ],
        ),
        Chapter(
            4,
            _("Personal data"),
            [
                Answer(_("Categories of personal data"), ", ".join(leak.get_personal_data_categories_display())),
                Answer(_("Special categories of personal data"), leak.special_categories),
            ],
        ),
        Chapter(
            5,
            _("Persons affected"),
            [
                Answer(_("Number of people"), leak.persons_display),
                Answer(_("Number of records"), str(leak.records_count) if leak.records_count is not None else ""),
                Answer(_("Groups of people affected"), leak.affected_groups),
            ],
        ),
        Chapter(
            6,
            _("Prior measures"),
            [
                Answer(
                    _("Was the data encrypted or otherwise unintelligible?"),
                    leak.get_encrypted_display() if leak.encrypted else "",
                ),
            ]
            + (
                [Answer(_("How it was made unintelligible"), leak.encryption_details)]
                if leak.encrypted in ("yes", "partly")
                else []
            ),
        ),
        Chapter(
            7,
            _("Consequences"),
            [
                Answer(_("Likely consequences for the people affected"), leak.consequences),
                Answer(_("Severity"), leak.get_severity_display() if leak.severity else ""),
            ],
        ),
        Chapter(
            8,
            _("Follow-up"),
            [
                Answer(_("Measures taken"), leak.measures_taken),
                Answer(_("Measures planned"), leak.measures_planned),
                Answer(
                    _("Are the data subjects informed?"),
                    leak.get_subjects_decision_display()
                    + (f": {leak.subjects_decision_reason}" if leak.subjects_decision_reason else "")
                    if leak.subjects_decision
                    else "",
                ),
                Answer(_("Processors or other organisations involved"), leak.processors_involved),
            ],
        ),
    ]


def ap_pdf(leak: DataLeak) -> bytes:
    """A printable PDF of the chapters; every text is escaped, reportlab reads markup."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=f"{leak.reference}",
        author=leak.organisation.name,
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(_("Notification to the AP: %(reference)s") % {"reference": leak.reference}), styles["Title"]),
        Spacer(1, 0.3 * cm),
    ]
    for chapter in ap_chapters(leak):
        story.append(Paragraph(escape(f"{chapter.number}. {chapter.title}"), styles["Heading2"]))
        for answer in chapter.answers:
            value = answer.value if answer.filled else _("(missing)")
            story.append(Paragraph(f"<b>{escape(answer.label)}</b>", styles["Normal"]))
            story.append(Paragraph(escape(value).replace("\n", "<br/>"), styles["Normal"]))
            story.append(Spacer(1, 0.2 * cm))
    document.build(story)
    return buffer.getvalue()
