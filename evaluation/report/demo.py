"""Demo data of the yearly evaluation (Gemeente Voorbeeld only): last year's draft report and two topic proposals."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from evaluation.report.models import EvaluationReport, TopicProposal, TopicVote

CONCLUSIONS = (
    "Het ambassadeursprogramma heeft dit jaar goed wortel geschoten: de meeste afdelingen hebben een actieve "
    "ambassadeur en het aantal datalekmeldingen steeg, wat laat zien dat collega's durven te melden.\n\n"
    "Aandachtspunten: niet alle ambassadeurs hebben de verplichte modules afgerond en de uren die leidinggevenden "
    "toezeggen worden nog niet overal benut. Volgend jaar zetten we in op phishing en veilig thuiswerken."
)
PROPOSALS = [
    (
        "Veilig omgaan met AI-tools",
        "Collega's gebruiken steeds vaker chatbots voor teksten met persoonsgegevens. Wat mag wel en wat niet?",
        ["ambassador", "ambassador_wi", "ciso"],
    ),
    (
        "Bewaartermijnen in de praktijk",
        "Veel afdelingen bewaren dossiers langer dan nodig. Een praktische uitleg per type dossier helpt.",
        ["ambassador_wi"],
    ),
]


def seed_demo(sender, organisation, people, today: datetime.date | None = None, **kwargs) -> None:
    if organisation.slug != "voorbeeld":
        return  # the second municipality gets no evaluation
    day = today or timezone.localdate()
    with transaction.atomic():
        EvaluationReport.objects.get_or_create(
            organisation=organisation,
            year=day.year - 1,
            defaults={
                "conclusions": CONCLUSIONS,
                "status": EvaluationReport.Status.DRAFT,
                "updated_by": people.get("ciso"),
            },
        )
        for title, description, voters in PROPOSALS:
            proposal, _created = TopicProposal.objects.get_or_create(
                organisation=organisation,
                year=day.year,
                title=title,
                defaults={"description": description, "proposed_by": people.get(voters[0])},
            )
            for role in voters:
                user = people.get(role)
                if user is not None:
                    TopicVote.objects.get_or_create(proposal=proposal, user=user)
