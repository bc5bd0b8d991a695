"""One builder for every calendar, one secret-token model for every personal feed."""

import datetime

import pytest
from icalendar import Calendar

from core import calendar

pytestmark = pytest.mark.django_db


def test_an_all_day_entry_ends_the_day_after_its_last_day():
    entry = calendar.Entry.all_day(
        uid="topic-1", summary="Phishing", first=datetime.date(2026, 3, 1), last=datetime.date(2026, 3, 31)
    )
    event = Calendar.from_ical(calendar.ics("Jaarplan", [entry])).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime.date(2026, 3, 1)
    assert event.decoded("dtend") == datetime.date(2026, 4, 1)
    assert str(event["uid"]).startswith("topic-1@")


def test_empty_fields_are_left_out_and_a_method_is_set_when_asked():
    start = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    entry = calendar.Entry(uid="e", summary="Bijeenkomst", start=start, end=start + datetime.timedelta(hours=1))
    parsed = Calendar.from_ical(calendar.ics("Bijeenkomst", [entry], method="PUBLISH"))
    assert parsed["method"] == "PUBLISH"
    event = parsed.walk("VEVENT")[0]
    assert "location" not in event and "description" not in event


def test_each_feed_has_its_own_token_and_rotating_one_leaves_the_other(ambassador_a):
    plan = calendar.feed_token_issue(user=ambassador_a, feed=calendar.Feed.PLAN)
    training = calendar.feed_token_issue(user=ambassador_a, feed=calendar.Feed.TRAINING)
    assert plan.token != training.token
    assert calendar.feed_token_issue(user=ambassador_a, feed=calendar.Feed.PLAN).token == plan.token
    rotated = calendar.feed_token_rotate(user=ambassador_a, feed=calendar.Feed.PLAN)
    assert rotated.token != plan.token
    assert calendar.feed_owner(plan.token, calendar.Feed.PLAN) is None
    assert calendar.feed_owner(rotated.token, calendar.Feed.PLAN) == ambassador_a
    assert calendar.feed_owner(training.token, calendar.Feed.TRAINING) == ambassador_a
    assert calendar.feed_owner(training.token, calendar.Feed.PLAN) is None  # a token opens only its own feed


def test_a_deactivated_users_feed_closes(ambassador_a):
    token = calendar.feed_token_issue(user=ambassador_a, feed=calendar.Feed.TRAINING).token
    ambassador_a.is_active = False
    ambassador_a.save(update_fields=["is_active"])
    assert calendar.feed_owner(token, calendar.Feed.TRAINING) is None


def test_reading_a_token_never_creates_one(ambassador_a):
    from core.models import CalendarFeedToken

    assert calendar.feed_token(ambassador_a, calendar.Feed.PLAN) is None
    assert not CalendarFeedToken.objects.exists()
