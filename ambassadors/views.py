"""Views of the ambassadors app: check access, validate, call a service, redirect with a message."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Department, User
from accounts.permissions import (
    can_change_activity,
    can_give_feedback,
    can_log_activity,
    can_manage_ambassadors,
    can_manage_levels,
    can_recognise,
    can_record_feedback,
    can_use_recognitions,
    can_view_activity,
    can_view_ambassador_overview,
    can_view_ambassador_profile,
    can_view_department_history,
    can_view_events,
    can_view_feedback,
    can_view_feedback_list,
    can_view_feedback_statistics,
    can_view_levels,
    covered_department_ids,
    get_roles,
)
from ambassadors import levels as ambassador_levels
from ambassadors import selectors, services
from ambassadors.forms import (
    ActivityFilterForm,
    ActivityForm,
    AppointmentForm,
    DeclineForm,
    EventForm,
    FeedbackFilterForm,
    FeedbackForm,
    NominationForm,
    PointsSchemeForm,
    RecognitionForm,
    RecordedFeedbackForm,
    TriageForm,
)
from ambassadors.models import (
    Activity,
    Appointment,
    Event,
    Feedback,
    Nomination,
    PointsScheme,
    Recognition,
    quarter_bounds,
)
from core import calendar
from core.client_address import client_ip
from core.years import same_day_in_year

# --- Object helpers: 404 for whatever the user may not know exists -------------------------------


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related("nominee__department", "nominated_by"), pk=pk
    )


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if not can_view_activity(request.user, activity) or activity.user_id != request.user.pk:
        raise Http404
    return activity


def _department(request: HttpRequest, pk: int) -> Department:
    return get_object_or_404(Department.objects.visible_to(request.user).active(), pk=pk)


def _feedback(request: HttpRequest, pk: int) -> Feedback:
    feedback = get_object_or_404(
        Feedback.objects.visible_to(request.user).select_related("department", "author", "recorded_by", "topic"),
        pk=pk,
    )
    if not can_view_feedback(request.user, feedback):
        raise Http404
    return feedback


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), pk=pk)


def _ambassador(request: HttpRequest, pk: int) -> User:
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if not can_view_ambassador_profile(request.user, person):
        raise Http404
    return person


def _client_ip(request: HttpRequest) -> str | None:
    # Through the configured trusted proxies only: a forwarded header beyond them is the client's own.
    return client_ip(request) or None


# --- Selection and rotation -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def nomination_create(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    form = NominationForm(request.POST or None, user=request.user, managed_ids=roles.managed_ids)
    if request.method == "POST" and form.is_valid():
        nominee = form.cleaned_data["nominee"]
        try:
            services.nomination_submit(nominee=nominee, nominated_by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if nominee.pk == request.user.pk:
                messages.success(request, _("Thank you for volunteering. The officers will contact you."))
            else:
                messages.success(request, _("Your nomination of %(name)s has been received.") % {"name": nominee})
            return redirect("ambassadors:nominate")
    own = (
        Nomination.objects.visible_to(request.user)
        .filter(Q(nominee=request.user) | Q(nominated_by=request.user))
        .select_related("nominee")
    )
    return render(request, "ambassadors/nomination_form.html", {"form": form, "own_nominations": own})


@role_required(can_manage_ambassadors)
def nomination_list(request: HttpRequest) -> HttpResponse:
    nominations = (
        Nomination.objects.visible_to(request.user)
        .select_related("nominee", "nominated_by", "department")
        .order_by("status", "-created_at")
    )
    page = Paginator(nominations, 50).get_page(request.GET.get("page"))
    return render(request, "ambassadors/nomination_list.html", {"page": page})


@role_required(can_manage_ambassadors)
@require_http_methods(["GET", "POST"])
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    org_id = request.user.organisation_id
    today = timezone.localdate()
    initial = {
        "term_start": today,
        "term_end": same_day_in_year(today, today.year + 2),  # a two-year term by default
        "hours_per_month": nomination.hours_available,
        "departments": [nomination.department_id] if nomination.department_id else [],
    }
    appoint_form = AppointmentForm(initial=initial, organisation_id=org_id)
    decline_form = DeclineForm()
    if request.method == "POST":
        if nomination.status != Nomination.Status.OPEN:
            messages.error(request, _("This nomination has already been decided."))
            return redirect("ambassadors:nomination", pk=nomination.pk)
        if request.POST.get("action") == "decline":
            decline_form = DeclineForm(request.POST)
            if decline_form.is_valid():
                services.nomination_decline(
                    nomination=nomination, officer=request.user, reason=decline_form.cleaned_data["reason"]
                )
                messages.success(request, _("The nomination has been declined; the candidate is informed."))
                return redirect("ambassadors:nominations")
        else:
            appoint_form = AppointmentForm(request.POST, organisation_id=org_id)
            if appoint_form.is_valid():
                try:
                    services.nomination_accept(
                        nomination=nomination, officer=request.user, data=appoint_form.cleaned_data
                    )
                except ValidationError as exc:
                    appoint_form.add_error(None, exc.messages[0])
                else:
                    messages.success(
                        request, _("%(name)s has been appointed as ambassador.") % {"name": nomination.nominee}
                    )
                    return redirect("ambassadors:coverage")
    return render(
        request,
        "ambassadors/nomination_detail.html",
        {"nomination": nomination, "appoint_form": appoint_form, "decline_form": decline_form},
    )


@role_required(can_manage_ambassadors)
def coverage(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    departments = selectors.departments_with_coverage(
        selectors.coverage_units(request.user.organisation_id).select_related("parent"), today
    )
    departments = list(departments)
    ending = (
        Appointment.objects.visible_to(request.user)
        .ending_within(services.TERM_END_NOTICE_DAYS, today)
        .select_related("user")
        .prefetch_related("departments")
        .order_by("term_end")
    )
    uncovered = sum(1 for d in departments if not d.current_ambassadors)
    return render(
        request,
        "ambassadors/coverage.html",
        {"departments": departments, "uncovered": uncovered, "ending": ending, "today": today},
    )


@role_required(lambda user: get_roles(user).is_officer or get_roles(user).is_manager)
def department_history(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    if not can_view_department_history(request.user, department):
        raise Http404
    appointments = (
        Appointment.objects.visible_to(request.user)
        .filter(departments=department)
        .select_related("user", "predecessor__user")
        .order_by("-term_start")
    )
    return render(
        request,
        "ambassadors/department_history.html",
        {"department": department, "appointments": appointments, "today": timezone.localdate()},
    )


@role_required(can_view_ambassador_overview)
def ambassador_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    today = timezone.localdate()
    start, end = quarter_bounds(today)
    appointments = Appointment.objects.visible_to(request.user).current(today)
    activities = Activity.objects.visible_to(request.user).between(start, end)
    if not roles.is_officer:
        appointments = appointments.covering(roles.managed_ids)
        activities = activities.filter(department_id__in=roles.managed_ids)
    scheme = PointsScheme.for_organisation(request.user.organisation_id)
    appointments = list(
        ambassador_levels.with_points(appointments, scheme)
        .select_related("user")
        .prefetch_related("departments")
        .order_by("user__full_name")
    )
    hours = selectors.hours_by_user(activities)
    rows = [
        {
            "appointment": a,
            "hours": hours.get(a.user_id, 0),
            "agreed": a.hours_agreed(start, today),
            "standing": ambassador_levels.standing(scheme, a.points, a.level_number, a.recognised_points),
        }
        for a in appointments
    ]
    return render(
        request,
        "ambassadors/ambassador_list.html",
        {"rows": rows, "start": start, "end": end, "can_suggest": can_manage_levels(request.user)},
    )


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    person = _ambassador(request, pk)
    roles = get_roles(request.user)
    appointments = list(
        Appointment.objects.visible_to(request.user)
        .filter(user=person)
        .prefetch_related("departments")
        .select_related("predecessor__user")
        .order_by("-term_start")
    )
    activities = Activity.objects.visible_to(request.user).filter(user=person)
    if not (roles.is_officer or person.pk == request.user.pk):
        activities = activities.filter(department_id__in=roles.managed_ids)
    year_start = timezone.localdate().replace(month=1, day=1)
    totals = activities.filter(date__gte=year_start).totals()
    recent = activities.select_related("topic", "department")[:10]
    scheme = PointsScheme.for_organisation(request.user.organisation_id)
    row = ambassador_levels.with_points(User.objects.filter(pk=person.pk), scheme, "pk").values(
        "points", "level_number", "recognised_points"
    )[0]
    level = ambassador_levels.standing(scheme, row["points"], row["level_number"], row["recognised_points"])
    recognitions = Recognition.objects.visible_to(request.user).filter(ambassador=person).select_related("given_by")
    # training is a sibling app: read through the app registry, never imported.
    enrolment_model = django_apps.get_model("training", "Enrolment")
    trainings = (
        enrolment_model.objects.filter(
            user=person, attended=True, session__module__organisation_id=request.user.organisation_id
        )
        .select_related("session__module")
        .order_by("-session__starts_at")[:20]
    )
    return render(
        request,
        "ambassadors/profile.html",
        {
            "person": person,
            "appointments": appointments,
            "activities": recent,
            "totals": totals,
            "recognitions": recognitions,
            "trainings": trainings,
            "can_recognise": can_recognise(request.user, person),
            "standing": level,
        },
    )


# --- Activity log -------------------------------------------------------------------------------


@role_required(can_log_activity)
def activity_list(request: HttpRequest) -> HttpResponse:
    filters = ActivityFilterForm(request.GET or None)
    start, end, period = filters.period_bounds()
    activities = Activity.objects.visible_to(request.user).filter(user=request.user).between(start, end)
    if filters.is_valid() and filters.cleaned_data.get("kind"):
        activities = activities.filter(kind=filters.cleaned_data["kind"])
    totals = activities.totals()
    appointments = list(Appointment.objects.visible_to(request.user).filter(user=request.user).overlapping(start, end))
    agreed = selectors.hours_agreed(appointments, start, end)
    ratio = round(totals["hours"] / agreed * 100) if agreed else None
    quarter_start, _quarter_end = quarter_bounds(timezone.localdate())
    page = Paginator(activities.select_related("topic"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ambassadors/activity_list.html",
        {
            "filters": filters,
            "page": page,
            "totals": totals,
            "agreed": agreed,
            "ratio": ratio,
            "start": start,
            "end": end,
            "quarter_start": quarter_start,
        },
    )


@role_required(can_log_activity)
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    covered = get_roles(request.user).ambassador_ids
    form = ActivityForm(request.POST or None, user=request.user, covered_ids=covered)
    if request.method == "POST" and form.is_valid():
        _activity_obj, created = services.activity_log(
            user=request.user, data=form.cleaned_data, token=form.cleaned_data.get("token")
        )
        if created:
            messages.success(request, _("Your activity has been logged."))
        if "another" in request.POST:
            return redirect("ambassadors:activity_create")
        return redirect("ambassadors:activity_list")
    return render(request, "ambassadors/activity_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not can_change_activity(request.user, activity):
        messages.error(request, _("This activity is in a closed quarter and can no longer be changed."))
        return redirect("ambassadors:activity_list")
    covered = get_roles(request.user).ambassador_ids | ({activity.department_id} - {None})
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, covered_ids=frozenset(covered))
    if request.method == "POST" and form.is_valid():
        services.activity_update(activity=activity, data=form.cleaned_data)
        messages.success(request, _("The activity has been changed."))
        return redirect("ambassadors:activity_list")
    return render(request, "ambassadors/activity_form.html", {"form": form, "activity": activity})


@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not can_change_activity(request.user, activity):
        messages.error(request, _("This activity is in a closed quarter and can no longer be changed."))
    else:
        services.activity_delete(activity=activity)
        messages.success(request, _("The activity has been deleted."))
    return redirect("ambassadors:activity_list")


# --- Colleague feedback -------------------------------------------------------------------------


def feedback_start(request: HttpRequest) -> HttpResponse:
    """'Give feedback': straight to the form of the user's own department."""
    department = request.user.department
    if department is not None and can_give_feedback(request.user, department):
        return redirect("ambassadors:feedback_give", pk=department.pk)
    departments = Department.objects.visible_to(request.user).active().order_by("path")
    return render(request, "ambassadors/feedback_start.html", {"departments": departments})


