"""The iCalendar feed of the annual plan, per user (see views.calendar_feed_view)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.permissions import can_manage_programme, can_view_communication
from programme.models import Message, Topic


def calendar_feed(user) -> bytes:
    """Topics the user may read, as all-day events spanning their month or quarter; officers and ambassadors
    also get the planned messages. Two years back and forward keep the feed small."""
    this_year = timezone.localdate().year
    years = range(this_year - 1, this_year + 2)
    topics = Topic.objects.visible_to(user).filter(plan__year__in=years).select_related("plan", "department")
    if not can_manage_programme(user):
        topics = topics.published()
    calendar = Calendar()
    calendar.add("prodid", "-//Ambassadeursprogramma//jaarplan//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Jaarplan {user.organisation}")
    host = settings.SITE_URL.split("//")[-1]
    stamp = timezone.now()
    for topic in topics:
        event = Event()
        event.add("uid", f"topic-{topic.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", topic.title)
        event.add("dtstart", topic.starts_on)
        event.add("dtend", topic.ends_on + datetime.timedelta(days=1))
        description = topic.key_message
        if topic.department_id:
            description = f"{topic.department.name}: {description}"
        event.add("description", description)
        event.add("url", settings.SITE_URL + reverse("programme:topic", args=[topic.pk]))
        calendar.add_component(event)
    if can_view_communication(user):
        planned = Message.objects.visible_to(user).filter(topic__in=topics).select_related("topic")
        for message in planned:
            event = Event()
            event.add("uid", f"message-{message.pk}@{host}")
            event.add("dtstamp", stamp)
            event.add("summary", f"{message.get_channel_display()}: {message.title or message.topic.title}")
            event.add("dtstart", message.planned_on)
            event.add("dtend", message.planned_on + datetime.timedelta(days=1))
            calendar.add_component(event)
    return calendar.to_ical()
