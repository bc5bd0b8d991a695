from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_download_certificate,
    can_enrol_in_session,
    can_manage_training,
    can_register_attendance,
    can_send_training_reminders,
    can_use_training,
    can_view_module_materials,
    can_view_training_progress,
    can_view_training_session,
    get_roles,
)
from core import calendar
from core.uploads import serve_upload
from core.years import year_from_query
from training import services
from training.documents import certificate_pdf, feed_ics, invite_ics
from training.forms import AttendanceForm, MaterialForm, ModuleForm, SessionForm
from training.models import Enrolment, Material, Module, TrainingSession
from training.selectors import ambassador_progress, modules_with_status


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
        TrainingSession.objects.filter(module__organisation_id=request.user.organisation_id)
        .select_related("module", "trainer")
        .with_counts(),
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


# Everyone: the offer, one's own trainings, enrolling and cancelling.


@role_required(can_use_training)
def offer(request: HttpRequest) -> HttpResponse:
    sessions = (
        TrainingSession.objects.visible_to(request.user)
        .upcoming()
        .with_counts()
        .annotate(my_status=_my_status(request.user))
        .select_related("module", "trainer")
        .order_by("starts_at", "pk")
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "training/offer.html", {"page": page, "roles": get_roles(request.user)})


@role_required(can_use_training)
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    enrolments = list(
        Enrolment.objects.visible_to(user)
        .active()
        .filter(user=user)
        .with_waitlist_position()
        .select_related("session__module", "session__trainer")
        .order_by("session__starts_at")
    )
    upcoming = [e for e in enrolments if e.session.starts_at > now]
    past = [e for e in enrolments if e.session.starts_at <= now and e.status == Enrolment.Status.ENROLLED]
    given = (
        TrainingSession.objects.visible_to(user)
        .filter(trainer=user, starts_at__gte=now - datetime.timedelta(days=30))
        .with_counts()
        .select_related("module")
    )
    feed = calendar.feed_token(user, calendar.Feed.TRAINING)
    feed_url = request.build_absolute_uri(reverse("training:feed", args=[feed.token])) if feed else ""
    year = _this_year()
    return render(
        request,
        "training/mine.html",
        {
            "upcoming": upcoming,
            "past": past,
            "given": given,
            "modules": modules_with_status(user=user, year=year),
            "year": year,
            "feed_url": feed_url,
        },
    )


@role_required(can_use_training)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    user = request.user
    mine = Enrolment.objects.active().filter(session=session, user=user).with_waitlist_position().first()
    context = {
        "session": session,
        "mine": mine,
        "can_enrol": can_enrol_in_session(user, session),
        "can_register": can_register_attendance(user, session),
        "can_manage": can_manage_training(user),
        "show_materials": can_view_module_materials(user, session.module),
        "seats_left": max(session.capacity - session.enrolled_count, 0),
    }
    if context["show_materials"]:
        context["materials"] = session.module.materials.all()
    if context["can_register"]:
        context["enrolments"] = (
            Enrolment.objects.active()
            .filter(session=session)
            .select_related("user__department")
            .order_by("status", "pk")
        )
    return render(request, "training/session_detail.html", context)


@role_required(can_use_training)
@require_POST
def session_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    if not can_enrol_in_session(request.user, session):
        raise PermissionDenied
    try:
        enrolment = services.enrolment_create(session=session, user=request.user)
    except services.EnrolmentError as exc:
        messages.error(request, str(exc))
    else:
        if enrolment.status == Enrolment.Status.ENROLLED:
            messages.success(request, _("You are enrolled. Add the session to your calendar with the invite."))
        else:
            messages.warning(
                request,
                _("The session is full: you are on the waiting list. You will get an e-mail when a seat frees up."),
            )
    return redirect("training:session_detail", pk=session.pk)


@role_required(can_use_training)
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    enrolment = Enrolment.objects.active().filter(session=session, user=request.user).first()
    if enrolment is None:
        messages.info(request, _("You were not enrolled for this session."))
        return redirect("training:session_detail", pk=session.pk)
    try:
        services.enrolment_cancel(enrolment=enrolment)
    except services.EnrolmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your enrolment has been cancelled."))
    return redirect("training:session_detail", pk=session.pk)


