"""Sign-in with the organisation's identity provider: the rules, apart from allauth's plumbing.

Who an SSO sign-in may become is decided here (``match_user``): the existing user with
the verified e-mail address, within the organisation's own domains, active, of that
organisation. It never grants a role and never moves a user to another organisation;
a just-in-time account is plain staff without a department.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import EmailDomain, IdentityProvider, Organisation, User
from accounts.permissions import keeps_password_sign_in
from core import audit

# The authentication record (allauth's session log of methods) left by a sign-in whose
# identity provider proved a second factor (its ID token's ``amr``), when the organisation lets that count.
IDP_MFA_METHOD = "idp_mfa"
# The organisation whose identity provider the sign-in under way uses.
FLOW_SESSION_KEY = "sso_organisation_id"
# Set between the identity provider's answer and the MFA stage of the same sign-in.
PENDING_MFA_SESSION_KEY = "sso_pending_idp_mfa"

# RFC 8176 values that prove more than a password: "mfa" itself, a one-time code, a key.
MFA_AMR_VALUES = frozenset({"mfa", "otp", "hwk", "swk", "sc"})


class SignInRefused(Exception):
    """The identity provider vouched for someone we will not sign in; ``reason`` is for the security log."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


REFUSALS = {
    "unknown": _(
        "There is no account for this e-mail address in the programme. Ask your Privacy Officer or CISO: "
        "accounts are created from the HR administration."
    ),
    "other_organisation": _(
        "This e-mail address does not belong to the organisation whose account you used. Sign in with the "
        "account of your own municipality."
    ),
    "inactive": _("Your account has been deactivated. Ask your Privacy Officer or CISO if this is not right."),
    "domain": _(
        "The identity provider signed you in with an e-mail address outside your organisation's domains, "
        "so you cannot be signed in with it."
    ),
    "no_email": _(
        "The identity provider did not give a verified e-mail address, so we cannot tell who you are. "
        "Ask your IT department to release the e-mail claim to this application."
    ),
    "mismatch": _("This municipal account is linked to another user. Ask your Privacy Officer or CISO."),
}


