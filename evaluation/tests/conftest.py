from __future__ import annotations

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def make_survey(org, officer):
    """``make_survey(**fields)``: a survey of Gemeente Voorbeeld with a Likert, a choice and an open question."""
    from evaluation.models import Question, Survey

    def make(*, organisation=None, questions=True, **fields):
        defaults = {
            "title": "Bewustzijnspeiling",
            "kind": Survey.Kind.STAFF_PULSE,
            "anonymous": True,
            "audience": Survey.Audience.ALL,
            "deadline": timezone.localdate() + datetime.timedelta(days=14),
            "created_by": officer,
        }
        survey = Survey.objects.create(organisation=organisation or org, **{**defaults, **fields})
        if questions:
            Question.objects.create(survey=survey, order=1, text="Ik herken phishing.", kind=Question.Kind.LIKERT)
            Question.objects.create(
                survey=survey,
                order=2,
                text="Hoe deelt u documenten?",
                kind=Question.Kind.CHOICE,
                options=["Downloadlink", "Bijlage"],
            )
            Question.objects.create(
                survey=survey, order=3, text="Wat kan beter?", kind=Question.Kind.TEXT, required=False
            )
        return survey

    return make


@pytest.fixture
def open_survey(make_survey):
    """An open survey with the organisation's current staff invited."""
    from evaluation.models import Survey
    from evaluation.surveys.services import create_participations

    def make(**fields):
        survey = make_survey(status=Survey.Status.OPEN, opens_at=timezone.now(), **fields)
        create_participations(survey)
        return survey

    return make


@pytest.fixture
def add_responses():
    """``add_responses(survey, department, count, likert=4, choice="Downloadlink", text="")``: answered in the database."""
    from evaluation.models import Answer, Question, Response

    def add(survey, department, count, *, likert=4, choice="Downloadlink", text=""):
        questions = list(survey.questions.all())
        for _ in range(count):
            response = Response.objects.create(survey=survey, department=department, submitted_at=timezone.now())
            rows = []
            for question in questions:
                if question.kind == Question.Kind.LIKERT:
                    rows.append(Answer(response=response, question=question, likert=likert))
                elif question.kind == Question.Kind.CHOICE:
                    rows.append(Answer(response=response, question=question, choice=choice))
                elif text:
                    rows.append(Answer(response=response, question=question, text=text))
            Answer.objects.bulk_create(rows)

    return add


@pytest.fixture
def department_c(org):
    from accounts.tests.factories import DepartmentFactory

    return DepartmentFactory(organisation=org, name="Vergunningen", code="C")


@pytest.fixture
def in_english():
    """The English labels: the dashboards' tests compare figures by their label."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def data(dashboard_data):
    """The dashboards' example organisation (the root conftest's ``dashboard_data``)."""
    return dashboard_data
