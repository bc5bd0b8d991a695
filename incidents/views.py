"""Thin views: check access through accounts.permissions, validate, call a service, log the access."""

from __future__ import annotations

import contextlib
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_handle_dataleak,
    can_handle_dataleaks,
    can_report_dataleak,
    can_view_dataleak_statistics,
    get_roles,
)
from core import http
from core.exports import csv_response, xlsx_response
from incidents import services
from incidents.ap_form import ap_chapters, ap_pdf
from incidents.forms import (
    APNotificationForm,
    AssessmentForm,
    CloseForm,
    DataLeakReportForm,
    HandlingForm,
    NoLeakForm,
    NoteForm,
    RegisterFilterForm,
    SubjectNotificationForm,
)
from incidents.models import (
    APNotification,
    Category,
    DataLeak,
    DataLeakAccess,
    DataLeakAttachment,
    SubjectNotification,
)

Action = DataLeakAccess.Action
logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    # Through the configured trusted proxies only: a forwarded header beyond them is the client's own.
    return http.client_ip(request) or None


def _log(request: HttpRequest, leak: DataLeak | None, action: str, detail: str = "") -> None:
    services.access_record(user=request.user, leak=leak, action=action, detail=detail, ip=client_ip(request))


def _get_leak(request: HttpRequest, pk: int, *, handle: bool = False) -> DataLeak:
    """The report if the user may know it exists (404 otherwise); 403 when they may see but not handle it."""
    leak = (
        DataLeak.objects.visible_to(request.user)
        .select_related("organisation", "department", "reported_by", "on_behalf_of", "assignee", "topic_suggestion")
        .filter(pk=pk)
        .first()
    )
    if leak is None:
        raise Http404
    if handle and not can_handle_dataleak(request.user, leak):
        raise PermissionDenied
    return leak


# --- reporting ----------------------------------------------------------------------------------


@role_required(can_report_dataleak)
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    on_behalf = get_roles(request.user).is_ambassador or can_handle_dataleaks(request.user)
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
    leak = _get_leak(request, pk)
    _log(request, leak, Action.VIEW, "confirmation")
    return render(request, "incidents/report_received.html", {"leak": leak})


def my_reports(request: HttpRequest) -> HttpResponse:
    """Reports the user filed or that were filed on their behalf (an ambassador also sees their departments')."""
    user = request.user
    leaks = (
        DataLeak.objects.visible_to(user)
        .filter(Q(reported_by=user) | Q(on_behalf_of=user))
        .select_related("department")
        .order_by("-created_at")
    )
    department_leaks = DataLeak.objects.none()
    if get_roles(user).is_ambassador and not can_handle_dataleaks(user):
        department_leaks = (
            DataLeak.objects.visible_to(user)
            .exclude(Q(reported_by=user) | Q(on_behalf_of=user))
            .select_related("department")
            .order_by("-created_at")[:100]
        )
    return render(request, "incidents/my_reports.html", {"leaks": leaks[:200], "department_leaks": department_leaks})


# --- the handler's pages ------------------------------------------------------------------------


# The columns the queue shows (the reports carry many long texts it does not need).
QUEUE_FIELDS = (
    "reference",
    "created_at",
    "aware_at",
    "status",
    "ap_decision",
    "category",
    "department",
    "department__name",
    "assignee",
    "assignee__full_name",
    "assignee__email",
)


@role_required(can_handle_dataleaks)
def queue(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("toon", "open")
    leaks = DataLeak.objects.visible_to(request.user).select_related("department", "assignee").only(*QUEUE_FIELDS)
    leaks = leaks.open().order_by("aware_at") if show == "open" else leaks.order_by("-created_at")
    leaks = leaks.annotate(
        notified=Exists(APNotification.objects.filter(leak=OuterRef("pk"), kind=APNotification.Kind.INITIAL))
    )
    page = Paginator(leaks, 50).get_page(request.GET.get("page"))
    return render(request, "incidents/queue.html", {"page": page, "show": show, "now": timezone.now()})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk)
    handler = can_handle_dataleak(request.user, leak)
    _log(request, leak, Action.VIEW)
    context = {
        "leak": leak,
        "handler": handler,
        "now": timezone.now(),
        "attachments": list(leak.attachments.all()),
        "events": list(leak.events.select_related("actor")),
    }
    if handler:
        context.update(
            handling_form=HandlingForm(leak=leak),
            note_form=NoteForm(),
            ap_notifications=list(leak.ap_notifications.select_related("recorded_by")),
            subject_notifications=list(leak.subject_notifications.all()),
            accesses=list(leak.accesses.select_related("user")[:100]),
        )
    return render(request, "incidents/detail.html", context)