@role_required(can_use_training)
def enrolment_invite(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _get_own_enrolment(request, pk)
    return calendar.ics_response(
        invite_ics(enrolment), filename=f"training-{enrolment.session_id}.ics", attachment=True, cache="private"
    )


@role_required(can_use_training)
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user).select_related(
            "session__module__organisation", "session__trainer", "user"
        ),
        pk=pk,
    )
    if not can_download_certificate(request.user, enrolment):
        raise Http404
    response = HttpResponse(certificate_pdf(enrolment), content_type="application/pdf")
    name = slugify(f"certificaat {enrolment.session.module.title} {enrolment.user.full_name}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal calendar feed: public URL, secret token (rotatable on "My trainings")."""
    user = calendar.feed_owner(token, calendar.Feed.TRAINING)
    if user is None:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=90)
    sessions = (
        TrainingSession.objects.filter(module__organisation_id=user.organisation_id, ends_at__gte=since)
        .filter(Q(trainer=user) | Q(pk__in=Enrolment.objects.enrolled().filter(user=user).values("session_id")))
        .select_related("module")
        .order_by("starts_at")
    )
    return calendar.ics_response(feed_ics(sessions), filename="trainingen.ics", cache="private, max-age=900")


@role_required(can_use_training)
@require_POST
def feed_rotate(request: HttpRequest) -> HttpResponse:
    existed = calendar.feed_token(request.user, calendar.Feed.TRAINING) is not None
    services.calendar_feed_rotate(user=request.user)
    if existed:
        messages.success(request, _("Your calendar link has been renewed; the old link no longer works."))
    else:
        messages.success(request, _("Your personal calendar link is ready."))
    return redirect("training:mine")


# Materials.


@role_required(can_use_training)
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(
        Material.objects.filter(module__organisation_id=request.user.organisation_id).select_related("module"), pk=pk
    )
    if not can_view_module_materials(request.user, material.module):
        raise PermissionDenied
    if material.file:
        return serve_upload(material.file, material.original_name)
    return redirect(material.url)


@role_required(can_manage_training)
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material.objects.filter(module__organisation_id=request.user.organisation_id), pk=pk)
    module_id = material.module_id
    if material.file:
        material.file.delete(save=False)
    material.delete()
    messages.success(request, _("The material has been removed."))
    return redirect("training:module_detail", pk=module_id)


# Officers: modules and sessions.


@role_required(can_manage_training)
def module_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    modules = (
        Module.objects.visible_to(request.user)
        .for_year(year)
        .select_related("topic")
        .annotate(
            session_count=Count("sessions", distinct=True),
            attended_count=Count(
                "sessions__enrolments",
                filter=Q(sessions__enrolments__attended=True, sessions__enrolments__status=Enrolment.Status.ENROLLED),
                distinct=True,
            ),
        )
    )
    return render(
        request,
        "training/module_list.html",
        {"modules": modules, "year": year, "years": [year - 1, year, year + 1]},
    )


