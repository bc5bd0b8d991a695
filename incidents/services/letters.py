"""The letter to the data subjects: the draft saved, and the letter kept as it was sent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.formatting import short_date
from incidents import validation
from incidents.letters import check_sendable
from incidents.models import (
    DataLeak,
    DataLeakEvent,
    SentLetter,
)
from incidents.services.common import add_event, log_change


@transaction.atomic
def dataleak_save_letter(
    *, leak: DataLeak, actor: User, text: str, addressee: str = "", their_reference: str = ""
) -> DataLeak:
    if (text, addressee, their_reference) == (leak.letter_text, leak.letter_addressee, leak.letter_their_reference):
        return leak
    first = not leak.letter_text
    leak.letter_text, leak.letter_addressee, leak.letter_their_reference = text, addressee, their_reference
    leak.save(update_fields=["letter_text", "letter_addressee", "letter_their_reference", "updated_at"])
    add_event(
        leak,
        actor,
        DataLeakEvent.Kind.LETTER,
        _("Draft letter to the data subjects saved.") if first else _("Draft letter to the data subjects changed."),
    )
    log_change(leak, actor, "letter to the data subjects")
    return leak


@transaction.atomic
def dataleak_letter_sent(
    *,
    leak: DataLeak,
    actor: User,
    text: str,
    sent_on: datetime.date,
    addressee: str = "",
    their_reference: str = "",
) -> SentLetter:
    """Keep the letter as sent with the report; later drafts never change it."""
    check_sendable(text)
    validation.check_letter_sent_on(leak, sent_on)
    letter = SentLetter.objects.create(
        leak=leak,
        text=text,
        addressee=addressee,
        their_reference=their_reference,
        sent_on=sent_on,
        recorded_by=actor,
    )
    if (leak.letter_text, leak.letter_addressee, leak.letter_their_reference) != (text, addressee, their_reference):
        leak.letter_text, leak.letter_addressee, leak.letter_their_reference = text, addressee, their_reference
        leak.save(update_fields=["letter_text", "letter_addressee", "letter_their_reference", "updated_at"])
    add_event(
        leak,
        actor,
        DataLeakEvent.Kind.LETTER,
        _("Letter to the data subjects sent on %(date)s; kept as sent.") % {"date": short_date(sent_on)},
    )
    log_change(leak, actor, "letter to the data subjects")
    return letter
