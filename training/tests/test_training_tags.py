"""The training tags give what the partial templates they replaced gave."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from training.models import Enrolment, TrainingSession

WHEN = """{% load i18n %}{{ session.starts_at|date:"l j F Y" }}, {{ session.starts_at|time:"H:i" }}–{{ session.ends_at|time:"H:i" }}"""
BADGE = """{% load i18n %}{% if status == "enrolled" %}<span class="badge text-bg-success">{% translate "Enrolled" %}</span>{% elif status == "waitlisted" %}<span class="badge text-bg-warning">{% translate "On the waiting list" %}</span>{% endif %}"""


def _moment(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("starts", "ends"),
    [((2026, 11, 2, 9, 30), (2026, 11, 2, 11, 0)), ((2026, 7, 1, 13, 5), (2026, 7, 1, 16, 45))],  # winter, summer
)
def test_session_when_is_the_old_partial(language, starts, ends):
    session = TrainingSession(starts_at=_moment(*starts), ends_at=_moment(*ends))
    with translation.override(language):
        tag = Template("{% load training_tags %}{% session_when session %}").render(Context({"session": session}))
        old = Template(WHEN).render(Context({"session": session}))
    assert tag == old.strip()
    if language == "nl":
        assert tag in ("maandag 2 november 2026, 09:30–11:00", "woensdag 1 juli 2026, 13:05–16:45")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("status", [*Enrolment.Status.values, "", None])
def test_enrolment_badge_is_the_old_partial(language, status):
    with translation.override(language):
        tag = Template("{% load training_tags %}{% enrolment_badge status %}").render(Context({"status": status}))
        old = Template(BADGE).render(Context({"status": status}))
    assert tag == old.strip()
