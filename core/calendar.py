"""Every calendar of the app through one builder, and one kind of secret feed URL.

- ``ics(name, entries)`` builds an iCalendar document from ``Entry`` rows (a plan
  topic, a training session, a community meeting): all-day entries take dates,
  timed entries take aware datetimes.
- ``ics_response(...)`` answers with it, with the cache header the caller asks
  for (a personal feed may be cached privately; a feed with unpublished items not).
- A personal feed's URL carries a ``CalendarFeedToken``: ``feed_token`` reads it
  (a GET never creates one), ``feed_token_issue``/``feed_token_rotate`` are the
  POST-side services, ``feed_owner`` resolves a token to its active user.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from icalendar import Calendar, Event

from core.models import CalendarFeedToken

Feed = CalendarFeedToken.Feed


@dataclass(frozen=True)
class Entry:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = ""  # CONFIRMED, CANCELLED or empty

    @classmethod
    def all_day(cls, *, uid: str, summary: str, first: datetime.date, last: datetime.date, **extra) -> Entry:
        """An entry over whole days, ``first`` to ``last`` inclusive (iCalendar's end date is exclusive)."""
        return cls(uid=uid, summary=summary, start=first, end=last + datetime.timedelta(days=1), **extra)


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].rstrip("/") or "ambassadeursprogramma"


def ics(name: str, entries: Iterable[Entry], *, method: str = "") -> bytes:
    """The iCalendar document named ``name`` holding ``entries`` (uids are made unique to this site)."""
    from django.utils import timezone

    calendar = Calendar()
    calendar.add("prodid", "-//Ambassadeursprogramma//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    host = _host()
    stamp = timezone.now()
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        for field in ("description", "location", "url", "status"):
            value = getattr(entry, field)
            if value:
                event.add(field, value)
        calendar.add_component(event)
    return calendar.to_ical()


def ics_response(body: bytes, *, filename: str, attachment: bool = False, cache: str = "no-store") -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    response["Cache-Control"] = cache
    return response


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token(user, feed: str) -> CalendarFeedToken | None:
    """The user's token for ``feed``, if they asked for a link (reading only)."""
    return CalendarFeedToken.objects.filter(user=user, feed=feed).first()


def feed_token_issue(*, user, feed: str) -> CalendarFeedToken:
    """The user's token for ``feed``, created on first use (call it from a POST)."""
    token, _created = CalendarFeedToken.objects.get_or_create(user=user, feed=feed, defaults={"token": _new_token()})
    return token


@transaction.atomic
def feed_token_rotate(*, user, feed: str) -> CalendarFeedToken:
    """A new secret for ``feed`` (created if there was none); the old URL stops working at once."""
    token = feed_token_issue(user=user, feed=feed)
    token.token = _new_token()
    token.save(update_fields=["token", "created_at"])
    return token


def feed_owner(token: str, feed: str):
    """The active user whose ``feed`` this token opens, or None."""
    row = CalendarFeedToken.objects.select_related("user").filter(token=token, feed=feed).first()
    return row.user if row is not None and row.user.is_active else None