@require_POST
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    if request.POST.get("action") == "start":
        try:
            services.dataleak_start_assessment(leak=leak, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("incidents:detail", pk=leak.pk)
        _log(request, leak, Action.CHANGE, "start assessment")
        messages.success(request, _("The assessment has started."))
        return redirect("incidents:detail", pk=leak.pk)
    form = HandlingForm(request.POST, leak=leak)
    if form.is_valid():
        try:
            services.dataleak_assign(leak=leak, actor=request.user, assignee=form.cleaned_data["assignee"])
            services.dataleak_set_aware_at(leak=leak, actor=request.user, aware_at=form.cleaned_data["aware_at"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("incidents:detail", pk=leak.pk)
        _log(request, leak, Action.CHANGE, "handling")
        messages.success(request, _("Saved."))
        return redirect("incidents:detail", pk=leak.pk)
    return _detail_with(request, leak, handling_form=form)


@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.dataleak_add_note(leak=leak, actor=request.user, text=form.cleaned_data["text"])
        _log(request, leak, Action.CHANGE, "note")
        messages.success(request, _("The note has been added to the timeline."))
        return redirect("incidents:detail", pk=leak.pk)
    return _detail_with(request, leak, note_form=form)


def _detail_with(request: HttpRequest, leak: DataLeak, **forms) -> HttpResponse:
    context = {
        "leak": leak,
        "handler": True,
        "now": timezone.now(),
        "attachments": list(leak.attachments.all()),
        "events": list(leak.events.select_related("actor")),
        "handling_form": HandlingForm(leak=leak),
        "note_form": NoteForm(),
        "ap_notifications": list(leak.ap_notifications.select_related("recorded_by")),
        "subject_notifications": list(leak.subject_notifications.all()),
        "accesses": list(leak.accesses.select_related("user")[:100]),
        **forms,
    }
    return render(request, "incidents/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    if leak.is_final:
        messages.error(request, _("This report is closed; it can no longer be changed."))
        return redirect("incidents:detail", pk=leak.pk)
    form = AssessmentForm(request.POST or None, instance=leak)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ASSESSMENT_FIELDS}
        # The form's instance was changed by validation; the service compares with the database.
        services.dataleak_assess(leak=leak, actor=request.user, data=data)
        _log(request, leak, Action.CHANGE, "assessment")
        messages.success(request, _("The assessment has been saved."))
        return redirect("incidents:detail", pk=leak.pk)
    if request.method == "GET":
        _log(request, leak, Action.VIEW, "assessment")
    return render(request, "incidents/assess.html", {"leak": leak, "form": form, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def ap_notification(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    form = APNotificationForm(request.POST or None, leak=leak)
    if request.method == "POST" and not leak.is_final and form.is_valid():
        services.dataleak_record_ap_notification(
            leak=leak,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            notified_at=form.cleaned_data["notified_at"],
            ap_reference=form.cleaned_data["ap_reference"],
            notes=form.cleaned_data["notes"],
            late_reason=form.cleaned_data["late_reason"],
        )
        _log(request, leak, Action.CHANGE, "AP notification")
        messages.success(request, _("The notification to the AP has been recorded."))
        return redirect("incidents:detail", pk=leak.pk)
    if request.method == "GET":
        _log(request, leak, Action.VIEW, "AP notification page")
    chapters = ap_chapters(leak)
    return render(
        request,
        "incidents/ap_notification.html",
        {
            "leak": leak,
            "form": form,
            "chapters": chapters,
            "missing": sum(chapter.missing for chapter in chapters),
            "notifications": list(leak.ap_notifications.all()),
            "now": timezone.now(),
        },
    )


def ap_notification_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    _log(request, leak, Action.EXPORT, "AP notification PDF")
    response = HttpResponse(ap_pdf(leak), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{leak.reference}-melding-AP.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def subjects(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    form = SubjectNotificationForm(request.POST or None)
    if request.method == "POST" and not leak.is_final and form.is_valid():
        services.dataleak_record_subject_notification(leak=leak, actor=request.user, **form.cleaned_data)
        _log(request, leak, Action.CHANGE, "data-subject notification")
        messages.success(request, _("The notification of the data subjects has been recorded."))
        return redirect("incidents:detail", pk=leak.pk)
    if request.method == "GET":
        _log(request, leak, Action.VIEW, "data-subject letter")
    # The letter goes to citizens: always in Dutch, whatever the officer's interface language.
    with translation.override("nl"):
        letter = render_to_string("incidents/letter.txt", {"leak": leak})
    return render(
        request,
        "incidents/subjects.html",
        {"leak": leak, "form": form, "letter": letter, "notifications": list(leak.subject_notifications.all())},
    )


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    if leak.is_final:
        messages.error(request, _("This report is closed; it can no longer be changed."))
        return redirect("incidents:detail", pk=leak.pk)
    action = request.POST.get("action")
    close_form = CloseForm(request.POST if action == "close" else None, leak=leak)
    no_leak_form = NoLeakForm(request.POST if action == "no_leak" else None)
    if action == "close" and close_form.is_valid():
        services.dataleak_close(leak=leak, actor=request.user, **close_form.cleaned_data)
        _log(request, leak, Action.CHANGE, "closed")
        messages.success(request, _("The report is closed."))
        return redirect("incidents:detail", pk=leak.pk)
    if action == "no_leak" and no_leak_form.is_valid():
        services.dataleak_mark_no_leak(leak=leak, actor=request.user, reason=no_leak_form.cleaned_data["reason"])
        _log(request, leak, Action.CHANGE, "no data leak")
        messages.success(request, _('The report is closed as "no data leak".'))
        return redirect("incidents:detail", pk=leak.pk)
    return render(
        request,
        "incidents/close.html",
        {"leak": leak, "close_form": close_form, "no_leak_form": no_leak_form},
        status=400 if action else 200,
    )


@require_POST
def lesson_to_topic(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    try:
        suggestion = services.dataleak_lesson_to_topic(leak=leak, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("incidents:detail", pk=leak.pk)
    _log(request, leak, Action.CHANGE, "topic suggestion")
    messages.success(
        request,
        _("The lesson has been proposed as a topic for the annual plan: %(title)s") % {"title": suggestion.title},
    )
    return redirect("incidents:detail", pk=leak.pk)


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    from core.uploads import serve_upload

    leak = _get_leak(request, pk)
    item = DataLeakAttachment.objects.filter(leak=leak, pk=attachment_pk).first()
    if item is None:
        raise Http404
    _log(request, leak, Action.DOWNLOAD, item.original_name)
    return serve_upload(item.file, item.original_name)


# --- the register and statistics ----------------------------------------------------------------

REGISTER_HEADER = [
    "Referentie",
    "Gemeld op",
    "Bewust sinds",
    "Afdeling",
    "Soort",
    "Status",
    "Gebeurd op",
    "Ontdekt op",
    "Soorten persoonsgegevens",
    "Aantal betrokkenen",
    "Aard (B/I/B)",
    "Ernst",
    "Gevolgen",
    "Genomen maatregelen",
    "Geplande maatregelen",
    "Besluit AP",
    "Motivering AP",
    "Gemeld aan AP op",
    "Kenmerk AP",
    "Reden vertraging",
    "Besluit betrokkenen",
    "Motivering betrokkenen",
    "Uitzondering art. 34 lid 3",
    "Betrokkenen geïnformeerd",
    "Oorzaak",
    "Les",
    "Afgesloten op",
]


# The columns the register's table shows (the export needs every column).
REGISTER_PAGE_FIELDS = (
    "reference",
    "created_at",
    "department",
    "department__name",
    "category",
    "severity",
    "ap_decision",
    "status",
)


def _register_queryset(request: HttpRequest, form: RegisterFilterForm):
    notifications = APNotification.objects.filter(kind=APNotification.Kind.INITIAL).order_by("notified_at")
    leaks = (
        DataLeak.objects.visible_to(request.user)
        .select_related("department")
        .prefetch_related(Prefetch("ap_notifications", queryset=notifications, to_attr="initial_notifications"))
        # EXISTS per row, not a JOIN + GROUP BY over the whole organisation before the LIMIT.
        .annotate(subjects_informed=Exists(SubjectNotification.objects.filter(leak=OuterRef("pk"))))
        .order_by("-created_at")
    )
    return form.apply(leaks)


def _register_row(leak: DataLeak) -> list:
    first = leak.initial_notifications[0] if leak.initial_notifications else None
    return [
        leak.reference,
        leak.created_at,
        leak.aware_at,
        leak.department.name,
        leak.get_category_display(),
        leak.get_status_display(),
        leak.occurred_at,
        leak.discovered_at,
        ", ".join(leak.get_personal_data_categories_display() or leak.get_data_kinds_display()),
        leak.persons_display or leak.get_affected_estimate_display(),
        ", ".join(leak.breach_nature_display),
        leak.get_severity_display() if leak.severity else "",
        leak.consequences,
        leak.measures_taken,
        leak.measures_planned,
        leak.get_ap_decision_display() if leak.ap_decision else "",
        leak.ap_decision_reason,
        first.notified_at if first else None,
        first.ap_reference if first else "",
        leak.late_reason,
        leak.get_subjects_decision_display() if leak.subjects_decision else "",
        leak.subjects_decision_reason,
        leak.get_subjects_exemption_display() if leak.subjects_exemption else "",
        "ja" if leak.subjects_informed else "nee",
        leak.cause,
        leak.lesson,
        leak.closed_at,
    ]


@role_required(can_handle_dataleaks)
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None, organisation_id=request.user.organisation_id)
    leaks = _register_queryset(request, form)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        rows = [_register_row(leak) for leak in leaks]
        _log(request, None, Action.EXPORT, f"register {export} ({len(rows)} rows) {request.GET.urlencode()}"[:255])
        filename = f"datalekkenregister-{timezone.localdate():%Y%m%d}"
        respond = csv_response if export == "csv" else xlsx_response
        return respond(filename, REGISTER_HEADER, rows)
    _log(request, None, Action.VIEW, "register")
    page = Paginator(leaks.only(*REGISTER_PAGE_FIELDS), 50).get_page(request.GET.get("page"))
    year = timezone.localdate().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("jaar", year))
    counts = DataLeak.objects.visible_to(request.user).yearly_counts(year)
    labels = dict(Category.choices)
    for row in counts["per_type"]:
        row["label"] = labels.get(row["category"], row["category"])
    return render(request, "incidents/register.html", {"form": form, "page": page, "counts": counts, "year": year})


@role_required(can_view_dataleak_statistics)
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts per type and quarter: all for handlers, the managed departments for managers. Never contents."""
    user = request.user
    qs = DataLeak.objects.filter(organisation_id=user.organisation_id)
    if not can_handle_dataleaks(user):
        qs = qs.filter(department_id__in=get_roles(user).managed_ids)
    departments = Department.objects.filter(pk__in=get_roles(user).directly_managed_ids).order_by("name")
    labels = dict(Category.choices)
    rows = qs.counts_per_type_and_quarter()
    for row in rows:
        row["label"] = labels.get(row["category"], row["category"])
    return render(
        request,
        "incidents/statistics.html",
        {"rows": rows, "departments": departments, "all_departments": can_handle_dataleaks(user)},
    )
