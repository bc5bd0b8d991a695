"""Views of the yearly evaluation: the report (page and PDF) and next year's topic proposals."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import can_accept_topic_proposals, can_manage_evaluation_report, can_propose_topics
from core.years import MIN_YEAR
from evaluation.evidence.selectors import latest_assessment
from evaluation.report import services
from evaluation.report.forms import EvaluationReportForm, TopicProposalForm
from evaluation.report.models import TopicProposal
from evaluation.report.pdf import render_year_report_pdf
from evaluation.report.selectors import year_report as build_year_report

FIRST_YEAR = MIN_YEAR  # the first year the programme can report on


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404


def proposals_open(year: int) -> bool:
    """Proposals and votes are taken until the year they are meant for has passed."""
    return year + 1 >= timezone.localdate().year


def _proposal(request: HttpRequest, year: int, pk: int) -> TopicProposal:
    return get_object_or_404(TopicProposal.objects.visible_to(request.user), pk=pk, year=year)


@role_required(can_manage_evaluation_report)
@require_http_methods(["GET", "POST"])
def year_report(request: HttpRequest, year: int) -> HttpResponse:
    check_year(year)
    organisation = request.user.organisation
    report = services.report_for_year(organisation=organisation, year=year)
    form = EvaluationReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        services.evaluation_report_save(
            organisation=organisation,
            year=year,
            user=request.user,
            conclusions=form.cleaned_data["conclusions"],
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("The evaluation report has been saved."))
        return redirect("evaluation:year_report", year=year)
    data = build_year_report(organisation.pk, year)
    return render(
        request,
        "evaluation/report/year_report.html",
        {
            "year": year,
            "report": report,
            "form": form,
            "data": data,
            "sections": data.sections(),
            "proposal_table": data.proposal_table(),
            "this_year": timezone.localdate().year,
            "maturity": latest_assessment(organisation.pk, year=year),
        },
    )


@require_GET
@role_required(can_manage_evaluation_report)
def year_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    check_year(year)
    organisation = request.user.organisation
    report = services.report_for_year(organisation=organisation, year=year)
    data = build_year_report(organisation.pk, year)
    pdf = render_year_report_pdf(
        organisation_name=organisation.name,
        data=data,
        report=report,
        maturity=latest_assessment(organisation.pk, year=year),
        organisation=organisation,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="jaarevaluatie-{year}.pdf"'
    return response


@role_required(can_propose_topics)
@require_http_methods(["GET", "POST"])
def proposal_list(request: HttpRequest, year: int) -> HttpResponse:
    check_year(year)
    is_open = proposals_open(year)
    form = TopicProposalForm(request.POST or None)
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Proposals for this year are closed."))
            return redirect("evaluation:proposals", year=year)
        if form.is_valid():
            services.topic_proposal_create(
                organisation=request.user.organisation,
                year=year,
                user=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                token=form.cleaned_data.get("token"),
            )
            messages.success(request, _("Thank you: your proposal has been added, with your vote."))
            return redirect("evaluation:proposals", year=year)
    proposals = list(
        TopicProposal.objects.visible_to(request.user)
        .filter(year=year)
        .with_votes(request.user)
        .select_related("proposed_by", "suggestion")
        .order_by("-vote_count", "title")
    )
    return render(
        request,
        "evaluation/report/proposals.html",
        {
            "year": year,
            "next_year": year + 1,
            "form": form,
            "proposals": proposals,
            "is_open": is_open,
            "can_accept": can_accept_topic_proposals(request.user),
        },
    )


@require_POST
@role_required(can_propose_topics)
def proposal_vote(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    proposal = _proposal(request, year, pk)
    if not proposals_open(year) or proposal.status != TopicProposal.Status.OPEN:
        messages.error(request, _("Votes for this proposal are closed."))
    elif request.POST.get("action") == "withdraw":
        services.topic_vote_withdraw(proposal=proposal, user=request.user)
        messages.success(request, _("Your vote has been withdrawn."))
    elif services.topic_vote(proposal=proposal, user=request.user):
        messages.success(request, _("Your vote has been counted."))
    else:
        messages.info(request, _("You had already voted for this proposal."))
    return redirect("evaluation:proposals", year=year)


@require_POST
@role_required(can_accept_topic_proposals)
def proposal_accept(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    proposal = _proposal(request, year, pk)
    suggestion = services.topic_proposal_accept(proposal=proposal, user=request.user)
    messages.success(
        request,
        _("The proposal is now a topic suggestion for the annual plan %(year)s.") % {"year": suggestion.for_year},
    )
    return redirect("evaluation:proposals", year=year)
