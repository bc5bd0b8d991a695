"""Views of the surveys: check access, validate, call a service, redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import (
    can_compare_surveys,
    can_delete_survey,
    can_edit_survey,
    can_manage_surveys,
    can_mark_survey_measurement,
    can_respond_to_survey,
    can_see_open_answers,
    can_view_survey_list,
    can_view_survey_results,
    survey_result_scope,
    surveys_visible_to,
)
from core.deletion import confirm_delete
from core.exports import csv_response, xlsx_response
from core.formatting import number
from core.listing import paginate_listing
from evaluation.surveys import selectors, services
from evaluation.surveys.compare import compare_surveys
from evaluation.surveys.forms import MeasurementForm, QuestionForm, ResponseForm, SurveyForm
from evaluation.surveys.models import Participation, Question, Survey
from evaluation.surveys.results import survey_results

# --- Object helpers: 404 for whatever the user may not know exists -------------------------------


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.visible_to(request.user), pk=pk)


def _question(survey: Survey, pk: int) -> Question:
    return get_object_or_404(Question.objects.filter(survey=survey), pk=pk)


# --- Officers: build, open, close ---------------------------------------------------------------


# The list's sort keys (the whitelist: anything else falls back to the default) and what they sort by.
SURVEY_SORTS = {
    "titel": Lower("title"),
    "soort": "kind",
    "status": "status",
    "deadline": "deadline",
    "vragen": "question_count",
    "antwoorden": "responded_count",
    "aangemaakt": "created_at",
}


@role_required(can_view_survey_list)
def survey_list(request: HttpRequest) -> HttpResponse:
    can_manage = can_manage_surveys(request.user)
    surveys = selectors.survey_list(surveys_visible_to(request.user))
    status = request.GET.get("status", "")
    if status in Survey.Status.values:
        surveys = surveys.filter(status=status)
    else:
        status = ""
    listing = paginate_listing(request, surveys, search=["title"], sorts=SURVEY_SORTS, default="-aangemaakt")
    columns = [("titel", _("Title")), ("soort", _("Kind")), ("status", _("Status")), ("deadline", _("Deadline"))]
    if can_manage:
        columns.append(("vragen", _("Questions")))
    columns.append(("antwoorden", _("Responses")))
    statuses = Survey.Status.choices if can_manage else [c for c in Survey.Status.choices if c[0] != "draft"]
    return render(
        request,
        "evaluation/surveys/survey_list.html",
        {
            "page": listing.page,
            "listing": listing,
            "columns": columns,
            "status": status,
            "statuses": statuses,
            "is_officer": can_manage,
        },
    )


@role_required(can_manage_surveys)
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(
            organisation=request.user.organisation, created_by=request.user, data=form.cleaned_data
        )
        messages.success(request, _("The survey has been created. Now add its questions."))
        return redirect("evaluation:survey_detail", pk=survey.pk)
    return render(request, "evaluation/surveys/survey_form.html", {"form": form, "survey": None})


@role_required(can_manage_surveys)
@require_http_methods(["GET", "POST"])
def survey_update(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if not can_edit_survey(request.user, survey):
        messages.error(request, services.SURVEY_LOCKED)
        return redirect("evaluation:survey_detail", pk=survey.pk)
    form = SurveyForm(request.POST or None, instance=survey, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The survey has been saved."))
        return redirect("evaluation:survey_detail", pk=survey.pk)
    return render(request, "evaluation/surveys/survey_form.html", {"form": form, "survey": survey})


@role_required(can_manage_surveys)
@require_http_methods(["GET", "POST"])
def survey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes: only a survey that has not opened."""
    survey = _survey(request, pk)
    if not can_delete_survey(request.user, survey):
        messages.error(request, _("This survey has opened and can no longer be deleted; close it instead."))
        return redirect("evaluation:survey_detail", pk=survey.pk)
    count = survey.questions.count()
    return confirm_delete(
        request,
        delete=lambda: services.survey_delete(survey=survey),
        done=_("The survey “%(title)s” has been deleted.") % {"title": survey.title},
        next_url=reverse("evaluation:survey_list"),
        title=_("Delete survey"),
        question=ngettext(
            "Do you want to delete the survey “%(title)s” with its %(counter)s question? This cannot be undone.",
            "Do you want to delete the survey “%(title)s” with its %(counter)s questions? This cannot be undone.",
            count,
        )
        % {"title": survey.title, "counter": count},
        cancel_url=reverse("evaluation:survey_detail", args=[survey.pk]),
        submit_label=_("Yes, delete the survey"),
    )


def _render_detail(request: HttpRequest, survey: Survey, question_form: QuestionForm | None = None) -> HttpResponse:
    questions = list(survey.questions.all())
    return render(
        request,
        "evaluation/surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": questions,
            "departments": list(survey.departments.all()),
            "question_form": question_form or QuestionForm(),
            "questions_editable": can_edit_survey(request.user, survey),
            "counts": selectors.participation_counts(survey),
        },
    )


@role_required(can_manage_surveys)
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _survey(request, pk))


