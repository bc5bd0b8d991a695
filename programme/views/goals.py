"""Strategic goals, their KPIs and manual KPI measurements."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.permissions import can_manage_programme, can_view_goals
from core.deletion import confirm_delete
from core.submissions import once_per_submission
from programme import services
from programme.forms import GoalForm, KpiForm, KpiMeasurementCorrectionForm, KpiMeasurementForm
from programme.models import Goal, Kpi, KpiMeasurement
from programme.views.common import form_page, get_goal, get_kpi, get_measurement


@require_GET
@role_required(can_view_goals)
def goal_list(request: HttpRequest, year: int) -> HttpResponse:
    goals = list(
        Goal.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "kpis",
                queryset=Kpi.objects.select_related("goal__organisation").prefetch_related(
                    Prefetch(
                        "measurements",
                        queryset=KpiMeasurement.objects.order_by("-measured_on", "-pk"),
                        to_attr="all_measurements",
                    )
                ),
            )
        )
    )
    services.kpi_overview([kpi for goal in goals for kpi in goal.kpis.all()], timezone.localdate())
    return render(
        request,
        "programme/goal_list.html",
        {
            "year": year,
            "long_term": [g for g in goals if g.kind == Goal.Kind.LONG_TERM],
            "short_term": [g for g in goals if g.kind == Goal.Kind.SHORT_TERM],
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_GET
@role_required(can_view_goals)
def goals_index(request: HttpRequest) -> HttpResponse:
    return redirect("programme:goals", year=timezone.localdate().year)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def goal_create(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    form = GoalForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        goal = services.goal_create(organisation=request.user.organisation, data=form.cleaned_data)
        messages.success(request, _("The goal has been saved; add its KPIs."))
        return redirect("programme:goal", pk=goal.pk)
    return form_page(
        request, form, title=_("New goal"), cancel=reverse("programme:goals", args=[year]), submit=_("Save goal")
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def goal_update(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal(request, pk)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.goal_update(goal=goal, data=form.cleaned_data)
        messages.success(request, _("The goal has been saved."))
        return redirect("programme:goal", pk=goal.pk)
    return form_page(
        request, form, title=_("Edit goal"), cancel=reverse("programme:goal", args=[goal.pk]), submit=_("Save goal")
    )


@require_GET
@role_required(can_view_goals)
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal(request, pk)
    kpis = list(
        goal.kpis.select_related("goal__organisation").prefetch_related(
            "measurements__recorded_by", "measurements__corrections__corrected_by"
        )
    )
    services.kpi_overview(kpis, timezone.localdate())
    return render(
        request,
        "programme/goal_detail.html",
        {"goal": goal, "kpis": kpis, "can_manage": can_manage_programme(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def kpi_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal(request, pk)
    form = KpiForm(
        request.POST or None,
        goal=goal,
        initial={"period_start": datetime.date(goal.year, 1, 1), "period_end": datetime.date(goal.year, 12, 31)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_save(goal=goal, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The KPI has been saved."))
            return redirect("programme:goal", pk=goal.pk)
    return form_page(
        request,
        form,
        title=_("New KPI for %(goal)s") % {"goal": goal.title},
        cancel=reverse("programme:goal", args=[goal.pk]),
        submit=_("Save KPI"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def kpi_update(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = get_kpi(request, pk)
    form = KpiForm(request.POST or None, instance=kpi, goal=kpi.goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_save(goal=kpi.goal, kpi=kpi, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The KPI has been saved."))
            return redirect("programme:goal", pk=kpi.goal_id)
    return form_page(
        request, form, title=_("Edit KPI"), cancel=reverse("programme:goal", args=[kpi.goal_id]), submit=_("Save KPI")
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = get_kpi(request, pk)
    if not kpi.is_manual:
        raise Http404
    today = timezone.localdate()
    initial = {"measured_on": min(max(today, kpi.period_start), kpi.period_end)}
    form = KpiMeasurementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_measurement_add(kpi=kpi, data=form.cleaned_data, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The measurement has been recorded."))
            return redirect("programme:goal", pk=kpi.goal_id)
    return form_page(
        request,
        form,
        title=_("Record a value for %(kpi)s") % {"kpi": kpi.name},
        cancel=reverse("programme:goal", args=[kpi.goal_id]),
        submit=_("Record value"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def measurement_correct(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_measurement(request, pk)
    form = KpiMeasurementCorrectionForm(request.POST or None, instance=measurement)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("value", "measured_on", "source")}
        try:
            services.kpi_measurement_correct(
                measurement=measurement, data=data, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The measurement has been corrected; the earlier value is kept in its history.")
            )
            return redirect("programme:goal", pk=measurement.kpi.goal_id)
    return form_page(
        request,
        form,
        title=_("Correct a measurement of %(kpi)s") % {"kpi": measurement.kpi.name},
        cancel=reverse("programme:goal", args=[measurement.kpi.goal_id]),
        submit=_("Save correction"),
        intro=_(
            "A measurement is a record others rely on: it is corrected, not deleted. "
            "The earlier value, the reason and who corrected it stay in its history."
        ),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal(request, pk)
    return confirm_delete(
        request,
        delete=lambda: services.goal_delete(goal=goal, user=request.user),
        done=_("The goal has been deleted."),
        next_url=reverse("programme:goals", args=[goal.year]),
        title=_("Delete goal %(title)s") % {"title": goal.title},
        question=_("The goal and its KPIs are deleted. This cannot be undone."),
        cancel_url=reverse("programme:goal", args=[goal.pk]),
        refusal=services.goal_delete_refusal(goal),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def kpi_delete(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = get_kpi(request, pk)
    goal_url = reverse("programme:goal", args=[kpi.goal_id])
    return confirm_delete(
        request,
        delete=lambda: services.kpi_delete(kpi=kpi, user=request.user),
        done=_("The KPI has been deleted."),
        next_url=goal_url,
        title=_("Delete KPI %(name)s") % {"name": kpi.name},
        question=_("The KPI is deleted from the goal. This cannot be undone."),
        cancel_url=goal_url,
        refusal=services.kpi_delete_refusal(kpi),
    )
