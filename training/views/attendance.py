"""Views of the training app: attendance and progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_register_attendance,
    can_send_training_reminders,
    can_use_training,
    can_view_training_progress,
    training_progress_scope,
)
from core.listing import page_of
from training import services
from training.forms import (
    AttendanceForm,
)
from training.models import Enrolment, Module, TrainingSession
from training.selectors import ambassador_progress
from training.views.common import _get_session, _this_year

# The ambassadors not enrolled for every mandatory module that the progress page lists before "show all".
NOT_ENROLLED_SHOWN = 50

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
    # Bound on every POST: with every box unticked the POST is empty, and that is an answer too.
    form = AttendanceForm(request.POST if request.method == "POST" else None, enrolments=enrolments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_register(
                session=session,
                attended_ids=form.attended_ids(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.EnrolmentError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
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
            "registered_before": any(e.attendance_registered_at for e in enrolments),
        },
        status=400 if form.errors else 200,
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


@role_required(can_view_training_progress)
def progress(request: HttpRequest) -> HttpResponse:
    year = _this_year()
    department_ids = training_progress_scope(request.user)
    # One query over every current ambassador (ordered by percentage complete, which needs them all anyway),
    # as plain rows with only what is shown; the table is paginated, the not-enrolled list stays complete.
    people = list(
        ambassador_progress(
            organisation_id=request.user.organisation_id, year=year, department_ids=department_ids
        ).values("pk", "full_name", "completed", "total", "percent", "missing", department_name=F("department__name"))
    )
    not_enrolled = [person for person in people if person["missing"] > 0]
    # The first of them on the page, every one behind a link (``?niet_ingeschreven=alle``) and in the reminders.
    show_all = request.GET.get("niet_ingeschreven") == "alle"
    page = page_of(request, people)
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
            "not_enrolled_shown": not_enrolled if show_all else not_enrolled[:NOT_ENROLLED_SHOWN],
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
