from __future__ import annotations

from pathlib import Path

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp import forms as allauth_totp_forms
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ORGANISATION_SETTINGS,
    SECRET_SETTINGS,
    Department,
    Officer,
    Organisation,
    User,
    validate_webhook_url,
)
from accounts.services import new_organisation_errors
from core.masking import mask_url
from core.uploads import IMAGE, validate_upload


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


class OrganisationCreateForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200, help_text=_('e.g. "Gemeente Testdorp"'))
    ciso_email = forms.EmailField(
        label=_("E-mail address of the first CISO"),
        help_text=_("They receive an invitation to choose a password and set up the second factor."),
    )
    ciso_name = forms.CharField(label=_("Name of the first CISO"), max_length=200, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if "name" in cleaned and "ciso_email" in cleaned:
            for field, message in new_organisation_errors(
                name=cleaned["name"], ciso_email=cleaned["ciso_email"]
            ).items():
                self.add_error(field, message)
        return cleaned


LOGO_MAX_BYTES = 512 * 1024


class OrganisationSettingsForm(forms.ModelForm):
    """The organisation's settings. The webhook is a secret: never shown back, empty keeps the stored one."""

    teams_webhook_url = forms.URLField(
        label=_("MS Teams webhook"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[validate_webhook_url],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    teams_webhook_clear = forms.BooleanField(label=_("Remove the Teams webhook"), required=False)
    logo_clear = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Organisation
        # A secret setting is declared above instead: never shown back, kept when left empty.
        fields = [field for field in ORGANISATION_SETTINGS if field not in SECRET_SETTINGS]
        widgets = {"logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        masked = mask_url(self.instance.teams_webhook_url)
        self.fields["teams_webhook_url"].help_text = (
            _("Stored: %(masked)s. Leave empty to keep it; paste a new one to replace it.") % {"masked": masked}
            if masked
            else _(
                "Cards about published topics, annual plans and new events go to this channel. Starts with https://."
            )
        )
        self.fields["kvk_number"].help_text = _("8 digits.")
        self.fields["dataleak_retention_days"].help_text = _(
            "After closure, reporter details and free texts of a data leak are erased after this many days. "
            "Empty: the installation's default (%(days)s days)."
        ) % {"days": settings.DATALEAK_RETENTION_DAYS}
        self.fields["logo"].help_text = _("PNG or JPEG, at most 512 KB; shown in the header and in mails.")
        self.fields["accessibility_statement_url"].help_text = _(
            "The link to your statement in the register (toegankelijkheidsverklaring.nl). Empty: the product's own "
            "statement is shown."
        )
        for name in ("dpo_email", "privacy_contact_email", "mail_reply_to"):
            self.fields[name].widget.attrs["autocomplete"] = "email"
        for name in ("dpo_phone", "privacy_contact_phone"):
            self.fields[name].widget.attrs["autocomplete"] = "tel"

    def clean_kvk_number(self) -> str:
        return (self.cleaned_data.get("kvk_number") or "").replace(" ", "")

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").strip().upper()
        if len(value) == 6 and value[:4].isdigit():
            value = f"{value[:4]} {value[4:]}"
        return value

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            if logo.size > LOGO_MAX_BYTES:
                raise forms.ValidationError(_("The logo is larger than 512 KB."))
            validate_upload(logo, kinds=[IMAGE])
            extension = Path(logo.name).suffix.lower()
            if extension not in (".png", ".jpg", ".jpeg"):
                raise forms.ValidationError(_("Upload the logo as a PNG or JPEG file."))
        return logo

    def changes(self) -> dict:
        """The settings to apply: every field of the form, the secret only when replaced or removed."""
        changes = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "logo"}
        if self.cleaned_data.get("logo_clear"):
            changes["logo"] = False
        elif "logo" in self.changed_data:
            changes["logo"] = self.cleaned_data["logo"]
        if self.cleaned_data.get("teams_webhook_clear"):
            changes["teams_webhook_url"] = ""
        elif self.cleaned_data.get("teams_webhook_url"):
            changes["teams_webhook_url"] = self.cleaned_data["teams_webhook_url"]
        return changes


class OfficerAppointForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the employee"),
        help_text=_("An active employee of your organisation (from the HR import or an invitation)."),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=Officer.Kind.choices)
    is_deputy = forms.BooleanField(label=_("Deputy"), required=False)

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(organisation=self.organisation, email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active employee with this e-mail address in your organisation."))
        return user


class DepartmentCorrectionForm(forms.Form):
    remove_managers = forms.ModelMultipleChoiceField(
        label=_("Remove as manager"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    add_manager = forms.EmailField(
        label=_("Add a manager (e-mail address)"),
        required=False,
        help_text=_("An active employee of your organisation."),
    )
    teams_webhook_url = forms.URLField(
        label=_("MS Teams webhook of this department"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[validate_webhook_url],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    teams_webhook_clear = forms.BooleanField(label=_("Remove the department's webhook"), required=False)

    def __init__(self, *args, department: Department, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.department = department
        self.fields["remove_managers"].queryset = department.managers.order_by("full_name")
        masked = mask_url(department.teams_webhook_url)
        self.fields["teams_webhook_url"].help_text = (
            _("Stored: %(masked)s. Leave empty to keep it; paste a new one to replace it.") % {"masked": masked}
            if masked
            else _("Empty: the organisation's webhook is used for this department's topics.")
        )

    def clean_add_manager(self) -> User | None:
        email = (self.cleaned_data.get("add_manager") or "").strip().lower()
        if not email:
            return None
        user = User.objects.filter(
            organisation_id=self.department.organisation_id, email__iexact=email, is_active=True
        ).first()
        if user is None:
            raise forms.ValidationError(_("There is no active employee with this e-mail address in your organisation."))
        return user

    def webhook(self) -> str | None:
        """None keeps the stored webhook, "" removes it."""
        if self.cleaned_data.get("teams_webhook_clear"):
            return ""
        return self.cleaned_data.get("teams_webhook_url") or None


# --- The second factor (allauth MFA, settings.MFA_FORMS) --------------------------------------------


class OneTimeCodeMixin:
    """A six-digit code from the authenticator app (or an eight-digit recovery code): a phone shows its number pad
    and offers the code it received (``one-time-code``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


class MFAAuthenticateForm(OneTimeCodeMixin, AuthenticateForm):
    pass


class MFAReauthenticateForm(OneTimeCodeMixin, ReauthenticateForm):
    pass


class ActivateTOTPForm(OneTimeCodeMixin, allauth_totp_forms.ActivateTOTPForm):
    pass
