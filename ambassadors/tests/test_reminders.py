import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from ambassadors.reminders import send_idle_ambassador_reminders, send_unanswered_feedback_reminders
from ambassadors.tests.factories import ActivityFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def test_a_quiet_ambassador_is_nudged_once_per_quiet_spell(ambassador_a, mailoutbox):
    today = timezone.localdate()
    ActivityFactory(user=ambassador_a, organisation=ambassador_a.organisation, date=today - datetime.timedelta(days=20))
    assert send_idle_ambassador_reminders(today) == 0
    later = today + datetime.timedelta(days=9)  # 29 days since the last activity
    assert send_idle_ambassador_reminders(later) == 1
    assert mailoutbox[0].to == [ambassador_a.email]
    assert send_idle_ambassador_reminders(later + datetime.timedelta(days=3)) == 0
    ActivityFactory(user=ambassador_a, organisation=ambassador_a.organisation, date=later)
    assert send_idle_ambassador_reminders(later + datetime.timedelta(days=29)) == 1


def test_an_ambassador_who_opted_out_of_reminders_is_left_alone(ambassador_a, mailoutbox):
    ambassador_a.receives_reminders = False
    ambassador_a.save()
    assert send_idle_ambassador_reminders(timezone.localdate() + datetime.timedelta(days=60)) == 0


def test_officers_get_a_digest_of_feedback_unanswered_for_two_weeks(officer, privacy_officer, department_a, mailoutbox):
    with freeze_time(timezone.now() - datetime.timedelta(days=15)):
        old = FeedbackFactory(department=department_a)
    FeedbackFactory(department=department_a)  # too recent
    assert send_unanswered_feedback_reminders() == 2  # one digest per officer
    assert {m.to[0] for m in mailoutbox} == {officer.email, privacy_officer.email}
    assert "Burgerzaken" in mailoutbox[0].body
    assert send_unanswered_feedback_reminders() == 0
    old.status = "explained"
    old.save()
    assert send_unanswered_feedback_reminders() == 0


def test_the_profile_shows_trainings_attended(client_as, officer, ambassador_a):
    from django.urls import reverse

    from training.tests.factories import EnrolmentFactory, ModuleFactory, SessionFactory

    module = ModuleFactory(organisation=ambassador_a.organisation, title="Phishing herkennen")
    EnrolmentFactory(session=SessionFactory(module=module), user=ambassador_a, attended=True)
    content = client_as(officer).get(reverse("ambassadors:profile", args=[ambassador_a.pk])).content.decode()
    assert "Phishing herkennen" in content
