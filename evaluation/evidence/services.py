"""Writes of the evidence report and the maturity self-assessment."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from evaluation.evidence.models import (
    BuildingBlock,
    Control,
    ControlExplanation,
    ControlFramework,
    MaturityAnswer,
    MaturityAssessment,
)
from evaluation.report import services as report_services
from evaluation.report.models import TopicProposal

# Proposals made from a maturity answer get a token derived from the answer: asking twice finds the first.
_PROPOSAL_NAMESPACE = uuid.UUID("5b0f7f0e-6a43-4b59-9d7e-0c8f3f6f2a10")


@transaction.atomic
def control_explanation_save(
    *, organisation: Any, control: Control, year: int, user: Any, text: str
) -> ControlExplanation | None:
    """Create or correct the year's explanation of a control; an emptied text removes it."""
    text = text.strip()
    existing = (
        ControlExplanation.objects.select_for_update()
        .filter(organisation=organisation, control=control, year=year)
        .first()
    )
    if not text:
        if existing is not None:
            existing.delete()
        return None
    if existing is None:
        try:
            with transaction.atomic():
                return ControlExplanation.objects.create(
                    organisation=organisation, control=control, year=year, text=text, updated_by=user
                )
        except IntegrityError:
            # A second submit raced the first past the check above: correct that one instead.
            existing = ControlExplanation.objects.get(organisation=organisation, control=control, year=year)
    existing.text = text
    existing.updated_by = user
    existing.save(update_fields=["text", "updated_by", "updated_at"])
    return existing


@transaction.atomic
def framework_save(*, organisation: Any, data: Mapping[str, Any], framework: ControlFramework | None = None):
    """An organisation's own framework; a double submit of the same name and version finds the first."""
    fields = {key: str(data.get(key, "")).strip() for key in ("name", "source", "version", "description")}
    if framework is None:
        framework, _created = ControlFramework.objects.get_or_create(
            organisation=organisation, name=fields["name"], version=fields["version"], defaults=fields
        )
        return framework
    for key, value in fields.items():
        setattr(framework, key, value)
    framework.save()
    return framework


@transaction.atomic
def control_save(*, framework: ControlFramework, data: Mapping[str, Any], control: Control | None = None) -> Control:
    """Add a control (a double submit with the same code updates the first) or correct one."""
    values = {
        "title": str(data["title"]).strip(),
        "description": str(data.get("description", "")).strip(),
        "evidence_kinds": list(data.get("evidence_kinds", [])),
        "order": data.get("order") or 0,
    }
    code = str(data["code"]).strip()
    if control is None:
        control, _created = Control.objects.update_or_create(framework=framework, code=code, defaults=values)
        return control
    control.code = code
    for key, value in values.items():
        setattr(control, key, value)
    control.save()
    return control


@transaction.atomic
def control_delete(*, control: Control) -> None:
    control.delete()


@transaction.atomic
def maturity_assessment_save(
    *,
    organisation: Any,
    year: int,
    round: int,
    user: Any,
    levels: Mapping[int, int],
    notes: Mapping[int, str],
    evidence: Mapping[int, str],
    general_notes: str = "",
) -> MaturityAssessment:
    """Create or correct the assessment of a round (one per organisation, year and round)."""
    assessment, _created = MaturityAssessment.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, round=round, defaults={"updated_by": user}
    )
    assessment.notes = general_notes.strip()
    assessment.updated_by = user
    assessment.save()
    existing = {a.block: a for a in assessment.answers.all()}
    for block in BuildingBlock.values:
        if block not in levels:
            continue
        answer = existing.get(block) or MaturityAnswer(assessment=assessment, block=block)
        answer.level = levels[block]
        answer.note = (notes.get(block) or "").strip()
        answer.evidence = (evidence.get(block) or "")[:500]
        answer.save()
    return assessment


@transaction.atomic
def maturity_propose_topic(*, answer: MaturityAnswer, user: Any) -> TopicProposal:
    """Turn a low-scoring building block into a topic proposal for next year's plan (once).

    It joins the yearly evaluation's proposals, where it can be voted on and
    accepted into a topic suggestion for the annual plan.
    """
    answer = MaturityAnswer.objects.select_for_update().select_related("assessment").get(pk=answer.pk)
    if answer.proposal_id is not None:
        return TopicProposal.objects.get(pk=answer.proposal_id)
    assessment = answer.assessment
    block = BuildingBlock(answer.block)
    from django.conf import settings
    from django.utils.translation import gettext, override

    with override(settings.LANGUAGE_CODE):
        title = gettext("Strengthen building block %(number)s: %(title)s") % {
            "number": block.value,
            "title": block.label,
        }
        reason = gettext("Scored level %(level)s of 5 in the maturity self-assessment %(label)s.") % {
            "level": answer.level,
            "label": assessment.label,
        }
    proposal = report_services.topic_proposal_create(
        organisation=assessment.organisation,
        year=assessment.year,
        user=user,
        title=title[:200],
        description="\n\n".join(part for part in (reason, answer.note) if part),
        token=uuid.uuid5(_PROPOSAL_NAMESPACE, f"maturity-answer-{answer.pk}"),
    )
    answer.proposal = proposal
    answer.save(update_fields=["proposal"])
    return proposal
