"""The letter to the data subjects: the draft saved, and the letter kept as it was sent."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.formatting import short_date
from incidents import validation
from incidents.models import (
    DataLeak,
    DataLeakEvent,
    SentLetter,
)
from incidents.services.common import add_event, log_change


@transaction.atomic
def dataleak_save_letter(*, leak: DataLeak, actor: User, text: str) -> DataLeak:
    if text == leak.letter_text:
        return leak
    first = not leak.letter_text
    leak.letter_text = text
    leak.save(update_fields=["letter_text", "updated_at"])
    add_event(
        leak,
        actor,
        DataLeakEvent.Kind.LETTER,
        _("Draft letter to the data subjects saved.") if first else _("Draft letter to the data subjects changed."),
    )
    log_change(leak, actor, "letter to the data subjects")
    return leak


@transaction.atomic
def dataleak_letter_sent(*, leak: DataLeak, actor: User, text: str, sent_on: datetime.date) -> SentLetter:
    """Keep the letter as sent with the report; later drafts never change it."""
    if not (text or "").strip():
        raise ValidationError(_("The letter is empty."))
    validation.check_letter_sent_on(leak, sent_on)
    letter = SentLetter.objects.create(leak=leak, text=text, sent_on=sent_on, recorded_by=actor)
    if leak.letter_text != text:
        leak.letter_text = text
        leak.save(update_fields=["letter_text", "updated_at"])
    add_event(
        leak,
        actor,
        DataLeakEvent.Kind.LETTER,
        _("Letter to the data subjects sent on %(date)s; kept as sent.") % {"date": short_date(sent_on)},
    )
    log_change(leak, actor, "letter to the data subjects")
    return letter
