"""Helpers shared by the training views: modules, sessions and enrolments fetched with a 404 for what the user may not know exists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.permissions import (
    can_view_training_session,
)
from core.years import year_from_query
from training.models import Enrolment, Module, TrainingSession


def _this_year() -> int:
    return timezone.localdate().year


def _year(request: HttpRequest) -> int:
    return year_from_query(request)


def _get_module(request: HttpRequest, pk: int) -> Module:
    """404 for a module of another organisation."""
    return get_object_or_404(Module.objects.visible_to(request.user).select_related("topic"), pk=pk)


def _get_session(request: HttpRequest, pk: int) -> TrainingSession:
    """404 for a session of another organisation; 403 for one the user may not see (ambassadors only)."""
    session = get_object_or_404(
        TrainingSession.objects.in_organisation_of(request.user).select_related("module", "trainer").with_counts(),
        pk=pk,
    )
    if not can_view_training_session(request.user, session):
        raise PermissionDenied
    return session


def _get_own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    """Only the person's own enrolment: other people's are not theirs to know (404)."""
    return get_object_or_404(
        Enrolment.objects.visible_to(request.user).select_related("session__module", "user"),
        pk=pk,
        user=request.user,
    )


def _my_status(user) -> Subquery:
    # At most one active enrolment per person and session (a unique constraint): no ordering needed.
    return Subquery(
        Enrolment.objects.active().filter(session=OuterRef("pk"), user_id=user.pk).order_by().values("status")[:1]
    )