@role_required(can_manage_surveys)
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(survey=survey, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The question has been added."))
        return redirect("evaluation:survey_detail", pk=survey.pk)
    return _render_detail(request, survey, question_form=form)


@role_required(can_manage_surveys)
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    question = _question(survey, question_pk)
    if not can_edit_survey(request.user, survey):
        messages.error(request, services.SURVEY_LOCKED)
        return redirect("evaluation:survey_detail", pk=survey.pk)
    initial = {
        "text": question.text,
        "kind": question.kind,
        "options": "\n".join(question.options or []),
        "required": question.required,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The question has been saved."))
        return redirect("evaluation:survey_detail", pk=survey.pk)
    return render(
        request, "evaluation/surveys/question_form.html", {"survey": survey, "question": question, "form": form}
    )


@role_required(can_manage_surveys)
@require_POST
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    question = _question(survey, question_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.question_move(question=question, direction=direction)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("evaluation:survey_detail", pk=survey.pk)


@role_required(can_manage_surveys)
@require_POST
def question_remove(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    question = _question(survey, question_pk)
    try:
        services.question_remove(question=question)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The question has been removed."))
    return redirect("evaluation:survey_detail", pk=survey.pk)


@role_required(can_manage_surveys)
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = ResponseForm(questions=list(survey.questions.all()))
    return render(request, "evaluation/surveys/survey_respond.html", {"survey": survey, "form": form, "preview": True})


@role_required(can_manage_surveys)
@require_POST
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    try:
        invited = services.survey_open(survey=survey)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            ngettext(
                "The survey is open; %(count)s employee is invited by e-mail.",
                "The survey is open; %(count)s employees are invited by e-mail.",
                invited,
            )
            % {"count": number(invited)},
        )
    return redirect("evaluation:survey_detail", pk=survey.pk)


@role_required(can_manage_surveys)
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    try:
        services.survey_close(survey=survey)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The survey is closed."))
    return redirect("evaluation:survey_detail", pk=survey.pk)


# --- Results ------------------------------------------------------------------------------------


def _results(request: HttpRequest, pk: int):
    survey = _survey(request, pk)
    if not can_view_survey_results(request.user, survey):
        raise Http404
    return survey_results(
        survey,
        scope_ids=survey_result_scope(request.user),
        include_open_answers=can_see_open_answers(request.user, survey),
    )


@role_required(can_view_survey_list)
def survey_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    results = _results(request, pk)
    return render(
        request,
        "evaluation/surveys/survey_results.html",
        {
            "survey": results.survey,
            "results": results,
            "is_officer": can_manage_surveys(request.user),
            "counts": selectors.participation_counts(results.survey) if can_manage_surveys(request.user) else None,
        },
    )


@role_required(can_view_survey_list)
def survey_results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    results = _results(request, pk)
    header = [_("Number"), _("Question"), _("Group"), _("Answer"), _("Count"), _("Mean or text")]
    filename = f"enquete-{slugify(results.survey.title)[:40] or results.survey.pk}"
    rows = results.table_rows() if results.shown else []
    if fmt == "xlsx":
        return xlsx_response(
            filename, header, rows, sheet_title=_("Survey results"), author=request.user.organisation.display_legal_name
        )
    return csv_response(filename, header, rows)


# --- Baseline and follow-up --------------------------------------------------------------------


@role_required(can_manage_surveys)
@require_http_methods(["GET", "POST"])
def survey_measurement(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if not can_mark_survey_measurement(request.user, survey):
        raise Http404
    form = MeasurementForm(
        request.POST or None,
        survey=survey,
        initial={"measurement": survey.measurement, "campaign": survey.campaign, "baseline": survey.baseline_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_set_measurement(survey=survey, data=form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("The measurement has been saved."))
            return redirect("evaluation:survey_detail", pk=survey.pk)
    return render(request, "evaluation/surveys/survey_measurement.html", {"survey": survey, "form": form})


@role_required(can_view_survey_list)
def survey_compare(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.visible_to(request.user).select_related("baseline"), pk=pk)
    if not can_compare_surveys(request.user, survey):
        raise Http404
    comparison = compare_surveys(survey, scope_ids=survey_result_scope(request.user))
    return render(
        request,
        "evaluation/surveys/survey_compare.html",
        {"survey": survey, "comparison": comparison, "is_officer": can_manage_surveys(request.user)},
    )


# --- Respondents --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey_respond(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if survey.is_draft or not can_respond_to_survey(request.user, survey):
        raise Http404
    participation = Participation.objects.get(survey=survey, user=request.user)
    if participation.responded_at is not None:
        if request.method == "POST":
            messages.error(
                request,
                _("You have already answered this survey. Your first response was kept; nothing was stored twice."),
            )
        else:
            messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect("home")
    if not survey.accepts_responses():
        messages.info(request, _("This survey is closed; responses are no longer accepted."))
        return redirect("home")
    form = ResponseForm(request.POST or None, questions=list(survey.questions.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(survey=survey, user=request.user, answers=form.answers())
        except services.AlreadyResponded:
            messages.error(
                request,
                _("You have already answered this survey. Your first response was kept; nothing was stored twice."),
            )
        except services.NotInvited as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you for your answers."))
        return redirect("home")
    return render(request, "evaluation/surveys/survey_respond.html", {"survey": survey, "form": form, "preview": False})
