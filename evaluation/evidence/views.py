"""Views of the evidence report (page, PDF, XLSX), the organisation's own frameworks and the maturity assessment."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import (
    can_assess_maturity,
    can_change_framework,
    can_explain_control,
    can_manage_frameworks,
    can_open_evidence_link,
    can_view_evidence_report,
)
from ambassadors.selectors import coverage_units, current_appointment_filter
from core.exports import xlsx_file_response
from evaluation.dashboards.programme import building_blocks
from evaluation.dashboards.tables import Table
from evaluation.evidence import selectors, services
from evaluation.evidence.exports import render_evidence_pdf, write_evidence_xlsx
from evaluation.evidence.forms import ControlForm, ExplanationForm, FrameworkForm, MaturityForm
from evaluation.evidence.models import (
    LEVEL_DESCRIPTIONS,
    BuildingBlock,
    Control,
    ControlFramework,
    MaturityAnswer,
    MaturityAssessment,
)
from evaluation.report.views import check_year

SOURCE_PARAM = "kader"


# --- Helpers -------------------------------------------------------------------------------------


def _framework(request: HttpRequest) -> ControlFramework:
    """The framework asked for (``?kader=``), else the first built-in one; 404 for another organisation's."""
    frameworks = ControlFramework.objects.visible_to(request.user)
    pk = request.GET.get(SOURCE_PARAM) or request.POST.get(SOURCE_PARAM)
    if pk:
        try:
            return get_object_or_404(frameworks, pk=int(pk))
        except ValueError:
            raise Http404 from None
    framework = frameworks.order_by("organisation_id", "pk").first()
    if framework is None:
        raise Http404
    return framework


def _own_framework(request: HttpRequest, pk: int) -> ControlFramework:
    framework = get_object_or_404(ControlFramework.objects.visible_to(request.user), pk=pk)
    return framework


def _control(request: HttpRequest, pk: int) -> Control:
    return get_object_or_404(Control.objects.visible_to(request.user).select_related("framework"), pk=pk)


def _links(request: HttpRequest, report: selectors.EvidenceReport) -> None:
    """Resolve each evidence link for this user: only pages they may open are linked."""
    allowed: dict[str, bool] = {}
    for item in report.controls:
        for evidence in item.evidence:
            evidence.visible_links = []
            for link in evidence.links:
                if link.url_name not in allowed:
                    allowed[link.url_name] = can_open_evidence_link(request.user, link.url_name)
                if allowed[link.url_name]:
                    url = reverse(link.url_name, args=link.args)
                    evidence.visible_links.append((link.label, f"{url}?{link.query}" if link.query else url))


def _report(request: HttpRequest, year: int) -> selectors.EvidenceReport:
    check_year(year)
    framework = _framework(request)
    return selectors.evidence_report(framework, request.user.organisation_id, year)


# --- The evidence report -------------------------------------------------------------------------


