from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    can_manage_training,
    can_use_training,
    can_view_training_progress,
    has_own_training_progress,
)
from core.navigation import NavItem, Panel
from training.models import Enrolment
from training.selectors import ambassador_progress

SECTION = _("Training")
NAV_ITEMS = [
    NavItem(_("Training offer"), "training:offer", "mortarboard", SECTION, 400, can_use_training),
    NavItem(_("My trainings"), "training:mine", "calendar-check", SECTION, 401, can_use_training),
    NavItem(
        _("Modules"), "training:module_list", "journal-bookmark", SECTION, 402, (can_use_training, can_manage_training)
    ),
    NavItem(
        _("Sessions"), "training:session_list", "calendar-event", SECTION, 403, (can_use_training, can_manage_training)
    ),
    NavItem(
        _("Progress overview"),
        "training:progress",
        "bar-chart",
        SECTION,
        404,
        (can_use_training, can_view_training_progress),
    ),
]


def home_panels(request: HttpRequest) -> list[Panel]:
    """Ambassadors see their progress on this year's mandatory modules and their next session."""
    user = request.user
    if not has_own_training_progress(user):
        return []
    year = timezone.localdate().year
    me = ambassador_progress(organisation_id=user.organisation_id, year=year).filter(pk=user.pk).first()
    upcoming = (
        Enrolment.objects.visible_to(user)
        .active()
        .filter(user=user, session__starts_at__gt=timezone.now())
        .select_related("session__module")
        .order_by("session__starts_at")
        .first()
    )
    return [Panel("training/panels/progress.html", {"me": me, "year": year, "next": upcoming}, order=40)]
