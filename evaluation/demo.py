"""Demo data of the evaluation app, added when ``seed_demo`` runs (Gemeente Voorbeeld only).

A closed staff awareness pulse with enough responses to show the group-size
rule (some departments with five or more respondents, others merged into
"overig"), and an open ambassador evaluation the demo ambassadors can answer.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from evaluation.surveys.models import Answer, Participation, Question, Response, Survey
from evaluation.surveys.services import create_participations

PULSE_TITLE = "Bewustzijnspeiling informatiebeveiliging en privacy"
PULSE_QUESTIONS = [
    (Question.Kind.LIKERT, "Ik weet hoe ik een phishingmail herken.", []),
    (Question.Kind.LIKERT, "Ik weet waar en hoe ik een (mogelijk) datalek meld.", []),
    (Question.Kind.LIKERT, "Ik vergrendel mijn scherm als ik mijn werkplek verlaat.", []),
    (Question.Kind.LIKERT, "Ik weet wie de privacy- en securityambassadeur van mijn afdeling is.", []),
    (
        Question.Kind.CHOICE,
        "Hoe deelt u meestal documenten met persoonsgegevens met een externe partij?",
        ["Via een beveiligde downloadlink", "Als versleutelde bijlage", "Als gewone bijlage", "Weet ik niet"],
    ),
    (Question.Kind.TEXT, "Wat zou u helpen om veiliger te werken?", []),
]
OPEN_ANSWERS = [
    "Een korte uitleg over het versleuteld mailen naar burgers.",
    "Vaker een voorbeeld van een echte phishingmail in het teamoverleg.",
    "Een sticker op de printer dat een pincode verplicht is.",
    "Duidelijker waar ik terecht kan met vragen over privacy.",
    "Meer tijd in de inwerkperiode voor informatiebeveiliging.",
]

EVALUATION_TITLE = "Evaluatie ambassadeursprogramma"
EVALUATION_QUESTIONS = [
    (Question.Kind.LIKERT, "Ik heb voldoende tijd voor mijn werk als ambassadeur.", []),
    (Question.Kind.LIKERT, "Mijn leidinggevende steunt mij in mijn rol als ambassadeur.", []),
    (Question.Kind.LIKERT, "De trainingen bereiden mij goed voor op vragen van collega's.", []),
    (
        Question.Kind.CHOICE,
        "Welk onderwerp verdient volgend jaar de meeste aandacht?",
        ["Phishing en social engineering", "Veilig thuiswerken", "Bewaartermijnen", "Datalekken melden"],
    ),
    (Question.Kind.TEXT, "Welke onderwerpen wilt u volgend jaar met uw afdeling oppakken?", []),
]


def _questions(survey: Survey, spec) -> list[Question]:
    return [
        Question.objects.create(survey=survey, order=order, text=text, kind=kind, options=options, required=True)
        for order, (kind, text, options) in enumerate(spec, start=1)
    ]


def _pulse(organisation, people, today: datetime.date, rng: random.Random) -> None:
    officer = people.get("ciso")
    opened = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=40), datetime.time(9)))
    survey = Survey.objects.create(
        organisation=organisation,
        title=PULSE_TITLE,
        introduction="Hoe staat het met ons bewustzijn van informatiebeveiliging en privacy? "
        "De peiling is anoniem en duurt vijf minuten.",
        kind=Survey.Kind.STAFF_PULSE,
        anonymous=True,
        audience=Survey.Audience.ALL,
        deadline=today - datetime.timedelta(days=20),
        status=Survey.Status.CLOSED,
        opens_at=opened,
        closed_at=opened + datetime.timedelta(days=21),
        created_by=officer,
    )
    questions = _questions(survey, PULSE_QUESTIONS)
    create_participations(survey, now=opened)
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, department_id in (
        User.objects.filter(organisation=organisation, is_active=True, department__isnull=False)
        .order_by("pk")
        .values_list("pk", "department_id")
    ):
        members[department_id].append(user_id)
    responded: list[int] = []
    for department_id, user_ids in members.items():
        # Larger departments respond well (five or more); small ones stay under the minimum.
        count = len(user_ids) if len(user_ids) >= 5 else max(len(user_ids) - 1, 0)
        for user_id in user_ids[:count]:
            day = opened + datetime.timedelta(days=rng.randint(0, 20))
            stamp = timezone.localtime(day).replace(hour=0, minute=0, second=0, microsecond=0)
            response = Response.objects.create(survey=survey, department_id=department_id, submitted_at=stamp)
            answers = []
            for question in questions:
                if question.kind == Question.Kind.LIKERT:
                    answers.append(Answer(response=response, question=question, likert=rng.choice([2, 3, 4, 4, 5])))
                elif question.kind == Question.Kind.CHOICE:
                    answers.append(Answer(response=response, question=question, choice=rng.choice(question.options)))
                elif rng.random() < 0.3:
                    answers.append(Answer(response=response, question=question, text=rng.choice(OPEN_ANSWERS)))
            Answer.objects.bulk_create(answers)
            responded.append(user_id)
    Participation.objects.filter(survey=survey, user_id__in=responded).update(responded_at=opened)


def _ambassador_evaluation(organisation, people, today: datetime.date) -> None:
    survey = Survey.objects.create(
        organisation=organisation,
        title=EVALUATION_TITLE,
        introduction="Hoe ervaart u het ambassadeurschap? Uw antwoorden helpen ons het jaarplan voor volgend jaar te maken.",
        kind=Survey.Kind.AMBASSADOR_EVALUATION,
        anonymous=True,
        audience=Survey.Audience.AMBASSADORS,
        deadline=today + datetime.timedelta(days=14),
        status=Survey.Status.OPEN,
        opens_at=timezone.now(),
        created_by=people.get("ciso"),
    )
    _questions(survey, EVALUATION_QUESTIONS)
    create_participations(survey)


def seed_demo(sender, organisation, people, today: datetime.date | None = None, **kwargs) -> None:
    if organisation.slug != "voorbeeld":
        return  # the second municipality gets no surveys
    day = today or timezone.localdate()
    with transaction.atomic():
        if not Survey.objects.filter(organisation=organisation, title=PULSE_TITLE).exists():
            _pulse(organisation, people, day, random.Random(2026))
        if not Survey.objects.filter(organisation=organisation, title=EVALUATION_TITLE).exists():
            _ambassador_evaluation(organisation, people, day)