@require_http_methods(["GET", "POST"])
def feedback_give(request: HttpRequest, pk: int) -> HttpResponse:
    department = _department(request, pk)
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.get("token")
        already = token is not None and Feedback.objects.filter(token=token).exists()
        if not already and services.feedback_rate_limited(user_id=request.user.pk, ip=_client_ip(request)):
            form.add_error(
                None,
                _(
                    "You have given a lot of feedback in a short time. Please wait ten minutes and try again; "
                    "your text is still here."
                ),
            )
            status = 429
        else:
            services.feedback_submit(
                department=department,
                author=request.user,
                data=form.cleaned_data,
                ip=_client_ip(request),
                token=token,
            )
            messages.success(request, _("Thank you for your feedback. You can follow what is done with it below."))
            return redirect("ambassadors:feedback_give", pk=department.pk)
    handled = (
        Feedback.objects.visible_to(request.user)
        .filter(department=department)
        .handled()
        .select_related("topic")
        .order_by("-answered_at")[:25]
    )
    return render(
        request,
        "ambassadors/feedback_give.html",
        {"department": department, "form": form, "handled": handled},
        status=status,
    )


def feedback_poster(request: HttpRequest, pk: int) -> HttpResponse:
    department = _department(request, pk)
    url = settings.SITE_URL + reverse("ambassadors:feedback_give", args=[department.pk])
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).to_string(encoding="unicode")
    # Sized by CSS (no style attributes under the CSP); the caption says what it is for screen readers.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg class="qr-code" aria-hidden="true"', svg)
    return render(request, "ambassadors/feedback_poster.html", {"department": department, "url": url, "qr_svg": svg})


