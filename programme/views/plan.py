"""The annual plan: year grid, topic list, print view, publish and copy; topics and their materials."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import (
    can_manage_programme,
    can_read_topic,
    can_view_communication,
    can_view_plan,
    can_view_topic,
)
from core.deletion import confirm_delete
from core.submissions import once_per_submission
from core.uploads import serve_upload
from programme import services
from programme.forms import MaterialForm, TopicFilterForm, TopicForm
from programme.library.selectors import library_context
from programme.models import AnnualPlan, Topic, TopicMaterial
from programme.views.common import form_page, get_plan, get_topic, readable_topics


@require_GET
@role_required(can_view_plan)
def index(request: HttpRequest) -> HttpResponse:
    return redirect("programme:plan", year=timezone.localdate().year)


def _grid(topics: list[Topic]) -> list[dict]:
    by_quarter: dict[int, list[Topic]] = defaultdict(list)
    by_month: dict[int, list[Topic]] = defaultdict(list)
    for topic in topics:
        if topic.month:
            by_month[topic.month].append(topic)
        else:
            by_quarter[topic.quarter].append(topic)
    return [
        {
            "number": quarter,
            "topics": by_quarter[quarter],
            "months": [
                {"number": month, "name": MONTHS[month], "topics": by_month[month]}
                for month in range(3 * quarter - 2, 3 * quarter + 1)
            ],
        }
        for quarter in (1, 2, 3, 4)
    ]


@require_GET
@role_required(can_view_plan)
def plan_year(request: HttpRequest, year: int) -> HttpResponse:
    plan = get_plan(request, year)
    topics = list(
        readable_topics(request.user).filter(plan__year=year).select_related("department").order_by("month", "title")
    )
    previous = AnnualPlan.objects.visible_to(request.user).filter(year=year - 1).first()
    return render(
        request,
        "programme/plan_year.html",
        {
            "year": year,
            "plan": plan,
            "quarters": _grid(topics),
            "topic_count": len(topics),
            "previous_plan": previous if can_manage_programme(request.user) else None,
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_GET
@role_required(can_view_plan)
def topic_list(request: HttpRequest, year: int) -> HttpResponse:
    form = TopicFilterForm(request.GET or None, organisation_id=request.user.organisation_id)
    topics = (
        readable_topics(request.user)
        .filter(plan__year=year)
        .select_related("department", "owner")
        .order_by("quarter", "month", "title")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["quarter"]:
            topics = topics.in_quarter(year, data["quarter"])
        if data["month"]:
            topics = topics.filter(month=data["month"])
        if data["department"]:
            topics = topics.filter(department=data["department"])
        if data["status"]:
            topics = topics.filter(status=data["status"])
        if data["channel"]:
            topics = topics.with_channel(data["channel"])
    return render(
        request,
        "programme/topic_list.html",
        {"year": year, "form": form, "topics": topics, "can_manage": can_manage_programme(request.user)},
    )


@require_GET
@role_required(can_view_plan)
def plan_print(request: HttpRequest, year: int) -> HttpResponse:
    plan = get_plan(request, year)
    topics = list(
        readable_topics(request.user)
        .filter(plan__year=year)
        .select_related("department", "owner")
        .order_by("month", "title")
    )
    return render(request, "programme/plan_print.html", {"year": year, "plan": plan, "quarters": _grid(topics)})


@require_POST
@role_required(can_manage_programme)
def plan_publish(request: HttpRequest, year: int) -> HttpResponse:
    plan = get_plan(request, year)
    if plan is None:
        raise Http404
    services.plan_publish(plan=plan)
    messages.success(request, _("The plan for %(year)s is published.") % {"year": year})
    return redirect("programme:plan", year=year)


@require_POST
@role_required(can_manage_programme)
def plan_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Copy the plan of ``year`` into the next year."""
    source = get_plan(request, year)
    if source is None:
        raise Http404
    try:
        services.plan_copy(source=source, year=year + 1)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programme:plan", year=year)
    messages.success(
        request,
        _("The plan for %(year)s was copied into %(next)s as a draft; check the dates and publish it.")
        % {"year": year, "next": year + 1},
    )
    return redirect("programme:plan", year=year + 1)


