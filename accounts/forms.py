from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User


class HRImportForm(forms.Form):
    file = forms.FileField(
        label=_("HR export (CSV or XLSX)"),
        help_text=_("One row per employee; see the column layout below."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if uploaded.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return uploaded


class InvitationForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "department", "job_title", "language"]

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation, is_active=True)
        self.fields["department"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("There is already an account with this e-mail address."))
        return email


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "receives_topic_mailings", "receives_reminders"]
