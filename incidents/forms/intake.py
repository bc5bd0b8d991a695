"""Forms of the intake: the report (also on behalf of a colleague) and what the reporter adds later."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import ActiveDepartmentField
from accounts.models import Department, User
from core.forms import MultipleFileField
from core.widgets import DateTimeInput
from incidents.bsn import contains_bsn
from incidents.models import (
    Category,
    DataKind,
    DataLeak,
)

MAX_ATTACHMENTS = 5
# The free-text fields in which the form warns about a BSN (bsn_warning.js while typing, the page after a round trip).
BSN_CHECKED_FIELDS = ("description", "actions_taken")


def not_in_future(value, message):
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
        max_files=MAX_ATTACHMENTS,
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("For example a screenshot or the letter. PDF, Office documents or images, at most 5 files."),
    )

    class Meta:
        model = DataLeak
        fields = DataLeak.INTAKE_FIELDS
        field_classes = {"department": ActiveDepartmentField}
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
                'Who, what, where. For example: "I sent a letter with an income statement to the wrong address." '
                "Do not type citizens' names or citizen service numbers (BSN): the Privacy Officer asks for them "
                "when needed."
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
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True).order_by("name")
        self.fields["department"].initial = user.department_id
        self.fields["contact_email"].initial = user.email
        self.fields["idempotency_token"].initial = uuid.uuid4()
        # Mostly the discovery is now: the field starts there (the current time zone's local time, to the minute),
        # and one tap on the picker changes it.
        self.fields["discovered_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["category"].choices = list(Category.choices)
        self.fields["description"].error_messages["required"] = _("Describe briefly what happened.")
        self.fields["category"].error_messages["required"] = _('Choose what happened (or "Something else").')
        for name in ("occurred_at", "discovered_at"):
            self.fields[name].error_messages["invalid"] = _("Enter a date and time, for example 14-03-2026 09:30.")
        if not can_report_on_behalf:
            for name in ("on_behalf", "on_behalf_of_name", "on_behalf_of_email"):
                del self.fields[name]

    @property
    def bsn_typed(self) -> bool:
        """Whether the text sent holds a citizen service number: the page says so again, without refusing it."""
        if not self.is_bound:
            return False
        return any(contains_bsn(self.data.get(name, "")) for name in BSN_CHECKED_FIELDS)

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        not_in_future(value, _("This moment lies in the future. When did it happen?"))
        return value

    def clean_discovered_at(self):
        value = self.cleaned_data.get("discovered_at")
        not_in_future(value, _("The discovery cannot lie in the future."))
        return value

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
        max_files=MAX_ATTACHMENTS,
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("PDF, Office documents or images, at most 5 files."),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("attachments"):
            raise ValidationError(_("Write something or add a file."))
        if self.files and self.errors:
            self.add_error(None, _("Please choose the attachments again; everything else you typed is kept."))
        return cleaned
