"""Each organisation's mails: its sender name and reply-to address, its name and logo; the envelope stays global."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile

from accounts.tests.factories import UserFactory
from core.mail import send_mail

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), (21, 66, 115)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_sender_name_and_reply_to_come_from_the_organisation(mailoutbox, settings, org, other_org, department_a):
    settings.DEFAULT_FROM_EMAIL = "Ambassadeursprogramma <noreply@installatie.test>"
    org.mail_sender_name = "Gemeente Voorbeeld – Informatieveiligheid"
    org.mail_reply_to = "informatieveiligheid@voorbeeld.test"
    org.save()
    ours = UserFactory(organisation=org, department=department_a)
    theirs = UserFactory(organisation=other_org, department=None)
    for user in (ours, theirs):
        send_mail("invitation", user.email, {"user": user, "inviter": None, "url": "https://x.test/"})
    mine, other = mailoutbox
    assert mine.from_email == "Gemeente Voorbeeld – Informatieveiligheid <noreply@installatie.test>"
    assert mine.reply_to == ["informatieveiligheid@voorbeeld.test"]
    assert "Gemeente Voorbeeld" in mine.alternatives[0][0]
    assert other.from_email == "Ambassadeursprogramma <noreply@installatie.test>" and other.reply_to == []
    assert "Gemeente Voorbeeld" not in other.alternatives[0][0]
    # The envelope sender (the address the mail server sends for) is the installation's.
    assert "noreply@installatie.test" in mine.message()["From"]


def test_the_logo_travels_inline(mailoutbox, org, department_a):
    org.logo.save("logo.png", ContentFile(_png()), save=True)
    user = UserFactory(organisation=org, department=department_a)
    send_mail("invitation", user.email, {"user": user, "inviter": None, "url": "https://x.test/"})
    message = mailoutbox[0].message()
    assert message.get_content_type() == "multipart/related"
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"] == "<organisation-logo>"
    assert 'src="cid:organisation-logo"' in mailoutbox[0].alternatives[0][0]


def test_the_quarterly_mailing_uses_the_organisations_sender(
    mailoutbox, settings, org, department_a, django_capture_on_commit_callbacks
):
    from programme import delivery
    from programme.models import QuarterlyMailing

    settings.DEFAULT_FROM_EMAIL = "noreply@installatie.test"
    org.mail_sender_name = "Gemeente Voorbeeld"
    org.mail_reply_to = "communicatie@voorbeeld.test"
    org.save()
    UserFactory(organisation=org, department=department_a, email="m1@voorbeeld.test")
    mailing = QuarterlyMailing.objects.create(
        organisation=org, year=2026, quarter=2, subject="Onderwerpen Q2", body="Beste collega,"
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery.mailing_start(mailing=mailing)
    assert mailoutbox and all(m.from_email == "Gemeente Voorbeeld <noreply@installatie.test>" for m in mailoutbox)
    assert all(m.reply_to == ["communicatie@voorbeeld.test"] for m in mailoutbox)
