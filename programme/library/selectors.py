"""Reads of the topic library for other pages (the topic page)."""

from __future__ import annotations

from typing import Any

from accounts.permissions import can_publish_topic
from programme.library.models import Adoption, Publication


def library_context(user: Any, topic: Any) -> dict[str, Any]:
    """What the topic page shows of the library: the publish button (with the current publication), and for an
    adopted topic its source and, when the source changed, what changed (offered, never imposed)."""
    adoption = (
        Adoption.objects.filter(topic=topic)
        .select_related("publication")
        .prefetch_related("publication__materials")
        .first()
    )
    can_publish = can_publish_topic(user, topic) and adoption is None
    return {
        "can_publish_to_library": can_publish,
        "library_publication": Publication.objects.filter(source_topic=topic).first() if can_publish else None,
        "adoption": adoption,
    }