# The secret at rest: Fernet (AES with an HMAC), keyed from SECRET_KEY; the fallbacks
# still decrypt after a key rotation, and the next save encrypts with the new key.
def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"identity-provider-secret:{key}".encode()).digest()))
            for key in keys
        ]
    )


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt_secret(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # SECRET_KEY changed without a fallback: the CISO enters the secret again.
        return ""


def masked(provider: IdentityProvider | None) -> str:
    """What the settings page shows of a stored secret: its first three characters, as Entra's portal does."""
    if provider is None or not provider.client_secret_encrypted:
        return ""
    return f"{provider.client_secret_hint}{'•' * 12}"


def normalise_domain(value: str) -> str:
    return value.strip().lower().lstrip("@").rstrip(".")


def domain_of(email: str) -> str:
    return normalise_domain(email.rpartition("@")[2]) if "@" in email else ""


def organisation_for_email(email: str) -> Organisation | None:
    domain = domain_of(email or "")
    if not domain:
        return None
    row = EmailDomain.objects.select_related("organisation").filter(domain=domain).first()
    return row.organisation if row else None


def active_provider(organisation: Organisation | None) -> IdentityProvider | None:
    if organisation is None:
        return None
    provider = IdentityProvider.objects.filter(organisation=organisation, is_enabled=True).first()
    if provider is None or not provider.client_id or not provider.client_secret_encrypted:
        return None
    return provider


def provider_for_email(email: str) -> IdentityProvider | None:
    return active_provider(organisation_for_email(email))


def password_login_refused(user: User) -> bool:
    """Password sign-in is off for the user's organisation, and the user is not one who keeps it as break-glass."""
    if keeps_password_sign_in(user):
        return False
    provider = active_provider(user.organisation) if user.organisation_id else None
    return bool(provider and provider.password_login_disabled)


@transaction.atomic
def save_sign_in_settings(
    *,
    organisation: Organisation,
    provider: IdentityProvider,
    domains: list[str],
    new_secret: str,
    changed_fields: list[str],
    actor: User,
    request: Any = None,
) -> IdentityProvider:
    """Store the organisation's provider and domains; the change (never the secret) goes into the audit trail."""
    provider.organisation = organisation
    if new_secret:
        provider.client_secret_encrypted = encrypt_secret(new_secret)
        provider.client_secret_hint = new_secret[:3]
    provider.save()
    current = set(EmailDomain.objects.filter(organisation=organisation).values_list("domain", flat=True))
    wanted = set(domains)
    EmailDomain.objects.filter(organisation=organisation, domain__in=current - wanted).delete()
    EmailDomain.objects.bulk_create(
        [EmailDomain(organisation=organisation, domain=d) for d in sorted(wanted - current)]
    )
    fields = sorted(set(changed_fields) - {"client_secret"}) + (["client_secret"] if new_secret else [])
    if current != wanted:
        fields.append("domains")
    audit.record(
        "sign_in_settings_changed",
        request=request,
        actor=actor,
        obj=organisation,
        detail=f"changed: {', '.join(sorted(set(fields))) or 'nothing'}"[:255],
    )
    return provider


@dataclass(frozen=True)
class Identity:
    """What the identity provider said about the person, after the token checks."""

    email: str
    email_verified: bool | None
    name: str
    amr: tuple[str, ...]


def _verified(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def identity_from_claims(kind: str, data: dict) -> Identity:
    """The person in the provider's answer: allauth's ``extra_data`` (OIDC: userinfo and ID token; Entra: Graph)."""
    if kind == IdentityProvider.Kind.MICROSOFT:
        id_token = data.get("id_token") or {}
        email = data.get("mail") or data.get("userPrincipalName") or id_token.get("email") or ""
        # Graph's own directory speaks for the tenant's addresses: the tenant owns the mailbox.
        return Identity(
            email=str(email).strip().lower(),
            email_verified=True,
            name=str(data.get("displayName") or id_token.get("name") or ""),
            amr=tuple(str(v) for v in id_token.get("amr") or ()),
        )
    userinfo = data.get("userinfo") or {}
    id_token = data.get("id_token") or {}
    merged = {**id_token, **userinfo}
    return Identity(
        email=str(merged.get("email") or "").strip().lower(),
        email_verified=_verified(merged.get("email_verified")),
        name=str(merged.get("name") or " ".join(filter(None, [merged.get("given_name"), merged.get("family_name")]))),
        # amr is a claim about this authentication: only the ID token's counts.
        amr=tuple(str(v) for v in id_token.get("amr") or ()),
    )


def match_user(organisation: Organisation, identity: Identity, *, linked_user: User | None = None) -> User:
    """The user this sign-in becomes, or ``SignInRefused``. A just-in-time account is created here when allowed."""
    provider = IdentityProvider.objects.get(organisation=organisation)
    # An explicit "false" is never trusted; an absent claim is, from the organisation's own provider.
    if not identity.email or "@" not in identity.email or identity.email_verified is False:
        raise SignInRefused("no_email", REFUSALS["no_email"])
    domains = set(EmailDomain.objects.filter(organisation=organisation).values_list("domain", flat=True))
    if domain_of(identity.email) not in domains:
        raise SignInRefused("domain", REFUSALS["domain"])
    user = User.objects.filter(email__iexact=identity.email).first()
    if user is not None and user.organisation_id != organisation.pk:
        raise SignInRefused("other_organisation", REFUSALS["other_organisation"])
    if linked_user is not None and user is not None and linked_user.pk != user.pk:
        raise SignInRefused("mismatch", REFUSALS["mismatch"])
    if user is None:
        if not provider.allows_just_in_time_accounts:
            raise SignInRefused("unknown", REFUSALS["unknown"])
        user = User.objects.create_user(
            email=identity.email,
            full_name=identity.name[:200] or identity.email,
            organisation=organisation,
            department=None,
        )
        audit.record("sso_account_created", actor=user, obj=user, detail="just-in-time account, plain staff")
    if not user.is_active:
        raise SignInRefused("inactive", REFUSALS["inactive"])
    return user


def idp_mfa_proven(organisation: Organisation, identity: Identity) -> bool:
    provider = IdentityProvider.objects.filter(organisation=organisation).first()
    return bool(provider and provider.idp_mfa_counts and MFA_AMR_VALUES.intersection(identity.amr))
