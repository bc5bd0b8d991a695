"""Topic suggestions for next year's plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import can_manage_programme
from core.submissions import once_per_submission
from programme import services
from programme.forms import PullSuggestionsForm, SuggestionForm
from programme.models import TopicSuggestion


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
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