@require_POST
@role_required(can_manage_programme)
@once_per_submission
def plan_create(request: HttpRequest, year: int) -> HttpResponse:
    services.plan_create(organisation=request.user.organisation, year=year)
    messages.success(
        request, _("The annual plan for %(year)s has been created as a draft; add its topics.") % {"year": year}
    )
    return redirect("programme:plan", year=year)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def topic_create(request: HttpRequest, year: int) -> HttpResponse:
    plan = get_plan(request, year)
    if plan is None:
        messages.info(request, _("Create the annual plan for %(year)s first.") % {"year": year})
        return redirect("programme:plan", year=year)
    initial = {}
    if request.GET.get("kwartaal", "").isdecimal():
        initial["quarter"] = int(request.GET["kwartaal"])
    form = TopicForm(request.POST or None, plan=plan, initial={"owner": request.user, **initial})
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(plan=plan, data=form.topic_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The topic %(title)s was added as a draft.") % {"title": topic.title})
            return redirect("programme:topic", pk=topic.pk)
    return form_page(
        request,
        form,
        title=_("New topic for %(year)s") % {"year": year},
        cancel=reverse("programme:plan", args=[year]),
        submit=_("Save topic"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def topic_update(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic(request, pk)
    form = TopicForm(request.POST or None, instance=topic, plan=topic.plan)
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version")
        try:
            services.topic_update(
                topic=topic,
                expected_version=expected if expected is not None else -1,
                data=form.topic_data(),
                reason=form.cleaned_data.get("reason", ""),
                user=request.user,
            )
        except services.StaleTopicError:
            form.add_error(
                None,
                _(
                    "Someone else saved this topic after you opened it. Your changes have not been saved; "
                    "they are still in the form. Open the topic again in a new tab to see the latest version."
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The topic has been saved."))
            return redirect("programme:topic", pk=topic.pk)
    return form_page(
        request,
        form,
        title=_("Edit topic %(title)s") % {"title": topic.title},
        cancel=reverse("programme:topic", args=[topic.pk]),
        submit=_("Save topic"),
        intro=_(
            "This topic is published in the annual plan: an edit is a correction with a reason, kept in its history."
        )
        if topic.is_fact
        else None,
        corrections=topic.corrections.select_related("corrected_by"),
    )


@require_GET
@role_required(can_view_plan)
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic(request, pk)
    return render(
        request,
        "programme/topic_detail.html",
        {
            "topic": topic,
            "corrections": topic.corrections.select_related("corrected_by"),
            "materials": topic.materials.all(),
            "topic_messages": topic.messages.all() if can_view_communication(request.user) else None,
            "can_manage": can_manage_programme(request.user),
            **library_context(request.user, topic),
        },
    )


@require_POST
@role_required(can_manage_programme)
def topic_status(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic(request, pk)
    status = request.POST.get("status")
    if status not in Topic.Status.values:
        raise Http404
    services.topic_set_status(topic=topic, status=status)
    messages.success(request, _("The topic's status is now: %(status)s.") % {"status": topic.get_status_display()})
    return redirect("programme:topic", pk=topic.pk)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic(request, pk)
    return confirm_delete(
        request,
        delete=lambda: services.topic_delete(topic=topic),
        done=_("The topic has been deleted."),
        next_url=reverse("programme:plan", args=[topic.plan.year]),
        title=_("Delete topic %(title)s") % {"title": topic.title},
        question=_("The topic, its materials and its planned messages are deleted. This cannot be undone."),
        cancel_url=reverse("programme:topic", args=[topic.pk]),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.material_add(
            topic=topic, title=form.cleaned_data["title"], file=form.cleaned_data["file"], url=form.cleaned_data["url"]
        )
        messages.success(request, _("The material has been added."))
        return redirect("programme:topic", pk=topic.pk)
    return form_page(
        request,
        form,
        title=_("Add material to %(title)s") % {"title": topic.title},
        cancel=reverse("programme:topic", args=[topic.pk]),
        submit=_("Add material"),
        multipart=True,
    )


def _get_material(request: HttpRequest, pk: int) -> TopicMaterial:
    material = get_object_or_404(
        TopicMaterial.objects.visible_to(request.user).select_related("topic", "topic__plan"),
        pk=pk,
    )
    if not can_read_topic(request.user, material.topic):
        raise Http404
    return material


@require_GET
def topic_read(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic read-only, for every employee the topic is meant for (see ``can_read_topic``)."""
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("plan", "department", "owner"), pk=pk
    )
    if not can_read_topic(request.user, topic):
        raise Http404
    return render(
        request,
        "programme/topic_read.html",
        {"topic": topic, "materials": topic.materials.all(), "can_open_plan": can_view_topic(request.user, topic)},
    )


@require_GET
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    material = _get_material(request, pk)
    if not material.file:
        raise Http404
    return serve_upload(material.file, material.original_name)


@require_POST
@role_required(can_manage_programme)
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = _get_material(request, pk)
    services.material_delete(material=material)
    messages.success(request, _("The material has been removed."))
    return redirect("programme:topic", pk=material.topic_id)
