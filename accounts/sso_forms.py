"""The organisation's sign-in settings: provider, secret (write-only) and e-mail domains."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import sso
from accounts.models import EmailDomain, IdentityProvider, Organisation

_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
# Entra's multi-tenant endpoints admit any Microsoft organisation: never for a municipality.
_SHARED_TENANTS = {"common", "organizations", "consumers"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class IdentityProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    domains = forms.CharField(
        label=_("E-mail domains of the organisation"),
        help_text=_("One per line, for example gemeente.nl. Sign-in by the identity provider is matched within these."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "kind",
            "tenant_id",
            "issuer",
            "client_id",
            "is_enabled",
            "password_login_disabled",
            "allows_just_in_time_accounts",
            "idp_mfa_counts",
        ]
        help_texts = {
            "tenant_id": _("Microsoft Entra ID only: the Directory (tenant) ID of your own tenant, a GUID."),
            "issuer": _("OpenID Connect only: the issuer URL; its /.well-known/openid-configuration is read."),
            "password_login_disabled": _(
                "Employees sign in with the municipal account only. Officers keep password and second factor as a "
                "break-glass path."
            ),
            "allows_just_in_time_accounts": _(
                "An employee who is not in the HR import yet gets a plain staff account without a department at "
                "their first sign-in. Without this, they are refused."
            ),
            "idp_mfa_counts": _(
                "Officers, managers and superusers skip the TOTP code when the identity provider's ID token shows a "
                "second factor (amr: mfa, otp, hwk, swk or sc). Otherwise they enter their TOTP code after signing in."
            ),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        stored = self.instance.pk and self.instance.client_secret_encrypted
        if stored:
            self.fields["client_secret"].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; type a new one to replace it."
            ) % {"masked": sso.masked(self.instance)}
        else:
            self.fields["client_secret"].help_text = _("The secret of the app registration; stored encrypted.")
        if not self.is_bound:
            self.initial["domains"] = "\n".join(
                EmailDomain.objects.filter(organisation=organisation).values_list("domain", flat=True)
            )

    def clean_tenant_id(self) -> str:
        return self.cleaned_data["tenant_id"].strip().lower()

    def clean_issuer(self) -> str:
        return self.cleaned_data["issuer"].strip()

    def clean_client_id(self) -> str:
        return self.cleaned_data["client_id"].strip()

    def clean_domains(self) -> list[str]:
        domains: list[str] = []
        for line in re.split(r"[\s,;]+", self.cleaned_data["domains"]):
            domain = sso.normalise_domain(line)
            if not domain:
                continue
            if not _DOMAIN.match(domain):
                raise forms.ValidationError(_("'%(domain)s' is not an e-mail domain.") % {"domain": line.strip()})
            if domain not in domains:
                domains.append(domain)
        if not domains:
            raise forms.ValidationError(_("Enter at least one e-mail domain."))
        claimed = list(
            EmailDomain.objects.filter(domain__in=domains)
            .exclude(organisation=self.organisation)
            .values_list("domain", flat=True)
        )
        if claimed:
            raise forms.ValidationError(
                _("The domain %(domain)s already belongs to another organisation.") % {"domain": ", ".join(claimed)}
            )
        return domains

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == IdentityProvider.Kind.MICROSOFT:
            tenant = data.get("tenant_id", "")
            if tenant in _SHARED_TENANTS:
                self.add_error(
                    "tenant_id",
                    _("Enter your own tenant's ID: '%(tenant)s' would let any Microsoft organisation in.")
                    % {"tenant": tenant},
                )
            elif not _is_guid(tenant):
                self.add_error(
                    "tenant_id", _("Enter the Directory (tenant) ID from Entra ID, for example 0a1b2c3d-…, a GUID.")
                )
        elif kind == IdentityProvider.Kind.OPENID_CONNECT:
            issuer = data.get("issuer", "")
            parts = urlsplit(issuer)
            if not issuer:
                self.add_error("issuer", _("Enter the issuer URL of your OpenID Connect provider."))
            elif parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
                self.add_error("issuer", _("The issuer must be an https:// address."))
        if not (self.instance.pk and self.instance.client_secret_encrypted) and not data.get("client_secret"):
            self.add_error("client_secret", _("Enter the client secret."))
        return data


def _is_guid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
