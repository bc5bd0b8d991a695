"""Views of the incidents app: reporting a data leak (by staff, on someone's behalf, and adding to a report)."""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.permissions import (
    can_report_dataleak,
    can_report_dataleak_on_behalf,
    can_view_department_dataleaks,
    dataleak_first_contact_departments,
)
from core.listing import paginate_listing
from incidents import services
from incidents.forms.intake import DataLeakReportForm
from incidents.models import (
    DataLeak,
)
from incidents.views.common import _get_leak, _reporter_context, client_ip, logger

# --- reporting ----------------------------------------------------------------------------------


@role_required(can_report_dataleak)
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    on_behalf = can_report_dataleak_on_behalf(request.user)
    form = DataLeakReportForm(
        request.POST or None, request.FILES or None, user=request.user, can_report_on_behalf=on_behalf
    )
    if request.method == "POST" and form.is_valid():
        try:
            leak, created = services.dataleak_report(
                reporter=request.user,
                data=form.cleaned_data,
                attachments=form.cleaned_data.get("attachments") or [],
                ip=client_ip(request),
            )
        except DatabaseError:
            logger.exception("a data-leak report could not be stored")
            return _report_not_sent(request, form)
        return redirect("incidents:received", pk=leak.pk)
    return render(request, "incidents/report_form.html", {"form": form})


def _report_not_sent(request: HttpRequest, form: DataLeakReportForm) -> HttpResponse:
    """Nothing was stored: say so plainly, keep the text, and name another way to report (503)."""
    try:
        organisation = request.user.organisation
        contact = {
            "name": organisation.privacy_contact_name,
            "email": organisation.privacy_contact_email,
            "phone": organisation.privacy_contact_phone,
        }
        return render(
            request, "incidents/report_form.html", {"form": form, "not_sent": True, "contact": contact}, status=503
        )
    except DatabaseError:
        # The database is gone altogether: a page that needs none of it, with the typed text.
        return render(
            request,
            "incidents/report_not_sent.html",
            {"description": request.POST.get("description", "")},
            status=503,
        )


def report_received(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, read="confirmation")
    return render(request, "incidents/report_received.html", {"leak": leak, **_reporter_context(request, leak)})


def my_reports(request: HttpRequest) -> HttpResponse:
    """Reports the user filed or that were filed on their behalf; an ambassador finds their departments' reports on
    their own page (``department_reports``), linked from here."""
    user = request.user
    leaks = (
        DataLeak.objects.visible_to(user)
        .filter(Q(reported_by=user) | Q(on_behalf_of=user))
        .select_related("department")
        .order_by("-created_at")
    )
    return render(
        request,
        "incidents/my_reports.html",
        {"leaks": leaks[:200], "first_contact": can_view_department_dataleaks(user)},
    )


@role_required(can_view_department_dataleaks)
def department_reports(request: HttpRequest) -> HttpResponse:
    """The reports of the departments the ambassador covers (subdepartments included), newest first: the first
    point of contact's list, whoever filed them."""
    departments = list(dataleak_first_contact_departments(request.user))
    covered = Q(pk__in=[])
    for department in departments:
        covered |= Q(department__path__startswith=department.path)
    leaks = DataLeak.objects.visible_to(request.user).filter(covered).select_related("department")
    listing = paginate_listing(
        request,
        leaks,
        sorts={"gemeld": "created_at", "referentie": "reference"},
        default="-gemeld",
    )
    return render(
        request,
        "incidents/department_reports.html",
        {"departments": departments, "page": listing.page, "listing": listing},
    )