@role_required(can_view_feedback_list)
def feedback_list(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    feedback = Feedback.objects.visible_to(request.user)
    if not roles.is_officer:
        feedback = feedback.for_departments(covered_department_ids(request.user))
    filters = FeedbackFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data.get("status"):
            feedback = feedback.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data.get("category"):
            feedback = feedback.filter(category=filters.cleaned_data["category"])
    # Only what the list shows: not every column of the feedback, its department and two users.
    feedback = (
        feedback.select_related("department", "author", "recorded_by")
        .only(
            "created_at",
            "category",
            "message",
            "source",
            "is_anonymous",
            "status",
            "answer",
            "department__name",
            "author__full_name",
            "author__email",
            "recorded_by__full_name",
            "recorded_by__email",
        )
        .order_by("-created_at")
    )
    page = Paginator(feedback, 50).get_page(request.GET.get("page"))
    return render(
        request, "ambassadors/feedback_list.html", {"page": page, "filters": filters, "is_officer": roles.is_officer}
    )


@role_required(can_record_feedback)
@require_http_methods(["GET", "POST"])
def feedback_record(request: HttpRequest) -> HttpResponse:
    form = RecordedFeedbackForm(
        request.POST or None,
        covered_ids=covered_department_ids(request.user),
        organisation_id=request.user.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        _feedback_obj, created = services.feedback_record(
            ambassador=request.user, data=form.cleaned_data, token=form.cleaned_data.get("token")
        )
        if created:
            messages.success(request, _("The feedback has been recorded for the officers."))
        return redirect("ambassadors:feedback_list")
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Record feedback from a conversation"),
            "intro": _("Write down what a colleague told you; the colleague is not named."),
            "submit_label": _("Record feedback"),
            "cancel_url": reverse("ambassadors:feedback_list"),
        },
    )


