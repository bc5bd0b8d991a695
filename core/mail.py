"""One helper for every mail: three templates per message, rendered in the recipient's language."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.models import SentMail

logger = logging.getLogger(__name__)


def render_mail(name: str, context: dict[str, Any], language: str = "nl") -> tuple[str, str, str]:
    """Subject, text body and HTML body of ``templates/emails/<name>_*``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    return " ".join(subject.split()), text, html


def send_mail(
    name: str,
    to: str,
    context: dict[str, Any],
    *,
    language: str = "nl",
    headers: dict[str, str] | None = None,
    key: str | None = None,
) -> bool:
    """Send one mail. With a ``key`` the mail is sent at most once, whatever retries happen.

    Returns False when the key was already used (the mail went out before).
    """
    if key is not None:
        try:
            with transaction.atomic():
                SentMail.objects.create(key=key[:255], recipient=to, template=name)
        except IntegrityError:
            return False
    subject, text, html = render_mail(name, context, language)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        if key is not None:
            # Not sent: free the key so a retry may send it.
            SentMail.objects.filter(key=key[:255]).delete()
        raise
    return True
