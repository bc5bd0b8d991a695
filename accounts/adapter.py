from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditEntry


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Employees come from the HR import or an officer's invitation; nobody signs up."""
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
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
