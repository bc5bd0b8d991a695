"""Views of the ambassadors app: colleague feedback: giving, recording, triage, statistics and the author's own."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.models import Department
from accounts.permissions import (
    can_follow_up_feedback,
    can_give_feedback,
    can_manage_ambassadors,
    can_record_feedback,
    can_view_feedback_list,
    can_view_feedback_statistics,
    covered_department_ids,
    feedback_scope,
    feedback_statistics_scope,
    own_ambassador_department_ids,
)
from ambassadors import selectors, services
from ambassadors.forms import (
    FeedbackFilterForm,
    FeedbackForm,
    RecordedFeedbackForm,
    TriageForm,
)
from ambassadors.models import (
    Feedback,
)
from ambassadors.views.common import (
    MY_FEEDBACK_SORTS,
    _client_ip,
    _department,
    _feedback,
)
from core.listing import paginate_listing
from core.submissions import stored_for

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
        # A repeat of a stored submission is not counted against the rate limit (it stores nothing new).
        already = stored_for(token, user=None if form.cleaned_data.get("is_anonymous") else request.user) is not None
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
    feedback = Feedback.objects.visible_to(request.user).within(feedback_scope(request.user))
    filters = FeedbackFilterForm(request.GET or None, user=request.user)
    # Only what the list shows: not every column of the feedback, its department and two users.
    feedback = feedback.select_related("department", "author", "recorded_by").only(
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
    listing = paginate_listing(
        request,
        feedback,
        search=["message", "answer", "procedure", "department__name"],
        filters=filters,
    )
    return render(
        request,
        "ambassadors/feedback_list.html",
        {
            "page": listing.page,
            "listing": listing,
            "filters": filters,
            "can_triage": can_manage_ambassadors(request.user),
            # Every item listed is one the reader may follow up: the list is scoped as can_follow_up_feedback is.
            "can_follow_up": True,
            "can_record": can_record_feedback(request.user),
        },
    )


def my_feedback(request: HttpRequest) -> HttpResponse:
    """'My feedback': the named feedback the user gave, with its status and answer; nobody else's."""
    feedback = (
        Feedback.objects.visible_to(request.user)
        .given_by(request.user)
        .select_related("department")
        .only("created_at", "category", "message", "status", "answer", "answered_at", "department__name", "author_id")
    )
    listing = paginate_listing(
        request, feedback, search=["message", "answer"], sorts=MY_FEEDBACK_SORTS, default="-ontvangen"
    )
    return render(request, "ambassadors/my_feedback.html", {"page": listing.page, "listing": listing})


@role_required(can_record_feedback)
@require_http_methods(["GET", "POST"])
def feedback_record(request: HttpRequest) -> HttpResponse:
    form = RecordedFeedbackForm(
        request.POST or None,
        covered_ids=covered_department_ids(request.user),
        own_ids=own_ambassador_department_ids(request.user),
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


@role_required(can_view_feedback_list)
@require_http_methods(["GET", "POST"])
def feedback_triage(request: HttpRequest, pk: int) -> HttpResponse:
    """Officers, and the ambassadors of the feedback's department, follow it up (``can_follow_up_feedback``)."""
    feedback = _feedback(request, pk)
    if not can_follow_up_feedback(request.user, feedback):
        raise PermissionDenied
    form = TriageForm(
        request.POST or None,
        instance=feedback,
        organisation_id=request.user.organisation_id,
        officer=can_manage_ambassadors(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.feedback_triage(feedback=feedback, officer=request.user, data=form.cleaned_data)
        messages.success(request, _("The feedback has been updated."))
        return redirect("ambassadors:feedback_list")
    corrections = feedback.corrections.select_related("corrected_by")
    return render(
        request,
        "ambassadors/feedback_triage.html",
        {"feedback": feedback, "form": form, "corrections": corrections},
    )


@role_required(can_view_feedback_statistics)
def feedback_statistics(request: HttpRequest) -> HttpResponse:
    feedback = Feedback.objects.visible_to(request.user).within(feedback_statistics_scope(request.user))
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
