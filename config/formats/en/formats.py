"""English formats: Django's own, with the short date written out the same way as in Dutch ("1 Dec. 2026")."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # '1 December 2026'
DATETIME_FORMAT = "j F Y, H:i"  # '1 December 2026, 14:30'
TIME_FORMAT = "H:i"  # '14:30'
SHORT_DATE_FORMAT = "j N Y"  # '1 Dec. 2026'
SHORT_DATETIME_FORMAT = "j N Y H:i"  # '1 Dec. 2026 14:30'
FIRST_DAY_OF_WEEK = 1  # Monday, as in the Netherlands
