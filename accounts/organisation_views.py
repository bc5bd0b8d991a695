"""The organisation's own pages: onboarding (superuser), settings and officer roles (CISO), the logo."""

from __future__ import annotations

import copy
import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.forms import (
    DepartmentCorrectionForm,
    OfficerAppointForm,
    OrganisationCreateForm,
    OrganisationSettingsForm,
)
from accounts.models import Department, Officer, Organisation
from accounts.permissions import (
    can_correct_department,
    can_create_organisation,
    can_manage_officers,
    can_manage_organisation_settings,
    can_manage_people,
)
from accounts.services import (
    department_correct,
    officer_appoint,
    officer_end,
    organisation_create,
    organisation_update_settings,
)
from core.masking import mask_url
from core.submissions import once_per_submission


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@role_required(can_create_organisation)
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The installation's organisations, for its technical administrators (the only page across organisations)."""
    organisations = Organisation.objects.annotate(
        user_count=Count("users", filter=Q(users__is_active=True), distinct=True),
        ciso_count=Count(
            "users", filter=Q(users__officer_roles__kind=Officer.Kind.CISO, users__is_active=True), distinct=True
        ),
    ).order_by("name")
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@role_required(can_create_organisation)
@require_http_methods(["GET", "POST"])
@once_per_submission
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation, ciso = organisation_create(
                name=form.cleaned_data["name"],
                ciso_email=form.cleaned_data["ciso_email"],
                ciso_name=form.cleaned_data["ciso_name"],
                invited_by=request.user,
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(organisation)s has been created; %(email)s has been invited as its CISO.")
                % {"organisation": organisation.name, "email": ciso.email},
            )
            return redirect("accounts:organisations")
    return render(request, "accounts/organisation_create.html", {"form": form})


@role_required(can_manage_organisation_settings)
@require_http_methods(["GET", "POST"])
@once_per_submission
def organisation_settings(request: HttpRequest) -> HttpResponse:
    # The page shows the stored organisation; the form validates on a copy of it. A form with errors must not change
    # what the rest of the page shows: a new logo that was not saved would be previewed from a URL that serves the
    # stored one (or nothing, a broken image).
    organisation = Organisation.objects.get(pk=request.user.organisation_id)
    form = OrganisationSettingsForm(request.POST or None, request.FILES or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            changed = organisation_update_settings(
                organisation=Organisation.objects.get(pk=organisation.pk),
                actor=request.user,
                changes=form.changes(),
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("The settings have been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("accounts:organisation_settings")
    departments_with_webhook = [
        (department, mask_url(department.teams_webhook_url))
        for department in Department.objects.visible_to(request.user).exclude(teams_webhook_url="").order_by("path")
    ]
    return render(
        request,
        "accounts/organisation_settings.html",
        {
            "form": form,
            "organisation": organisation,
            "departments_with_webhook": departments_with_webhook,
        },
    )


@role_required(can_manage_officers)
@require_http_methods(["GET", "POST"])
@once_per_submission
def officers(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    form = OfficerAppointForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["email"]
        try:
            officer, created = officer_appoint(
                organisation=organisation,
                actor=request.user,
                user=user,
                kind=form.cleaned_data["kind"],
                is_deputy=form.cleaned_data["is_deputy"],
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            message = (
                _("%(name)s is now %(role)s. At their next sign-in they set up the second factor.")
                if created
                else _("The role of %(name)s (%(role)s) has been changed.")
            )
            label = officer.get_kind_display() + (f" ({_('deputy')})" if officer.is_deputy else "")
            messages.success(request, message % {"name": user.full_name or user.email, "role": label})
            return redirect("accounts:officers")
    roles = (
        Officer.objects.visible_to(request.user)
        .filter(user__is_active=True)
        .select_related("user", "user__department")
        .order_by("kind", "is_deputy", "user__full_name")
    )
    return render(request, "accounts/officers.html", {"form": form, "roles": roles})


@role_required(can_manage_officers)
@require_POST
def officer_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(Officer.objects.visible_to(request.user).select_related("user"), pk=pk)
    try:
        officer_end(officer=officer, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:officers")
    messages.success(
        request,
        _("The role %(role)s of %(name)s has been ended.")
        % {"role": officer.get_kind_display(), "name": officer.user.full_name or officer.user.email},
    )
    if officer.user_id == request.user.pk and not can_manage_officers(request.user):
        return redirect("home")
    return redirect("accounts:officers")


@role_required(can_manage_people)
@require_http_methods(["GET", "POST"])
@once_per_submission
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    if not can_correct_department(request.user, department):
        raise PermissionDenied
    form = DepartmentCorrectionForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            changed = department_correct(
                department=department,
                actor=request.user,
                remove_managers=list(form.cleaned_data["remove_managers"]),
                add_manager=form.cleaned_data["add_manager"],
                webhook=form.webhook(),
                request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The department has been updated.") if changed else _("Nothing was changed."))
            return redirect("accounts:department", pk=department.pk)
    return render(request, "accounts/department_edit.html", {"department": department, "form": form})


def organisation_logo(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own organisation's logo (the header shows it); nobody else's."""
    organisation = getattr(request.user, "organisation", None)
    if organisation is None or not organisation.logo:
        raise Http404
    content_type = mimetypes.guess_type(organisation.logo.name)[0] or "application/octet-stream"
    if content_type not in ("image/png", "image/jpeg"):
        raise Http404
    response = FileResponse(organisation.logo.open("rb"), content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
