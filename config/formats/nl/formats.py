"""Dutch formats: Django's own, with the short date as Dutch writers abbreviate it ("1 dec. 2026").

Django's Dutch short date is "1-12-2026"; pages, mails and PDFs show "1 dec. 2026" (``N`` is the month's
abbreviation, whose Dutch dots come from locale_overrides/). The input formats stay Django's, so a user may
still type 1-12-2026, 01-12-2026 or 2026-12-01.
"""

from django.conf.locale.nl.formats import *  # noqa: F403

SHORT_DATE_FORMAT = "j N Y"  # '1 dec. 2026'
SHORT_DATETIME_FORMAT = "j N Y H:i"  # '1 dec. 2026 14:30'
