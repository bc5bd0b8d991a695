"""Views of the incidents app: the register, its export and PDF, and the yearly statistics."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_handle_dataleaks,
    can_view_dataleak_statistics,
    dataleak_statistics_department_ids,
)
from core.exports import csv_response, xlsx_response
from core.listing import page_of
from core.years import year_from_query
from incidents.forms.filters import RegisterFilterForm
from incidents.models import (
    Category,
    DataLeak,
)
from incidents.register import REGISTER_HEADER, counted_yearly_counts, register_pdf, register_rows
from incidents.selectors import REGISTER_PAGE_FIELDS, register_queryset
from incidents.views.common import Action, _log_register_read

# --- the register and statistics ----------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    return year_from_query(request)


def _yearly_counts(request: HttpRequest, year: int, counts: dict | None = None) -> dict:
    """The year's counts per type and department: ``counts`` when given (the register page's, from the background
    rollup, which it says the age of), else counted live (the PDF for the auditor always is)."""
    if counts is None:
        counts = DataLeak.objects.visible_to(request.user).yearly_counts(year)
    labels = dict(Category.choices)
    for row in counts["per_type"]:
        row["label"] = labels.get(row["category"], row["category"])
    return counts


EXPORT_CHUNK_ROWS = 500
TOP_DEPARTMENTS = 10


@role_required(can_handle_dataleaks)
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None, organisation_id=request.user.organisation_id, user=request.user)
    leaks = form.apply(register_queryset(request.user))
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        _log_register_read(
            request, Action.EXPORT, f"register {export} ({leaks.count()} rows) {request.GET.urlencode()}"[:255]
        )
        # Plain rows of one query, straight from a server-side cursor: memory stays flat however long the register is.
        rows = register_rows(leaks, chunk_size=EXPORT_CHUNK_ROWS)
        stem = _("data-leak-register")
        filename = f"{stem}-{timezone.localdate():%Y%m%d}"
        if export == "csv":
            return csv_response(filename, REGISTER_HEADER, rows)
        return xlsx_response(
            filename,
            REGISTER_HEADER,
            rows,
            sheet_title=_("Data-leak register"),
            author=request.user.organisation.display_legal_name,
        )
    _log_register_read(request, Action.VIEW, "register")
    # Filtered and sorted above (the export needs the same rows); the page reads only the columns it shows.
    page = page_of(request, leaks.only(*REGISTER_PAGE_FIELDS))
    year = _year(request)
    # The register's handlers see their whole organisation, as the rollup counts it.
    counted = counted_yearly_counts(request.user.organisation_id, year)
    counts = _yearly_counts(request, year, counted[0] if counted else None)
    return render(
        request,
        "incidents/register.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            # The page names the departments with the most reports; the PDF every one of the hundreds.
            "top_departments": sorted(
                counts["per_department"], key=lambda row: (-row["count"], row["department__name"])
            )[:TOP_DEPARTMENTS],
            "counted_at": counted[1] if counted else None,
            # The counts' fragment lives as long as a rollup may (a newer rollup's moment is another key).
            "cache_seconds": settings.DASHBOARD_ROLLUP_MAX_AGE_SECONDS,
            "year": year,
            "sort": form.current_sort,
        },
    )


@role_required(can_handle_dataleaks)
def register_report(request: HttpRequest) -> HttpResponse:
    """The year's register as a PDF for the auditor or ENSIA."""
    year = _year(request)
    leaks = register_queryset(request.user).filter(created_at__year=year).order_by("created_at", "id")
    _log_register_read(request, Action.EXPORT, f"register report {year}")
    content = register_pdf(
        leaks, year=year, organisation=request.user.organisation, counts=_yearly_counts(request, year)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="datalekkenregister-{year}.pdf"'
    return response


@role_required(can_view_dataleak_statistics)
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts per type and quarter: all for handlers, the managed departments for managers. Never contents."""
    user = request.user
    qs = DataLeak.objects.countable_by(user)
    departments = Department.objects.filter(pk__in=dataleak_statistics_department_ids(user)).order_by("name")
    labels = dict(Category.choices)
    rows = qs.counts_per_type_and_quarter()
    for row in rows:
        row["label"] = labels.get(row["category"], row["category"])
    return render(
        request,
        "incidents/statistics.html",
        {"rows": rows, "departments": departments, "all_departments": can_handle_dataleaks(user)},
    )
