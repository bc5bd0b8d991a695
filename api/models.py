"""API tokens: one organisation each, a name, scopes and an expiry; only the hash of the secret is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.querysets import OrganisationQuerySet


class Scope(models.TextChoices):
    TOPICS_READ = "topics:read", _("Read the published topics and their materials")
    KPIS_READ = "kpis:read", _("Read goals, KPIs and their values, and the dashboards' counts per department")
    DATALEAKS_WRITE = "dataleaks:write", _("Hand over suspected data leaks")
    REGISTER_READ = "register:read", _("Read the data-leak register (without personal details)")
    PEOPLE_WRITE = "people:write", _("Import employees and departments from the HR system")


class ApiTokenQuerySet(OrganisationQuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    # The first characters of the token, to recognise it in lists and logs; never enough to use it.
    prefix = models.CharField(_("starts with"), max_length=16)
    # SHA-256 of the whole token: tokens are 256 random bits, so a fast hash cannot be brute-forced.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def get_scopes_display(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` of a data-leak hand-over (the IETF draft): the organisation's key, a fingerprint of the
    body it first came with and the report it stored. The same key with the same body answers that report's receipt;
    with another body it is refused. Another organisation's same key is another key."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of the body as canonical JSON (keys sorted), so spacing and key order do not make another request.
    fingerprint = models.CharField(max_length=64)
    leak = models.ForeignKey("incidents.DataLeak", on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="api_idempotency_key_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.key}"
