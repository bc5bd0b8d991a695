"""Writes of the yearly evaluation: the report's conclusions, topic proposals, votes and their acceptance."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluation.report.models import EvaluationReport, TopicProposal, TopicVote
from programme.models import TopicSuggestion


def report_for_year(*, organisation: Any, year: int) -> EvaluationReport | None:
    return EvaluationReport.objects.filter(organisation=organisation, year=year).first()


@transaction.atomic
def evaluation_report_save(
    *, organisation: Any, year: int, user: Any, conclusions: str, status: str
) -> EvaluationReport:
    """Create or update the year's report (one per organisation and year)."""
    report, _created = EvaluationReport.objects.select_for_update().get_or_create(
        organisation=organisation, year=year, defaults={"updated_by": user}
    )
    report.conclusions = conclusions
    report.status = status
    report.updated_by = user
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def topic_proposal_create(
    *, organisation: Any, year: int, user: Any, title: str, description: str, token: uuid.UUID | None
) -> TopicProposal:
    """A new proposal; a second submit of the same form (same token) returns the first proposal."""
    if token is not None:
        existing = TopicProposal.objects.filter(token=token, organisation=organisation).first()
        if existing is not None:
            return existing
    proposal = TopicProposal(
        organisation=organisation,
        year=year,
        title=title.strip(),
        description=description.strip(),
        proposed_by=user,
        token=token,
    )
    proposal.full_clean(exclude=["token"])
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        # The double submit raced the first one past the check above.
        return TopicProposal.objects.get(token=token)
    # Proposing is also a vote for it.
    TopicVote.objects.get_or_create(proposal=proposal, user=user)
    return proposal


@transaction.atomic
def topic_vote(*, proposal: TopicProposal, user: Any) -> bool:
    """One vote per person per proposal (the constraint guarantees it); True if a vote was added."""
    try:
        with transaction.atomic():
            TopicVote.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def topic_vote_withdraw(*, proposal: TopicProposal, user: Any) -> bool:
    deleted, _rows = TopicVote.objects.filter(proposal=proposal, user=user).delete()
    return bool(deleted)


@transaction.atomic
def topic_proposal_accept(*, proposal: TopicProposal, user: Any) -> TopicSuggestion:
    """Accept a proposal: it becomes a topic suggestion for next year's annual plan (once)."""
    locked = TopicProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.suggestion_id is not None:
        return TopicSuggestion.objects.get(pk=locked.suggestion_id)
    suggestion = TopicSuggestion.objects.create(
        organisation_id=locked.organisation_id,
        title=locked.title,
        description=locked.description,
        source=TopicSuggestion.Source.EVALUATION,
        source_reference=locked.reference,
        suggested_by=locked.proposed_by,
        for_year=locked.year + 1,
    )
    locked.suggestion = suggestion
    locked.status = TopicProposal.Status.ACCEPTED
    locked.accepted_by = user
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["suggestion", "status", "accepted_by", "accepted_at"])
    return suggestion
