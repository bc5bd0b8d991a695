"""The AP's notification questionnaire ("Vragenlijst meldformulier datalekken", version of August 2022).

Eleven chapters, each question with its chapter and question number, in the
form's order, so the officer copies answer after answer into the AP's form.
Every answer comes from the report, from the organisation settings (entered
once, never retyped per leak), from the assessment or from the recorded
informing of the data subjects (the number informed is their sum, never a
number stored twice), and is in one of three states: filled, answered
"none / not applicable" (a real answer), or missing.
The PDF is the page's own template, printed through core.pdf.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from incidents.models import APNotification, DataLeak, Encrypted, Ongoing, SubjectsDecision
from incidents.selectors import number_informed_total

FILLED = "filled"
NOT_APPLICABLE = "not_applicable"
MISSING = "missing"

SOURCE_LEAK = "leak"
SOURCE_ORGANISATION = "organisation"
SOURCE_ASSESSMENT = "assessment"
SOURCE_LAW = "law"
SOURCE_SUBJECTS = "subjects"

SOURCE_LABELS = {
    SOURCE_LEAK: gettext_lazy("from the report"),
    SOURCE_ORGANISATION: gettext_lazy("from the organisation settings"),
    SOURCE_ASSESSMENT: gettext_lazy("from the assessment"),
    SOURCE_LAW: gettext_lazy("by law: a municipality notifies under the GDPR"),
    SOURCE_SUBJECTS: gettext_lazy("from the recorded informing of the data subjects"),
}

# Assessment answers the officer may give as "none / not applicable" (the assessment form offers a tick box).
NOT_APPLICABLE_FIELDS = (
    "breach_ended_at",
    "processors_involved",
    "other_supervisors",
    "special_categories",
    "records_count",
    "affected_groups",
    "consequences_organisation",
    "measures_planned",
    "measures_preventive",
    "dpo_advice",
    "joint_controllers",
    "documents_sent",
)


@dataclass
class Answer:
    number: str
    label: str
    value: str
    source: str = SOURCE_ASSESSMENT
    mandatory: bool = True
    # The assessment field that holds the answer (its "not applicable" tick box), if any.
    field: str = ""
    # Not applicable because of another answer (no follow-up without a first notification, ...).
    implied_not_applicable: bool = False
    marked_not_applicable: bool = False

    @property
    def state(self) -> str:
        if self.value and self.value.strip():
            return FILLED
        if self.implied_not_applicable or self.marked_not_applicable:
            return NOT_APPLICABLE
        return MISSING

    @property
    def filled(self) -> bool:
        return self.state != MISSING

    @property
    def display(self) -> str:
        state = self.state
        if state == FILLED:
            return self.value
        if state == NOT_APPLICABLE:
            return str(_("None / not applicable"))
        return str(_("(missing)"))

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])


@dataclass
class Chapter:
    number: int
    title: str
    answers: list[Answer] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for answer in self.answers if answer.state == MISSING)

    @property
    def missing_mandatory(self) -> int:
        return sum(1 for answer in self.answers if answer.state == MISSING and answer.mandatory)


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def _yes_no(value: bool) -> str:
    return str(_("Yes")) if value else str(_("No"))


def _join(*parts: str, sep: str = ", ") -> str:
    return sep.join(part for part in parts if part and part.strip())


def _notifications(leak: DataLeak) -> list[APNotification]:
    cached = getattr(leak, "_ap_form_notifications", None)
    if cached is None:
        cached = list(leak.ap_notifications.all())
        leak._ap_form_notifications = cached
    return cached


def number_informed(leak: DataLeak) -> int | None:
    """The data subjects informed: the sum over the recorded informing (None when nothing was recorded)."""
    if not hasattr(leak, "_ap_form_informed"):
        leak._ap_form_informed = (
            DataLeak.objects.filter(pk=leak.pk).annotate(total=number_informed_total()).values_list("total", flat=True)
        ).first()
    return leak._ap_form_informed


def _people(count: int | None) -> str:
    if not count:
        # A fact of the records, never missing: nobody was informed yet (the AP is mostly notified before).
        return _("Nobody yet")
    return ngettext("%(count)s person", "%(count)s people", count) % {
        "count": number_format(count, force_grouping=True)
    }


def _other_duty(leak: DataLeak) -> str:
    if not leak.other_notification_duty:
        return ""
    return _join(leak.get_other_notification_duty_display(), leak.other_notification_duty_details, sep=": ")


def ap_chapters(leak: DataLeak) -> list[Chapter]:
    """The ten chapters of the AP's questionnaire with the answers of this leak."""
    org = leak.organisation
    na = set(leak.not_applicable or [])
    notifications = _notifications(leak)
    initial = next((n for n in notifications if n.kind == APNotification.Kind.INITIAL), None)
    contact = leak.assignee

    def a(number, label, value, *, source=SOURCE_ASSESSMENT, mandatory=True, name="", implied=False) -> Answer:
        return Answer(
            number=number,
            label=str(label),
            value=str(value or ""),
            source=source,
            mandatory=mandatory,
            field=name,
            implied_not_applicable=implied,
            marked_not_applicable=bool(name and name in na),
        )

    if initial is None:
        kind = _("New notification")
    else:
        kind = _("Follow-up notification (or withdrawal) of notification %(reference)s") % {
            "reference": initial.ap_reference
        }
    late = bool(initial and initial.notified_at > leak.deadline) or (initial is None and timezone.now() > leak.deadline)
    encrypted_no = leak.encrypted == Encrypted.NO
    informs = leak.subjects_decision == SubjectsDecision.INFORM
    informs_not = leak.subjects_decision == SubjectsDecision.NO_INFORM
    dpo = _join(org.dpo_name, org.dpo_email, org.dpo_phone)
    if dpo and org.dpo_ap_number:
        dpo += " · " + _("AP registration number %(number)s") % {"number": org.dpo_ap_number}
    ap_contact = _join(org.privacy_contact_name, org.privacy_contact_email, org.privacy_contact_phone) or (
        _join(contact.full_name, contact.email) if contact else ""
    )
    ongoing = "" if leak.ongoing == Ongoing.UNKNOWN else leak.get_ongoing_display()
    return [
        Chapter(
            1,
            _("Kind of notification"),
            [
                a("1.1", _("Is this a new notification, a follow-up or a withdrawal?"), kind, source=SOURCE_LEAK),
                a(
                    "1.2",
                    _("Number of the earlier notification"),
                    initial.ap_reference if initial else "",
                    source=SOURCE_LEAK,
                    implied=initial is None,
                ),
                a(
                    "1.3",
                    _("On which legislation is this notification based?"),
                    _("Art. 33 GDPR (AVG)"),
                    source=SOURCE_LAW,
                ),
                a(
                    "1.4",
                    _(
                        "Does another duty to notify apply as well (Telecommunicatiewet, Wbni or Cyberbeveiligingswet, "
                        "eIDAS)?"
                    ),
                    _other_duty(leak),
                ),
            ],
        ),
        Chapter(
            2,
            _("International questions"),
            [
                a(
                    "2.1",
                    _("Does the breach concern people in other EU countries (cross-border)?"),
                    _yes_no(leak.cross_border),
                ),
                a(
                    "2.2",
                    _("In which countries do the people affected live?"),
                    leak.cross_border_countries,
                    name="cross_border_countries",
                    implied=not leak.cross_border,
                ),
                a(
                    "2.3",
                    _("Which other supervisory authorities in the EU have been or will be notified?"),
                    leak.other_authorities,
                    name="other_authorities",
                    implied=not leak.cross_border,
                ),
            ],
        ),
        Chapter(
            3,
            _("The controller"),
            [
                a("3.1", _("Name of the organisation"), org.display_legal_name, source=SOURCE_ORGANISATION),
                a(
                    "3.2",
                    _("Address"),
                    _join(org.street, _join(org.postcode, org.town, sep=" ")),
                    source=SOURCE_ORGANISATION,
                ),
                a("3.3", _("Chamber of Commerce (KvK) number"), org.kvk_number, source=SOURCE_ORGANISATION),
                a("3.4", _("Sector"), org.sector, source=SOURCE_ORGANISATION),
                a("3.5", _("Data protection officer (FG)"), dpo, source=SOURCE_ORGANISATION),
                a("3.6", _("Contact person for the AP"), ap_contact, source=SOURCE_ORGANISATION),
                a(
                    "3.7",
                    _("Other organisations involved (processors)"),
                    leak.processors_involved,
                    name="processors_involved",
                ),
                a(
                    "3.8",
                    _("Joint controllers (art. 26 GDPR)"),
                    leak.joint_controllers,
                    name="joint_controllers",
                ),
            ],
        ),
        Chapter(
            4,
            _("Timeline"),
            [
                a("4.1", _("When did the breach start?"), _moment(leak.occurred_at), source=SOURCE_LEAK),
                a("4.2", _("Is the breach still going on?"), ongoing, source=SOURCE_LEAK),
                a(
                    "4.3",
                    _("When did the breach end?"),
                    _moment(leak.breach_ended_at),
                    name="breach_ended_at",
                    implied=leak.ongoing == Ongoing.YES,
                ),
                a("4.4", _("When was it discovered?"), _moment(leak.discovered_at), source=SOURCE_LEAK),
                a("4.5", _("How was the breach discovered?"), leak.discovery_method, name="discovery_method"),
                a(
                    "4.6",
                    _("When did the organisation become aware?"),
                    _join(_moment(leak.aware_at), leak.aware_reason, sep=": "),
                    source=SOURCE_LEAK,
                ),
                a(
                    "4.7",
                    _("Reason for a notification later than 72 hours"),
                    leak.late_reason,
                    name="late_reason",
                    implied=not late,
                ),
            ],
        ),
        Chapter(
            5,
            _("The breach"),
            [
                a("5.1", _("Summary of what happened"), leak.description, source=SOURCE_LEAK),
                a("5.2", _("Type of incident"), leak.get_category_display(), source=SOURCE_LEAK),
                a("5.3", _("Nature of the breach"), ", ".join(leak.breach_nature_display)),
                a("5.4", _("Other supervisors notified"), leak.other_supervisors, name="other_supervisors"),
            ],
        ),
        Chapter(
            6,
            _("Personal data"),
            [
                a("6.1", _("Categories of personal data"), ", ".join(leak.get_personal_data_categories_display())),
                a(
                    "6.2",
                    _("Special categories of personal data"),
                    leak.special_categories,
                    name="special_categories",
                ),
                a(
                    "6.3",
                    _("Number of records (roughly)"),
                    str(leak.records_count) if leak.records_count is not None else "",
                    name="records_count",
                ),
            ],
        ),
        Chapter(
            7,
            _("Persons affected"),
            [
                a("7.1", _("Number of people (exact, or minimum and maximum)"), leak.persons_display),
                a("7.2", _("Groups of people affected"), leak.affected_groups, name="affected_groups"),
            ],
        ),
        Chapter(
            8,
            _("Prior measures"),
            [
                a(
                    "8.1",
                    _("Was the data encrypted or otherwise unintelligible?"),
                    leak.get_encrypted_display() if leak.encrypted else "",
                ),
                a(
                    "8.2",
                    _("How it was made unintelligible"),
                    leak.encryption_details,
                    name="encryption_details",
                    implied=encrypted_no,
                ),
            ],
        ),
        Chapter(
            9,
            _("Consequences"),
            [
                a("9.1", _("Likely consequences for the people affected"), leak.consequences),
                a("9.2", _("Estimate of the severity"), leak.get_severity_display() if leak.severity else ""),
                a("9.3", _("Explanation of the severity estimate"), leak.severity_explanation),
                a(
                    "9.4",
                    _("Consequences for the organisation"),
                    leak.consequences_organisation,
                    name="consequences_organisation",
                    mandatory=False,
                ),
            ],
        ),
        Chapter(
            10,
            _("Follow-up"),
            [
                a(
                    "10.1",
                    _("Have the data subjects been informed, or will they be?"),
                    _join(
                        leak.get_subjects_decision_display() if leak.subjects_decision else "",
                        leak.subjects_decision_reason,
                        sep=": ",
                    )
                    if leak.subjects_decision
                    else "",
                ),
                a(
                    "10.2",
                    _("How and when are the data subjects informed?"),
                    leak.subjects_informed_how,
                    name="subjects_informed_how",
                    implied=informs_not,
                ),
                a(
                    "10.3",
                    _("Why are the data subjects not informed (art. 34(3) GDPR)?"),
                    _join(
                        leak.get_subjects_exemption_display() if leak.subjects_exemption else "",
                        leak.subjects_decision_reason if informs_not else "",
                        sep=": ",
                    ),
                    implied=informs,
                ),
                a("10.4", _("Measures taken to address the breach"), leak.measures_taken),
                a(
                    "10.5",
                    _("Measures to prevent a recurrence"),
                    _join(leak.measures_preventive, leak.measures_planned, sep="\n"),
                    name="measures_preventive",
                ),
                a(
                    "10.6",
                    _("How many data subjects have been informed?"),
                    "" if informs_not else _people(number_informed(leak)),
                    source=SOURCE_SUBJECTS,
                    mandatory=False,
                    implied=informs_not,
                ),
            ],
        ),
        Chapter(
            11,
            _("Attachments"),
            [
                a(
                    "11.1",
                    _("Supporting documents sent along with the notification"),
                    leak.documents_sent,
                    name="documents_sent",
                    mandatory=False,
                ),
            ],
        ),
    ]


def missing_count(chapters: list[Chapter]) -> int:
    return sum(chapter.missing for chapter in chapters)


def missing_mandatory(leak: DataLeak) -> int:
    return sum(chapter.missing_mandatory for chapter in ap_chapters(leak))


def ap_pdf(leak: DataLeak) -> bytes:
    """The questionnaire as a PDF: the page's own template (incidents/ap_notification.html) on pdf/base.html."""
    from core.pdf import render_to_pdf

    chapters = ap_chapters(leak)
    organisation = leak.organisation
    return render_to_pdf(
        "incidents/ap_notification.html",
        {
            "base_template": "pdf/base.html",
            "leak": leak,
            "chapters": chapters,
            "missing": missing_count(chapters),
            "missing_mandatory": sum(chapter.missing_mandatory for chapter in chapters),
            "notifications": _notifications(leak),
            "now": timezone.now(),
        },
        title=_("AP notification for %(reference)s") % {"reference": leak.reference},
        subject=_("Answers to the AP's questionnaire for the notification of a data breach"),
        author=organisation.display_legal_name,
        organisation=organisation,
    )
