"""The programme budget (money and hours)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.permissions import can_manage_programme, can_view_budget
from core.deletion import confirm_delete
from core.models import Correction
from core.submissions import once_per_submission
from programme import services
from programme.forms import BudgetLineCorrectionForm, BudgetLineForm
from programme.models import BudgetLine
from programme.views.common import form_page


@require_GET
@role_required(can_view_budget)
def budget(request: HttpRequest, year: int) -> HttpResponse:
    lines = BudgetLine.objects.visible_to(request.user).filter(year=year)
    rows = list(lines.with_remaining().order_by("unit", "category", "description"))
    figures = lines.figures()
    totals = figures.totals
    units = []
    for unit, unit_label in BudgetLine.Unit.choices:
        categories = [
            {**row, "lines": [line for line in rows if line.unit == unit and line.category == row["category"]]}
            for row in figures.of(unit)
        ]
        units.append({"unit": unit, "label": unit_label, "categories": categories, "totals": totals[unit]})
    time = services.time_budget(organisation=request.user.organisation, year=year)
    return render(
        request,
        "programme/budget.html",
        {
            "year": year,
            "units": units,
            "totals": totals[BudgetLine.Unit.EURO],
            "hour_totals": totals[BudgetLine.Unit.HOURS],
            "overrun": totals[BudgetLine.Unit.EURO]["overrun"],
            "hours_overrun": totals[BudgetLine.Unit.HOURS]["overrun"],
            "time": time,
            "corrections": Correction.objects.of(lines).prefetch_related("record"),
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_GET
@role_required(can_view_budget)
def budget_index(request: HttpRequest) -> HttpResponse:
    return redirect("programme:budget", year=timezone.localdate().year)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def budget_line_create(request: HttpRequest, year: int) -> HttpResponse:
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.budget_line_save(organisation=request.user.organisation, year=year, data=form.cleaned_data)
        messages.success(request, _("The budget line has been saved."))
        return redirect("programme:budget", year=year)
    return form_page(
        request,
        form,
        title=_("New budget line for %(year)s") % {"year": year},
        cancel=reverse("programme:budget", args=[year]),
        submit=_("Save budget line"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def budget_line_update(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.visible_to(request.user), pk=pk)
    form = BudgetLineCorrectionForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_correct(
                line=line, data=form.line_data(), reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The budget line has been corrected; the earlier values are kept in its history.")
            )
            return redirect("programme:budget", year=line.year)
    return form_page(
        request,
        form,
        title=_("Correct budget line %(description)s") % {"description": line.description},
        cancel=reverse("programme:budget", args=[line.year]),
        submit=_("Save correction"),
        intro=_(
            "A recorded budget line is a fact the reports rely on: it is corrected with a reason. "
            "The earlier values, the reason and who corrected it stay in its history."
        ),
        corrections=line.corrections.select_related("corrected_by"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def budget_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.visible_to(request.user), pk=pk)
    budget_url = reverse("programme:budget", args=[line.year])
    return confirm_delete(
        request,
        delete=lambda: services.budget_line_delete(line=line),
        done=_("The budget line has been deleted."),
        next_url=budget_url,
        title=_("Delete budget line %(description)s") % {"description": line.description},
        question=_("The budget line is deleted from the budget of %(year)s. This cannot be undone.")
        % {"year": line.year},
        cancel_url=budget_url,
    )
