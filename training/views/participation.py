"""Views of the training app: everyone's side: the offer, one's own trainings, enrolling and cancelling, certificates, the calendar feed, materials."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import (
    can_cancel_training_session,
    can_download_certificate,
    can_enrol_in_session,
    can_manage_enrolments,
    can_manage_training,
    can_register_attendance,
    can_use_training,
    can_view_module_materials,
    sees_all_training_sessions,
)
from core import calendar
from core.autocomplete import search
from core.listing import page_of
from core.models import Correction
from core.uploads import serve_upload
from training import services
from training.documents import certificate_pdf, feed_ics, invite_ics
from training.forms import (
    COLLEAGUE_SEARCH_FIELDS,
    EnrolColleagueForm,
    SessionCancelForm,
    colleague_label,
    colleagues_to_enrol,
)
from training.models import Enrolment, Material, TrainingSession
from training.selectors import modules_with_status
from training.views.common import _get_own_enrolment, _get_session, _my_status, _this_year

# Everyone: the offer, one's own trainings, enrolling and cancelling.


@role_required(can_use_training)
def offer(request: HttpRequest) -> HttpResponse:
    sessions = (
        TrainingSession.objects.visible_to(request.user)
        .upcoming()
        .not_cancelled()
        .with_counts()
        .annotate(my_status=_my_status(request.user))
        .select_related("module", "trainer")
        .order_by("starts_at", "pk")
    )
    page = page_of(request, sessions)
    return render(request, "training/offer.html", {"page": page, "sees_all": sees_all_training_sessions(request.user)})


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
    return _session_detail(request, _get_session(request, pk))


def _session_detail(request: HttpRequest, session: TrainingSession, **forms) -> HttpResponse:
    user = request.user
    mine = Enrolment.objects.active().filter(session=session, user=user).with_waitlist_position().first()
    manage_enrolments = can_manage_enrolments(user, session) and not session.is_cancelled
    context = {
        "session": session,
        "mine": mine,
        "can_enrol": can_enrol_in_session(user, session),
        "can_register": can_register_attendance(user, session),
        "can_manage": can_manage_training(user),
        "show_materials": can_view_module_materials(user, session.module),
        "seats_left": max(session.capacity - session.enrolled_count, 0),
        "can_manage_enrolments": manage_enrolments and not session.has_started(),
        # After the start an officer adds who attended (a walk-in, a session entered afterwards).
        "can_add_attendee": manage_enrolments and session.has_started(),
        "can_cancel_session": can_cancel_training_session(user, session)
        and not session.is_cancelled
        and not session.has_started(),
    }
    if context["can_manage_enrolments"] or context["can_add_attendee"]:
        context["enrol_form"] = forms.get("enrol_form") or EnrolColleagueForm(session=session)
    if context["can_manage"]:
        context["corrections"] = session.corrections.select_related("corrected_by")
        context["attendance_corrections"] = (
            Correction.objects.filter(training_enrolment__session=session)
            .select_related("corrected_by")
            .prefetch_related("record__user", "record__session__module")
            .order_by("-corrected_at")
        )
    if context["show_materials"]:
        context["materials"] = session.module.materials.all()
    if context["can_register"]:
        context["enrolments"] = (
            Enrolment.objects.active()
            .filter(session=session)
            .select_related("user__department")
            .order_by("status", "pk")
        )
    return render(request, "training/session_detail.html", context, status=400 if forms else 200)


@role_required(can_use_training)
@require_GET
def session_colleague_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The options of the enrol-a-colleague combobox: the first colleagues whose name or e-mail holds what was
    typed (``core.autocomplete``), for those who may enrol colleagues in the session."""
    session = _get_session(request, pk)
    if not can_manage_enrolments(request.user, session):
        raise PermissionDenied
    typed = request.GET.get("user_text", "").strip()
    found = search(colleagues_to_enrol(session), COLLEAGUE_SEARCH_FIELDS, typed)
    return render(
        request,
        "core/widgets/autocomplete_options.html",
        {
            "options": [{"pk": user.pk, "label": colleague_label(user)} for user in found],
            "typed": typed,
            "listbox": "id_user_listbox",
        },
    )


@role_required(can_use_training)
@require_POST
def session_enrol_colleague(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer enrols a colleague (on the waiting list when the session is full)."""
    session = _get_session(request, pk)
    if not can_manage_enrolments(request.user, session):
        raise PermissionDenied
    form = EnrolColleagueForm(request.POST, session=session)
    if not form.is_valid():
        return _session_detail(request, session, enrol_form=form)
    colleague = form.cleaned_data["user"]
    try:
        if session.has_started():
            services.attendee_add(session=session, user=colleague, by=request.user)
        else:
            enrolment = services.enrolment_create(session=session, user=colleague, by=request.user)
    except services.EnrolmentError as exc:
        form.add_error("user", str(exc))
        return _session_detail(request, session, enrol_form=form)
    if session.has_started():
        messages.success(
            request, _("%(name)s is added as attended; the certificate is ready.") % {"name": colleague.full_name}
        )
    elif enrolment.status == Enrolment.Status.ENROLLED:
        messages.success(request, _("%(name)s is enrolled.") % {"name": colleague.full_name})
    else:
        messages.warning(
            request, _("The session is full: %(name)s is on the waiting list.") % {"name": colleague.full_name}
        )
    return redirect("training:session_detail", pk=session.pk)


@role_required(can_use_training)
@require_http_methods(["GET", "POST"])
def enrolment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer removes someone's enrolment, after confirming; the seat goes to the waiting list."""
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user).active().select_related("session__module", "user"), pk=pk
    )
    session = enrolment.session
    if not can_manage_enrolments(request.user, session):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.enrolment_remove(enrolment=enrolment, by=request.user)
        except services.EnrolmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The enrolment of %(name)s has been removed.") % {"name": enrolment.user.full_name}
            )
        return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/enrolment_remove.html", {"enrolment": enrolment, "session": session})


@role_required(can_use_training)
@require_http_methods(["GET", "POST"])
def session_call_off(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer cancels a session with a reason; the enrolled and the waiting list are mailed."""
    session = _get_session(request, pk)
    if not can_cancel_training_session(request.user, session):
        raise PermissionDenied
    if session.is_cancelled:
        messages.info(request, _("This session was already cancelled."))
        return redirect("training:session_detail", pk=session.pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            affected = services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except services.EnrolmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "The session is cancelled; %(count)s participant is being told.",
                    "The session is cancelled; %(count)s participants are being told.",
                    len(affected),
                )
                % {"count": len(affected)},
            )
            return redirect("training:session_detail", pk=session.pk)
    return render(
        request,
        "training/session_call_off.html",
        {"session": session, "form": form},
        status=400 if request.method == "POST" else 200,
    )


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
        TrainingSession.objects.visible_to(user)
        .not_cancelled()
        .filter(ends_at__gte=since)
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
    material = get_object_or_404(Material.objects.visible_to(request.user).select_related("module"), pk=pk)
    if not can_view_module_materials(request.user, material.module):
        raise PermissionDenied
    if material.file:
        return serve_upload(material.file, material.original_name)
    return redirect(material.url)


@role_required(can_manage_training)
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material.objects.visible_to(request.user), pk=pk)
    module_id = material.module_id
    services.material_delete(material=material)
    messages.success(request, _("The material has been removed."))
    return redirect("training:module_detail", pk=module_id)
