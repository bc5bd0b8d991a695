"""The yearly evaluation: the officers' report per year, and the ambassadors' topic proposals for next year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.querysets import OrganisationQuerySet


class EvaluationReportQuerySet(OrganisationQuerySet["EvaluationReport"]):
    pass


class EvaluationReport(models.Model):
    """The evaluation of one programme year: the figures are gathered live, the conclusions are the officer's."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="evaluation_reports", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    conclusions = models.TextField(
        _("conclusions"),
        blank=True,
        help_text=_("What went well, what did not, and what the programme changes next year."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvaluationReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="evaluation_report_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class TopicProposalQuerySet(OrganisationQuerySet["TopicProposal"]):
    def with_votes(self, user=None) -> TopicProposalQuerySet:
        """Annotate ``vote_count`` and, for ``user``, ``voted`` (one query for the whole list)."""
        qs = self.annotate(vote_count=models.Count("votes", distinct=True))
        if user is not None:
            qs = qs.annotate(
                voted=models.Exists(TopicVote.objects.filter(proposal=models.OuterRef("pk"), user_id=user.pk))
            )
        return qs


class TopicProposal(models.Model):
    """A topic proposed during the evaluation of ``year`` for the annual plan of the year after."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="topic_proposals", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("evaluation year"))
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("why this topic"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_proposals",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    suggestion = models.OneToOneField(
        "programme.TopicSuggestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_proposal",
        verbose_name=_("topic suggestion"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The form's one-time token: a double submit finds the proposal it already created.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TopicProposalQuerySet.as_manager()

    class Meta:
        ordering = ["year", "title"]
        verbose_name = _("topic proposal")
        verbose_name_plural = _("topic proposals")
        indexes = [models.Index(fields=["organisation", "year"], name="evaluation_proposal_year_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"EV-{self.year}-{self.pk}"


class TopicVote(models.Model):
    proposal = models.ForeignKey(TopicProposal, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="evaluation_vote_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.proposal_id}"
