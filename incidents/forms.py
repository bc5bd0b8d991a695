from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Officer, User
from core.uploads import validate_upload
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
from incidents.widgets import FastSelect

MAX_ATTACHMENTS = 5
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)


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
        help_text=_("Set an earlier moment if the organisation knew before the report. The 72 hours start here."),
    )

    def __init__(self, *args: Any, leak: DataLeak, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee": leak.assignee_id, "aware_at": timezone.localtime(leak.aware_at)})
        super().__init__(*args, **kwargs)
        self.leak = leak
        self.fields["assignee"].queryset = _handlers(leak.organisation_id)

    def clean_aware_at(self):
        value = self.cleaned_data["aware_at"]
        if value > self.leak.created_at:
            raise ValidationError(_("The organisation cannot have become aware after the report was saved."))
        return value


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AssessmentForm(forms.ModelForm):
    personal_data_categories = forms.MultipleChoiceField(
        label=_("Categories of personal data"),
        choices=[c for c in DataKind.choices if c[0] != DataKind.UNKNOWN],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = DataLeak
        fields = ASSESSMENT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "special_categories",
                "affected_groups",
                "encryption_details",
                "consequences",
                "measures_taken",
                "measures_planned",
                "processors_involved",
                "ap_decision_reason",
                "late_reason",
                "subjects_decision_reason",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ap_decision"].choices = list(APDecision.choices)
        self.fields["subjects_decision"].choices = list(SubjectsDecision.choices)
        self.fields["subjects_exemption"].choices = list(Exemption.choices)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("persons_min"), cleaned.get("persons_max")
        if low is not None and high is not None and low > high:
            self.add_error("persons_max", _("The maximum cannot be lower than the minimum."))
        if cleaned.get("ap_decision") and not cleaned.get("ap_decision_reason", "").strip():
            self.add_error("ap_decision_reason", _("Record why you decided this."))
        if cleaned.get("subjects_decision") and not cleaned.get("subjects_decision_reason", "").strip():
            self.add_error("subjects_decision_reason", _("Record why you decided this."))
        if cleaned.get("subjects_exemption") and cleaned.get("subjects_decision") != SubjectsDecision.NO_INFORM:
            self.add_error(
                "subjects_exemption", _("An exemption only applies when the data subjects are not informed.")
            )
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
        fields = ["kind", "notified_at", "ap_reference", "notes"]
        widgets = {"notified_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, leak: DataLeak, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leak = leak
        self.fields["notified_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["late_reason"].initial = leak.late_reason
        if not leak.ap_notifications.exists():
            self.fields["kind"].choices = [(APNotification.Kind.INITIAL, APNotification.Kind.INITIAL.label)]
        else:
            self.fields["kind"].initial = APNotification.Kind.FOLLOW_UP

    def clean_notified_at(self):
        value = self.cleaned_data["notified_at"]
        _not_in_future(value, _("The notification cannot lie in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        notified_at = cleaned.get("notified_at")
        if (
            notified_at
            and cleaned.get("kind") == APNotification.Kind.INITIAL
            and notified_at > self.leak.deadline
            and not cleaned.get("late_reason", "").strip()
        ):
            self.add_error(
                "late_reason", _("The notification is later than 72 hours: record the reason for the delay.")
            )
        return cleaned


class SubjectNotificationForm(forms.ModelForm):
    class Meta:
        model = SubjectNotification
        fields = ["channel", "informed_on", "number_informed", "notes"]
        widgets = {"informed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["informed_on"].initial = timezone.localdate()

    def clean_informed_on(self):
        value = self.cleaned_data["informed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("This date lies in the future."))
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


class RegisterFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    category = forms.ChoiceField(label=_("Type"), choices=[("", _("All types")), *Category.choices], required=False)
    notified = forms.ChoiceField(
        label=_("Notified to the AP"),
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation_id=organisation_id).order_by("name")

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = queryset.in_period(data.get("start"), data.get("end"))
        if data.get("department"):
            queryset = queryset.filter(department__path__startswith=data["department"].path)
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        notified = Exists(APNotification.objects.filter(leak=OuterRef("pk"), kind=APNotification.Kind.INITIAL))
        if data.get("notified") == "yes":
            queryset = queryset.filter(notified)
        elif data.get("notified") == "no":
            queryset = queryset.exclude(notified)
        return queryset
