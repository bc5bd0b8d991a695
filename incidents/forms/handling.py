"""Forms of handling a report: assignment and awareness, notes, the assessment, the notifications to the AP and
the data subjects and their corrections, the letter, involving an ambassador, closing and reopening."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import data_leak_handlers
from core.history import reason_field
from core.widgets import DateInput, DateTimeInput
from incidents import validation
from incidents.ap_form import NOT_APPLICABLE_FIELDS
from incidents.letters import check_sendable
from incidents.models import (
    APDecision,
    APNotification,
    DataKind,
    DataLeak,
    Exemption,
    OtherNotificationDuty,
    SubjectNotification,
    SubjectsDecision,
)
from incidents.services.handling import ASSESSMENT_FIELDS


class HandlingForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none(), required=False)
    aware_at = forms.DateTimeField(
        label=_("Organisation aware since"),
        widget=DateTimeInput(),
        help_text=_(
            "By default the discovery as the reporter gave it. A later moment (for example when an investigation "
            "showed that personal data was involved) needs a reason. The 72 hours start here."
        ),
    )
    aware_reason = forms.CharField(
        label=_("Reason for a later awareness moment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, leak: DataLeak, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "assignee": leak.assignee_id,
                "aware_at": timezone.localtime(leak.aware_at),
                "aware_reason": leak.aware_reason,
            },
        )
        super().__init__(*args, **kwargs)
        self.leak = leak
        self.fields["assignee"].queryset = data_leak_handlers(leak.organisation_id)

    def clean(self):
        cleaned = super().clean()
        aware_at = cleaned.get("aware_at")
        if aware_at is not None:
            try:
                validation.check_aware_at(self.leak, aware_at, cleaned.get("aware_reason", ""))
            except ValidationError as exc:
                self.add_error("aware_reason" if exc.code == "reason" else "aware_at", exc)
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


ASSESSMENT_TEXTAREAS = (
    "discovery_method",
    "special_categories",
    "affected_groups",
    "encryption_details",
    "consequences",
    "consequences_organisation",
    "severity_explanation",
    "measures_taken",
    "measures_planned",
    "measures_preventive",
    "processors_involved",
    "other_supervisors",
    "cross_border_countries",
    "other_authorities",
    "dpo_advice",
    "ap_decision_reason",
    "late_reason",
    "subjects_decision_reason",
    "subjects_informed_how",
    "joint_controllers",
    "other_notification_duty_details",
    "documents_sent",
)


# The assessment form's sections, in the order of the AP's questionnaire.
ASSESSMENT_SECTIONS = (
    (_("Timeline"), ("ongoing", "breach_ended_at", "discovery_method")),
    (_("Nature of the breach"), ("breach_confidentiality", "breach_integrity", "breach_availability")),
    (_("Personal data"), ("personal_data_categories", "special_categories", "records_count")),
    (_("Persons affected"), ("persons_exact", "persons_min", "persons_max", "affected_groups")),
    (_("Prior measures"), ("encrypted", "encryption_details")),
    (_("Consequences"), ("consequences", "severity", "severity_explanation", "consequences_organisation")),
    (
        _("Measures"),
        ("measures_taken", "measures_planned", "measures_preventive"),
    ),
    (
        _("Other organisations, supervisors and countries"),
        (
            "processors_involved",
            "joint_controllers",
            "other_supervisors",
            "cross_border",
            "cross_border_countries",
            "other_authorities",
        ),
    ),
    (_("The FG"), ("dpo_involved", "dpo_advice")),
    (
        _("The notification to the AP"),
        ("other_notification_duty", "other_notification_duty_details", "documents_sent"),
    ),
)


class AssessmentForm(forms.ModelForm):
    personal_data_categories = forms.MultipleChoiceField(
        label=_("Categories of personal data"),
        choices=[c for c in DataKind.choices if c[0] != DataKind.UNKNOWN],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    correction_reason = reason_field(
        required=False,
        help_text=_(
            "Required when you change a recorded decision, or an answer that was already given to the AP. "
            "The old value is kept in the report's history."
        ),
    )

    class Meta:
        model = DataLeak
        fields = [name for name in ASSESSMENT_FIELDS if name != "not_applicable"]
        widgets = {
            "breach_ended_at": DateTimeInput(),
            **{name: forms.Textarea(attrs={"rows": 2}) for name in ASSESSMENT_TEXTAREAS},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ap_decision"].choices = list(APDecision.choices)
        self.fields["subjects_decision"].choices = list(SubjectsDecision.choices)
        self.fields["subjects_exemption"].choices = list(Exemption.choices)
        self.fields["other_notification_duty"].choices = list(OtherNotificationDuty.choices)
        # Posts without it (an older form) keep the reporter's answer.
        self.fields["ongoing"].required = False
        marked = set(self.instance.not_applicable or [])
        for name in NOT_APPLICABLE_FIELDS:
            self.fields[f"na_{name}"] = forms.BooleanField(
                label=_("None / not applicable"), required=False, initial=name in marked
            )

    def sections(self):
        """(legend, [(field, its "not applicable" box or None)]) for the template."""
        return [
            (legend, [(self[name], self[f"na_{name}"] if name in NOT_APPLICABLE_FIELDS else None) for name in names])
            for legend, names in ASSESSMENT_SECTIONS
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("ongoing"):
            cleaned["ongoing"] = DataLeak.objects.filter(pk=self.instance.pk).values_list("ongoing", flat=True).first()
        low, high = cleaned.get("persons_min"), cleaned.get("persons_max")
        if low is not None and high is not None and low > high:
            self.add_error("persons_max", _("The maximum cannot be lower than the minimum."))
        ended = cleaned.get("breach_ended_at")
        if ended is not None:
            try:
                validation.check_breach_end(self.instance, ended)
            except ValidationError as exc:
                self.add_error("breach_ended_at", exc)
        if cleaned.get("ap_decision") and not cleaned.get("ap_decision_reason", "").strip():
            self.add_error("ap_decision_reason", _("Record why you decided this."))
        if cleaned.get("subjects_decision") and not cleaned.get("subjects_decision_reason", "").strip():
            self.add_error("subjects_decision_reason", _("Record why you decided this."))
        if (
            cleaned.get("other_notification_duty") == OtherNotificationDuty.OTHER
            and not (cleaned.get("other_notification_duty_details") or "").strip()
        ):
            self.add_error("other_notification_duty_details", _("Name the other duty to notify."))
        if cleaned.get("subjects_exemption") and cleaned.get("subjects_decision") != SubjectsDecision.NO_INFORM:
            self.add_error(
                "subjects_exemption", _("An exemption only applies when the data subjects are not informed.")
            )
        not_applicable = []
        for name in NOT_APPLICABLE_FIELDS:
            if cleaned.get(f"na_{name}"):
                if cleaned.get(name) not in (None, "", []):
                    self.add_error(f"na_{name}", _('You gave an answer: leave it empty, or untick "not applicable".'))
                not_applicable.append(name)
        cleaned["not_applicable"] = not_applicable
        return cleaned


class APNotificationForm(forms.ModelForm):
    late_reason = forms.CharField(
        label=_("Reason for the delay"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the notification is made more than 72 hours after the organisation became aware."),
    )

    class Meta:
        model = APNotification
        fields = ["kind", "notified_at", "ap_reference", "complete", "notes"]
        widgets = {"notified_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    # The kind of notification and the transition of incidents.state it takes.
    TRANSITIONS = {
        APNotification.Kind.INITIAL: "notify_ap",
        APNotification.Kind.FOLLOW_UP: "follow_up",
        APNotification.Kind.WITHDRAWAL: "withdraw",
    }

    def __init__(
        self, *args: Any, leak: DataLeak, missing_mandatory: int = 0, kind: str | None = None, **kwargs: Any
    ) -> None:
        from incidents import state

        super().__init__(*args, **kwargs)
        self.leak = leak
        self.missing_mandatory = missing_mandatory
        self.fields["notified_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["late_reason"].initial = leak.late_reason
        self.fields["notes"].help_text = _("For a withdrawal: the reason for withdrawing the notification (required).")
        # The kinds the state allows now (incidents.state): the first notification, or a follow-up or withdrawal.
        self.fields["kind"].choices = [
            (value, label)
            for value, label in APNotification.Kind.choices
            if state.allowed(leak, self.TRANSITIONS[value])
        ]
        allowed = [value for value, _label in self.fields["kind"].choices]
        self.fields["kind"].initial = kind if kind in allowed else (allowed[0] if allowed else None)

    @property
    def can_record(self) -> bool:
        return bool(self.fields["kind"].choices)

    def clean_notified_at(self):
        value = self.cleaned_data["notified_at"]
        validation.check_ap_notified_at(self.leak, value)
        return value

    def clean(self):
        cleaned = super().clean()
        notified_at = cleaned.get("notified_at")
        kind = cleaned.get("kind")
        if (
            notified_at
            and kind == APNotification.Kind.INITIAL
            and notified_at > self.leak.deadline
            and not cleaned.get("late_reason", "").strip()
        ):
            self.add_error(
                "late_reason", _("The notification is later than 72 hours: record the reason for the delay.")
            )
        if notified_at and kind and kind != APNotification.Kind.INITIAL:
            initial = (
                self.leak.ap_notifications.filter(kind=APNotification.Kind.INITIAL).order_by("notified_at").first()
            )
            try:
                validation.check_follow_up_after_initial(initial.notified_at if initial else None, notified_at)
            except ValidationError as exc:
                self.add_error("notified_at", exc)
        if kind == APNotification.Kind.WITHDRAWAL and not (cleaned.get("notes") or "").strip():
            self.add_error("notes", _("Give the reason for the withdrawal, as the AP's form asks."))
        if cleaned.get("complete") and kind != APNotification.Kind.WITHDRAWAL and self.missing_mandatory:
            self.add_error(
                "complete",
                _("The notification cannot be recorded as complete: %(count)s mandatory questions are unanswered.")
                % {"count": self.missing_mandatory},
            )
        return cleaned


class CorrectionReasonMixin(forms.Form):
    reason = reason_field(
        help_text=_("The old value is kept in the report's history, with your name, the moment and this reason.")
    )


class APNotificationCorrectionForm(forms.ModelForm, CorrectionReasonMixin):
    class Meta:
        model = APNotification
        fields = ["notified_at", "ap_reference", "complete", "notes"]
        widgets = {"notified_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, missing_mandatory: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing_mandatory = missing_mandatory

    def clean_complete(self):
        value = self.cleaned_data["complete"]
        was = self.initial.get("complete", False)
        if value and not was and self.instance.kind != APNotification.Kind.WITHDRAWAL and self.missing_mandatory:
            raise ValidationError(
                _("The notification cannot be recorded as complete: %(count)s mandatory questions are unanswered.")
                % {"count": self.missing_mandatory}
            )
        return value

    def clean_notified_at(self):
        value = self.cleaned_data["notified_at"]
        validation.check_ap_notified_at(self.instance.leak, value)
        return value


class SubjectNotificationForm(forms.ModelForm):
    class Meta:
        model = SubjectNotification
        fields = ["channel", "informed_on", "number_informed", "notes"]
        widgets = {"informed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, leak: DataLeak | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leak = leak or getattr(self.instance, "leak", None)
        if not self.instance.pk:
            self.fields["informed_on"].initial = timezone.localdate()

    def clean_informed_on(self):
        value = self.cleaned_data["informed_on"]
        if self.leak is not None:
            validation.check_subjects_informed_on(self.leak, value)
        else:
            validation.check_not_in_future(value, _("This date lies in the future."))
        return value


class SubjectNotificationCorrectionForm(SubjectNotificationForm, CorrectionReasonMixin):
    class Meta(SubjectNotificationForm.Meta):
        pass


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you reopen the report?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InvolveAmbassadorForm(forms.Form):
    ambassador = forms.ModelChoiceField(label=_("Ambassador"), queryset=User.objects.none())

    def __init__(self, *args: Any, leak: DataLeak, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ambassadors.models import Appointment

        user_ids = Appointment.objects.current().filter(organisation_id=leak.organisation_id).values("user_id")
        self.fields["ambassador"].queryset = User.objects.filter(
            pk__in=user_ids, organisation_id=leak.organisation_id, is_active=True
        ).order_by("full_name")


class LetterForm(forms.Form):
    addressee = forms.CharField(
        label=_("Addressee"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_(
            "Name and address of the data subject, one line each. Leave empty for a mail merge: the .docx then "
            "holds the merge fields «Naam», «Adres» and «Postcode_en_woonplaats»."
        ),
    )
    their_reference = forms.CharField(label=_("Your reference"), required=False, max_length=100)
    text = forms.CharField(label=_("Text of the letter"), max_length=20000, widget=forms.Textarea(attrs={"rows": 22}))
    sent_on = forms.DateField(
        label=_("Sent on"),
        required=False,
        widget=DateInput(),
        help_text=_('Only for "Record as sent": the letter is then kept with the report as it was sent.'),
    )

    def __init__(self, *args: Any, leak: DataLeak, sending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leak = leak
        self.sending = sending
        self.fields["sent_on"].initial = timezone.localdate()

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if self.sending:
            check_sendable(text)
        return text

    def clean_sent_on(self):
        value = self.cleaned_data.get("sent_on")
        if value is not None:
            validation.check_letter_sent_on(self.leak, value)
        return value


class CloseForm(forms.Form):
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    lesson = forms.CharField(
        label=_("Lesson learned"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What should colleagues do differently? You can propose it as a topic for the annual plan."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the report is closed and that this is final"),
        error_messages={"required": _("Confirm that you close the report.")},
    )

    def __init__(self, *args: Any, leak: DataLeak, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leak = leak

    def clean(self):
        cleaned = super().clean()
        if not self.leak.ap_decision or not self.leak.subjects_decision:
            raise ValidationError(_("Record both decisions (AP and data subjects) in the assessment before closing."))
        return cleaned


class NoLeakForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this not a data leak?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    confirm = forms.BooleanField(
        label=_('I understand that the report is closed as "no data leak" and that this is final'),
        error_messages={"required": _("Confirm that you close the report as no data leak.")},
    )
