from __future__ import annotations

import hashlib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts import sso
from core import audit
from core import mail as house_mail
from core.client_address import client_ip
from core.models import AuditEntry

# allauth's mails in the house style (``core.mail``): the templates under templates/emails/ that replace each
# of allauth's messages; what is not listed here is a notice of a change to the account (NOTICES) or, for a
# message allauth may add later, its own text in the house layout (account_message).
ALLAUTH_MAILS = {
    "account/email/password_reset_key": "account_password_reset_key",
    "account/email/unknown_account": "account_unknown_account",
    "account/email/email_confirmation": "account_email_confirmation",
    "account/email/email_confirmation_signup": "account_email_confirmation",
}
# The notices of a change to an account: (subject, what changed); in their own context, since allauth's
# catalogue (informal) would win for the same message.

NOTICES = {
    "account/email/password_changed": (
        pgettext_lazy("account notice", "Your password has been changed"),
        pgettext_lazy("account notice", "Your password has been changed."),
    ),
    "account/email/password_set": (
        pgettext_lazy("account notice", "A password has been set"),
        pgettext_lazy("account notice", "A password has been set for your account."),
    ),
    "account/email/password_reset": (
        pgettext_lazy("account notice", "Your password has been reset"),
        pgettext_lazy("account notice", "Your password has been reset."),
    ),
    "account/email/email_changed": (
        pgettext_lazy("account notice", "Your e-mail address has been changed"),
        pgettext_lazy(
            "account notice", "The e-mail address of your account has been changed from %(from_email)s to %(to_email)s."
        ),
    ),
    "account/email/email_confirm": (
        pgettext_lazy("account notice", "Your e-mail address has been confirmed"),
        pgettext_lazy("account notice", "Your e-mail address has been confirmed."),
    ),
    "account/email/email_deleted": (
        pgettext_lazy("account notice", "An e-mail address has been removed"),
        pgettext_lazy("account notice", "The e-mail address %(deleted_email)s has been removed from your account."),
    ),
    "mfa/email/totp_activated": (
        pgettext_lazy("account notice", "Authenticator app set up"),
        pgettext_lazy("account notice", "An authenticator app has been set up as the second factor of your account."),
    ),
    "mfa/email/totp_deactivated": (
        pgettext_lazy("account notice", "Authenticator app removed"),
        pgettext_lazy("account notice", "The authenticator app has been removed from your account."),
    ),
    "mfa/email/recovery_codes_generated": (
        pgettext_lazy("account notice", "New recovery codes"),
        pgettext_lazy(
            "account notice", "New recovery codes have been made for your account; the old ones no longer work."
        ),
    ),
    "mfa/email/webauthn_added": (
        pgettext_lazy("account notice", "Security key added"),
        pgettext_lazy("account notice", "A security key has been added to your account."),
    ),
    "mfa/email/webauthn_removed": (
        pgettext_lazy("account notice", "Security key removed"),
        pgettext_lazy("account notice", "A security key has been removed from your account."),
    ),
}


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's mails through the product's mail helper: the organisation's sender name, reply-to and logo,
        the house layout with HTML and text, formal and in the recipient's language."""
        to = [email] if isinstance(email, str) else list(email)
        user = context.get("user")
        if user is None:
            from accounts.models import User

            user = User.objects.select_related("organisation").filter(email__iexact=to[0]).first() if to else None
        organisation = getattr(user, "organisation", None)
        language = getattr(user, "language", "") or translation.get_language() or settings.LANGUAGE_CODE
        context = {
            **context,
            "user": user,
            "organisation": organisation,
            "login_url": settings.SITE_URL + reverse("account_login"),
        }
        name = ALLAUTH_MAILS.get(template_prefix)
        if name is None and template_prefix in NOTICES:
            name = "account_notification"
            with translation.override(language):
                subject, change = NOTICES[template_prefix]
                context["notice_subject"] = str(subject)
                context["notice"] = str(change) % {
                    key: context.get(key, "") for key in ("from_email", "to_email", "deleted_email")
                }
        elif name is None:
            name = "account_message"
            with translation.override(language):
                context["allauth_subject"] = " ".join(
                    house_mail.render_text(f"{template_prefix}_subject.txt", context).split()
                )
                context["allauth_text"] = house_mail.render_text(f"{template_prefix}_message.txt", context).strip()
        subject, text, html = house_mail.render_mail(name, context, language)
        return house_mail.build_message(subject, text, html, to, organisation=organisation, headers=headers)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Employees come from the HR import or an officer's invitation; nobody signs up."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """Through the configured trusted proxies only (``TRUSTED_PROXY_COUNT``), as the audit trail reads it."""
        return client_ip(request) or "0.0.0.0"  # noqa: S104 - a key for the limits, never bound

    # Lockouts never hit a colleague. No limit refuses an address as a whole: one infected PC behind the
    # municipal NAT would lock out the office. Instead an address whose failures pass "login_failed_address"
    # (ACCOUNT_RATE_LIMITS) is *busy failing* for LOGIN_BUSY_SECONDS, and from a busy address an account that
    # failed recently (anywhere, LOGIN_ACCOUNT_FAILURE_SECONDS) is refused even with the right password: the
    # attacked accounts are asked more (their owners sign in from another address or a little later), while a
    # right password for an untouched account always signs in. A sprayer gets one guess per account per window.
    def _busy_key(self, request: HttpRequest) -> str:
        return f"login-busy-address:{self.get_client_ip(request)}"

    @staticmethod
    def _failed_key(login: str) -> str:
        return "login-failed-account:" + hashlib.sha256(login.encode("utf-8")).hexdigest()

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
        cache.set(self._failed_key(login), 1, timeout=settings.LOGIN_ACCOUNT_FAILURE_SECONDS)
        usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_address", config=settings.ACCOUNT_RATE_LIMITS
        )
        if not usage:
            cache.set(self._busy_key(request), 1, timeout=settings.LOGIN_BUSY_SECONDS)
        super().authentication_failed(request, **credentials)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
        if cache.get(self._busy_key(request)) and cache.get(self._failed_key(login)):
            audit.record("login_locked_out", request=request, result=AuditEntry.Result.DENIED, detail="busy address")
            raise self.validation_error("too_many_login_attempts")
        # Failures per account and address first: an attacker at one address is stopped there, while the
        # account's owner elsewhere still has the account-wide allowance (allauth's "login_failed" per key).
        self._account_address_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_account_address",
            config=settings.ACCOUNT_RATE_LIMITS,
            key=f"{login}|{self.get_client_ip(request)}",
        )
        if not self._account_address_usage:
            audit.record("login_locked_out", request=request, result=AuditEntry.Result.DENIED)
            raise self.validation_error("too_many_login_attempts")
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            self._account_address_usage.rollback()
            audit.record("login_locked_out", request=request, result=AuditEntry.Result.DENIED)
            raise

    def pre_login(self, request: HttpRequest, user, **kwargs: Any) -> HttpResponse | None:
        """An organisation may switch password sign-in off; its officers keep it as break-glass."""
        social = "sociallogin" in (kwargs.get("signal_kwargs") or {})
        if not social and user.is_active and sso.password_login_refused(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            audit.record("login_password_off", request=request, obj=user, result=AuditEntry.Result.DENIED)
            messages.error(
                request,
                _("Your organisation has switched password sign-in off: choose 'Sign in with your municipal account'."),
            )
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def login(self, request: HttpRequest, user) -> None:
        """Sign in, and let this sign-in count as the recent authentication allauth asks for before a sensitive
        step (setting up the second factor, changing it, the recovery codes) for ACCOUNT_REAUTHENTICATION_TIMEOUT.

        allauth (65.x) counts only records marked ``reauthenticated``, which its sign-in does not mark: an officer's
        first sign-in, forced to set up TOTP, was asked "Confirm access" for the password typed a moment before.
        """
        super().login(request, user)
        records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
        if isinstance(records, list):
            request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {**record, "reauthenticated": True} if record.get("method") in {"password", "mfa"} else record
                for record in records
            ]

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with a TOTP stage that lets the identity provider's MFA count where allowed."""
        return [
            "accounts.sso_adapter.AuthenticateStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
            for stage in super().get_login_stages()
        ]

    def _rollback_login_failed_rl_usage(self) -> None:
        """A correct password takes back what its attempt counted, in both counters."""
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_address_usage", None)
        if usage:
            usage.rollback()
