"""One helper for every mail: three templates per message, rendered in the recipient's language.

Per organisation: the sender's display name, the reply-to address, and the
name and logo in the layout. The envelope sender (the address itself) stays
the installation's ``DEFAULT_FROM_EMAIL``, whose domain the mail server is set
up to send for. The organisation is duck-typed (``core`` sits below
``accounts``): anything with ``name``, ``mail_sender_name``, ``mail_reply_to``
and ``logo``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from email.headerregistry import Address
from email.mime.image import MIMEImage
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from core.models import SentMail

logger = logging.getLogger(__name__)

LOGO_CID = "organisation-logo"
LOGO_MAX_BYTES = 512 * 1024


def organisation_of(context: dict[str, Any]) -> Any:
    """The organisation a mail is sent for: given in the context, or the recipient's."""
    if context.get("organisation") is not None:
        return context["organisation"]
    user = context.get("user")
    return getattr(user, "organisation", None) if user is not None else None


def from_address(organisation: Any) -> str:
    """``DEFAULT_FROM_EMAIL`` with the organisation's sender name, when it has one."""
    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = getattr(organisation, "mail_sender_name", "") or default_name
    # Not encoded here: Django encodes the header when it sends; a name with a comma or quote is quoted.
    return str(Address(display_name=name, addr_spec=address)) if name else address


def reply_to(organisation: Any) -> list[str]:
    address = getattr(organisation, "mail_reply_to", "")
    return [address] if address else []


def logo_bytes(organisation: Any) -> bytes | None:
    """The organisation's logo for inline use, read once per organisation object (a mailing reuses it)."""
    if organisation is None or not getattr(organisation, "logo", None):
        return None
    cached = getattr(organisation, "_mail_logo_bytes", None)
    if cached is None:
        try:
            with organisation.logo.open("rb") as handle:
                cached = handle.read(LOGO_MAX_BYTES + 1)
        except OSError:
            logger.warning("The logo of organisation %s could not be read", getattr(organisation, "pk", None))
            cached = b""
        if len(cached) > LOGO_MAX_BYTES:
            cached = b""
        organisation._mail_logo_bytes = cached
    return cached or None


def render_mail(name: str, context: dict[str, Any], language: str = "nl") -> tuple[str, str, str]:
    """Subject, text body and HTML body of ``templates/emails/<name>_*``."""
    organisation = organisation_of(context)
    context = {
        "site_url": settings.SITE_URL,
        "mail_organisation": organisation,
        "logo_cid": LOGO_CID if logo_bytes(organisation) else "",
        **context,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_text(f"emails/{name}_subject.txt", context).split())
        text = render_text(f"emails/{name}_body.txt", context)
        # The HTML layout's <title> is the subject.
        html = render_to_string(f"emails/{name}_body.html", {"mail_subject": subject, **context})
    return subject, text, html


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping: a subject or text body shows "A & B", never
    "A &amp; B" (HTML bodies keep Django's automatic escaping)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def build_message(
    subject: str,
    text: str,
    html: str,
    to: list[str],
    *,
    organisation: Any = None,
    headers: dict[str, str] | None = None,
    connection: Any = None,
) -> EmailMultiAlternatives:
    """A message with the organisation's sender name, reply-to and inline logo."""
    message = EmailMultiAlternatives(
        subject,
        text,
        from_address(organisation),
        to,
        headers=headers or {},
        reply_to=reply_to(organisation),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    logo = logo_bytes(organisation)
    if logo and f"cid:{LOGO_CID}" in html:
        message.mixed_subtype = "related"
        image = MIMEImage(logo)
        image.add_header("Content-ID", f"<{LOGO_CID}>")
        image.add_header("Content-Disposition", "inline", filename="logo")
        message.attach(image)
    return message


class MailInFlight(Exception):
    """Another worker handed this keyed mail over moments ago and has not heard back yet: try again later."""


def message_id_for(key: str) -> str:
    """A Message-ID that stays the same for one key, so a mail sent again is recognisably the same message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}@{domain}>"


def _handover_stale_before() -> datetime.datetime:
    seconds = max(60.0, 2 * float(getattr(settings, "EMAIL_TIMEOUT", None) or 30))
    return timezone.now() - datetime.timedelta(seconds=seconds)


def _hand_over_key(key: str, to: str, name: str) -> bool:
    """Record ``key`` as handed over; False when it was sent before. Raises ``MailInFlight`` while another has it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            SentMail.objects.create(
                key=key, recipient=to, template=name, status=SentMail.Status.HANDED_OVER, handed_over_at=now
            )
        return True
    except IntegrityError:
        pass
    row = SentMail.objects.filter(key=key).first()
    if row is None:
        return _hand_over_key(key, to, name)
    if row.status == SentMail.Status.SENT:
        return False
    # Handed over before and never accepted: unknown. Another worker may still be waiting for the server's answer;
    # once that is longer than a send can take, its worker died, and this one sends it again (same Message-ID).
    if row.handed_over_at is not None and row.handed_over_at >= _handover_stale_before():
        raise MailInFlight(key)
    taken = SentMail.objects.filter(
        pk=row.pk, status=SentMail.Status.HANDED_OVER, handed_over_at=row.handed_over_at
    ).update(handed_over_at=now)
    if not taken:
        raise MailInFlight(key)
    logger.warning("mail %s was handed over by a worker that stopped: sent again with the same Message-ID", key)
    return True


def send_mail(
    name: str,
    to: str,
    context: dict[str, Any],
    *,
    language: str = "nl",
    headers: dict[str, str] | None = None,
    key: str | None = None,
    organisation: Any = None,
) -> bool:
    """Send one mail. With a ``key`` it is recorded *sent* only once the mail server accepted it, and never sent
    again after that, whatever retries happen; a copy handed over by a worker that died is sent again with the
    same Message-ID (see ``SentMail``).

    Returns False when the key was already sent.
    """
    if key is not None:
        key = key[:255]
        if not _hand_over_key(key, to, name):
            return False
        headers = {**(headers or {}), "Message-ID": message_id_for(key)}
    if organisation is not None:
        context = {"organisation": organisation, **context}
    organisation = organisation_of(context)
    subject, text, html = render_mail(name, context, language)
    message = build_message(subject, text, html, [to], organisation=organisation, headers=headers)
    try:
        message.send()
    except Exception:
        if key is not None:
            # Not accepted: free the key so a retry may send it.
            SentMail.objects.filter(key=key, status=SentMail.Status.HANDED_OVER).delete()
        raise
    if key is not None:
        SentMail.objects.filter(key=key).update(status=SentMail.Status.SENT, sent_at=timezone.now())
    return True


# The options of every task that sends mail on behalf of an outbox row: acknowledged after the work,
# retried a minute later, ten times.
MAIL_TASK_OPTIONS = {"bind": True, "acks_late": True, "max_retries": 10, "default_retry_delay": 60}


def mail_each(
    users: Iterable[Any], name: str, *, context: Callable[[Any], dict[str, Any]], key: Callable[[Any], str]
) -> int:
    """Mail each user once per key, in the user's language; the number actually sent (repeats skip)."""
    sent = 0
    for user in users:
        sent += send_mail(name, user.email, context(user), language=user.language, key=key(user))
    return sent
