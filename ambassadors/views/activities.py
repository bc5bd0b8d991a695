"""Views of the ambassadors app: the activity log and its corrections."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.permissions import (
    activity_department_ids,
    can_change_activity,
    can_correct_activity,
    can_correct_appointment,
    can_log_activity,
)
from ambassadors import selectors, services
from ambassadors.forms import (
    ActivityCorrectionForm,
    ActivityFilterForm,
    ActivityForm,
    AppointmentCorrectionForm,
)
from ambassadors.models import (
    Activity,
    Appointment,
    quarter_bounds,
)
from ambassadors.views.common import (
    ACTIVITY_SEARCH,
    ACTIVITY_SORTS,
    _activity,
)
from core.deletion import confirm_delete
from core.formatting import number, short_date
from core.listing import paginate_listing, search_filter

# --- Activity log -------------------------------------------------------------------------------


def _match_planned_item(form: ActivityForm, activity: Activity) -> None:
    """The planned item confirmed in the form (see ambassadors.programmes)."""
    if "planned_item" in form.fields:
        from ambassadors.programmes.services import activity_match_set

        activity_match_set(activity=activity, item=form.cleaned_data.get("planned_item"))


@role_required(can_log_activity)
def activity_list(request: HttpRequest) -> HttpResponse:
    filters = ActivityFilterForm(request.GET or None)
    start, end, period = filters.period_bounds()
    activities = Activity.objects.visible_to(request.user).filter(user=request.user).between(start, end)
    if filters.is_valid() and filters.cleaned_data.get("kind"):
        activities = activities.filter(kind=filters.cleaned_data["kind"])
    activities = search_filter(activities, request.GET.get("q", ""), ACTIVITY_SEARCH)
    totals = activities.totals()
    appointments = list(Appointment.objects.visible_to(request.user).filter(user=request.user).overlapping(start, end))
    agreed = selectors.hours_agreed(appointments, start, end)
    ratio = round(totals["hours"] / agreed * 100) if agreed else None
    quarter_start, _quarter_end = quarter_bounds(timezone.localdate())
    listing = paginate_listing(
        request, activities.select_related("topic__plan"), sorts=ACTIVITY_SORTS, default="-datum"
    )
    return render(
        request,
        "ambassadors/activity_list.html",
        {
            "filters": filters,
            "page": listing.page,
            "listing": listing,
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
    form = ActivityForm(request.POST or None, user=request.user, covered_ids=activity_department_ids(request.user))
    if request.method == "POST" and form.is_valid():
        activity_obj, created = services.activity_log(
            user=request.user, data=form.cleaned_data, token=form.cleaned_data.get("token")
        )
        _match_planned_item(form, activity_obj)
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
    covered = activity_department_ids(request.user, activity)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user, covered_ids=covered)
    if request.method == "POST" and form.is_valid():
        services.activity_update(activity=activity, data=form.cleaned_data)
        _match_planned_item(form, activity)
        messages.success(request, _("The activity has been changed."))
        return redirect("ambassadors:activity_list")
    return render(request, "ambassadors/activity_form.html", {"form": form, "activity": activity})


@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not can_change_activity(request.user, activity):
        messages.error(request, _("This activity is in a closed quarter and can no longer be changed."))
        return redirect("ambassadors:activity_list")
    return confirm_delete(
        request,
        delete=lambda: services.activity_delete(activity=activity),
        done=_("The activity has been deleted."),
        next_url=reverse("ambassadors:activity_list"),
        title=_("Delete this activity?"),
        question=_("%(kind)s on %(date)s (%(hours)s hours) is removed from your log and your figures.")
        % {"kind": activity.get_kind_display(), "date": short_date(activity.date), "hours": number(activity.hours, 1)},
        cancel_url=reverse("ambassadors:activity_list"),
    )


@require_http_methods(["GET", "POST"])
def activity_correct(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.visible_to(request.user).select_related("user"), pk=pk)
    if not can_correct_activity(request.user, activity):
        raise Http404
    form = ActivityCorrectionForm(
        request.POST or None,
        instance=activity,
        user=request.user,
        covered_ids=activity_department_ids(request.user, activity),
    )
    if request.method == "POST" and form.is_valid():
        # The form has already set the new values on the instance: the service compares with the stored ones.
        stored = Activity.objects.get(pk=activity.pk)
        if services.activity_correct(activity=stored, officer=request.user, data=form.cleaned_data) is None:
            messages.info(request, _("Nothing was changed."))
        else:
            messages.success(request, _("The activity has been corrected; the old values are kept with the reason."))
        return redirect("ambassadors:profile", pk=activity.user_id)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Correct an activity of %(name)s") % {"name": activity.user},
            "intro": _("The figures of the programme are based on this activity: give the reason for the correction."),
            "submit_label": _("Save correction"),
            "cancel_url": reverse("ambassadors:profile", args=[activity.user_id]),
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment.objects.visible_to(request.user).select_related("user"), pk=pk)
    if not can_correct_appointment(request.user, appointment):
        raise Http404
    form = AppointmentCorrectionForm(request.POST or None, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_correct(appointment=appointment, officer=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("The term has been corrected; the old values are kept with the reason."))
            return redirect("ambassadors:profile", pk=appointment.user_id)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("End or extend the term of %(name)s") % {"name": appointment.user},
            "intro": _("Term from %(start)s. Coverage, roles and figures follow the new end date.")
            % {"start": appointment.term_start.strftime("%d-%m-%Y")},
            "submit_label": _("Save correction"),
            "cancel_url": reverse("ambassadors:profile", args=[appointment.user_id]),
        },
    )