@require_GET
@role_required(can_view_evidence_report)
def evidence_report(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    _links(request, report)
    frameworks = list(ControlFramework.objects.visible_to(request.user).order_by("organisation_id", "name"))
    return render(
        request,
        "evaluation/evidence/report.html",
        {
            "report": report,
            "year": year,
            "this_year": timezone.localdate().year,
            "frameworks": frameworks,
            "query": f"{SOURCE_PARAM}={report.framework.pk}",
            "can_manage_frameworks": can_manage_frameworks(request.user),
        },
    )


@require_GET
@role_required(can_view_evidence_report)
def evidence_pdf(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    organisation = request.user.organisation
    pdf = render_evidence_pdf(organisation_name=organisation.name, report=report, organisation=organisation)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bewijs-{year}-{report.framework.pk}.pdf"'
    return response


@require_GET
@role_required(can_view_evidence_report)
def evidence_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    return xlsx_file_response(
        f"bewijs-{year}-{report.framework.pk}",
        lambda handle: write_evidence_xlsx(handle, report=report, author=request.user.organisation.display_legal_name),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_view_evidence_report)
def explanation(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    check_year(year)
    control = _control(request, pk)
    if not can_explain_control(request.user, control):
        raise Http404
    current = control.explanations.visible_to(request.user).filter(year=year).first()
    form = ExplanationForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        saved = services.control_explanation_save(
            organisation=request.user.organisation,
            control=control,
            year=year,
            user=request.user,
            text=form.cleaned_data["text"],
        )
        messages.success(
            request,
            _("The explanation of %(code)s has been saved.") % {"code": control.code}
            if saved
            else _("The explanation of %(code)s has been removed.") % {"code": control.code},
        )
        url = reverse("evaluation:evidence_report", args=[year])
        return redirect(f"{url}?{SOURCE_PARAM}={control.framework_id}#control-{control.pk}")
    return render(
        request,
        "evaluation/evidence/explanation_form.html",
        {"control": control, "year": year, "form": form, "current": current},
    )


# --- Frameworks --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(can_manage_frameworks)
def framework_list(request: HttpRequest) -> HttpResponse:
    form = FrameworkForm(request.POST or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        framework = services.framework_save(organisation=request.user.organisation, data=form.cleaned_data)
        messages.success(request, _("The framework has been added; now add its controls."))
        return redirect("evaluation:evidence_framework", pk=framework.pk)
    frameworks = (
        ControlFramework.objects.visible_to(request.user)
        .annotate(control_count=Count("controls"))
        .order_by("organisation_id", "name")
    )
    return render(
        request,
        "evaluation/evidence/framework_list.html",
        {"frameworks": frameworks, "form": form, "year": timezone.localdate().year},
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_frameworks)
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _own_framework(request, pk)
    may_change = can_change_framework(request.user, framework)
    form = ControlForm(request.POST or None, framework=framework) if may_change else None
    if request.method == "POST":
        if not may_change:
            raise Http404
        if form.is_valid():
            services.control_save(framework=framework, data=form.cleaned_data)
            messages.success(request, _("The control has been added."))
            return redirect("evaluation:evidence_framework", pk=framework.pk)
    return render(
        request,
        "evaluation/evidence/framework_detail.html",
        {
            "framework": framework,
            "controls": framework.controls.order_by("order", "code"),
            "form": form,
            "may_change": may_change,
            "kinds": dict(ControlForm.base_fields["evidence_kinds"].choices),
            "year": timezone.localdate().year,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_frameworks)
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _own_framework(request, pk)
    if not can_change_framework(request.user, framework):
        raise Http404
    form = FrameworkForm(request.POST or None, instance=framework, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        services.framework_save(organisation=request.user.organisation, data=form.cleaned_data, framework=framework)
        messages.success(request, _("The framework has been saved."))
        return redirect("evaluation:evidence_framework", pk=framework.pk)
    return render(request, "evaluation/evidence/framework_form.html", {"framework": framework, "form": form})


@require_http_methods(["GET", "POST"])
@role_required(can_manage_frameworks)
def control_edit(request: HttpRequest, pk: int) -> HttpResponse:
    control = _control(request, pk)
    if not can_change_framework(request.user, control.framework):
        raise Http404
    form = ControlForm(request.POST or None, instance=control, framework=control.framework)
    if request.method == "POST" and form.is_valid():
        services.control_save(framework=control.framework, data=form.cleaned_data, control=control)
        messages.success(request, _("The control has been saved."))
        return redirect("evaluation:evidence_framework", pk=control.framework_id)
    return render(request, "evaluation/evidence/control_form.html", {"control": control, "form": form})


@require_POST
@role_required(can_manage_frameworks)
def control_delete(request: HttpRequest, pk: int) -> HttpResponse:
    control = _control(request, pk)
    if not can_change_framework(request.user, control.framework):
        raise Http404
    framework_id = control.framework_id
    services.control_delete(control=control)
    messages.success(request, _("The control has been removed."))
    return redirect("evaluation:evidence_framework", pk=framework_id)


# --- Maturity ----------------------------------------------------------------------------------------


def current_round(today: datetime.date) -> int:
    return MaturityAssessment.Round.FIRST if today.month <= 6 else MaturityAssessment.Round.SECOND


def block_evidence(organisation_id: int, year: int) -> dict[int, str]:
    """What the application knows per building block (the programme dashboard's evidence), for the year."""
    today = timezone.localdate()
    day = min(today, datetime.date(year, 12, 31))
    coverage = coverage_units(organisation_id).aggregate(
        total=Count("id", distinct=True), covered=Count("id", filter=current_appointment_filter(day), distinct=True)
    )
    blocks = building_blocks(organisation_id, year, day, (coverage["total"], coverage["covered"]))
    return {block.number: block.evidence for block in blocks}


@require_GET
@role_required(can_assess_maturity)
def maturity_overview(request: HttpRequest) -> HttpResponse:
    organisation_id = request.user.organisation_id
    years, rows = selectors.maturity_history(organisation_id)
    table = Table(
        "maturity",
        _("Maturity per building block over the years (level 1 to 5)"),
        [_("Building block"), *[str(y) for y in years]],
        rows,
        chart="bar",
        series=tuple(range(1, len(years) + 1)),
    )
    assessments = MaturityAssessment.objects.visible_to(request.user).select_related("updated_by")
    today = timezone.localdate()
    return render(
        request,
        "evaluation/evidence/maturity_overview.html",
        {
            "table": table,
            "assessments": assessments,
            "this_year": today.year,
            "this_round": current_round(today),
            "rounds": MaturityAssessment.Round.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(can_assess_maturity)
def maturity_form(request: HttpRequest, year: int, round: int) -> HttpResponse:
    check_year(year)
    if round not in MaturityAssessment.Round.values:
        raise Http404
    organisation = request.user.organisation
    assessment = MaturityAssessment.objects.visible_to(request.user).filter(year=year, round=round).first()
    answers = {a.block: a for a in assessment.answers.all()} if assessment else {}
    initial: dict = {"notes": assessment.notes if assessment else ""}
    for block, answer in answers.items():
        initial[f"level_{block}"] = answer.level
        initial[f"note_{block}"] = answer.note
    form = MaturityForm(request.POST or None, initial=initial)
    evidence = block_evidence(organisation.pk, year)
    if request.method == "POST" and form.is_valid():
        services.maturity_assessment_save(
            organisation=organisation,
            year=year,
            round=round,
            user=request.user,
            levels={b: form.cleaned_data[f"level_{b}"] for b in BuildingBlock.values},
            notes={b: form.cleaned_data[f"note_{b}"] for b in BuildingBlock.values},
            evidence=evidence,
            general_notes=form.cleaned_data["notes"],
        )
        messages.success(request, _("The maturity assessment has been saved."))
        return redirect("evaluation:maturity")
    reference = assessment or MaturityAssessment(organisation=organisation, year=year, round=round)
    previous = selectors.latest_assessment(organisation.pk, before=reference)
    rows = [
        {
            "block": block,
            "level": level_field,
            "note": note_field,
            "evidence": evidence.get(block.value, ""),
            "previous": previous.answer_by_block.get(block.value) if previous else None,
            "answer": answers.get(block.value),
        }
        for block, level_field, note_field in form.blocks()
    ]
    return render(
        request,
        "evaluation/evidence/maturity_form.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "round_label": MaturityAssessment.Round(round).label,
            "assessment": assessment,
            "previous": previous,
            "levels": LEVEL_DESCRIPTIONS.items(),
        },
    )


@require_POST
@role_required(can_assess_maturity)
def maturity_propose(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(
        MaturityAnswer.objects.visible_to(request.user).select_related("assessment"),
        pk=pk,
    )
    if not answer.is_low:
        messages.error(request, _("Only a building block at level 1 or 2 is proposed as a topic."))
    else:
        proposal = services.maturity_propose_topic(answer=answer, user=request.user)
        messages.success(
            request,
            _("“%(title)s” is now a topic proposal for %(year)s.")
            % {"title": proposal.title, "year": proposal.year + 1},
        )
    return redirect("evaluation:maturity_form", year=answer.assessment.year, round=answer.assessment.round)
