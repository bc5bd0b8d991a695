from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db.models import Case, Count, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts import hr_import, unsubscribe
from accounts.decorators import role_required
from accounts.fields import DEPARTMENT_SEARCH_FIELDS
from accounts.forms import HRImportForm, InvitationForm, PreferencesForm
from accounts.models import Department, User
from accounts.permissions import can_correct_department, can_manage_people
from accounts.services import user_invite
from core import audit
from core.autocomplete import options_response
from core.listing import paginate_listing
from core.submissions import once_per_submission

IMPORT_SESSION_KEY = "hr_import_file"
PEOPLE_SORTS = {
    "naam": "full_name",
    "email": "email",
    "afdeling": "department__name",
    "functie": "job_title",
    # Active first when ascending.
    "status": Case(When(is_active=True, then=Value(0)), default=Value(1)),
}


@role_required(can_manage_people)
def people_list(request: HttpRequest) -> HttpResponse:
    listing = paginate_listing(
        request,
        User.objects.visible_to(request.user).select_related("department"),
        search=["full_name", "email", "department__name"],
        sorts=PEOPLE_SORTS,
        default="naam",
    )
    return render(request, "accounts/people_list.html", {"page": listing.page, "listing": listing})


@role_required(can_manage_people)
def department_list(request: HttpRequest) -> HttpResponse:
    departments = (
        Department.objects.visible_to(request.user)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True), distinct=True))
        .prefetch_related("managers")
        .order_by("path")
    )
    return render(request, "accounts/department_list.html", {"departments": departments})


@role_required(can_manage_people)
@require_http_methods(["GET", "POST"])
@once_per_submission
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        user = user_invite(organisation=request.user.organisation, invited_by=request.user, form_data=form.cleaned_data)
        messages.success(
            request,
            _("%(name)s has been invited; they will receive an e-mail to choose a password.")
            % {"name": user.full_name},
        )
        return redirect("accounts:people")
    return render(request, "accounts/invite_form.html", {"form": form})


# The HR export between the dry run and the confirmation, kept in the upload storage (not a local path) so the
# confirmation may reach another web server than the upload did.
IMPORT_FOLDER = "imports"


@role_required(can_manage_people)
@require_http_methods(["GET", "POST"])
def hr_import_view(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and dry run. Step 2 (``confirm``): apply the same file, all or nothing."""
    organisation = request.user.organisation
    context: dict = {"columns": hr_import.HEADER_ALIASES}
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(IMPORT_SESSION_KEY)
        stored_name = (stored or {}).get("stored_name", "")
        if (
            not stored
            or stored.get("token") != request.POST.get("token")
            or not stored_name.startswith(f"{IMPORT_FOLDER}/")
            or not default_storage.exists(stored_name)
        ):
            messages.error(request, _("The uploaded file is no longer available; upload it again."))
            return redirect("accounts:hr_import")
        # Officers this import deactivates are applied only when the person ticked the confirmation for them.
        confirmed = set(request.POST.getlist("officer")) if request.POST.get("confirm_officers") else set()
        keep_file = False
        try:
            with default_storage.open(stored_name, "rb") as handle:
                rows = hr_import.read_rows(handle, stored["name"])
            plan = hr_import.plan_import(organisation, rows, apply=True, confirmed=confirmed)
            keep_file = plan.needs_confirmation and not plan.applied
        except hr_import.ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("accounts:hr_import")
        finally:
            if not keep_file:
                default_storage.delete(stored_name)
                request.session.pop(IMPORT_SESSION_KEY, None)
        if plan.applied:
            for loss in plan.officers_deactivated:
                audit.record(
                    "hr_import_officer_deactivated",
                    request=request,
                    object_type="accounts.user",
                    object_id=str(User.objects.filter(email=loss.email).values_list("pk", flat=True).first() or ""),
                    detail=f"roles: {', '.join(loss.roles)}"[:255],
                )
            messages.success(
                request,
                _("Import done: %(created)s employees added, %(updated)s updated, %(departments)s departments added.")
                % {
                    "created": len(plan.users_created),
                    "updated": len(plan.users_updated),
                    "departments": len(plan.departments_created),
                },
            )
            return redirect("accounts:people")
        if keep_file:
            context.update(token=stored["token"], confirmation_missing=True)
        context.update(plan=plan)
        return render(request, "accounts/hr_import.html", {**context, "form": HRImportForm()})

    form = HRImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            rows = hr_import.read_rows(uploaded, uploaded.name)
        except hr_import.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            plan = hr_import.plan_import(organisation, rows, apply=False)
            context["plan"] = plan
            if plan.ok:
                token = uuid.uuid4().hex
                suffix = Path(uploaded.name).suffix.lower()
                uploaded.seek(0)
                stored_name = default_storage.save(f"{IMPORT_FOLDER}/{token}{suffix}", uploaded)
                request.session[IMPORT_SESSION_KEY] = {
                    "token": token,
                    "stored_name": stored_name,
                    "name": uploaded.name,
                }
                context["token"] = token
    context["form"] = form
    return render(request, "accounts/hr_import.html", context)


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences have been saved."))
        response = redirect("accounts:preferences")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.cleaned_data["language"],
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
        return response
    return render(request, "accounts/preferences.html", {"form": form})


@require_http_methods(["GET"])
def department_search(request: HttpRequest) -> HttpResponse:
    """The options of a department combobox (``accounts.fields``): the signed-in user's organisation's departments
    whose name or code holds what was typed, the active ones only when asked (``actief``)."""
    departments = Department.objects.visible_to(request.user)
    if request.GET.get("actief"):
        departments = departments.active()
    return options_response(
        request, departments.order_by("name", "pk").only("pk", "name"), DEPARTMENT_SEARCH_FIELDS, lambda d: d.name
    )


@role_required(can_manage_people)
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.visible_to(request.user).prefetch_related("managers"), pk=pk)
    members = department.members.filter(is_active=True).order_by("full_name")
    children = department.children.order_by("name")
    return render(
        request,
        "accounts/department_detail.html",
        {
            "department": department,
            "members": members,
            "children": children,
            "can_correct": can_correct_department(request.user, department),
        },
    )


@login_not_required
@csrf_exempt  # RFC 8058 one-click POSTs come from mail clients, without a CSRF token; the signed link is the proof.
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    found = unsubscribe.read_token(token)
    if found is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=404)
    user, kind = found
    if request.method == "POST":
        unsubscribe.unsubscribe(user, kind)
        return render(request, "accounts/unsubscribe.html", {"done": True, "kind": kind})
    return render(request, "accounts/unsubscribe.html", {"kind": kind, "token": token})
