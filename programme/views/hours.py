"""Managers confirm the hours their departments give to the programme."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import can_confirm_hours, can_confirm_hours_for, hours_department_scope
from core.submissions import once_per_submission
from core.years import year_from_query
from programme import services
from programme.forms import HoursConfirmationForm
from programme.models import HoursConfirmation


def _hours_year(request: HttpRequest) -> int:
    return year_from_query(request)


@require_GET
@role_required(can_confirm_hours)
def hours(request: HttpRequest) -> HttpResponse:
    year = _hours_year(request)
    departments = list(
        Department.objects.visible_to(request.user).filter(pk__in=hours_department_scope(request.user)).order_by("path")
    )
    history = defaultdict(list)
    for row in (
        HoursConfirmation.objects.visible_to(request.user)
        .filter(year=year, department__in=departments)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
    ):
        history[row.department_id].append(row)
    rows = [
        {
            "department": department,
            "current": history[department.pk][0] if history[department.pk] else None,
            "history": history[department.pk],
            "form": HoursConfirmationForm(
                prefix=f"d{department.pk}",
                initial={"hours_per_month": history[department.pk][0].hours_per_month}
                if history[department.pk]
                else None,
            ),
        }
        for department in departments
    ]
    return render(request, "programme/hours.html", {"year": year, "rows": rows})


@require_POST
@role_required(can_confirm_hours)
@once_per_submission
def hours_confirm(request: HttpRequest, department_pk: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=department_pk)
    if not can_confirm_hours_for(request.user, department):
        raise Http404
    year = _hours_year(request)
    form = HoursConfirmationForm(request.POST, prefix=f"d{department.pk}")
    if form.is_valid():
        services.hours_confirm(
            department=department, year=year, hours_per_month=form.cleaned_data["hours_per_month"], user=request.user
        )
        messages.success(
            request,
            _("You confirmed %(hours)s hours per month for %(department)s in %(year)s.")
            % {"hours": form.cleaned_data["hours_per_month"], "department": department.name, "year": year},
        )
        return redirect(f"{reverse('programme:hours')}?jaar={year}")
    return render(
        request,
        "programme/form.html",
        {
            "form": form,
            "title": _("Confirm hours for %(department)s") % {"department": department.name},
            "cancel_url": reverse("programme:hours"),
            "submit_label": _("Confirm hours"),
            "action": f"{reverse('programme:hours_confirm', args=[department.pk])}?jaar={year}",
        },
    )
