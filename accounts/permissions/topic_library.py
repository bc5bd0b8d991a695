"""Access rules of the topic library shared between the organisations of one installation.

Only a CISO or ISO takes part: they publish their organisation's topics, subscribe to other organisations'
publications, and adopt one into their own annual plan. A publication is readable by its publisher and by the
organisations subscribed to it; nothing else of another organisation is ever reachable through the library.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Officer

from .roles import get_roles, same_organisation

__all__ = [
    "can_adopt_publication",
    "can_publish_topic",
    "can_update_adoption",
    "can_use_topic_library",
    "can_withdraw_publication",
]

_SECURITY_OFFICERS = {Officer.Kind.CISO, Officer.Kind.ISO}


def can_use_topic_library(user: Any) -> bool:
    """The library page (own publications, subscriptions, subscribed publications): a CISO or ISO."""
    return bool(get_roles(user).officer_kinds & _SECURITY_OFFICERS)


def can_publish_topic(user: Any, topic: Any) -> bool:
    """A CISO or ISO publishes (and republishes) a topic of their own organisation's plan."""
    return can_use_topic_library(user) and same_organisation(user, topic.plan)


def can_withdraw_publication(user: Any, publication: Any) -> bool:
    return can_use_topic_library(user) and publication.publisher_id == user.organisation_id


def can_adopt_publication(user: Any, publication: Any) -> bool:
    """A publication of another organisation the user's organisation subscribes to (the list is filtered by the
    ``readable_by`` QuerySet; this asks the same of one object)."""
    if not can_use_topic_library(user) or publication.publisher_id == user.organisation_id:
        return False
    from django.apps import apps

    subscription = apps.get_model("topic_library", "Subscription")
    return subscription.objects.filter(
        subscriber_id=user.organisation_id, publisher_id=publication.publisher_id
    ).exists()


def can_update_adoption(user: Any, adoption: Any) -> bool:
    """Taking a newer version of the source into an adopted topic of the user's own plan."""
    return can_use_topic_library(user) and same_organisation(user, adoption.topic.plan)
