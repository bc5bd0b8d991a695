"""Writes of the topic library: publish, withdraw, subscribe, adopt and take over a newer version."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Organisation
from programme import services as programme_services
from programme.library.models import SNAPSHOT_FIELDS, Adoption, Publication, PublicationMaterial, Subscription
from programme.models import Topic, TopicMaterial


def _copy_material(source, model, **owner):
    """A copy of a file or link material, the file stored anew (the original may go)."""
    copy = model(title=source.title, url=source.url, original_name=source.original_name, **owner)
    if source.file:
        with source.file.open("rb") as handle:
            copy.file.save(
                source.original_name or source.file.name.rsplit("/", 1)[-1], ContentFile(handle.read()), save=False
            )
    copy.save()
    return copy


def _replace_materials(publication: Publication, topic: Topic) -> None:
    for old in publication.materials.all():
        name, storage = old.file.name, old.file.storage
        old.delete()
        if name:
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    for material in topic.materials.all():
        _copy_material(material, PublicationMaterial, publication=publication)


@transaction.atomic
def publish(*, topic: Topic) -> Publication:
    """Publish the topic to the subscribers, or republish it: the snapshot is replaced and the version raised."""
    values = {name: getattr(topic, name) for name in SNAPSHOT_FIELDS}
    publication = Publication.objects.select_for_update().filter(source_topic=topic).first()
    if publication is None:
        publication = Publication.objects.create(
            publisher_id=topic.plan.organisation_id, source_topic=topic, year=topic.plan.year, **values
        )
    else:
        for name, value in values.items():
            setattr(publication, name, value)
        publication.year = topic.plan.year
        publication.version += 1
        publication.save()
    _replace_materials(publication, topic)
    return publication


@transaction.atomic
def withdraw(*, publication: Publication) -> None:
    """No longer offered; topics adopted from it stay as they are (their source name stays too)."""
    for material in publication.materials.all():
        name, storage = material.file.name, material.file.storage
        if name:
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    publication.delete()


def subscribe(*, subscriber: Organisation, publisher: Organisation) -> Subscription:
    subscription, _created = Subscription.objects.get_or_create(subscriber=subscriber, publisher=publisher)
    return subscription


def unsubscribe(*, subscriber: Organisation, publisher_id: int) -> None:
    Subscription.objects.filter(subscriber=subscriber, publisher_id=publisher_id).delete()


@transaction.atomic
def adopt(*, publication: Publication, organisation: Organisation, year: int) -> Topic:
    """A draft copy in the organisation's plan of ``year`` (made when missing), with the source named."""
    plan = programme_services.plan_for_year(organisation=organisation, year=year)
    topic = Topic(
        plan=plan, status=Topic.Status.DRAFT, **{name: getattr(publication, name) for name in SNAPSHOT_FIELDS}
    )
    topic.full_clean()
    topic.save()
    for material in publication.materials.all():
        _copy_material(material, TopicMaterial, topic=topic)
    Adoption.objects.create(
        topic=topic,
        publication=publication,
        publisher_name=publication.publisher.name,
        adopted_version=publication.version,
        adopted_snapshot=publication.snapshot(),
    )
    return topic


@transaction.atomic
def take_newer_version(*, adoption: Adoption) -> Topic:
    """Apply what changed in the source since adoption; what the subscriber changed elsewhere stays."""
    publication = adoption.publication
    current = publication.snapshot()
    topic = Topic.objects.select_for_update().get(pk=adoption.topic_id)
    changed = {name: current[name] for name in SNAPSHOT_FIELDS if current[name] != adoption.adopted_snapshot.get(name)}
    if "month" in changed or "quarter" in changed:
        changed["month"], changed["quarter"] = current["month"], current["quarter"]
    if changed:
        programme_services.topic_update(topic=topic, expected_version=topic.version, data=changed)
    if current["materials"] != adoption.adopted_snapshot.get("materials"):
        have = set(topic.materials.values_list("title", flat=True))
        for material in publication.materials.all():
            if material.title not in have:
                _copy_material(material, TopicMaterial, topic=topic)
    adoption.adopted_version = publication.version
    adoption.adopted_snapshot = current
    adoption.save(update_fields=["adopted_version", "adopted_snapshot"])
    return topic
