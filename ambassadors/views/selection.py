"""Views of the ambassadors app: selection, nominations, appointments and the ambassadors' profiles."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.models import Department, User
from accounts.permissions import (
    ambassador_overview_scope,
    can_change_recognition,
    can_correct_activity,
    can_correct_appointment,
    can_manage_ambassadors,
    can_manage_levels,
    can_recognise,
    can_view_ambassador_overview,
    can_view_department_histories,
    can_view_department_history,
    can_withdraw_nomination,
    nomination_candidate_department_ids,
    profile_activity_scope,
)
from ambassadors import levels as ambassador_levels
from ambassadors import selectors, services
from ambassadors.forms import (
    AppointmentForm,
    DeclineForm,
    NominationFilterForm,
    NominationForm,
)
from ambassadors.models import (
    Activity,
    Appointment,
    Nomination,
    PointsScheme,
    Recognition,
    quarter_bounds,
)
from ambassadors.views.common import (
    _ambassador,
    _nomination,
)
from core.deletion import confirm_delete
from core.listing import paginate_listing
from core.models import Correction
from core.years import same_day_in_year

# --- Selection and rotation -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def nomination_create(request: HttpRequest) -> HttpResponse:
    form = NominationForm(
        request.POST or None,
        user=request.user,
        candidate_department_ids=nomination_candidate_department_ids(request.user),
    )
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


@require_http_methods(["GET", "POST"])
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    if not can_withdraw_nomination(request.user, nomination):
        raise Http404
    return confirm_delete(
        request,
        delete=lambda: services.nomination_withdraw(nomination=nomination, user=request.user),
        done=_("The nomination has been withdrawn."),
        next_url=reverse("ambassadors:nominate"),
        title=_("Withdraw the nomination of %(name)s?") % {"name": nomination.nominee},
        question=_("The officers will no longer consider it. You can submit a new nomination later."),
        cancel_url=reverse("ambassadors:nominate"),
        submit_label=_("Withdraw"),
    )


@role_required(can_manage_ambassadors)
def nomination_list(request: HttpRequest) -> HttpResponse:
    filters = NominationFilterForm(request.GET or None, user=request.user)
    nominations = Nomination.objects.visible_to(request.user).select_related("nominee", "nominated_by", "department")
    listing = paginate_listing(
        request, nominations, search=["nominee__full_name", "department__name", "motivation"], filters=filters
    )
    return render(
        request, "ambassadors/nomination_list.html", {"page": listing.page, "listing": listing, "filters": filters}
    )


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


@role_required(can_view_department_histories)
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
    today = timezone.localdate()
    start, end = quarter_bounds(today)
    scope = ambassador_overview_scope(request.user)
    appointments = Appointment.objects.visible_to(request.user).current(today).within(scope)
    activities = Activity.objects.visible_to(request.user).between(start, end).within(scope)
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
    appointments = list(
        Appointment.objects.visible_to(request.user)
        .filter(user=person)
        .prefetch_related("departments")
        .select_related("predecessor__user")
        .order_by("-term_start")
    )
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(user=person)
        .within(profile_activity_scope(request.user, person))
    )
    year_start = timezone.localdate().replace(month=1, day=1)
    totals = activities.filter(date__gte=year_start).totals()
    recent = activities.select_related("topic", "department")[:10]
    scheme = PointsScheme.for_organisation(request.user.organisation_id)
    row = ambassador_levels.with_points(User.objects.filter(pk=person.pk), scheme, "pk").values(
        "points", "level_number", "recognised_points"
    )[0]
    level = ambassador_levels.standing(scheme, row["points"], row["level_number"], row["recognised_points"])
    recognitions = list(
        Recognition.objects.visible_to(request.user).filter(ambassador=person).select_related("given_by")
    )
    for recognition in recognitions:
        recognition.ambassador = person  # one object: the access rule reads the person's terms once
        recognition.can_change = can_change_recognition(request.user, recognition)
    for appointment in appointments:
        appointment.can_correct = can_correct_appointment(request.user, appointment)
    recent = list(recent)
    for activity in recent:
        activity.can_correct = can_correct_activity(request.user, activity)
    corrections = (
        Correction.objects.visible_to(request.user)
        .filter(Q(appointment__user=person) | Q(activity__in=activities))
        .select_related("corrected_by")
        .prefetch_related("record")[:20]
    )
    # training is a sibling app: read through the app registry, never imported.
    enrolment_model = django_apps.get_model("training", "Enrolment")
    trainings = (
        enrolment_model.objects.visible_to(request.user)
        .filter(user=person, attended=True)
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
            "corrections": corrections,
        },
    )
