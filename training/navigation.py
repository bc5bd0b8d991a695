from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import (
    can_manage_training,
    can_use_training,
    can_view_training_progress,
    has_own_training_progress,
)
from core.navigation import NavItem, Panel
from training.models import Enrolment
from training.selectors import ambassador_progress


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not can_use_training(user):
        return []
    section = _("Training")
    items = [
        NavItem(_("Training offer"), reverse("training:offer"), "mortarboard", section, order=400),
        NavItem(_("My trainings"), reverse("training:mine"), "calendar-check", section, order=401),
    ]
    if can_manage_training(user):
        items += [
            NavItem(_("Modules"), reverse("training:module_list"), "journal-bookmark", section, order=402),
            NavItem(_("Sessions"), reverse("training:session_list"), "calendar-event", section, order=403),
        ]
    if can_view_training_progress(user):
        items.append(NavItem(_("Progress overview"), reverse("training:progress"), "bar-chart", section, order=404))
    return items


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
