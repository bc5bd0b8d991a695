"""Reads of the surveys: the audience, a respondent's open surveys, the officers' list."""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Department, User
from ambassadors.models import Appointment
from evaluation.surveys.models import Participation, Question, Survey


def audience(survey: Survey, today: datetime.date | None = None) -> QuerySet[User]:
    """The active employees the survey is for (evaluated when the survey opens)."""
    users = User.objects.active().filter(organisation_id=survey.organisation_id)
    if survey.audience == Survey.Audience.AMBASSADORS:
        current = Appointment.objects.current(today or timezone.localdate()).filter(
            organisation_id=survey.organisation_id
        )
        return users.filter(pk__in=current.values("user_id"))
    if survey.audience == Survey.Audience.DEPARTMENTS:
        chosen = list(survey.departments.filter(organisation_id=survey.organisation_id))
        subtree = Department.objects.filter(organisation_id=survey.organisation_id).subtree_of(chosen)
        return users.filter(department__in=subtree)
    return users


def open_surveys_for(user: User, today: datetime.date | None = None) -> QuerySet[Survey]:
    """Open surveys the user was invited to and has not answered yet (the home panel), in one query."""
    day = today or timezone.localdate()
    return Survey.objects.visible_to(user).filter(
        status=Survey.Status.OPEN,
        deadline__gte=day,
        participations__user=user,
        participations__responded_at__isnull=True,
    )


def survey_list(surveys: QuerySet[Survey]) -> QuerySet[Survey]:
    """The list's surveys (``surveys_visible_to`` the viewer) with their counts in the same query."""
    # Subqueries, not joins: a join of questions and 20,000 participations would multiply the rows.
    return surveys.annotate(
        question_count=_count(Question.objects.filter(survey=OuterRef("pk"))),
        invited_count=_count(Participation.objects.filter(survey=OuterRef("pk"))),
        responded_count=_count(Participation.objects.filter(survey=OuterRef("pk"), responded_at__isnull=False)),
    )


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("survey").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def participation_counts(survey: Survey) -> dict[str, int]:
    row = Participation.objects.filter(survey=survey).aggregate(
        invited=Count("id"), responded=Count("id", filter=Q(responded_at__isnull=False))
    )
    return {"invited": row["invited"], "responded": row["responded"]}
