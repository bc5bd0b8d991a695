"""Demo data of the maturity self-assessment (Gemeente Voorbeeld only): last year's two rounds, so this year's
assessment has something to stand beside, and an explanation of control 6.3 for last year."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from evaluation.evidence.models import Control, ControlExplanation, MaturityAnswer, MaturityAssessment

# Levels per building block (1 to 10) in last year's first and second half.
LEVELS = {
    1: [2, 3, 2, 2, 1, 2, 2, 1, 1, 2],
    2: [3, 3, 2, 3, 2, 3, 2, 2, 2, 2],
}
NOTES = {
    3: "Nog niet elke afdeling heeft een ambassadeur.",
    9: "De eerste jaarevaluatie staat gepland.",
}


def seed_demo(sender, organisation, people, today: datetime.date | None = None, **kwargs) -> None:
    if organisation.slug != "voorbeeld":
        return  # the second municipality gets no assessments
    year = (today or timezone.localdate()).year - 1
    ciso = people.get("ciso")
    with transaction.atomic():
        for round_, levels in LEVELS.items():
            assessment, created = MaturityAssessment.objects.get_or_create(
                organisation=organisation, year=year, round=round_, defaults={"updated_by": ciso}
            )
            if not created:
                continue
            MaturityAnswer.objects.bulk_create(
                MaturityAnswer(assessment=assessment, block=block, level=level, note=NOTES.get(block, ""))
                for block, level in enumerate(levels, start=1)
            )
        control = Control.objects.filter(framework__organisation__isnull=True, code="6.3").first()
        if control is not None:
            ControlExplanation.objects.get_or_create(
                organisation=organisation,
                control=control,
                year=year,
                defaults={
                    "text": "Elke afdeling heeft een ambassadeur die collega's in het teamoverleg meeneemt in het "
                    "onderwerp van het kwartaal; de basistraining is verplicht voor alle ambassadeurs.",
                    "updated_by": ciso,
                },
            )
