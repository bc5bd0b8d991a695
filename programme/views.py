"""Views of the programme app: thin; access through accounts.permissions, writes through programme.services."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_confirm_hours,
    can_confirm_hours_for,
    can_manage_programme,
    can_view_budget,
    can_view_communication,
    can_view_goals,
    can_view_plan,
    can_view_topic,
    get_roles,
)
from core.formatting import number
from core.submissions import once_per_submission
from core.uploads import serve_upload
from programme import delivery, services
from programme.calendar import calendar_feed
from programme.forms import (
    BudgetLineForm,
    GoalForm,
    HoursConfirmationForm,
    KpiForm,
    KpiMeasurementForm,
    MailingForm,
    MaterialForm,
    MessageForm,
    PreviewForm,
    PullSuggestionsForm,
    SuggestionForm,
    TopicFilterForm,
    TopicForm,
)
from programme.models import (
    AnnualPlan,
    BudgetLine,
    CalendarToken,
    Goal,
    HoursConfirmation,
    Kpi,
    KpiMeasurement,
    MailingRecipient,
    Message,
    QuarterlyMailing,
    Topic,
    TopicMaterial,
    TopicSuggestion,
)

MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


def _form_page(request: HttpRequest, form, *, title: str, cancel: str, submit: str, **extra: Any) -> HttpResponse:
    return render(
        request,
        "programme/form.html",
        {"form": form, "title": title, "cancel_url": cancel, "submit_label": submit, **extra},
    )


# Fetch helpers: 404 for whatever the user may not know exists -----------------------------------


def readable_topics(user) -> QuerySet[Topic]:
    topics = Topic.objects.visible_to(user)
    return topics if can_manage_programme(user) else topics.published()


def _get_topic(request: HttpRequest, pk: int) -> Topic:
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("plan", "department", "owner"), pk=pk
    )
    if not can_view_topic(request.user, topic):
        raise Http404
    return topic


def _get_plan(request: HttpRequest, year: int) -> AnnualPlan | None:
    return AnnualPlan.objects.visible_to(request.user).filter(year=_check_year(year)).first()


def _get_goal(request: HttpRequest, pk: int) -> Goal:
    return get_object_or_404(Goal.objects.visible_to(request.user), pk=pk)


def _get_kpi(request: HttpRequest, pk: int) -> Kpi:
    return get_object_or_404(Kpi.objects.visible_to(request.user).select_related("goal", "goal__organisation"), pk=pk)


def _get_message(request: HttpRequest, pk: int) -> Message:
    return get_object_or_404(Message.objects.visible_to(request.user).select_related("topic", "topic__plan"), pk=pk)


# Annual plan ------------------------------------------------------------------------------------


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
    plan = _get_plan(request, year)
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
    _check_year(year)
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
    plan = _get_plan(request, year)
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
    plan = _get_plan(request, year)
    if plan is None:
        raise Http404
    services.plan_publish(plan=plan)
    messages.success(request, _("The plan for %(year)s is published.") % {"year": year})
    return redirect("programme:plan", year=year)


@require_POST
@role_required(can_manage_programme)
def plan_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Copy the plan of ``year`` into the next year."""
    source = _get_plan(request, year)
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


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def topic_create(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    plan = services.plan_for_year(organisation=request.user.organisation, year=year)
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
    return _form_page(
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
    topic = _get_topic(request, pk)
    form = TopicForm(request.POST or None, instance=topic, plan=topic.plan)
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version")
        try:
            services.topic_update(
                topic=topic, expected_version=expected if expected is not None else -1, data=form.topic_data()
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
    return _form_page(
        request,
        form,
        title=_("Edit topic %(title)s") % {"title": topic.title},
        cancel=reverse("programme:topic", args=[topic.pk]),
        submit=_("Save topic"),
    )


@require_GET
@role_required(can_view_plan)
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _get_topic(request, pk)
    return render(
        request,
        "programme/topic_detail.html",
        {
            "topic": topic,
            "materials": topic.materials.all(),
            "topic_messages": topic.messages.all() if can_view_communication(request.user) else None,
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_POST
@role_required(can_manage_programme)
def topic_status(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _get_topic(request, pk)
    status = request.POST.get("status")
    if status not in Topic.Status.values:
        raise Http404
    services.topic_set_status(topic=topic, status=status)
    messages.success(request, _("The topic's status is now: %(status)s.") % {"status": topic.get_status_display()})
    return redirect("programme:topic", pk=topic.pk)


@require_POST
@role_required(can_manage_programme)
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _get_topic(request, pk)
    year = topic.plan.year
    services.topic_delete(topic=topic)
    messages.success(request, _("The topic has been deleted."))
    return redirect("programme:plan", year=year)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _get_topic(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.material_add(
            topic=topic, title=form.cleaned_data["title"], file=form.cleaned_data["file"], url=form.cleaned_data["url"]
        )
        messages.success(request, _("The material has been added."))
        return redirect("programme:topic", pk=topic.pk)
    return _form_page(
        request,
        form,
        title=_("Add material to %(title)s") % {"title": topic.title},
        cancel=reverse("programme:topic", args=[topic.pk]),
        submit=_("Add material"),
        multipart=True,
    )


def _get_material(request: HttpRequest, pk: int) -> TopicMaterial:
    material = get_object_or_404(
        TopicMaterial.objects.filter(topic__plan__organisation_id=request.user.organisation_id).select_related(
            "topic", "topic__plan"
        ),
        pk=pk,
    )
    if not can_view_topic(request.user, material.topic):
        raise Http404
    return material


@require_GET
@role_required(can_view_plan)
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


# Suggestions ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def suggestion_list(request: HttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    next_year = timezone.localdate().year + 1
    pull_form = PullSuggestionsForm(organisation_id=organisation_id, initial={"year": next_year, "quarter": 1})
    add_form = SuggestionForm(initial={"for_year": next_year})
    if request.method == "POST" and request.POST.get("action") == "pull":
        pull_form = PullSuggestionsForm(request.POST, organisation_id=organisation_id)
        if pull_form.is_valid():
            data = pull_form.cleaned_data
            plan = services.plan_for_year(organisation=request.user.organisation, year=data["year"])
            topics = services.suggestions_pull(
                plan=plan, suggestions=data["suggestions"], quarter=data["quarter"], owner=request.user
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s suggestion was taken into the plan for %(year)s as a draft topic.",
                    "%(count)s suggestions were taken into the plan for %(year)s as draft topics.",
                    len(topics),
                )
                % {"count": len(topics), "year": data["year"]},
            )
            return redirect("programme:plan", year=data["year"])
    elif request.method == "POST":
        add_form = SuggestionForm(request.POST)
        if add_form.is_valid():
            services.suggestion_create(
                organisation=request.user.organisation, user=request.user, data=add_form.cleaned_data
            )
            messages.success(request, _("The suggestion has been added."))
            return redirect("programme:suggestions")
    suggestions = (
        TopicSuggestion.objects.visible_to(request.user)
        .select_related("suggested_by", "topic", "topic__plan")
        .order_by("status", "-created_at")
    )
    return render(
        request,
        "programme/suggestion_list.html",
        {"suggestions": suggestions, "pull_form": pull_form, "add_form": add_form},
    )


@require_POST
@role_required(can_manage_programme)
def suggestion_decline(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(TopicSuggestion.objects.visible_to(request.user), pk=pk)
    services.suggestion_decline(suggestion=suggestion)
    messages.success(request, _("The suggestion has been declined."))
    return redirect("programme:suggestions")


# Communication ----------------------------------------------------------------------------------


@require_GET
@role_required(can_view_communication)
def communication(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    topic_filter = {} if can_manage_programme(request.user) else {"topic__in": readable_topics(request.user)}
    planned = (
        Message.objects.visible_to(request.user)
        .filter(topic__plan__year=year, **topic_filter)
        .select_related("topic")
        .order_by("planned_on", "channel")
    )
    mailings = {m.quarter: m for m in QuarterlyMailing.objects.visible_to(request.user).filter(year=year)}
    return render(
        request,
        "programme/communication.html",
        {
            "year": year,
            "planned_messages": planned,
            "mailings": [(quarter, mailings.get(quarter)) for quarter in (1, 2, 3, 4)],
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def message_create(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _get_topic(request, pk)
    form = MessageForm(request.POST or None, topic=topic, initial={"planned_on": topic.starts_on})
    if request.method == "POST" and form.is_valid():
        services.message_save(topic=topic, data=form.cleaned_data)
        messages.success(request, _("The message has been planned."))
        return redirect("programme:topic", pk=topic.pk)
    return _form_page(
        request,
        form,
        title=_("Plan a message for %(title)s") % {"title": topic.title},
        cancel=reverse("programme:topic", args=[topic.pk]),
        submit=_("Plan message"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def message_update(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message(request, pk)
    form = MessageForm(request.POST or None, instance=message, topic=message.topic)
    if request.method == "POST" and form.is_valid():
        services.message_save(topic=message.topic, message=message, data=form.cleaned_data)
        messages.success(request, _("The message has been saved."))
        return redirect("programme:topic", pk=message.topic_id)
    return _form_page(
        request,
        form,
        title=_("Edit message"),
        cancel=reverse("programme:topic", args=[message.topic_id]),
        submit=_("Save message"),
    )


@require_POST
@role_required(can_manage_programme)
def message_sent(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message(request, pk)
    services.message_mark_sent(message=message)
    messages.success(request, _("The message is marked as sent."))
    return redirect("programme:topic", pk=message.topic_id)


def _quarter(quarter: int) -> int:
    if quarter not in (1, 2, 3, 4):
        raise Http404
    return quarter


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def mailing_edit(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    _check_year(year)
    _quarter(quarter)
    mailing = QuarterlyMailing.objects.visible_to(request.user).filter(year=year, quarter=quarter).first()
    form = MailingForm(request.POST or None, instance=mailing)
    if request.method == "POST" and form.is_valid():
        services.mailing_save(
            organisation=request.user.organisation,
            year=year,
            quarter=quarter,
            data={"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]},
        )
        messages.success(request, _("The mailing text has been saved."))
        return redirect("programme:mailing_preview", year=year, quarter=quarter)
    return _form_page(
        request,
        form,
        title=_("Quarterly mailing Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year},
        cancel=reverse("programme:communication", args=[year]),
        submit=_("Save mailing"),
        intro=_(
            "Every employee receives this text at the start of the quarter, followed by the quarter's "
            "published topics for their department and the signature of their department's ambassador."
        ),
    )


@require_GET
@role_required(can_view_communication)
def mailing_preview(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    _check_year(year)
    _quarter(quarter)
    mailing = get_object_or_404(QuarterlyMailing.objects.visible_to(request.user), year=year, quarter=quarter)
    form = PreviewForm(request.GET or None, organisation_id=request.user.organisation_id)
    rendered = None
    if form.is_valid():
        subject, text, _html = services.mailing_render(
            mailing=mailing, department=form.cleaned_data["department"], language=request.LANGUAGE_CODE
        )
        rendered = {"subject": subject, "text": text, "department": form.cleaned_data["department"]}
    can_manage = can_manage_programme(request.user)
    progress = MailingRecipient.objects.filter(mailing=mailing).progress() if can_manage else None
    return render(
        request,
        "programme/mailing_preview.html",
        {
            "mailing": mailing,
            "form": form,
            "rendered": rendered,
            "can_manage": can_manage,
            "progress": progress,
            "stalled": can_manage and delivery.mailing_stalled(mailing, progress),
        },
    )


def _get_mailing(request: HttpRequest, year: int, quarter: int) -> QuarterlyMailing:
    _check_year(year)
    _quarter(quarter)
    return get_object_or_404(QuarterlyMailing.objects.visible_to(request.user), year=year, quarter=quarter)


@require_POST
@role_required(can_manage_programme)
def mailing_send(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    mailing = _get_mailing(request, year, quarter)
    if mailing.started_at is not None:
        messages.info(request, _("This mailing is already being sent; nobody receives it twice."))
    else:
        count = delivery.mailing_start(mailing=mailing)
        messages.success(
            request,
            ngettext(
                "The mailing is being sent to %(count)s employee.",
                "The mailing is being sent to %(count)s employees.",
                count,
            )
            % {"count": number(count)},
        )
    return redirect("programme:mailing_preview", year=year, quarter=quarter)


@require_POST
@role_required(can_manage_programme)
def mailing_test(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    mailing = _get_mailing(request, year, quarter)
    delivery.mailing_test_send(mailing=mailing, user=request.user)
    messages.success(request, _("A test copy has been sent to %(email)s.") % {"email": request.user.email})
    return redirect("programme:mailing_preview", year=year, quarter=quarter)


@require_POST
@role_required(can_manage_programme)
def mailing_resend(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    mailing = _get_mailing(request, year, quarter)
    count = delivery.mailing_resend_failed(mailing=mailing)
    messages.success(request, _("%(count)s failed copies are being sent again.") % {"count": count})
    return redirect("programme:mailing_preview", year=year, quarter=quarter)


@require_POST
@role_required(can_manage_programme)
def mailing_resume(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """A mailing whose worker died: take back the dead run's claims and send the rest now."""
    mailing = _get_mailing(request, year, quarter)
    if mailing.started_at is None or mailing.sent_at is not None:
        messages.info(request, _("This mailing has nothing left to send."))
    else:
        count = delivery.mailing_resume(mailing=mailing)
        messages.success(
            request,
            ngettext(
                "Sending resumed: %(count)s copy is left to send; nobody receives it twice.",
                "Sending resumed: %(count)s copies are left to send; nobody receives it twice.",
                count,
            )
            % {"count": count},
        )
    return redirect("programme:mailing_preview", year=year, quarter=quarter)


# Goals and KPIs ---------------------------------------------------------------------------------


@require_GET
@role_required(can_view_goals)
def goal_list(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    goals = list(
        Goal.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "kpis",
                queryset=Kpi.objects.select_related("goal__organisation").prefetch_related(
                    Prefetch(
                        "measurements",
                        queryset=KpiMeasurement.objects.order_by("-measured_on", "-pk"),
                        to_attr="all_measurements",
                    )
                ),
            )
        )
    )
    services.kpi_overview([kpi for goal in goals for kpi in goal.kpis.all()], timezone.localdate())
    return render(
        request,
        "programme/goal_list.html",
        {
            "year": year,
            "long_term": [g for g in goals if g.kind == Goal.Kind.LONG_TERM],
            "short_term": [g for g in goals if g.kind == Goal.Kind.SHORT_TERM],
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_GET
@role_required(can_view_goals)
def goals_index(request: HttpRequest) -> HttpResponse:
    return redirect("programme:goals", year=timezone.localdate().year)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def goal_create(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    form = GoalForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        goal = services.goal_create(organisation=request.user.organisation, data=form.cleaned_data)
        messages.success(request, _("The goal has been saved; add its KPIs."))
        return redirect("programme:goal", pk=goal.pk)
    return _form_page(
        request, form, title=_("New goal"), cancel=reverse("programme:goals", args=[year]), submit=_("Save goal")
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def goal_update(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _get_goal(request, pk)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.goal_update(goal=goal, data=form.cleaned_data)
        messages.success(request, _("The goal has been saved."))
        return redirect("programme:goal", pk=goal.pk)
    return _form_page(
        request, form, title=_("Edit goal"), cancel=reverse("programme:goal", args=[goal.pk]), submit=_("Save goal")
    )


@require_GET
@role_required(can_view_goals)
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _get_goal(request, pk)
    kpis = list(goal.kpis.select_related("goal__organisation").prefetch_related("measurements__recorded_by"))
    services.kpi_overview(kpis, timezone.localdate())
    return render(
        request,
        "programme/goal_detail.html",
        {"goal": goal, "kpis": kpis, "can_manage": can_manage_programme(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def kpi_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _get_goal(request, pk)
    form = KpiForm(
        request.POST or None,
        goal=goal,
        initial={"period_start": datetime.date(goal.year, 1, 1), "period_end": datetime.date(goal.year, 12, 31)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_save(goal=goal, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The KPI has been saved."))
            return redirect("programme:goal", pk=goal.pk)
    return _form_page(
        request,
        form,
        title=_("New KPI for %(goal)s") % {"goal": goal.title},
        cancel=reverse("programme:goal", args=[goal.pk]),
        submit=_("Save KPI"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def kpi_update(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = _get_kpi(request, pk)
    form = KpiForm(request.POST or None, instance=kpi, goal=kpi.goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_save(goal=kpi.goal, kpi=kpi, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The KPI has been saved."))
            return redirect("programme:goal", pk=kpi.goal_id)
    return _form_page(
        request, form, title=_("Edit KPI"), cancel=reverse("programme:goal", args=[kpi.goal_id]), submit=_("Save KPI")
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = _get_kpi(request, pk)
    if not kpi.is_manual:
        raise Http404
    form = KpiMeasurementForm(request.POST or None, initial={"measured_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.kpi_measurement_add(kpi=kpi, data=form.cleaned_data, user=request.user)
        messages.success(request, _("The measurement has been recorded."))
        return redirect("programme:goal", pk=kpi.goal_id)
    return _form_page(
        request,
        form,
        title=_("Record a value for %(kpi)s") % {"kpi": kpi.name},
        cancel=reverse("programme:goal", args=[kpi.goal_id]),
        submit=_("Record value"),
    )


# Managers' hours --------------------------------------------------------------------------------


def _hours_year(request: HttpRequest) -> int:
    raw = request.GET.get("jaar", "")
    return _check_year(int(raw)) if raw.isdecimal() else timezone.localdate().year


@require_GET
@role_required(can_confirm_hours)
def hours(request: HttpRequest) -> HttpResponse:
    year = _hours_year(request)
    roles = get_roles(request.user)
    departments = list(Department.objects.visible_to(request.user).filter(pk__in=roles.managed_ids).order_by("path"))
    history = defaultdict(list)
    for row in (
        HoursConfirmation.objects.visible_to(request.user)
        .filter(year=year, department__in=departments)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
    ):
        history[row.department_id].append(row)
    rows = [
        {
            "department": department,
            "current": history[department.pk][0] if history[department.pk] else None,
            "history": history[department.pk],
            "form": HoursConfirmationForm(
                prefix=f"d{department.pk}",
                initial={"hours_per_month": history[department.pk][0].hours_per_month}
                if history[department.pk]
                else None,
            ),
        }
        for department in departments
    ]
    return render(request, "programme/hours.html", {"year": year, "rows": rows})


@require_POST
@role_required(can_confirm_hours)
@once_per_submission
def hours_confirm(request: HttpRequest, department_pk: int) -> HttpResponse:
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=department_pk)
    if not can_confirm_hours_for(request.user, department):
        raise Http404
    year = _hours_year(request)
    form = HoursConfirmationForm(request.POST, prefix=f"d{department.pk}")
    if form.is_valid():
        services.hours_confirm(
            department=department, year=year, hours_per_month=form.cleaned_data["hours_per_month"], user=request.user
        )
        messages.success(
            request,
            _("You confirmed %(hours)s hours per month for %(department)s in %(year)s.")
            % {"hours": form.cleaned_data["hours_per_month"], "department": department.name, "year": year},
        )
        return redirect(f"{reverse('programme:hours')}?jaar={year}")
    return render(
        request,
        "programme/form.html",
        {
            "form": form,
            "title": _("Confirm hours for %(department)s") % {"department": department.name},
            "cancel_url": reverse("programme:hours"),
            "submit_label": _("Confirm hours"),
            "action": f"{reverse('programme:hours_confirm', args=[department.pk])}?jaar={year}",
        },
    )


# Budget -----------------------------------------------------------------------------------------


@require_GET
@role_required(can_view_budget)
def budget(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    lines = list(BudgetLine.objects.visible_to(request.user).filter(year=year))
    totals = BudgetLine.objects.visible_to(request.user).filter(year=year).totals()
    by_category = []
    for value, label in BudgetLine.Category.choices:
        rows = [line for line in lines if line.category == value]
        if rows:
            by_category.append(
                {
                    "label": label,
                    "lines": rows,
                    "planned": sum(r.planned for r in rows),
                    "actual": sum(r.actual for r in rows),
                }
            )
    time = services.time_budget(organisation=request.user.organisation, year=year)
    return render(
        request,
        "programme/budget.html",
        {
            "year": year,
            "categories": by_category,
            "totals": totals,
            "overrun": totals["actual"] > totals["planned"],
            "time": time,
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_GET
@role_required(can_view_budget)
def budget_index(request: HttpRequest) -> HttpResponse:
    return redirect("programme:budget", year=timezone.localdate().year)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def budget_line_create(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.budget_line_save(organisation=request.user.organisation, year=year, data=form.cleaned_data)
        messages.success(request, _("The budget line has been saved."))
        return redirect("programme:budget", year=year)
    return _form_page(
        request,
        form,
        title=_("New budget line for %(year)s") % {"year": year},
        cancel=reverse("programme:budget", args=[year]),
        submit=_("Save budget line"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def budget_line_update(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.visible_to(request.user), pk=pk)
    form = BudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        services.budget_line_save(organisation=line.organisation, year=line.year, line=line, data=form.cleaned_data)
        messages.success(request, _("The budget line has been saved."))
        return redirect("programme:budget", year=line.year)
    return _form_page(
        request,
        form,
        title=_("Edit budget line"),
        cancel=reverse("programme:budget", args=[line.year]),
        submit=_("Save budget line"),
    )


@require_POST
@role_required(can_manage_programme)
def budget_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine.objects.visible_to(request.user), pk=pk)
    services.budget_line_delete(line=line)
    messages.success(request, _("The budget line has been deleted."))
    return redirect("programme:budget", year=line.year)


# Calendar feed ----------------------------------------------------------------------------------


@require_GET
@role_required(can_view_plan)
def calendar_settings(request: HttpRequest) -> HttpResponse:
    token = services.calendar_token_for(request.user)
    url = request.build_absolute_uri(reverse("programme:calendar_feed", args=[token.token]))
    return render(request, "programme/calendar.html", {"feed_url": url})


@require_POST
@role_required(can_view_plan)
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    services.calendar_token_rotate(user=request.user)
    messages.success(request, _("You have a new calendar link; the old link no longer works."))
    return redirect("programme:calendar")


@login_not_required
@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design: calendars cannot sign in. The secret token is the key; rotating it revokes the URL."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active or not can_view_plan(entry.user):
        raise Http404
    response = HttpResponse(calendar_feed(entry.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jaarplan.ics"'
    response["Cache-Control"] = "no-store"
    return response
