"""Views of the training app: the officers' side: modules, sessions and the sessions list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.permissions import (
    can_manage_training,
)
from core.listing import paginate_listing
from training import services
from training.forms import (
    MaterialForm,
    ModuleForm,
    SessionForm,
)
from training.models import Enrolment, Module, TrainingSession
from training.views.common import _get_module, _get_session, _year

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
        data = form.cleaned_data
        services.material_add(
            module=module, title=data["title"], file=data["file"], url=data["url"], uploaded_by=request.user
        )
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
        if session.is_cancelled:
            messages.error(request, _("This session was cancelled; it can no longer be changed."))
            return redirect("training:session_detail", pk=session.pk)
    else:
        module = _get_module(request, module_pk)
        session = TrainingSession(module=module)
    form = SessionForm(request.POST or None, instance=session, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_save(
                session=form.save(commit=False), reason=form.cleaned_data.get("reason", ""), user=request.user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(
        request,
        "training/session_form.html",
        {
            "form": form,
            "module": module,
            "session": session if pk else None,
            "corrections": session.corrections.select_related("corrected_by") if pk else None,
        },
    )


# The sessions list: ?q= over these, ?sort= by these keys (the columns), ?mijn= and ?periode= as filters.
SESSION_SEARCH = ["module__title", "module__description", "location", "trainer__full_name", "external_trainer"]
SESSION_SORTS = {
    "module": Lower("module__title"),
    "wanneer": "starts_at",
    "trainer": Lower(Coalesce("trainer__full_name", "external_trainer")),
    "ingeschreven": "enrolled_count",
    "wachtend": "waitlist_count",
    "aanwezig": "attended_count",
}
SESSION_MINE = {"geef": gettext_lazy("Sessions I teach"), "ingeschreven": gettext_lazy("Sessions I am enrolled in")}


@role_required(can_manage_training)
def session_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    past = request.GET.get("periode") == "verleden"
    mine = request.GET.get("mijn", "")
    sessions = TrainingSession.objects.visible_to(user).with_counts().select_related("module", "trainer")
    sessions = sessions.past() if past else sessions.upcoming()
    if mine == "geef":
        sessions = sessions.filter(trainer=user)
    elif mine == "ingeschreven":
        sessions = sessions.filter(pk__in=Enrolment.objects.active().filter(user=user).values("session_id"))
    else:
        mine = ""
    listing = paginate_listing(
        request, sessions, search=SESSION_SEARCH, sorts=SESSION_SORTS, default="-wanneer" if past else "wanneer"
    )
    return render(
        request,
        "training/session_list.html",
        {
            "listing": listing,
            "sessions": listing.page,
            "page": listing.page,
            "past": past,
            "mine": mine,
            "mine_choices": SESSION_MINE.items(),
        },
    )
