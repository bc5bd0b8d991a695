"""The topic library: publications (a snapshot of a topic: what it says, never who or what else), subscriptions
between organisations, and the adoptions that link a copied topic to its source.

Nothing of the publishing organisation but its name and the snapshot crosses: a publication copies the topic's
title, key message, why it matters, audience, channels, month or quarter and its materials (files and links) at the
moment of publishing; no department, owner, message, activity or figure.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.models import Material
from core.uploads import random_upload_path
from programme.models import Channel

_random_library_path = random_upload_path("library")

# The fields a publication copies, compared field by field when the source changes.
SNAPSHOT_FIELDS = ["title", "key_message", "why_it_matters", "target_audience", "channels", "month", "quarter"]


def library_upload_to(instance: object, filename: str) -> str:
    return _random_library_path(instance, filename)


class PublicationQuerySet(models.QuerySet["Publication"]):
    def readable_by(self, organisation_id: int | None) -> PublicationQuerySet:
        """The organisation's own publications and those of the publishers it subscribes to."""
        if organisation_id is None:
            return self.none()
        subscribed = Subscription.objects.filter(subscriber_id=organisation_id, publisher_id=OuterRef("publisher_id"))
        return self.filter(Q(publisher_id=organisation_id) | Exists(subscribed))


class Publication(models.Model):
    """One topic as published to subscribers; republishing replaces the snapshot and raises the version."""

    publisher = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("publisher")
    )
    source_topic = models.OneToOneField(
        "programme.Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="publication"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    key_message = models.TextField(_("key message"), blank=True)
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    target_audience = models.CharField(_("target audience"), max_length=200, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["year", "quarter", "month", "title"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title

    def snapshot(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in SNAPSHOT_FIELDS}
        values["materials"] = sorted(m.title for m in self.materials.all())
        return values

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, self.month if self.month is not None else 3 * (self.quarter - 1) + 1, 1)

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]


class PublicationMaterial(Material):
    """A copy of a topic's material, as published (the publisher may change or delete the original)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to=library_upload_to, blank=True)

    class Meta(Material.Meta):
        verbose_name = _("published material")
        verbose_name_plural = _("published materials")


class Subscription(models.Model):
    """The subscriber's CISO or ISO reads the publisher's publications."""

    subscriber = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    publisher = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "publisher"], name="library_subscription_once"),
            models.CheckConstraint(condition=~Q(subscriber=models.F("publisher")), name="library_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} -> {self.publisher_id}"


class AdoptionQuerySet(models.QuerySet["Adoption"]):
    def visible_to(self, user: Any) -> AdoptionQuerySet:
        """The adoptions of the user's own organisation's plans."""
        organisation_id = getattr(user, "organisation_id", None)
        if organisation_id is None:
            return self.none()
        return self.filter(topic__plan__organisation_id=organisation_id)


class Adoption(models.Model):
    """A topic of the subscriber's plan copied from a publication: the source is named, its later versions offered."""

    topic = models.OneToOneField("programme.Topic", on_delete=models.CASCADE, related_name="adoption")
    publication = models.ForeignKey(Publication, on_delete=models.SET_NULL, null=True, related_name="adoptions")
    publisher_name = models.CharField(_("source"), max_length=200)
    adopted_version = models.PositiveIntegerField(default=1)
    adopted_snapshot = models.JSONField(default=dict)
    adopted_at = models.DateTimeField(auto_now_add=True)

    objects = AdoptionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.topic_id} <- {self.publisher_name}"

    @property
    def newer_available(self) -> bool:
        return self.publication is not None and self.publication.version > self.adopted_version

    def changes(self) -> list[str]:
        """The names of what changed in the source since it was adopted (labels for the page)."""
        if not self.newer_available:
            return []
        labels = {name: Publication._meta.get_field(name).verbose_name for name in SNAPSHOT_FIELDS}
        labels["materials"] = _("materials")
        current = self.publication.snapshot()
        changed = [
            str(labels[name])
            for name in [*SNAPSHOT_FIELDS, "materials"]
            if current.get(name) != self.adopted_snapshot.get(name)
        ]
        # month and quarter are one fact on the page: when
        return list(dict.fromkeys(changed))
