from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

_STATUS_BADGES = {"closed": "text-bg-secondary", "no_leak": "text-bg-secondary", "reported": "text-bg-warning"}


@register.simple_tag
def leak_status(leak) -> str:
    """The report's derived state (``incidents.state``) as a badge: grey when closed, amber when waiting for a first
    look, blue in handling."""
    return format_html(
        '<span class="badge {}" data-testid="leak-state">{}</span>',
        _STATUS_BADGES.get(leak.state, "text-bg-primary"),
        leak.get_state_display(),
    )


@register.simple_tag
def countdown_class(leak, now=None) -> str:
    return leak.countdown_class(now or timezone.now())


@register.simple_tag
def countdown_text(leak, now=None) -> str:
    """ "23 h 12 min left" or "5 h 3 min overdue" until aware_at + 72 hours."""
    seconds = int(leak.time_left(now or timezone.now()).total_seconds())
    hours, minutes = divmod(abs(seconds) // 60, 60)
    if seconds >= 0:
        return _("%(hours)s h %(minutes)s min left") % {"hours": hours, "minutes": minutes}
    return _("%(hours)s h %(minutes)s min overdue") % {"hours": hours, "minutes": minutes}
