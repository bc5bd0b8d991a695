"""Views of the department year programme and good practices (thin: access, form, service, redirect)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_agree_department_programme,
    can_change_department_programme,
    can_draft_department_programme,
    can_feature_good_practice,
    can_feature_good_practices,
    can_share_good_practice,
    can_view_department_programme,
    can_view_department_programmes,
    can_view_good_practices,
    can_view_programme_overview,
    department_programme_scope,
    draftable_department_ids,
)
from ambassadors.models import Activity
from ambassadors.programmes import selectors, services
from ambassadors.programmes.forms import (
    DecisionForm,
    GoodPracticeForm,
    PlannedItemForm,
    PracticeFilterForm,
    StartForm,
)
from ambassadors.programmes.models import DepartmentProgramme, GoodPractice, PlannedItem
from core.years import year_from_query


def _programme(request: HttpRequest, pk: int) -> DepartmentProgramme:
    programme = get_object_or_404(
        DepartmentProgramme.objects.visible_to(request.user).select_related("department", "decided_by"), pk=pk
    )
    if not can_view_department_programme(request.user, programme):
        raise Http404
    return programme


def _item(request: HttpRequest, pk: int) -> PlannedItem:
    item = get_object_or_404(
        PlannedItem.objects.visible_to(request.user).select_related("programme__department"), pk=pk
    )
    if not can_view_department_programme(request.user, item.programme):
        raise Http404
    if not can_change_department_programme(request.user, item.programme):
        raise PermissionDenied
    return item


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@role_required(can_view_department_programmes)
def programme_list(request: HttpRequest) -> HttpResponse:
    year = year_from_query(request)
    scope = department_programme_scope(request.user)
    programmes = list(
        DepartmentProgramme.objects.visible_to(request.user)
        .within(scope)
        .select_related("department")
        .order_by("-year", "department__path")
    )
    drafted = {(p.department_id, p.year) for p in programmes}
    draftable = [
        d
        for d in Department.objects.visible_to(request.user)
        .filter(pk__in=list(draftable_department_ids(request.user)))
        .order_by("path")
        if (d.pk, year) not in drafted
    ]
    return render(
        request,
        "department_programme/programme_list.html",
        {"programmes": programmes, "draftable": draftable, "year": year},
    )


@require_POST
@role_required(can_view_department_programmes)
def programme_start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST, department_ids=draftable_department_ids(request.user))
    if not form.is_valid():
        raise PermissionDenied
    department = form.cleaned_data["department"]
    if not can_draft_department_programme(request.user, department):
        raise PermissionDenied
    programme, created = services.programme_start(
        user=request.user, department=department, year=form.cleaned_data["year"]
    )
    if created:
        messages.success(
            request, _("A draft programme has been made from the annual plan. Adjust it to your department.")
        )
    return redirect("department_programmes:programme", pk=programme.pk)


@require_http_methods(["GET"])
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    items = selectors.programme_items(programme)
    return render(
        request,
        "department_programme/programme_detail.html",
        {
            "programme": programme,
            "items": items,
            "quarters": selectors.quarters(items),
            "hours": selectors.hours_against_appointments(programme, items),
            "can_change": can_change_department_programme(request.user, programme),
            "can_agree": can_agree_department_programme(request.user, programme),
            "decision_form": DecisionForm(),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not (can_change_department_programme(request.user, programme) and programme.is_open_for_drafting):
        raise PermissionDenied
    form = PlannedItemForm(request.POST or None, programme=programme, initial={"ambassador": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_create(programme=programme, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The item has been added."))
            return redirect("department_programmes:programme", pk=programme.pk)
    return render(
        request,
        "ambassadors/simple_form.html",
        {
            "form": form,
            "title": _("New planned item"),
            "submit_label": _("Add item"),
            "cancel_url": programme_url(programme),
        },
    )


def programme_url(programme: DepartmentProgramme) -> str:
    from django.urls import reverse

    return reverse("department_programmes:programme", args=[programme.pk])


@require_http_methods(["GET", "POST"])
def item_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = PlannedItemForm(request.POST or None, instance=item, programme=item.programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item,
                data={name: value for name, value in form.cleaned_data.items() if name != "reason"},
                reason=form.cleaned_data.get("reason", ""),
                user=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The item has been changed."))
            return redirect("department_programmes:programme", pk=item.programme_id)
    return render(
        request,
        "department_programme/item_form.html",
        {
            "form": form,
            "title": _("Change planned item"),
            "intro": _("Moved to another month, or dropped? Record it here with the reason."),
            "submit_label": _("Save"),
            "cancel_url": programme_url(item.programme),
            "corrections": item.corrections.select_related("corrected_by"),
        },
    )


@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if not item.programme.is_open_for_drafting:
        raise PermissionDenied
    if request.method == "POST":
        services.item_delete(item=item)
        messages.success(request, _("The item has been deleted."))
        return redirect("department_programmes:programme", pk=item.programme_id)
    return render(
        request,
        "ambassadors/confirm_delete.html",
        {
            "title": _("Delete planned item"),
            "text": _("Delete “%(title)s” from the programme?") % {"title": item.title},
            "submit_label": _("Delete"),
            "cancel_url": programme_url(item.programme),
        },
    )


@require_POST
def programme_submit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not (can_change_department_programme(request.user, programme) and programme.is_open_for_drafting):
        raise PermissionDenied
    try:
        services.programme_submit(programme=programme)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The programme has been submitted for agreement."))
    return redirect("department_programmes:programme", pk=programme.pk)


@require_POST
def programme_decide(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not can_agree_department_programme(request.user, programme):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    agree = "agree" in request.POST
    if form.is_valid():
        try:
            services.programme_decide(
                programme=programme, user=request.user, agree=agree, remark=form.cleaned_data["remark"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The programme has been agreed.") if agree else _("The programme has been sent back.")
            )
            return redirect("department_programmes:programme", pk=programme.pk)
    items = selectors.programme_items(programme)
    return render(
        request,
        "department_programme/programme_detail.html",
        {
            "programme": programme,
            "items": items,
            "quarters": selectors.quarters(items),
            "hours": selectors.hours_against_appointments(programme, items),
            "can_change": False,
            "can_agree": True,
            "decision_form": form,
            "today": timezone.localdate(),
        },
    )


@require_POST
def programme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not can_change_department_programme(request.user, programme):
        raise PermissionDenied
    try:
        copy = services.programme_copy(programme=programme, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("department_programmes:programme", pk=programme.pk)
    messages.success(request, _("The programme has been copied to %(year)s as a draft.") % {"year": copy.year})
    return redirect("department_programmes:programme", pk=copy.pk)


@role_required(can_view_programme_overview)
def programme_overview(request: HttpRequest, year: int) -> HttpResponse:
    return render(
        request,
        "department_programme/overview.html",
        {"overview": selectors.overview(request.user, year), "year": year},
    )


# --- Good practices ---------------------------------------------------------------------------------


@role_required(can_view_good_practices)
def practice_list(request: HttpRequest) -> HttpResponse:
    filters = PracticeFilterForm(request.GET or None, organisation_id=request.user.organisation_id)
    practices = (
        GoodPractice.objects.visible_to(request.user)
        .with_reuse()
        .select_related("topic", "author", "department")
        .prefetch_related("materials")
    )
    if filters.is_valid():
        if filters.cleaned_data.get("topic"):
            practices = practices.filter(topic=filters.cleaned_data["topic"])
        if filters.cleaned_data.get("kind"):
            practices = practices.filter(kind=filters.cleaned_data["kind"])
    year = timezone.localdate().year
    own = list(
        DepartmentProgramme.objects.visible_to(request.user)
        .filter(department_id__in=list(draftable_department_ids(request.user)), year=year)
        .select_related("department")
    )
    return render(
        request,
        "department_programme/practice_list.html",
        {
            "practices": list(practices[:100]),
            "filters": filters,
            "own_programmes": own,
            "can_feature": can_feature_good_practices(request.user),
            "can_share": can_share_good_practice(request.user),
        },
    )


@role_required(can_share_good_practice)
@require_http_methods(["GET", "POST"])
def practice_create(request: HttpRequest) -> HttpResponse:
    item = None
    initial = {}
    activities = None
    item_id = request.GET.get("onderdeel") or request.POST.get("item")
    if item_id:
        if not item_id.isascii() or not item_id.isdigit():
            raise Http404
        item = _item(request, int(item_id))
        initial = {"title": item.title, "kind": item.kind, "topic": item.topic_id, "hours": item.hours}
    else:
        since = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year - 1)
        activities = (
            Activity.objects.visible_to(request.user).filter(user=request.user, date__gte=since).order_by("-date")
        )
    form = GoodPracticeForm(
        request.POST or None,
        request.FILES or None,
        organisation_id=request.user.organisation_id,
        activities=activities,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_share(
                user=request.user,
                data=form.cleaned_data,
                item=item,
                activity=form.cleaned_data.get("activity"),
                material_title=form.cleaned_data.get("material_title", ""),
                file=form.cleaned_data.get("material_file"),
                url=form.cleaned_data.get("material_url", ""),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your good practice is shared with the other ambassadors."))
            return redirect("department_programmes:practices")
    return render(
        request,
        "department_programme/practice_form.html",
        {"form": form, "item": item},
    )


@require_POST
@role_required(can_share_good_practice)
def practice_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(GoodPractice.objects.visible_to(request.user), pk=pk)
    programme_id = request.POST.get("programme", "")
    programme = _programme(request, int(programme_id) if programme_id.isascii() and programme_id.isdigit() else 0)
    if not can_change_department_programme(request.user, programme):
        raise PermissionDenied
    services.practice_adopt(practice=practice, programme=programme, user=request.user)
    messages.success(request, _("The good practice has been added to your department programme."))
    return redirect("department_programmes:programme", pk=programme.pk)


@require_POST
def practice_feature(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(GoodPractice.objects.visible_to(request.user), pk=pk)
    if not can_feature_good_practice(request.user, practice):
        raise PermissionDenied
    services.practice_feature(practice=practice, featured=not practice.featured)
    messages.success(request, _("The good practice is featured.") if practice.featured else _("No longer featured."))
    return redirect("department_programmes:practices")


@require_POST
def practice_mailing(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer features the practice in this quarter's mailing text (then edits and previews the mailing)."""
    practice = get_object_or_404(GoodPractice.objects.visible_to(request.user), pk=pk)
    if not can_feature_good_practice(request.user, practice):
        raise PermissionDenied
    try:
        mailing = services.practice_into_mailing(practice=practice, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("department_programmes:practices")
    messages.success(request, _("The good practice is added to the text of this quarter's mailing; check it here."))
    return redirect("programme:mailing_edit", year=mailing.year, quarter=mailing.quarter)
