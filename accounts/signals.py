"""Signals: the demo seeding hook for higher apps, and MFA bookkeeping for allauth."""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.signals import password_reset
from allauth.mfa.signals import authenticator_added
from django.dispatch import Signal, receiver

# Sent by ``manage.py seed_demo`` after the organisations and people exist, so
# that each higher app can add its own demo data without accounts importing it.
# Arguments: organisation, people (a dict of standing demo users by role name).
demo_seeded = Signal()


@receiver(authenticator_added)
def record_mfa_on_activation(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up TOTP proves the second factor for this session too."""
    if request is None or not hasattr(request, "session"):
        return
    records = list(request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, []))
    records.append({"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": authenticator.type})
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


@receiver(password_reset)
def verify_email_on_password_reset(sender, request, user, **kwargs) -> None:
    """A password chosen through the mailed link (an invitation or a reset) proves the mailbox is the user's.

    allauth lets nobody add a second factor while an address is unverified; without this an invited officer
    could never set up TOTP.
    """
    from allauth.account.models import EmailAddress

    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True, "verified": True}
    )
    if not address.verified:
        EmailAddress.objects.filter(pk=address.pk).update(verified=True)