@role_required(can_manage_ambassadors)
@require_http_methods(["GET", "POST"])
def feedback_triage(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _feedback(request, pk)
    form = TriageForm(request.POST or None, instance=feedback, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        services.feedback_triage(feedback=feedback, officer=request.user, data=form.cleaned_data)
        messages.success(request, _("The feedback has been updated."))
        return redirect("ambassadors:feedback_list")
    return render(request, "ambassadors/feedback_triage.html", {"feedback": feedback, "form": form})


@role_required(can_view_feedback_statistics)
def feedback_statistics(request: HttpRequest) -> HttpResponse:
    roles = get_roles(request.user)
    feedback = Feedback.objects.visible_to(request.user)
    if not roles.is_officer:
        feedback = feedback.for_departments(roles.managed_ids)
    rows = selectors.feedback_statistics(feedback)
    statuses = Feedback.Status.choices
    categories = Feedback.Category.choices
    table = [
        {
            "department": row["department__name"],
            "total": row["total"],
            "statuses": [row[f"status_{value}"] for value, _label in statuses],
            "categories": [row[f"category_{value}"] for value, _label in categories],
        }
        for row in rows
    ]
    return render(
        request,
        "ambassadors/feedback_statistics.html",
        {"table": table, "statuses": statuses, "categories": categories},
    )


# --- Community ----------------------------------------------------------------------------------


@role_required(can_view_events)
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.visible_to(request.user).annotate(
        registered=Count("registrations", distinct=True),
        mine=Count("registrations", filter=Q(registrations__user=request.user), distinct=True),
    )
    upcoming = events.upcoming().order_by("starts_at")
    past = events.past().order_by("-starts_at")[:20]
    return render(
        request,
        "ambassadors/event_list.html",
        {"upcoming": upcoming, "past": past, "can_manage": can_manage_ambassadors(request.user)},
    )


@role_required(can_manage_ambassadors)
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event, _created = services.event_create(
            organisation=request.user.organisation,
            officer=request.user,
            data=form.cleaned_data,
            token=form.cleaned_data.get("token"),
        )
        messages.success(request, _("The event has been planned."))
        return redirect("ambassadors:event", pk=event.pk)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Plan an event"),
            "submit_label": _("Plan event"),
            "cancel_url": reverse("ambassadors:events"),
        },
    )


