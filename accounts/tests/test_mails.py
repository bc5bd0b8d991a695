"""allauth's mails in the house style: parsed as a mail client reads them."""

from email import message_from_bytes, policy

import pytest
from allauth.account.adapter import get_adapter
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.adapter import NOTICES


@pytest.fixture
def berg_en_dal(org):
    org.name = "Gemeente Berg & Dal"
    org.mail_sender_name = "Privacyteam Berg & Dal"
    org.mail_reply_to = "privacy@bergendal.test"
    org.save()
    return org


def _parsed(message):
    return message_from_bytes(message.message().as_bytes(), policy=policy.default)


def _parts(parsed):
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    return text, html


def _assert_house_style(message, *, subject_has: str, formal: bool = True):
    parsed = _parsed(message)
    subject = str(parsed["Subject"])
    assert subject_has in subject and "&amp;" not in subject and "[" not in subject
    assert str(parsed["Reply-To"]) == "privacy@bergendal.test"
    assert parsed["From"].addresses[0].display_name == "Privacyteam Berg & Dal"
    text, html = _parts(parsed)
    assert f"<title>{subject.replace('&', '&amp;')}</title>" in html
    assert "&amp;" not in text and "Gemeente Berg & Dal" in text
    for informal in (" je ", " jouw ", "Hallo", "Hello from") if formal else ("Hello from",):
        assert informal not in text and informal not in html
    return subject, text, html


def test_the_password_reset_mail_is_formal_from_the_organisation_with_html_and_text(client, staff_b, berg_en_dal):
    client.post(reverse("account_reset_password"), {"email": staff_b.email})
    [message] = mail.outbox
    subject, text, html = _assert_house_style(message, subject_has="Berg & Dal")
    assert subject == "Kies een nieuw wachtwoord voor het ambassadeursprogramma van Gemeente Berg & Dal"
    assert text.startswith("Beste Tom Medewerker,") and " uw " in text
    assert "/accounts/password/reset/key/" in text and 'href="http://' in html


def test_the_password_changed_notice_is_in_the_house_style(client, staff_b, berg_en_dal):
    staff_b.set_password("oud-wachtwoord-123!")
    staff_b.save()
    client.force_login(staff_b)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": "oud-wachtwoord-123!", "password1": "Nieuw-wachtw00rd!x", "password2": "Nieuw-wachtw00rd!x"},
    )
    [message] = mail.outbox
    subject, text, _html = _assert_house_style(message, subject_has="wachtwoord")
    assert subject == "Uw wachtwoord is gewijzigd"
    assert "Uw wachtwoord is gewijzigd." in text and "IP-adres" in text


@pytest.mark.parametrize("prefix", sorted(NOTICES))
def test_every_notice_renders_in_the_house_style(rf: RequestFactory, staff_b, berg_en_dal, prefix):
    request = rf.get("/")
    adapter = get_adapter(request)
    context = {"user": staff_b, "ip": "192.0.2.1", "user_agent": "Firefox", "timestamp": timezone.now()}
    context |= {"from_email": "oud@voorbeeld.test", "to_email": "nieuw@voorbeeld.test", "deleted_email": "x@y.test"}
    message = adapter.render_mail(prefix, staff_b.email, context)
    _subject, text, _html = _assert_house_style(message, subject_has="")
    assert "192.0.2.1" in text and "informatiebeveiligingsfunctionaris" in text


def test_an_allauth_mail_without_its_own_template_still_gets_the_house_layout(rf, staff_b, berg_en_dal):
    adapter = get_adapter(rf.get("/"))
    # Sign-in by code is off here: a mail this installation does not send keeps allauth's words, in our layout.
    message = adapter.render_mail("account/email/login_code", staff_b.email, {"code": "AB12CD"})
    _subject, text, html = _assert_house_style(message, subject_has="", formal=False)
    assert "AB12CD" in text and "AB12CD" in html and text.startswith("Beste Tom Medewerker,")


def test_the_unknown_account_mail_asks_to_contact_the_officer_instead_of_signing_up(client, berg_en_dal, db):
    client.post(reverse("account_reset_password"), {"email": "onbekend@voorbeeld.test"})
    [message] = mail.outbox
    text, html = _parts(_parsed(message))
    assert "Geachte heer, mevrouw," in text and "signup" not in text and "<title>" in html
    assert "</title>" in html and "<title></title>" not in html