@role_required(can_manage_training)
@require_http_methods(["GET", "POST"])
def module_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    module = (
        _get_module(request, pk) if pk else Module(organisation_id=request.user.organisation_id, year=_year(request))
    )
    form = ModuleForm(request.POST or None, instance=module, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        module = services.module_save(module=form.save(commit=False), organisation_id=request.user.organisation_id)
        messages.success(request, _("The module has been saved."))
        return redirect("training:module_detail", pk=module.pk)
    return render(request, "training/module_form.html", {"form": form, "module": module if pk else None})


@role_required(can_manage_training)
@require_http_methods(["GET", "POST"])
def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    module = _get_module(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        material = form.save(commit=False)
        material.module = module
        material.uploaded_by = request.user
        if material.file:
            material.original_name = request.FILES["file"].name[:255]
        material.save()
        messages.success(request, _("The material has been added."))
        return redirect("training:module_detail", pk=module.pk)
    sessions = module.sessions.with_counts().select_related("trainer").order_by("starts_at")
    return render(
        request,
        "training/module_detail.html",
        {"module": module, "sessions": sessions, "materials": module.materials.all(), "form": form},
    )


@role_required(can_manage_training)
@require_http_methods(["GET", "POST"])
def session_form(request: HttpRequest, module_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    if pk:
        session = _get_session(request, pk)
        module = session.module
    else:
        module = _get_module(request, module_pk)
        session = TrainingSession(module=module)
    form = SessionForm(request.POST or None, instance=session, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(session=form.save(commit=False))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(
        request, "training/session_form.html", {"form": form, "module": module, "session": session if pk else None}
    )


@role_required(can_manage_training)
def session_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("periode") == "verleden"
    sessions = TrainingSession.objects.visible_to(request.user).with_counts().select_related("module", "trainer")
    sessions = sessions.past().order_by("-starts_at") if past else sessions.upcoming().order_by("starts_at")
    return render(request, "training/session_list.html", {"sessions": sessions, "past": past})


# Trainer and officers: attendance.


def _get_attendance_session(request: HttpRequest, pk: int) -> TrainingSession:
    session = _get_session(request, pk)
    if not can_register_attendance(request.user, session):
        raise PermissionDenied
    return session


@role_required(can_use_training)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_attendance_session(request, pk)
    enrolments = list(
        Enrolment.objects.enrolled()
        .filter(session=session)
        .select_related("user__department")
        .order_by("user__full_name")
    )
    initial = {"attended": [str(e.pk) for e in enrolments if e.attended]}
    form = AttendanceForm(request.POST or None, enrolments=enrolments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_register(session=session, attended_ids=form.attended_ids(), by=request.user)
        except services.EnrolmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Attendance saved: %(count)s of %(total)s attended.") % {"count": count, "total": len(enrolments)},
            )
            return redirect("training:attendance", pk=session.pk)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "form": form,
            "enrolments": enrolments,
            "started": timezone.localtime(session.starts_at).date() <= timezone.localdate(),
        },
    )


@role_required(can_use_training)
def attendance_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable list to sign, with who is registered as attended."""
    session = _get_attendance_session(request, pk)
    enrolments = (
        Enrolment.objects.enrolled()
        .filter(session=session)
        .select_related("user__department")
        .order_by("user__full_name")
    )
    return render(request, "training/attendance_list.html", {"session": session, "enrolments": enrolments})


# Progress.


def _progress_scope(request: HttpRequest) -> list[int] | None:
    """None: the whole organisation (officers); a manager sees the departments they manage."""
    roles = get_roles(request.user)
    return None if roles.is_officer else sorted(roles.managed_ids)


@role_required(can_view_training_progress)
def progress(request: HttpRequest) -> HttpResponse:
    year = _this_year()
    department_ids = _progress_scope(request)
    # One query over every current ambassador (ordered by percentage complete, which needs them all anyway),
    # as plain rows with only what is shown; the table is paginated, the not-enrolled list stays complete.
    people = list(
        ambassador_progress(
            organisation_id=request.user.organisation_id, year=year, department_ids=department_ids
        ).values("pk", "full_name", "completed", "total", "percent", "missing", department_name=F("department__name"))
    )
    not_enrolled = [person for person in people if person["missing"] > 0]
    # Translated here rather than with a {% blocktranslate %} per line in the template: the list can be long.
    not_enrolled_lines = [
        ngettext(
            "%(name)s: %(counter)s module without enrolment",
            "%(name)s: %(counter)s modules without enrolment",
            person["missing"],
        )
        % {"name": person["full_name"], "counter": person["missing"]}
        for person in not_enrolled
    ]
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    # Only the titles are shown (a count of enrolled people per module was computed here but never shown).
    mandatory = Module.objects.visible_to(request.user).for_year(year).mandatory().only("title")
    departments = (
        Department.objects.filter(pk__in=department_ids).order_by("name") if department_ids is not None else []
    )
    return render(
        request,
        "training/progress.html",
        {
            "people": people,
            "page": page,
            "not_enrolled": not_enrolled,
            "not_enrolled_lines": not_enrolled_lines,
            "mandatory": mandatory,
            "year": year,
            "can_remind": can_send_training_reminders(request.user),
            "departments": departments,
        },
    )


@role_required(can_send_training_reminders)
@require_POST
def progress_remind(request: HttpRequest) -> HttpResponse:
    count = services.unenrolled_reminders_send(organisation_id=request.user.organisation_id, year=_this_year())
    if count:
        messages.success(
            request,
            ngettext(
                "A reminder is being sent to %(count)s ambassador.",
                "A reminder is being sent to %(count)s ambassadors.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No reminders sent: everyone is enrolled, or was already reminded today."))
    return redirect("training:progress")
