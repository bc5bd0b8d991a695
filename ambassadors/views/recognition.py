"""Views of the ambassadors app: recognition and levels."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.models import User
from accounts.permissions import (
    can_change_recognition,
    can_manage_levels,
    can_recognise,
    can_use_recognitions,
    can_view_levels,
    has_ambassador_standing,
    recognisable_scope,
)
from ambassadors import levels as ambassador_levels
from ambassadors import services
from ambassadors.forms import (
    PointsSchemeForm,
    RecognitionEditForm,
    RecognitionForm,
)
from ambassadors.models import (
    Activity,
    Appointment,
    PointsScheme,
    Recognition,
)
from core.deletion import confirm_delete
from core.listing import page_of

# --- Recognition --------------------------------------------------------------------------------


def _recognisable(user: User):
    """Officers: every (past or current) ambassador of the organisation; managers: those of their departments."""
    scope = recognisable_scope(user)
    appointments = Appointment.objects.visible_to(user)
    if scope is not None:
        # A manager recognises the ambassadors serving their departments now, not those who served before.
        appointments = appointments.current().within(scope)
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
    if has_ambassador_standing(request.user):
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
    return render(request, "ambassadors/recognition_list.html", {"page": page_of(request, recognitions)})


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


def _recognition(request: HttpRequest, pk: int) -> Recognition:
    recognition = get_object_or_404(Recognition.objects.visible_to(request.user).select_related("ambassador"), pk=pk)
    if not can_change_recognition(request.user, recognition):
        raise Http404
    return recognition


@require_http_methods(["GET", "POST"])
def recognition_update(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = _recognition(request, pk)
    form = RecognitionEditForm(request.POST or None, instance=recognition)
    if request.method == "POST" and form.is_valid():
        services.recognition_update(recognition=recognition, user=request.user, data=form.cleaned_data)
        messages.success(request, _("The recognition has been corrected."))
        return redirect("ambassadors:profile", pk=recognition.ambassador_id)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("Correct the recognition of %(name)s") % {"name": recognition.ambassador},
            "intro": _("An e-mail already sent is not sent again."),
            "submit_label": _("Save"),
            "cancel_url": reverse("ambassadors:profile", args=[recognition.ambassador_id]),
        },
    )


@require_http_methods(["GET", "POST"])
def recognition_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = _recognition(request, pk)
    profile_url = reverse("ambassadors:profile", args=[recognition.ambassador_id])
    return confirm_delete(
        request,
        delete=lambda: services.recognition_delete(recognition=recognition, user=request.user),
        done=_("The recognition has been deleted."),
        next_url=profile_url,
        title=_("Delete the recognition “%(title)s”?") % {"title": recognition.title},
        question=_("It no longer shows on the profile of %(name)s.") % {"name": recognition.ambassador},
        cancel_url=profile_url,
    )
