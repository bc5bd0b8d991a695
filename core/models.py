"""Infrastructure records shared by every app: the outbox of follow-up work, the log of sent mail, the audit
trail, and the abstract material (a file or a link) that topics and training modules hand out."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
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
    # Set when the work was handed to the outside (a Teams post): not done until it was accepted; a worker that
    # died in between leaves it handed over, and the sweep does it again.
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.task_name} [{self.key}]"


class SentMail(models.Model):
    """One mail per key: a retried task or a second beat finds the key sent and sends nothing.

    *Handed over* while the mail server has it and has not answered; *sent* once it accepted it. A key left
    handed over by a worker that died is unknown: the next try sends it again under the same Message-ID.
    """

    class Status(models.TextChoices):
        HANDED_OVER = "handed_over", _("Handed over")
        SENT = "sent", _("Sent")

    key = models.CharField(max_length=255, unique=True)
    recipient = models.EmailField()
    template = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mails")

    def __str__(self) -> str:
        return self.key


class AuditChainHead(models.Model):
    """One row: the hash of the newest audit entry. Locking it serialises appends to the chain."""

    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash or "-"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """An append-only, hash-chained record of a security event or an access to sensitive data.

    Each entry stores the hash of the previous one, so ``manage.py verify_audit_chain``
    finds any entry that was altered or removed outside the application. No
    personal data or secrets go in here: an object is named by type and id.
    """

    class Result(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")
        DENIED = "denied", _("denied")

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    result = models.CharField(max_length=16, choices=Result.choices, default=Result.SUCCESS)
    origin = models.CharField(max_length=64, blank=True, help_text="IP address of the request")
    detail = models.CharField(max_length=255, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


class CorrectionQuerySet(models.QuerySet["Correction"]):
    def visible_to(self, user) -> CorrectionQuerySet:
        return self.filter(organisation_id=getattr(user, "organisation_id", None))

    def of(self, *records: models.QuerySet | models.Model) -> CorrectionQuerySet:
        """The corrections of these records (model instances, or querysets of them), newest first."""
        condition = Q(pk__in=[])
        for record in records:
            if isinstance(record, models.QuerySet):
                content_type = ContentType.objects.get_for_model(record.model)
                condition |= Q(content_type=content_type, object_id__in=record.values("pk"))
            else:
                condition |= Q(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        return self.filter(condition).select_related("corrected_by")


class Correction(models.Model):
    """A correction of a record others rely on (a KPI measurement, a term, an AP notification, ...): what changed,
    why, by whom and when. The record itself holds the current value; its corrections keep the old ones.

    One store for every app (see ``core.history``); a model that is corrected declares
    ``corrections = GenericRelation("core.Correction")``, so deleting the record deletes its history.
    """

    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # [{"name": the field, "field": its label as read at the time, "old": text, "new": text,
    #   "old_value"/"new_value": the values as data, where they can be kept}] (core.history)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    # What changed in words, for corrections kept as text before each field was recorded (the data-leak timeline).
    description = models.TextField(_("description"), blank=True)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now, db_index=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-corrected_at", "-pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_correction_record")]

    def __str__(self) -> str:
        return f"{self.reason[:40]} ({self.corrected_at:%Y-%m-%d})"

    def readable_changes(self) -> list[dict[str, str]]:
        """What changed, in the reader's language (``core.history.readable``)."""
        from core.history import readable

        return readable(self)


class SubmissionToken(models.Model):
    """One row per form submission that must be stored once: the token's hash under a unique constraint.

    Written in the same transaction as what the submission creates, so a second
    POST with the same token (a double click, a reload, a retried API call)
    waits for the first and then finds this row and the object it points at.
    Rows older than ``SUBMISSION_TOKEN_DAYS`` are purged by beat.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("submission token")
        verbose_name_plural = _("submission tokens")

    def __str__(self) -> str:
        return self.key[:12]

    @property
    def stored_object(self):
        if self.content_type_id is None or self.object_id is None:
            return None
        return self.content_type.model_class()._default_manager.filter(pk=self.object_id).first()


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar feed URL, one per feed; rotating it makes the old URL stop working.

    Calendars cannot sign in, so the token is the key: it is random, never logged,
    and a feed answers only while its user is active and may read the feed.
    """

    class Feed(models.TextChoices):
        PLAN = "plan", _("annual plan")
        TRAINING = "training", _("trainings")

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="calendar_feed_tokens")
    feed = models.CharField(max_length=20, choices=Feed.choices)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "feed"], name="calendar_feed_token_one_per_feed")]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.feed})"


class Material(models.Model):
    """Material to hand out (a topic's poster, a training module's slides): an uploaded file or a link, never both.

    Abstract: each app keeps its own table and ``upload_to`` (a subclass overrides ``file``); create and delete
    through ``core.materials`` so the file is checked, stored and removed in one place.
    """

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url="")),
                name="%(app_label)s_%(class)s_file_xor_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    def get_constraints(self):
        # Model validation leaves "one of the two" to clean(), which says it in words; the database still enforces
        # the constraint, and a form would otherwise show the rule twice.
        return [
            (model, [c for c in constraints if not c.name.endswith("_file_xor_link")])
            for model, constraints in super().get_constraints()
        ]

    def clean(self) -> None:
        super().clean()
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Upload a file or give a link (one of the two)."), code="file_xor_link")
