"""Every page of every demo character, the main mails and the PDFs, in Dutch: Dutch figures, plurals, labels, "u"
(never "je"), no English words; and no required choice of a page's forms starts on an empty answer."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from config.tests import dutch_text
from config.tests.test_form_choices import empty_choices
from config.tests.test_hostile_input import _client_for, _crawl

ROLES = [
    "ciso@voorbeeld.nl",
    "privacy@voorbeeld.nl",
    "iso@voorbeeld.nl",
    "manager@voorbeeld.nl",
    "directeur@voorbeeld.nl",
    "ambassadeur@voorbeeld.nl",
    "ambassadeur.wi@voorbeeld.nl",
    "medewerker@voorbeeld.nl",
]


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def test_every_page_of_every_role_is_in_dutch_formats(demo):
    report = []
    pages = 0
    for email in ROLES:
        client = _client_for(email)
        client.cookies["django_language"] = "nl"
        for path, content in _crawl(client, limit=400):
            pages += 1
            for problem in dutch_text.problems(content):
                report.append(f"{email} {path}: {problem}")
            for problem in empty_choices(content):
                report.append(f"{email} {path}: form: {problem}")
    assert pages > 100
    assert not report, "\n".join(sorted(set(report)))


# --- mails -----------------------------------------------------------------------------------------


def _mail_texts(message) -> list[tuple[str, bool]]:
    texts = [(message.subject, False), (message.body, False)]
    texts += [(content, True) for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"]
    return texts


def test_the_main_mails_are_in_dutch_formats(demo, mailoutbox):
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import User
    from ambassadors.reminders import send_idle_ambassador_reminders, send_unanswered_feedback_reminders
    from incidents.models import DataLeak
    from incidents.reminders import send_deadline_reminders
    from incidents.services.alerts import MAIL_TEMPLATES, dataleak_send_mail
    from programme.models import BudgetLine, QuarterlyMailing
    from programme.reminders import send_budget_overrun_alerts
    from programme.services import mailing_render

    User.objects.update(language="nl")
    line = BudgetLine.objects.filter(organisation__slug="voorbeeld").first() or BudgetLine.objects.first()
    line.planned, line.actual = Decimal("20000.00"), Decimal("42670.50")
    line.save()
    assert send_budget_overrun_alerts()
    privacy = User.objects.get(email="privacy@voorbeeld.nl")
    leak = DataLeak.objects.filter(organisation=privacy.organisation).first()
    for kind in MAIL_TEMPLATES:
        dataleak_send_mail(leak_id=leak.pk, user_id=privacy.pk, kind=kind)
    later = timezone.now() + datetime.timedelta(days=90)
    send_deadline_reminders(now=later)
    send_idle_ambassador_reminders(today=later.date())
    send_unanswered_feedback_reminders(now=later)

    texts = [text for message in mailoutbox for text in _mail_texts(message)]
    subjects = {message.subject for message in mailoutbox}
    assert "€ 22.670,50" in " ".join(dutch_text.text_of(t) for t, _html in texts)
    mailing = QuarterlyMailing.objects.filter(organisation=privacy.organisation).first()
    if mailing is not None:
        subject, text, html = mailing_render(mailing=mailing, department=privacy.department, language="nl")
        texts += [(subject, False), (text, False), (html, True)]
        subjects.add(subject)
    assert len(subjects) >= 6, subjects
    report = [problem for text, is_html in texts for problem in dutch_text.problems(text, is_html=is_html)]
    assert not report, "\n".join(report)


# --- PDFs ------------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    """The text a reader gets from the PDF (pypdf), as one line per line of the page."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdfs_are_in_dutch_formats(demo):
    from django.urls import reverse
    from django.utils import timezone

    from incidents.models import DataLeak

    year = timezone.localdate().year
    officer = _client_for("ciso@voorbeeld.nl")
    privacy = _client_for("privacy@voorbeeld.nl")
    leak = DataLeak.objects.filter(organisation__slug="voorbeeld").order_by("pk").first()
    downloads = [
        (officer, reverse("evaluation:year_report_pdf", args=[year])),
        (officer, reverse("evaluation:evidence_pdf", args=[year])),
        (privacy, reverse("incidents:register_report") + f"?jaar={year}"),
        (privacy, reverse("incidents:ap_notification_pdf", args=[leak.pk])),
    ]
    parts: list[str] = []
    for client, url in downloads:
        client.cookies["django_language"] = "nl"
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf", url
        parts += _pdf_text(response.content).splitlines()
    assert len(parts) > 50
    report = dutch_text.problems(" ".join(dutch_text.text_of(part) for part in parts), is_html=False)
    assert not report, "\n".join(report)


# --- the detectors themselves: each catches its defect and lets the Dutch form pass ----------------


@pytest.mark.parametrize(
    "bad",
    [
        "Besteed: EUR 22670.50",
        "Besteed: € 22,670.50",
        "totaal € 22670.5",
        "2 van 10 afdelingen gedekt (20.0%)",
        "75.0 % van de modules",
        "gemiddeld 3.5 per maand",
        "12.5 uur",
        "Jaarevaluatie 2.026",
        "12.5 uren gelogd",
    ],
)
def test_the_number_detector_catches_english_figures(bad):
    assert dutch_text.english_numbers(bad)


@pytest.mark.parametrize(
    "good",
    [
        "Besteed: € 22.670,50 van € 31.500,00",
        "2 van 10 afdelingen gedekt (20,0%)",
        "Jaarevaluatie 2026, 1 dec. 2026 om 10:30",
        "Openbaar bestuur 3.5 FG; vergaderzaal 2.14; WCAG 2.1 niveau AA; maatregel 5.24 en vraag 4.3",
        "p = 0,125; 1.234 medewerkers; € 2.026,00",
        "versie 1.2.3 van 127.0.0.1",
    ],
)
def test_the_number_detector_lets_dutch_figures_and_codes_pass(good):
    assert not dutch_text.english_numbers(good), dutch_text.english_numbers(good)


def test_the_figure_cell_detector():
    assert dutch_text.english_figure_cells('<td class="text-end">30.5</td>')
    assert not dutch_text.english_figure_cells('<td class="text-end">30,5</td><td>5.24</td>')


@pytest.mark.parametrize("bad", ["voor 1 afdelingen", "1 ambassadeurs aangesteld", "(1 actieve medewerkers)"])
def test_the_plural_detector_catches_a_bare_count(bad):
    assert dutch_text.wrong_plurals(bad)


@pytest.mark.parametrize(
    "good", ["voor 1 afdeling", "2 afdelingen", "11 ambassadeurs", "Privacy Officer 1 Afdelingen met"]
)
def test_the_plural_detector_lets_correct_plurals_pass(good):
    assert not dutch_text.wrong_plurals(good)


def test_the_code_detector_catches_a_stored_value(db):
    codes = dutch_text.internal_codes()
    assert "assessment" in codes
    assert dutch_text.untranslated_codes("<p>Bekeken (assessment)</p>")
    assert dutch_text.untranslated_codes("<table><tr><td> assessment </td></tr></table>")
    assert not dutch_text.untranslated_codes("<p>Bekeken (beoordeling)</p><table><tr><td>Beoordeling</td></tr></table>")
    assert not dutch_text.untranslated_codes("<table><tr><td><code>email</code></td></tr></table>")
