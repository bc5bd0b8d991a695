"""The date rules of a data leak: moments are checked against each other, each with a clear message.

One place for the rules, used by the forms (a message under the field) and by
the services (nothing wrong gets in another way). Every function raises a
``ValidationError`` with the message of the rule that is broken.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import short_datetime

# A browser clock a few minutes ahead is not an error.
CLOCK_SLACK = datetime.timedelta(minutes=5)


def _future(value: datetime.datetime | datetime.date, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if isinstance(value, datetime.datetime):
        return value > now + CLOCK_SLACK
    return value > timezone.localdate(now)


def check_not_in_future(value, message: str, *, now: datetime.datetime | None = None) -> None:
    if value is not None and _future(value, now):
        raise ValidationError(message, code="future")


def check_discovery(occurred_at, discovered_at, *, now=None) -> None:
    check_not_in_future(occurred_at, _("This moment lies in the future. When did it happen?"), now=now)
    check_not_in_future(discovered_at, _("The discovery cannot lie in the future."), now=now)
    if occurred_at and discovered_at and discovered_at < occurred_at:
        raise ValidationError(_("The discovery cannot be before the moment it happened."), code="order")


def check_breach_end(leak, ended_at, *, now=None) -> None:
    """The end of the breach: not in the future and not before it started."""
    if ended_at is None:
        return
    check_not_in_future(ended_at, _("The end of the breach cannot lie in the future."), now=now)
    if leak.occurred_at and ended_at < leak.occurred_at:
        raise ValidationError(_("The breach cannot have ended before it started."), code="order")


def check_aware_at(leak, aware_at, reason: str = "", *, now=None) -> None:
    """Awareness: not in the future, not before the breach; later than the discovery only with a reason.

    The conservative reading of the EDPB guidelines: the organisation is aware
    once an employee discovered the breach. A later moment (for example after
    an investigation established that personal data was involved) needs a
    recorded reason.
    """
    check_not_in_future(aware_at, _("The organisation cannot become aware in the future."), now=now)
    if leak.occurred_at and aware_at < leak.occurred_at:
        raise ValidationError(_("The organisation cannot have become aware before the breach happened."), code="order")
    if leak.discovered_at and aware_at > leak.discovered_at and not (reason or "").strip():
        raise ValidationError(_("The awareness moment is later than the discovery: record the reason."), code="reason")


def check_ap_notified_at(leak, notified_at, *, now=None) -> None:
    """A notification to the AP: not in the future and not before the organisation became aware."""
    check_not_in_future(notified_at, _("The notification cannot lie in the future."), now=now)
    if notified_at < leak.aware_at:
        raise ValidationError(
            _("The notification to the AP cannot be before the organisation became aware of the leak (%(aware)s).")
            % {"aware": short_datetime(leak.aware_at)},
            code="order",
        )


def check_follow_up_after_initial(initial_at, notified_at) -> None:
    if initial_at and notified_at < initial_at:
        raise ValidationError(
            _("A follow-up notification or withdrawal cannot be before the first notification."), code="order"
        )


def check_subjects_informed_on(leak, informed_on, *, now=None) -> None:
    check_not_in_future(informed_on, _("This date lies in the future."), now=now)
    if informed_on < timezone.localtime(leak.occurred_at).date():
        raise ValidationError(
            _("The data subjects cannot have been informed before the breach happened."), code="order"
        )


def check_letter_sent_on(leak, sent_on, *, now=None) -> None:
    check_not_in_future(sent_on, _("This date lies in the future."), now=now)
    if sent_on < timezone.localtime(leak.occurred_at).date():
        raise ValidationError(_("The letter cannot have been sent before the breach happened."), code="order")
