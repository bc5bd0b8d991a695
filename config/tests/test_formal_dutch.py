"""The programme says "u" to its readers, also where the words come from a library (allauth's pages and mails).

Three checks: every Dutch text of every catalogue in use, as Django resolves it (``locale_overrides/`` first, so
allauth's informal Dutch is replaced there); the sign-in pages a walk of the signed-in menu does not reach (signed
out, the password reset and its end, the second factor); and every mail allauth sends, rendered in Dutch. The pages
of the signed-in walk are checked by ``test_dutch_formats`` with the same detector.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from config.tests import dutch_text


def _catalogues() -> list[Path]:
    folders = [Path(path) for path in settings.LOCALE_PATHS]
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    return [path for folder in folders if (path := folder / "nl" / "LC_MESSAGES" / "django.po").exists()]


def _dutch(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        if entry.msgctxt:
            return [npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        return [ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
    return [pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)]


def test_every_dutch_text_in_use_says_u():
    informal = set()
    checked = 0
    with translation.override("nl"):
        for path in _catalogues():
            for entry in polib.pofile(str(path)):
                if entry.obsolete or not entry.msgid:
                    continue
                checked += 1
                for text in _dutch(entry):
                    if dutch_text.informal_words(text):
                        informal.add(f"{path.parts[-5]}: {entry.msgid!r} -> {text!r}")
    assert checked > 3000
    assert not informal, "\n".join(sorted(informal))


def test_the_detector_catches_je_jij_jouw_jullie_as_words_only():
    for bad in ["Je wachtwoord is gewijzigd.", "Wil je dit?", "met jouw account", "Heb jij", "voor jullie"]:
        assert dutch_text.informal_words(bad), bad
    for good in ["Uw wachtwoord is gewijzigd.", "jeugdzorg en jeans", "Jouwstraat-achtig: nee", "jeneverbes"]:
        assert not dutch_text.informal_words(good), good


@pytest.fixture
def dutch_client():
    client = Client()
    client.cookies["django_language"] = "nl"
    return client


def _page_problems(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return dutch_text.problems(response.content.decode())


@pytest.mark.django_db
def test_the_signed_out_pages_say_u(dutch_client, staff_b):
    paths = [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_reset_password_from_key_done"),
    ]
    report = []
    for path in paths:
        report += [f"{path}: {problem}" for problem in _page_problems(dutch_client.get(path, follow=True))]
    assert not report, "\n".join(report)


@pytest.mark.django_db
def test_the_password_reset_says_u_in_its_mail_and_its_pages_and_ends_with_the_way_to_sign_in(
    dutch_client, staff_b, mailoutbox
):
    staff_b.language = "nl"
    staff_b.save(update_fields=["language"])
    dutch_client.post(reverse("account_reset_password"), {"email": staff_b.email})
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    texts = [message.subject, message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    report = [p for text in texts for p in dutch_text.problems(text, is_html="<" in text)]
    assert not report, "\n".join(report)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s\"<]+)", message.body).group(1)
    form_page = dutch_client.get(link, follow=True)
    assert not _page_problems(form_page)
    response = dutch_client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "Een-nieuw-wachtwoord-2026", "password2": "Een-nieuw-wachtwoord-2026"},
        follow=True,
    )
    content = response.content.decode()
    assert "Uw wachtwoord is gewijzigd." in content
    assert f'href="{reverse("account_login")}"' in content and "Inloggen met uw nieuwe wachtwoord" in content
    assert not _page_problems(response)
    # The mail that says the password changed says "u" too.
    changed = mailoutbox[1:]
    assert changed
    report = [p for m in changed for text in (m.subject, m.body) for p in dutch_text.problems(text, is_html=False)]
    assert not report, "\n".join(report)


@pytest.mark.django_db
def test_the_second_factor_pages_say_u(client_as, officer):
    from accounts.tests.factories import TEST_PASSWORD

    client = Client()
    client.cookies["django_language"] = "nl"
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    report = [f"activate: {p}" for p in _page_problems(client.get(reverse("mfa_activate_totp")))]
    signed_in = client_as(officer)
    signed_in.cookies["django_language"] = "nl"
    shown = 0
    for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_deactivate_totp"):
        response = signed_in.get(reverse(name), follow=True)
        if response.status_code == 404:  # the recovery codes of a user who has none yet
            continue
        shown += 1
        report += [f"{name}: {p}" for p in _page_problems(response)]
    assert shown >= 3
    assert not report, "\n".join(report)
