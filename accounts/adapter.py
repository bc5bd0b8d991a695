from __future__ import annotations

import hashlib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core import audit
from core.client_address import client_ip
from core.models import AuditEntry


class AccountAdapter(DefaultAccountAdapter):
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
        from accounts import sso

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
