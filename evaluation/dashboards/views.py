"""Views of the dashboards: the manager's department dashboard and the officers' programme dashboard."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_view_department_dashboard,
    can_view_department_dashboards,
    can_view_director_dashboard,
    can_view_programme_dashboard,
)
from core.exports import csv_response, xlsx_response
from evaluation.dashboards.department import department_dashboard as build_department_dashboard
from evaluation.dashboards.department import page_dashboard
from evaluation.dashboards.director import director_dashboard as build_director_dashboard
from evaluation.dashboards.programme import programme_dashboard as build_programme_dashboard
from evaluation.dashboards.tables import Table
from evaluation.evidence.selectors import latest_assessment

EXPORT_FORMATS = ("csv", "xlsx")
# The heat map shows the most active departments; the rest are one link (and the export) away.
HEAT_MAP_ROWS = 25


def _department(request: HttpRequest, pk: int) -> Department:
    """404 for a department of another organisation, or one the manager does not manage."""
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    if not can_view_department_dashboard(request.user, department):
        raise Http404
    return department


def export_table(table: Table | None, fmt: str, prefix: str, *, author: str = "") -> HttpResponse:
    """The table as a file named in the reader's language, after its caption: "programmadashboard-kpi-s-van-2026-
    tegen-hun-streefwaarden-2026-12-06.csv" in Dutch (the table's key in the URL stays English)."""
    if table is None or fmt not in EXPORT_FORMATS:
        raise Http404
    filename = f"{prefix}-{slugify(table.caption)[:60].strip('-')}-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        return xlsx_response(
            filename,
            table.columns,
            table.plain_rows(),
            sheet_title=table.caption,
            author=author,
        )
    return csv_response(filename, table.columns, table.plain_rows())


@require_GET
@role_required(can_view_department_dashboards)
def department_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard; its lower tables come with the page when asked for (``?tabellen=alle``, the link shown
    without JavaScript) and otherwise by htmx when they scroll into view (``?deel=tabellen``)."""
    department = _department(request, pk)
    dashboard = page_dashboard(department)
    template = "evaluation/dashboards/department.html"
    context = {
        "department": department,
        "dashboard": dashboard,
        "charts": [t for t in dashboard.tables if t.chart],
        "plain_tables": [t for t in dashboard.tables if not t.chart and t.key != "figures"],
        "figures_table": dashboard.table("figures"),
        "show_lower": request.GET.get("tabellen") == "alle",
        "today": timezone.localdate(),
        "cache_seconds": settings.DASHBOARD_ROLLUP_MAX_AGE_SECONDS,
    }
    if request.htmx and request.GET.get("deel") == "tabellen":
        return render(request, template + "#lower-tables", context)
    context["has_subdepartments"] = department.children.filter(is_active=True).exists()
    return render(request, template, context)


@require_GET
@role_required(can_view_department_dashboards)
def director_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The subtree of a department the user directs, one row per department with a link to its dashboard."""
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    if not can_view_director_dashboard(request.user, department):
        raise Http404
    dashboard = build_director_dashboard(department)
    return render(request, "evaluation/dashboards/director.html", {"department": department, "dashboard": dashboard})


@require_GET
@role_required(can_view_department_dashboards)
def department_export(request: HttpRequest, pk: int, table: str, fmt: str) -> HttpResponse:
    department = _department(request, pk)
    dashboard = build_department_dashboard(department, rows=None)
    return export_table(
        dashboard.table(table),
        fmt,
        f"dashboard-{department.code}",
        author=request.user.organisation.display_legal_name,
    )


@require_GET
@role_required(can_view_programme_dashboard)
def programme_dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard with the heat map's most active departments (``?kaart=alle``: every one)."""
    dashboard = build_programme_dashboard(request.user.organisation_id)
    show_all = request.GET.get("kaart") == "alle"
    heat_rows = dashboard.heat_rows
    if not show_all and len(heat_rows) > HEAT_MAP_ROWS:
        busiest = sorted(heat_rows, key=lambda row: -row.total)[:HEAT_MAP_ROWS]
        heat_rows = sorted(busiest, key=lambda row: row.department.name)
    return render(
        request,
        "evaluation/dashboards/programme.html",
        {
            "dashboard": dashboard,
            "heat_rows": heat_rows,
            "heat_rows_hidden": len(dashboard.heat_rows) - len(heat_rows),
            "show_all": show_all,
            "today": timezone.localdate(),
            "cache_seconds": settings.DASHBOARD_AVERAGES_SECONDS,
            "kpi_table": dashboard.table("kpis"),
            "budget_table": dashboard.table("budget"),
            "maturity": latest_assessment(request.user.organisation_id),
        },
    )


@require_GET
@role_required(can_view_programme_dashboard)
def programme_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    dashboard = build_programme_dashboard(request.user.organisation_id)
    return export_table(
        dashboard.table(table),
        fmt,
        pgettext("file name", "programme-dashboard"),
        author=request.user.organisation.display_legal_name,
    )
