"""What the accessibility statement says was tested, in one place: the walk (e2e/test_phone_widths.py) reads the
widths and axe-core's rule tags from here, the statement (``/toegankelijkheid/``) shows them with the date."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

STANDARD = "WCAG 2.2"
# The day the product was last walked against the standard: set it when the statement's content is reviewed.
TESTED_ON = datetime.date(2026, 12, 6)
PHONE_WIDTHS = (390, 360)
DESKTOP_WIDTH = 1366
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# The demo roles the walk signs in as, as the statement names them.
TESTED_ROLES = (_("an employee"), _("an ambassador"), _("a manager"), _("a director"), _("a CISO"))