@role_required(can_manage_ambassadors)
@require_http_methods(["GET", "POST"])
def event_update(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.event_update(event=event, data=form.cleaned_data)
        messages.success(request, _("The event has been saved."))
        return redirect("ambassadors:event", pk=event.pk)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Edit event"),
            "intro": _("After the event, add the notes and the experiences shared."),
            "submit_label": _("Save"),
            "cancel_url": reverse("ambassadors:event", args=[event.pk]),
        },
    )


@role_required(can_view_events)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    registrations = list(event.registrations.select_related("user").order_by("user__full_name"))
    mine = next((r for r in registrations if r.user_id == request.user.pk), None)
    full = event.capacity is not None and len(registrations) >= event.capacity
    return render(
        request,
        "ambassadors/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "mine": mine,
            "full": full,
            "can_manage": can_manage_ambassadors(request.user),
        },
    )


@role_required(can_view_events)
@require_POST
def event_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if event.is_past:
        messages.error(request, _("This event has already taken place."))
    else:
        try:
            services.event_register(event=event, user=request.user)
        except services.EventFull:
            messages.error(request, _("This event is full; registration is no longer possible."))
        else:
            messages.success(request, _("You are registered. Add the invitation to your calendar."))
    return redirect("ambassadors:event", pk=event.pk)


@role_required(can_view_events)
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    services.event_unregister(event=event, user=request.user)
    messages.success(request, _("Your registration has been cancelled."))
    return redirect("ambassadors:event", pk=event.pk)


@role_required(can_manage_ambassadors)
@require_POST
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    ids = {int(value) for value in request.POST.getlist("attended") if value.isdecimal()}
    services.event_record_attendance(event=event, attended_ids=ids)
    messages.success(request, _("The attendance has been saved."))
    return redirect("ambassadors:event", pk=event.pk)


@role_required(can_view_events)
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    entry = calendar.Entry(
        uid=f"event-{event.pk}",
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        location=event.location or event.online_url,
        description=f"{event.agenda}\n\n{event.online_url}".strip() if event.online_url else event.agenda,
        url=settings.SITE_URL + reverse("ambassadors:event", args=[event.pk]),
    )
    return calendar.ics_response(
        calendar.ics(event.title, [entry], method="PUBLISH"),
        filename=f"bijeenkomst-{event.pk}.ics",
        attachment=True,
        cache="private",
    )


# --- Recognition --------------------------------------------------------------------------------


def _recognisable(user: User):
    """Officers: every (past or current) ambassador of the organisation; managers: those of their departments."""
    roles = get_roles(user)
    appointments = Appointment.objects.visible_to(user)
    if not roles.is_officer:
        appointments = appointments.current().covering(roles.managed_ids)
    return (
        User.objects.visible_to(user)
        .active()
        .filter(pk__in=appointments.values("user_id"))
        .exclude(pk=user.pk)
        .order_by("full_name")
    )


