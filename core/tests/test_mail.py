import pytest

from accounts.tests.factories import UserFactory
from core.mail import render_mail, send_mail
from core.models import SentMail

pytestmark = pytest.mark.django_db


def test_a_keyed_mail_goes_out_once(mailoutbox, org, department_a):
    user = UserFactory(organisation=org, department=department_a)
    context = {"user": user, "inviter": user, "url": "https://example.test/x"}
    assert send_mail("invitation", user.email, context, key="invite:1")
    assert not send_mail("invitation", user.email, context, key="invite:1")
    assert len(mailoutbox) == 1 and SentMail.objects.count() == 1
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_mail_renders_in_the_recipients_language(org, department_a):
    user = UserFactory(organisation=org, department=department_a, full_name="Anna")
    context = {"user": user, "inviter": user, "url": "https://example.test/x"}
    subject_nl, text_nl, _html = render_mail("invitation", context, "nl")
    subject_en, text_en, _html = render_mail("invitation", context, "en")
    assert subject_nl.startswith("Uw account") and "Beste Anna" in text_nl
    assert subject_en.startswith("Your account") and "Dear Anna" in text_en


def test_a_failed_send_frees_the_key(monkeypatch, org, department_a):
    user = UserFactory(organisation=org, department=department_a)

    def fail(self, *args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
    with pytest.raises(OSError):
        send_mail("invitation", user.email, {"user": user, "inviter": user, "url": "x"}, key="invite:2")
    assert not SentMail.objects.filter(key="invite:2").exists()


def test_a_keyed_mail_is_sent_only_once_the_server_accepted_it(mailoutbox, monkeypatch, org, department_a):
    """Handed over while the server has it, sent after its answer; the Message-ID is the key's, every time."""
    from core.mail import message_id_for

    user = UserFactory(organisation=org, department=department_a)
    seen = []
    original = __import__("django.core.mail", fromlist=["EmailMultiAlternatives"]).EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        seen.append(SentMail.objects.get(key="invite:3").status)
        return original(self, *args, **kwargs)

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send)
    assert send_mail("invitation", user.email, {"user": user, "inviter": user, "url": "x"}, key="invite:3")
    assert seen == ["handed_over"]
    row = SentMail.objects.get(key="invite:3")
    assert row.status == "sent" and row.sent_at is not None
    assert mailoutbox[0].extra_headers["Message-ID"] == message_id_for("invite:3")


def test_a_mail_handed_over_by_a_worker_that_died_is_sent_again_with_the_same_message_id(mailoutbox, org, department_a):
    import datetime

    from django.utils import timezone

    from core.mail import MailInFlight, message_id_for

    user = UserFactory(organisation=org, department=department_a)
    context = {"user": user, "inviter": user, "url": "x"}
    # A worker handed it over a moment ago and is still waiting for the answer: not sent a second time now.
    SentMail.objects.create(
        key="invite:4", recipient=user.email, template="invitation", status="handed_over", handed_over_at=timezone.now()
    )
    with pytest.raises(MailInFlight):
        send_mail("invitation", user.email, context, key="invite:4")
    assert mailoutbox == []
    # That worker died: after the handover window the copy is unknown and goes out again, recognisably the same.
    SentMail.objects.filter(key="invite:4").update(handed_over_at=timezone.now() - datetime.timedelta(minutes=10))
    assert send_mail("invitation", user.email, context, key="invite:4")
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [message_id_for("invite:4")]
    assert SentMail.objects.get(key="invite:4").status == "sent"
    assert not send_mail("invitation", user.email, context, key="invite:4")
    assert len(mailoutbox) == 1


def test_a_teams_post_is_handed_over_before_and_done_after(monkeypatch, org):
    from core import outbox, tasks, teams
    from core.models import OutboxMessage

    message = OutboxMessage.objects.create(task_name="core.tasks.post_to_teams", key="teams:1", kwargs={})
    monkeypatch.setattr(teams, "webhook_for", lambda *args: "https://example.test/hook")
    states = []
    monkeypatch.setattr(
        teams, "post", lambda url, payload: states.append(OutboxMessage.objects.get(pk=message.pk).handed_over_at)
    )
    tasks.post_to_teams(organisation_id=org.pk, title="t", text="x", outbox_id=message.pk)
    assert states[0] is not None
    assert outbox.status_counts() == {"done": 1, "unknown": 0, "pending": 0}
