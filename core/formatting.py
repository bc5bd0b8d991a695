"""Numbers, amounts, percentages and dates in the reader's language, for pages, mails and PDFs alike.

Everything goes through Django's localisation (``django.utils.formats``), so Dutch reads "€ 22.670,50",
"30,0%" and "1 dec. 2026" and English "€ 22,670.50", "30.0%" and "1 Dec. 2026". The template filters in
``core.templatetags.formatting`` are these same functions.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import ngettext, pgettext

EMPTY = "–"


def _rounded(value, decimals: int) -> Decimal | None:
    """``value`` as a Decimal rounded half up (Django's number_format cuts decimals off instead)."""
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not amount.is_finite():
        return None
    return amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value, decimals: int = 0) -> str:
    """A number with the language's thousands separator and decimal sign: 22.670,5 (``decimals=1``)."""
    amount = _rounded(value, decimals)
    if amount is None:
        return EMPTY
    if amount == 0:
        amount = abs(amount)  # never "-0,0"
    return number_format(amount, decimal_pos=decimals, force_grouping=True)


def money(value, decimals: int = 2) -> str:
    """An amount in euros: "€ 22.670,50" (the space does not break)."""
    formatted = number(value, decimals)
    if formatted == EMPTY:
        return EMPTY
    return pgettext("amount in euros", "€ %(amount)s") % {"amount": formatted}


def hours(value, decimals: int = 2) -> str:
    """A number of hours with its unit: "120 uur", "7,5 uur" ("1 hour", "7.5 hours"); up to ``decimals`` decimals,
    none when they are zeros."""
    amount = _rounded(value, decimals)
    if amount is None:
        return EMPTY
    places = max(0, -amount.normalize().as_tuple().exponent) if amount else 0
    count = 1 if amount == 1 else 2  # the plural form for every amount but exactly one
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": number(amount, places)}


def percent(value, decimals: int = 1) -> str:
    """A percentage given in percent (30 is 30%): "30,0%"."""
    formatted = number(value, decimals)
    if formatted == EMPTY:
        return EMPTY
    return pgettext("percentage", "%(number)s%%") % {"number": formatted}


def short_date(value: datetime.date | datetime.datetime | None) -> str:
    """A date as "1 dec. 2026" (a moment in the local time zone)."""
    if value is None:
        return EMPTY
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "SHORT_DATE_FORMAT")


def short_datetime(value: datetime.datetime | None) -> str:
    """A moment as "1 dec. 2026 14:30" in the local time zone."""
    if value is None:
        return EMPTY
    return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")


def quarter(year: int, number: int) -> str:
    """A quarter as "2026 K4" in Dutch, "2026 Q4" in English (the year never grouped as "2.026")."""
    return pgettext("quarter of a year", "%(year)s Q%(quarter)s") % {"year": year, "quarter": number}
