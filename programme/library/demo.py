"""Demo data of the topic library: Gemeente Voorbeeld publishes its October topic (the national cybersecurity
month), and Gemeente Naburig follows Voorbeeld's publications, so Naburig's CISO can adopt it.

Runs on the second organisation's demo signal, when both organisations and their plans exist.
"""

from __future__ import annotations

import datetime

from accounts.models import Organisation
from programme.library import services
from programme.library.models import Publication
from programme.models import Topic


def seed_demo(sender, organisation, people, today: datetime.date, **kwargs) -> None:
    if organisation.slug != "naburig":
        return
    publisher = Organisation.objects.filter(slug="voorbeeld").first()
    if publisher is None:
        return
    if not Publication.objects.filter(publisher=publisher).exists():
        topics = Topic.objects.filter(plan__organisation=publisher, plan__year=today.year)
        topic = topics.filter(month=10).first() or topics.order_by("quarter", "month").first()
        if topic is None:
            return
        services.publish(topic=topic)
    services.subscribe(subscriber=organisation, publisher=publisher)
