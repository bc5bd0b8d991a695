"""The iCalendar feed of the annual plan, per user (built by core.calendar, served by the calendar view)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can_manage_programme, can_view_communication
from core.calendar import Entry, ics
from programme.models import Message, Topic


def calendar_feed(user) -> bytes:
    """Topics the user may read, as all-day events spanning their month or quarter; officers and ambassadors
    also get the planned messages. A year back and forward keep the feed small."""
    this_year = timezone.localdate().year
    years = range(this_year - 1, this_year + 2)
    topics = Topic.objects.visible_to(user).filter(plan__year__in=years).select_related("plan", "department")
    if not can_manage_programme(user):
        topics = topics.published()
    entries = [
        Entry.all_day(
            uid=f"topic-{topic.pk}",
            summary=topic.title,
            first=topic.starts_on,
            last=topic.ends_on,
            description=f"{topic.department.name}: {topic.key_message}" if topic.department_id else topic.key_message,
            url=settings.SITE_URL + reverse("programme:topic", args=[topic.pk]),
        )
        for topic in topics
    ]
    if can_view_communication(user):
        planned = Message.objects.visible_to(user).filter(topic__in=topics).select_related("topic")
        entries += [
            Entry.all_day(
                uid=f"message-{message.pk}",
                summary=f"{message.get_channel_display()}: {message.title or message.topic.title}",
                first=message.planned_on,
                last=message.planned_on,
            )
            for message in planned
        ]
    return ics(_("Annual plan %(organisation)s") % {"organisation": user.organisation}, entries)