def _current_level_points(user: User, ambassador: User, data: dict) -> int | None:
    if data.get("kind") != Recognition.Kind.MILESTONE:
        return None
    scheme = PointsScheme.for_organisation(user.organisation_id)
    row = ambassador_levels.with_points(User.objects.filter(pk=ambassador.pk), scheme, "pk").values(
        "points", "level_number", "recognised_points"
    )[0]
    level = ambassador_levels.standing(scheme, row["points"], row["level_number"], row["recognised_points"]).level
    return level.points if level is not None and level.number > 1 else None


# --- Levels -------------------------------------------------------------------------------------


@role_required(can_view_levels)
def levels(request: HttpRequest) -> HttpResponse:
    scheme = PointsScheme.for_organisation(request.user.organisation_id)
    standing = None
    if get_roles(request.user).is_ambassador:
        row = ambassador_levels.with_points(User.objects.filter(pk=request.user.pk), scheme, "pk").values(
            "points", "level_number", "recognised_points"
        )[0]
        standing = ambassador_levels.standing(scheme, row["points"], row["level_number"], row["recognised_points"])
    kinds = [(label, *scheme.points.get(kind, [0, 0])) for kind, label in Activity.Kind.choices]
    return render(
        request,
        "ambassadors/levels.html",
        {
            "kinds": kinds,
            "levels": ambassador_levels.levels_of(scheme),
            "standing": standing,
            "can_manage": can_manage_levels(request.user),
        },
    )


@role_required(can_manage_levels)
@require_http_methods(["GET", "POST"])
def levels_settings(request: HttpRequest) -> HttpResponse:
    scheme = PointsScheme.for_organisation(request.user.organisation_id)
    form = PointsSchemeForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        services.points_scheme_save(
            organisation_id=request.user.organisation_id, data=form.cleaned_data, user=request.user
        )
        messages.success(request, _("The rules for points and levels have been saved."))
        return redirect("ambassadors:levels")
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Rules for points and levels"),
            "intro": _(
                "Points per logged activity and per hour, by kind of activity, and the levels with the points from "
                "which they apply. Ambassadors see these rules."
            ),
            "submit_label": _("Save rules"),
            "cancel_url": reverse("ambassadors:levels"),
        },
    )


@role_required(can_use_recognitions)
def recognition_list(request: HttpRequest) -> HttpResponse:
    recognitions = Recognition.objects.visible_to(request.user).filter(
        ambassador__in=_recognisable(request.user)
    ) | Recognition.objects.visible_to(request.user).filter(given_by=request.user)
    recognitions = recognitions.select_related("ambassador", "given_by").order_by("-created_at")
    page = Paginator(recognitions, 50).get_page(request.GET.get("page"))
    return render(request, "ambassadors/recognition_list.html", {"page": page})


@role_required(can_use_recognitions)
@require_http_methods(["GET", "POST"])
def recognition_create(request: HttpRequest) -> HttpResponse:
    ambassadors = _recognisable(request.user)
    initial = {"ambassador": request.GET.get("ambassador")} if request.GET.get("ambassador", "").isdecimal() else {}
    level_name = request.GET.get("niveau", "")[:60]
    if level_name:
        initial.update(kind=Recognition.Kind.MILESTONE, title=_("Level reached: %(level)s") % {"level": level_name})
    form = RecognitionForm(request.POST or None, initial=initial, ambassadors=ambassadors)
    if request.method == "POST" and form.is_valid():
        ambassador = form.cleaned_data["ambassador"]
        if not can_recognise(request.user, ambassador):
            raise PermissionDenied
        # A milestone marks the level the ambassador holds now, as the database says, never as posted.
        form.cleaned_data["level_points"] = _current_level_points(request.user, ambassador, form.cleaned_data)
        services.recognition_create(
            ambassador=ambassador, given_by=request.user, data=form.cleaned_data, token=form.cleaned_data.get("token")
        )
        messages.success(request, _("The recognition has been recorded."))
        return redirect("ambassadors:profile", pk=ambassador.pk)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Record a recognition"),
            "intro": _("A thank-you, an award or a milestone: it shows on the ambassador's profile."),
            "submit_label": _("Record recognition"),
            "cancel_url": reverse("ambassadors:recognitions"),
        },
    )
