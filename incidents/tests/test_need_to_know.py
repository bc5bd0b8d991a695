"""Need-to-know for the first point of contact: citizens' BSNs masked for all but the handlers, attachments for the
handlers and the involved ambassadors, the ambassador's list of their departments' reports, their additions, and
what a final report says to its readers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from incidents import services
from incidents.bsn import bsn_html, contains_bsn, find_bsns, mask_bsns
from incidents.models import DataLeakAccess, DataLeakAttachment, DataLeakEvent
from incidents.services.alerts import dataleak_send_mail
from incidents.tests.factories import DataLeakFactory

# 123456782 and 111222333 pass the eleven-test; 123456789 does not.
BSN = "123456782"


# --- finding a BSN ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "BSN 123456782 van mevrouw",
        "bsn:123456782.",
        "nummer 1234.56.782 in de brief",
        "nummer 123 456 782 in de brief",
        "nummer 123.456.782 in de brief",
        "nummer 123-456-782 in de brief",
        "06 123456782",  # a group of its own after another number
        "123456782 2 keer verstuurd",
        "regel een\n111222333",
    ],
)
def test_a_number_that_passes_the_eleven_test_is_a_bsn(text):
    assert contains_bsn(text)
    assert "[BSN verborgen]" in mask_bsns(text)
    for digit_run in ("123456782", "111222333"):
        assert digit_run not in mask_bsns(text).replace(".", "").replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    "text",
    [
        "123456789",  # fails the eleven-test
        "1234567820",  # ten digits
        "NL91ABNA0417164300",  # an IBAN's account number
        "0612345678",
        "12-03-2026 om 09:30",
        "1 2 3 4 5 6 7 8 2",  # single digits are not a written BSN
        "000000000",
        "",
    ],
)
def test_other_numbers_are_left_alone(text):
    assert not contains_bsn(text)
    assert mask_bsns(text) == text


def test_spans_are_whole_numbers_and_never_overlap():
    text = "123456782 en 1234.56.782"
    assert [text[a:b] for a, b in find_bsns(text)] == ["123456782", "1234.56.782"]


def test_the_html_masks_or_marks_and_escapes_the_rest():
    text = '<b>Jan</b> BSN 1234.56.782 & "meer"'
    masked = bsn_html(text, reveal=False)
    assert "1234.56.782" not in masked and "[BSN verborgen]" in masked
    assert "&lt;b&gt;Jan&lt;/b&gt;" in masked and "&amp; &quot;meer&quot;" in masked
    marked = bsn_html(text, reveal=True)
    assert '<mark class="bsn"><span class="visually-hidden">BSN </span>1234.56.782</mark>' in marked
    assert "<b>" not in marked


# --- the detail page ----------------------------------------------------------------------------


@pytest.fixture
def leak_with_bsn(staff_a, team_a):
    return DataLeakFactory(
        reported_by=staff_a,
        department=team_a,
        description=f"Brief met BSN {BSN} naar de verkeerde Jan.",
        actions_taken="Ontvanger gebeld over 1234.56.782.",
    )


def test_the_ambassador_and_the_reporter_see_the_bsn_masked_and_the_handler_marked(
    client_as, ambassador_a, staff_a, privacy_officer, officer, leak_with_bsn
):
    url = reverse("incidents:detail", args=[leak_with_bsn.pk])
    for reader in (ambassador_a, staff_a):
        page = client_as(reader).get(url).content.decode()
        assert BSN not in page and "1234.56.782" not in page, reader
        assert 'Brief met BSN <span class="bsn-masked">[BSN verborgen]</span> naar de verkeerde Jan.' in page
        assert 'data-testid="bsn-hidden"' in page
    for handler in (privacy_officer, officer):
        page = client_as(handler).get(url).content.decode()
        assert f'<mark class="bsn"><span class="visually-hidden">BSN </span>{BSN}</mark>' in page
        assert 'data-testid="bsn-hidden"' not in page
    # What was typed is stored as typed: masking is at display.
    leak_with_bsn.refresh_from_db()
    assert BSN in leak_with_bsn.description


def test_an_addition_with_a_bsn_is_masked_for_the_ambassador(client_as, ambassador_a, staff_a, leak_with_bsn):
    services.dataleak_add_information(leak=leak_with_bsn, actor=staff_a, text="Ook 111222333 zat erbij.")
    page = client_as(ambassador_a).get(reverse("incidents:detail", args=[leak_with_bsn.pk])).content.decode()
    assert "111222333" not in page and 'Ook <span class="bsn-masked">[BSN verborgen]</span> zat erbij.' in page


# --- attachments --------------------------------------------------------------------------------


@pytest.fixture
def attachment(leak_a, staff_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return DataLeakAttachment.objects.create(
        leak=leak_a,
        file=SimpleUploadedFile("brief-inwoner.pdf", b"%PDF-1.4 bewijs"),
        original_name="brief-inwoner.pdf",
        size=15,
        uploaded_by=staff_a,
    )


def test_attachments_are_for_handlers_and_involved_ambassadors_only(
    client_as, attachment, leak_a, privacy_officer, officer, ambassador_a, staff_a, staff_b, manager_a, outsider
):
    download = reverse("incidents:attachment", args=[leak_a.pk, attachment.pk])
    detail = reverse("incidents:detail", args=[leak_a.pk])
    expected = {
        None: {302},
        outsider: {404},
        staff_b: {404},
        manager_a: {404},
        staff_a: {403},  # the reporter sent it, and does not need it back
        ambassador_a: {403},  # alerted as first point of contact, not involved
        privacy_officer: {200},
        officer: {200},
    }
    for user, statuses in expected.items():
        assert client_as(user).get(download).status_code in statuses, user
    for user in (staff_a, ambassador_a):
        assert "brief-inwoner.pdf" not in client_as(user).get(detail).content.decode()
    assert "brief-inwoner.pdf" in client_as(privacy_officer).get(detail).content.decode()
    assert not DataLeakAccess.objects.filter(action="download").exclude(user__in=[privacy_officer, officer]).exists()

    services.dataleak_involve_ambassador(leak=leak_a, actor=privacy_officer, ambassador=ambassador_a)
    client = client_as(ambassador_a)
    assert "brief-inwoner.pdf" in client.get(detail).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert DataLeakAccess.objects.filter(leak=leak_a, action="download", user=ambassador_a).exists()


# --- the ambassador as first point of contact -----------------------------------------------------


def test_the_ambassador_lists_their_departments_reports(
    client_as, ambassador_a, staff_a, staff_b, privacy_officer, leak_a, leak_b, team_a, django_assert_max_num_queries
):
    url = reverse("incidents:departments")
    assert client_as(None).get(url).status_code == 302
    for user in (staff_a, privacy_officer):
        assert client_as(user).get(url).status_code == 403, user
    own = DataLeakFactory(reported_by=ambassador_a, department=team_a)
    client = client_as(ambassador_a)
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    page = response.content.decode()
    assert leak_a.reference in page and own.reference in page and leak_b.reference not in page
    assert "Burgerzaken" in page
    # Reachable from the menu, "My reports" and the home page.
    assert url in client.get(reverse("incidents:mine")).content.decode()
    panel_link = f'class="btn btn-link" href="{url}"'
    assert panel_link in client.get("/").content.decode()
    assert url not in client_as(staff_a).get("/").content.decode()


def test_the_ambassador_adds_information_recorded_as_theirs(
    client_as, ambassador_a, privacy_officer, leak_a, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(ambassador_a)
    detail = client.get(reverse("incidents:detail", args=[leak_a.pk])).content.decode()
    url = reverse("incidents:add_information", args=[leak_a.pk])
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200 and "eerste aanspreekpunt" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "De collega belde: ook een tweede brief."})
    assert response.status_code == 302
    event = leak_a.events.get(kind=DataLeakEvent.Kind.ADDITION)
    assert event.actor == ambassador_a and "tweede brief" in event.text
    assert DataLeakAccess.objects.filter(
        leak=leak_a, user=ambassador_a, action="change", detail="addition by an ambassador"
    ).exists()
    message = OutboxMessage.objects.get(key__contains="addition")
    dataleak_send_mail(**message.kwargs)
    mail = next(m for m in mailoutbox if m.to == [privacy_officer.email])
    assert "Sanne Ambassadeur" in mail.body and "eerste aanspreekpunt" in mail.body
    timeline = client_as(privacy_officer).get(reverse("incidents:detail", args=[leak_a.pk])).content.decode()

    assert "Sanne Ambassadeur · Aanvulling op de melding" in timeline


def test_another_departments_ambassador_cannot_add(client_as, ambassador_a, leak_b):
    assert client_as(ambassador_a).get(reverse("incidents:add_information", args=[leak_b.pk])).status_code == 404


def test_additions_hide_the_reporters_name_from_an_uninvolved_ambassador(
    client_as, ambassador_a, staff_a, leak_a, privacy_officer
):
    services.dataleak_add_information(leak=leak_a, actor=staff_a, text="Het waren er drie.")
    url = reverse("incidents:detail", args=[leak_a.pk])
    page = client_as(ambassador_a).get(url).content.decode()
    assert "Het waren er drie." in page and "door de melder" in page and staff_a.full_name not in page
    assert "door u" in client_as(staff_a).get(url).content.decode()


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("close", "De privacy officer heeft deze melding afgehandeld en gesloten."),
        ("no_leak", "De privacy officer heeft geconcludeerd dat dit geen datalek is en de melding gesloten."),
    ],
)
def test_a_final_report_says_so_to_its_readers(
    client_as, staff_a, ambassador_a, privacy_officer, leak_a, action, expected
):
    url = reverse("incidents:detail", args=[leak_a.pk])
    assert "De privacy officer behandelt deze melding." in client_as(staff_a).get(url).content.decode()
    if action == "close":
        leak_a.closed_at = timezone.now()
        leak_a.save()
    else:
        services.dataleak_mark_no_leak(leak=leak_a, actor=privacy_officer, reason="Geen persoonsgegevens.")
    for reader in (staff_a, ambassador_a):
        page = client_as(reader).get(url).content.decode()
        assert "behandelt deze melding" not in page and expected in page, reader


# --- the report form ----------------------------------------------------------------------------


def test_the_discovery_starts_at_now_and_the_start_stays_empty(client_as, staff_a):
    before = timezone.localtime().replace(second=0, microsecond=0)
    page = client_as(staff_a).get(reverse("incidents:report")).content.decode()
    after = timezone.localtime().replace(second=0, microsecond=0)
    values = {moment.strftime("%Y-%m-%dT%H:%M") for moment in (before, after)}
    assert any(f'name="discovered_at" value="{value}"' in page for value in values)
    assert 'name="occurred_at" value=' not in page


def test_the_form_asks_not_to_type_a_bsn_and_warns_without_refusing(client_as, staff_a, report_data):
    from incidents.models import DataLeak

    client = client_as(staff_a)
    page = client.get(reverse("incidents:report")).content.decode()
    assert "Typ geen namen of burgerservicenummers (BSN) van inwoners" in page
    assert 'aria-live="polite" data-bsn-warning-for="id_description"' in page
    assert "incidents/bsn_warning.js" in page and 'data-testid="bsn-notice"' not in page
    back = client.post(reverse("incidents:report"), report_data(description=f"BSN {BSN} gemaild.", category=""))
    assert back.status_code == 200 and 'data-testid="bsn-notice"' in back.content.decode()
    sent = client.post(reverse("incidents:report"), report_data(description=f"BSN {BSN} gemaild."))
    assert sent.status_code == 302
    assert DataLeak.objects.get().description == f"BSN {BSN} gemaild."
