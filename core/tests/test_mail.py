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
