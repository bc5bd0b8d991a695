from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import Scope
from core.widgets import DateInput

MAX_DAYS = 366


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_('Which system uses it, e.g. "Intranet" or "Power BI management information".'),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What may it do?"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        help_text=_("At most a year from today. Create a new token before this date."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=90)
        self.fields["name"].error_messages["required"] = _("Give the token a name.")
        self.fields["scopes"].error_messages["required"] = _("Choose at least one thing the token may do.")
        self.fields["expires_on"].error_messages["invalid"] = _("Enter a date, for example 31-03-2027.")

    def clean_expires_on(self) -> datetime.date:
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(_("Choose a date after today."))
        if value > today + datetime.timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("A token is valid for at most a year."))
        return value

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day, in the organisation's time zone."""
        day = self.cleaned_data["expires_on"] + datetime.timedelta(days=1)
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
