"""Shared helpers of the programme views: year and quarter checks, the form page, and fetch helpers
that answer 404 for whatever the user may not know exists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import can_see_draft_topics, can_view_topic
from programme.models import (
    AnnualPlan,
    Goal,
    Kpi,
    KpiMeasurement,
    Message,
    QuarterlyMailing,
    Topic,
)


def form_page(request: HttpRequest, form, *, title: str, cancel: str, submit: str, **extra: Any) -> HttpResponse:
    return render(
        request,
        "programme/form.html",
        {"form": form, "title": title, "cancel_url": cancel, "submit_label": submit, **extra},
    )


# Fetch helpers: 404 for whatever the user may not know exists -----------------------------------


def readable_topics(user) -> QuerySet[Topic]:
    topics = Topic.objects.visible_to(user)
    return topics if can_see_draft_topics(user) else topics.published()


def get_topic(request: HttpRequest, pk: int) -> Topic:
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("plan", "department", "owner"), pk=pk
    )
    if not can_view_topic(request.user, topic):
        raise Http404
    return topic


def get_plan(request: HttpRequest, year: int) -> AnnualPlan | None:
    return AnnualPlan.objects.visible_to(request.user).filter(year=year).first()


def get_goal(request: HttpRequest, pk: int) -> Goal:
    return get_object_or_404(Goal.objects.visible_to(request.user), pk=pk)


def get_kpi(request: HttpRequest, pk: int) -> Kpi:
    return get_object_or_404(Kpi.objects.visible_to(request.user).select_related("goal", "goal__organisation"), pk=pk)


def get_measurement(request: HttpRequest, pk: int) -> KpiMeasurement:
    kpis = Kpi.objects.visible_to(request.user)
    return get_object_or_404(
        KpiMeasurement.objects.filter(kpi__in=kpis).select_related("kpi", "kpi__goal", "recorded_by"), pk=pk
    )


def get_message(request: HttpRequest, pk: int) -> Message:
    return get_object_or_404(Message.objects.visible_to(request.user).select_related("topic", "topic__plan"), pk=pk)


def check_quarter(quarter: int) -> int:
    if quarter not in (1, 2, 3, 4):
        raise Http404
    return quarter


def get_mailing(request: HttpRequest, year: int, quarter: int) -> QuarterlyMailing:
    check_quarter(quarter)
    return get_object_or_404(QuarterlyMailing.objects.visible_to(request.user), year=year, quarter=quarter)
