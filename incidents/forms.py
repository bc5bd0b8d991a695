from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Officer, User
from core.listing import sorted_by
from core.uploads import validate_upload
from core.widgets import DateInput, DateTimeInput
from incidents import validation
from incidents.ap_form import NOT_APPLICABLE_FIELDS
from incidents.letters import check_sendable
from incidents.models import (
    APDecision,
    APNotification,
    Category,
    DataKind,
    DataLeak,
    Exemption,
    SubjectNotification,
    SubjectsDecision,
)
from incidents.services import ASSESSMENT_FIELDS

MAX_ATTACHMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class DepartmentChoiceIterator(ModelChoiceIterator):
    """The options from (id, name) rows: the same choices without building hundreds of Department instances.

    The label is the department's name, as ``Department.__str__`` gives it; the
    chosen value is still validated and returned as a Department by the field.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", "name"):
            yield (ModelChoiceIteratorValue(pk, None), name)


class DepartmentChoiceField(forms.ModelChoiceField):
    """A department select for the hundreds of departments of a large municipality."""

    iterator = DepartmentChoiceIterator


def _not_in_future(value, message):
    if value and value > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(message)


class DataLeakReportForm(forms.ModelForm):
    """The report form: plain questions, most of them optional, usable on a phone in two minutes."""

    idempotency_token = forms.UUIDField(widget=forms.HiddenInput)
    data_kinds = forms.MultipleChoiceField(
        label=_("What kind of personal data is involved, as far as you know?"),
        choices=DataKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    on_behalf = forms.BooleanField(
        label=_("I am reporting this on behalf of a colleague"),
        required=False,
    )
    on_behalf_of_name = forms.CharField(label=_("Colleague's name"), max_length=200, required=False)
    on_behalf_of_email = forms.EmailField(label=_("Colleague's e-mail address"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("For example a screenshot or the letter. PDF, Office documents or images, at most 5 files."),
    )

    class Meta:
        model = DataLeak
        fields = [
            "category",
            "description",
            "occurred_at",
            "discovered_at",
            "department",
            "data_kinds",
            "affected_estimate",
            "ongoing",
            "actions_taken",
            "contact_phone",
            "contact_email",
        ]
        field_classes = {"department": DepartmentChoiceField}
        labels = {
            "category": _("What happened?"),
            "description": _("Describe what happened"),
            "occurred_at": _("When did it happen (roughly)?"),
            "discovered_at": _("When was it discovered?"),
            "department": _("Which department is involved?"),
            "affected_estimate": _("Roughly how many people are involved?"),
            "ongoing": _("Is it still going on?"),
            "actions_taken": _("What has already been done? (optional)"),
            "contact_phone": _("Phone number where we can reach you (optional)"),
            "contact_email": _("E-mail address where we can reach you"),
        }
        help_texts = {
            "description": _(
                'Who, what, where. For example: "I sent a letter with an income statement to the wrong address."'
            ),
            "actions_taken": _('For example: "I asked the recipient to delete the e-mail."'),
        }
        widgets = {
            "category": forms.RadioSelect,
            "ongoing": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "actions_taken": forms.Textarea(attrs={"rows": 2}),
            "occurred_at": DateTimeInput(),
            "discovered_at": DateTimeInput(),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args: Any, user: User, can_report_on_behalf: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["department"].queryset = Department.objects.filter(
            organisation_id=user.organisation_id, is_active=True
        ).order_by("name")
        self.fields["department"].initial = user.department_id
        self.fields["contact_email"].initial = user.email
        self.fields["idempotency_token"].initial = uuid.uuid4()
        self.fields["category"].choices = list(Category.choices)
        self.fields["description"].error_messages["required"] = _("Describe briefly what happened.")
        self.fields["category"].error_messages["required"] = _('Choose what happened (or "Something else").')
        for name in ("occurred_at", "discovered_at"):
            self.fields[name].error_messages["invalid"] = _("Enter a date and time, for example 14-03-2026 09:30.")
        if not can_report_on_behalf:
            for name in ("on_behalf", "on_behalf_of_name", "on_behalf_of_email"):
                del self.fields[name]

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        _not_in_future(value, _("This moment lies in the future. When did it happen?"))
        return value

    def clean_discovered_at(self):
        value = self.cleaned_data.get("discovered_at")
        _not_in_future(value, _("The discovery cannot lie in the future."))
        return value

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("Add at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
        errors = []
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except ValidationError as exc:
                errors.extend(f"{uploaded.name}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        occurred, discovered = cleaned.get("occurred_at"), cleaned.get("discovered_at")
        if occurred and discovered and discovered < occurred:
            self.add_error("discovered_at", _("The discovery cannot be before the moment it happened."))
        if cleaned.get("on_behalf") and not cleaned.get("on_behalf_of_name"):
            self.add_error("on_behalf_of_name", _("Fill in the name of the colleague you report for."))
        if not cleaned.get("on_behalf"):
            cleaned["on_behalf_of_name"] = ""
            cleaned["on_behalf_of_email"] = ""
        if self.files and self.errors:
            # Browsers cannot keep chosen files after a round trip: say so.
            self.add_error(None, _("Please choose the attachments again; everything else you typed is kept."))
        return cleaned


def _handlers(organisation_id: int):
    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            officer_roles__kind__in=[Officer.Kind.PRIVACY_OFFICER, Officer.Kind.CISO],
        )
        .distinct()
        .order_by("full_name")
    )


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
        self.fields["assignee"].queryset = _handlers(leak.organisation_id)

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
        ("processors_involved", "other_supervisors", "cross_border", "cross_border_countries", "other_authorities"),
    ),
    (_("The FG"), ("dpo_involved", "dpo_advice")),
)


class AssessmentForm(forms.ModelForm):
    personal_data_categories = forms.MultipleChoiceField(
        label=_("Categories of personal data"),
        choices=[c for c in DataKind.choices if c[0] != DataKind.UNKNOWN],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when you change a recorded decision, or an answer that was already given to the AP. "
            "The old value stays in the timeline."
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

    def __init__(self, *args: Any, leak: DataLeak, missing_mandatory: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leak = leak
        self.missing_mandatory = missing_mandatory
        self.fields["notified_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["late_reason"].initial = leak.late_reason
        if not leak.ap_notifications.filter(kind=APNotification.Kind.INITIAL).exists():
            self.fields["kind"].choices = [(APNotification.Kind.INITIAL, APNotification.Kind.INITIAL.label)]
        else:
            self.fields["kind"].choices = [
                (APNotification.Kind.FOLLOW_UP, APNotification.Kind.FOLLOW_UP.label),
                (APNotification.Kind.WITHDRAWAL, APNotification.Kind.WITHDRAWAL.label),
            ]
            self.fields["kind"].initial = APNotification.Kind.FOLLOW_UP

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
        if cleaned.get("complete") and kind != APNotification.Kind.WITHDRAWAL and self.missing_mandatory:
            self.add_error(
                "complete",
                _("The notification cannot be recorded as complete: %(count)s mandatory questions are unanswered.")
                % {"count": self.missing_mandatory},
            )
        return cleaned


class CorrectionReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The old value stays in the timeline, with your name, the moment and this reason."),
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


class AdditionForm(forms.Form):
    """The reporter adds to their report after sending it."""

    text = forms.CharField(
        label=_("What do you want to add?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example something you remembered, or that the leak is still going on."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("PDF, Office documents or images, at most 5 files."),
    )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("Add at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
        errors = []
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except ValidationError as exc:
                errors.extend(f"{uploaded.name}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("attachments"):
            raise ValidationError(_("Write something or add a file."))
        if self.files and self.errors:
            self.add_error(None, _("Please choose the attachments again; everything else you typed is kept."))
        return cleaned


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


# The register's sortable columns: URL key -> database expression (annotations of the register's queryset).
REGISTER_SORTS = {
    "referentie": "number",
    "gemeld": "created_at",
    "bewust": "aware_at",
    "afdeling": "department__name",
    "soort": "category",
    "ernst": "severity",
    "besluit_ap": "ap_decision",
    "gemeld_ap": "first_notified_at",
    "op_tijd": "on_time",
    "betrokkenen": "subjects_informed",
    "status": "status",
    "behandelaar": "assignee__full_name",
}

# The queue's sortable columns (the deadline runs from the awareness moment).
QUEUE_SORTS = {
    "referentie": "number",
    "gemeld": "created_at",
    "deadline": "aware_at",
    "soort": "category",
    "afdeling": "department__name",
    "status": "status",
    "behandelaar": "assignee__full_name",
}


def _sort_choices(sorts: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "")] + [(key, key) for key in sorts] + [(f"-{key}", f"-{key}") for key in sorts]


class LeakListFilterForm(forms.Form):
    """The filters the handler's lists share (the queue and the register), all in the query string.

    Subclasses name their sortable columns (``sorts``, a whitelist) and the default sort.
    """

    sorts: dict[str, str] = {}
    default_sort = "-gemeld"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Reference or text"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    category = forms.ChoiceField(label=_("Type"), choices=[("", _("All types")), *Category.choices], required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    sort = forms.ChoiceField(required=False, choices=[("", "")], widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisation_id: int, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["department"].queryset = Department.objects.filter(organisation_id=organisation_id).order_by("name")
        self.fields["sort"].choices = _sort_choices(self.sorts)

    @property
    def current_sort(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_bound and self.is_valid() else "") or self.default_sort

    def filter(self, queryset, data: dict):
        """The filters of this list (the shared ones here; subclasses add theirs)."""
        if data.get("q"):
            term = data["q"].strip()
            queryset = queryset.filter(
                Q(reference__icontains=term)
                | Q(description__icontains=term)
                | Q(consequences__icontains=term)
                | Q(measures_taken__icontains=term)
                | Q(measures_preventive__icontains=term)
                | Q(cause__icontains=term)
                | Q(lesson__icontains=term)
                | Exists(APNotification.objects.filter(leak=OuterRef("pk"), ap_reference__icontains=term))
            )
        if data.get("department"):
            queryset = queryset.filter(department__path__startswith=data["department"].path)
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("mine") and self.user is not None:
            queryset = queryset.filter(assignee=self.user)
        return queryset

    def apply(self, queryset):
        """The filtered rows, sorted by a whitelisted column (an invalid query string: every row, default sort)."""
        if self.is_valid():
            queryset = self.filter(queryset, self.cleaned_data)
        return sorted_by(queryset, self.current_sort, self.sorts)


class RegisterFilterForm(LeakListFilterForm):
    sorts = REGISTER_SORTS

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    notified = forms.ChoiceField(
        label=_("Notified to the AP"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )

    field_order = ["q", "start", "end", "department", "category", "notified", "mine", "sort"]

    def filter(self, queryset, data: dict):
        queryset = super().filter(queryset.in_period(data.get("start"), data.get("end")), data)
        notified = Exists(APNotification.objects.filter(leak=OuterRef("pk"), kind=APNotification.Kind.INITIAL))
        if data.get("notified") == "yes":
            queryset = queryset.filter(notified)
        elif data.get("notified") == "no":
            queryset = queryset.exclude(notified)
        return queryset


class QueueFilterForm(LeakListFilterForm):
    """The handler's queue: open reports by their deadline (the default), or every report, newest first."""

    sorts = QUEUE_SORTS

    toon = forms.ChoiceField(
        label=_("Show"),
        choices=[("open", _("Open")), ("alle", _("All"))],
        required=False,
        widget=forms.HiddenInput,
    )

    @property
    def show(self) -> str:
        return (self.cleaned_data.get("toon") if self.is_bound and self.is_valid() else "") or "open"

    @property
    def current_sort(self) -> str:
        chosen = self.cleaned_data.get("sort") if self.is_bound and self.is_valid() else ""
        return chosen or ("deadline" if self.show == "open" else "-gemeld")

    def filter(self, queryset, data: dict):
        queryset = super().filter(queryset, data)
        return queryset.open() if self.show == "open" else queryset

    def apply(self, queryset):
        # An invalid query string still shows the open reports, not every report.
        return super().apply(queryset if self.is_valid() else queryset.open())
