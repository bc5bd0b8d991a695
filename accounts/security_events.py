"""Security events into the audit trail: sign-in, failures, MFA, lockout, permission denied (from the libraries'
signals), and ``role_change``, which the services that change a role call.

Nothing secret is recorded: no password, no code, no token, no report text.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from core import audit
from core.models import AuditEntry


@receiver(account_signals.user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    audit.record("login", request=request, actor=user, obj=user)


@receiver(auth_signals.user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit.record("login_failed", request=request, result=AuditEntry.Result.FAILURE)


@receiver(auth_signals.user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    audit.record("logout", request=request, actor=user, obj=user)
    user.end_all_sessions()


@receiver(account_signals.password_changed)
@receiver(account_signals.password_reset)
def on_password_change(sender, request, user, **kwargs) -> None:
    audit.record("password_changed", request=request, actor=user, obj=user)


@receiver(mfa_signals.authenticator_added)
def on_mfa_added(sender, request, user, authenticator, **kwargs) -> None:
    audit.record("mfa_added", request=request, actor=user, obj=user, detail=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def on_mfa_removed(sender, request, user, authenticator, **kwargs) -> None:
    from accounts.middleware import forget_totp_check

    if request is not None and getattr(request, "user", None) == user:
        forget_totp_check(request)
    audit.record("mfa_removed", request=request, actor=user, obj=user, detail=authenticator.type)


@receiver(mfa_signals.authenticator_used)
def on_mfa_used(sender, request, user, authenticator, **kwargs) -> None:
    audit.record("mfa_used", request=request, actor=user, obj=user, detail=authenticator.type)


@receiver(mfa_signals.authentication_failed)
def on_mfa_failed(sender, request, user, authenticator, **kwargs) -> None:
    audit.record("mfa_failed", request=request, actor=user, obj=user, result=AuditEntry.Result.FAILURE)


def role_change(
    user_id: int,
    detail: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    result: str = AuditEntry.Result.SUCCESS,
) -> None:
    """A role given, changed or taken (officer, manager, ambassador): recorded by the service, the import or the
    admin page that made the change, never by a model signal (which would not know who did it)."""
    audit.record(
        "role_change",
        request=request,
        actor=actor,
        object_type="accounts.user",
        object_id=str(user_id),
        result=result,
        detail=detail,
    )


def sso_refused(request, organisation, reason: str) -> None:
    """The identity provider signed someone in whom we do not sign in (unknown, deactivated, another organisation)."""
    audit.record(
        "sso_refused",
        request=request,
        obj=organisation,
        object_type="accounts.organisation" if organisation is None else "",
        result=AuditEntry.Result.DENIED,
        detail=f"reason={reason}",
    )


def sso_error(request, organisation, kind: str, exception: BaseException | None) -> None:
    """An error of the identity provider or of its answer; the exception's class, never its text (it may hold a code)."""
    audit.record(
        "sso_error",
        request=request,
        obj=organisation,
        object_type="accounts.organisation" if organisation is None else "",
        result=AuditEntry.Result.FAILURE,
        detail=f"kind={kind}; exception={type(exception).__name__ if exception else '-'}",
    )
