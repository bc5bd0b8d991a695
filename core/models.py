"""Infrastructure records shared by every app: the outbox of follow-up work and the log of sent mail."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """Follow-up work (a mail, an alert, a post) recorded in the same transaction as the submission.

    The submission is the master record; this row says what still has to
    happen. It is dispatched to Celery after commit; a periodic sweep
    dispatches again whatever is not done, so a broker outage loses nothing.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.task_name} [{self.key}]"


class SentMail(models.Model):
    """One mail per key, ever: a retried task or a second beat finds the key and sends nothing."""

    key = models.CharField(max_length=255, unique=True)
    recipient = models.EmailField()
    template = models.CharField(max_length=100)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mails")

    def __str__(self) -> str:
        return self.key
