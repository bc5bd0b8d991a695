from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core import audit
from core.http import client_ip
from core.models import AuditEntry


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Employees come from the HR import or an officer's invitation; nobody signs up."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """Through the configured trusted proxies only (``TRUSTED_PROXY_COUNT``), as the audit trail reads it."""
        return client_ip(request) or "0.0.0.0"  # noqa: S104 - a key for the limits, never bound

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Failures per account and address first: an attacker at one address is stopped there, while the
        # account's owner elsewhere still has the account-wide allowance (allauth's "login_failed" per key).
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
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

    def _rollback_login_failed_rl_usage(self) -> None:
        """A correct password takes back what its attempt counted, in both counters."""
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_address_usage", None)
        if usage:
            usage.rollback()
