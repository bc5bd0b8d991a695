from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from incidents.models import DataLeak, DataLeakAccess
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- anonymous: redirect to login -------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("incidents:report", []),
        ("incidents:mine", []),
        ("incidents:queue", []),
        ("incidents:register", []),
        ("incidents:statistics", []),
        ("incidents:detail", [1]),
        ("incidents:assess", [1]),
        ("incidents:ap_notification", [1]),
    ],
)
def test_anonymous_is_sent_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the report form --------------------------------------------------------------------------


def test_report_form_shows_for_staff(client_as, staff_a):
    response = client_as(staff_a).get(reverse("incidents:report"))
    assert response.status_code == 200
    assert "Datalek melden" in response.content.decode()
    assert "namens een collega" not in response.content.decode()


def test_ambassador_may_report_on_behalf(client_as, ambassador_a):
    response = client_as(ambassador_a).get(reverse("incidents:report"))
    assert "Ik meld dit namens een collega" in response.content.decode()


def test_report_is_saved_and_shows_the_reference(
    client_as, staff_a, report_data, privacy_officer, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:report"), report_data(), follow=True)
    leak = DataLeak.objects.get()
    assert leak.reported_by == staff_a and leak.organisation == staff_a.organisation
    assert leak.state == "reported"
    body = response.content.decode()
    assert leak.reference in body and "Wat gebeurt er nu?" in body
    assert {m.to[0] for m in mailoutbox} == {staff_a.email, privacy_officer.email}


def test_double_submit_stores_once_and_shows_the_same_reference(client_as, staff_a, report_data):
    client = client_as(staff_a)
    first = client.post(reverse("incidents:report"), report_data())
    second = client.post(reverse("incidents:report"), report_data())
    assert DataLeak.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_status_and_owner_are_not_taken_from_post(client_as, staff_a, report_data, department_b):
    client_as(staff_a).post(
        reverse("incidents:report"),
        report_data(status="closed", reported_by=999, organisation=999, aware_at="2000-01-01T00:00"),
    )
    leak = DataLeak.objects.get()
    assert leak.state == "reported" and leak.reported_by == staff_a
    # The clock starts at the discovery the reporter gave, never at a moment posted by hand.
    assert leak.aware_at == leak.discovered_at


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"description": "   "}, "description", "Beschrijf kort wat er is gebeurd."),
        ({"category": ""}, "category", "Kies wat er is gebeurd"),
        ({"discovered_at": "2099-01-01T10:00"}, "discovered_at", "De ontdekking kan niet in de toekomst liggen."),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at", "Dit moment ligt in de toekomst."),
        (
            {"occurred_at": "2026-03-02T10:00", "discovered_at": "2026-03-01T10:00"},
            "discovered_at",
            "De ontdekking kan niet vóór het moment liggen",
        ),
    ],
)
def test_bad_input_gives_a_dutch_error_and_keeps_what_was_typed(
    client_as, staff_a, report_data, overrides, field, message
):
    response = client_as(staff_a).post(reverse("incidents:report"), report_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert message in body
    assert "Ontvanger gevraagd de mail te verwijderen." in body  # what was typed is kept
    assert DataLeak.objects.count() == 0


def test_attachment_that_is_not_what_its_name_says_is_refused(client_as, staff_a, report_data):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    response = client_as(staff_a).post(reverse("incidents:report"), {**report_data(), "attachments": [fake]})
    assert DataLeak.objects.count() == 0
    body = response.content.decode()
    assert "scan.pdf" in body and "niet toegestaan" in body
    assert "Kies de bijlagen opnieuw" in body


def test_attachment_too_large_is_refused(client_as, staff_a, report_data, settings):
    settings.UPLOAD_MAX_BYTES = 50
    image = SimpleUploadedFile("foto.png", PNG, content_type="image/png")
    response = client_as(staff_a).post(reverse("incidents:report"), {**report_data(), "attachments": [image]})
    assert DataLeak.objects.count() == 0
    assert "te groot" in response.content.decode()


def test_attachment_is_stored_and_served_only_to_who_may_see_it(
    client_as, staff_a, staff_b, privacy_officer, report_data
):
    image = SimpleUploadedFile("foto.png", PNG, content_type="image/png")
    client = client_as(staff_a)
    client.post(reverse("incidents:report"), {**report_data(), "attachments": [image]})
    leak = DataLeak.objects.get()
    attachment = leak.attachments.get()
    assert attachment.original_name == "foto.png" and not attachment.file.name.endswith("foto.png")
    url = reverse("incidents:attachment", args=[leak.pk, attachment.pk])
    response = client_as(privacy_officer).get(url)
    assert response.status_code == 200
    assert 'attachment; filename="foto.png"' in response["Content-Disposition"]
    assert DataLeakAccess.objects.filter(leak=leak, action="download", user=privacy_officer).exists()
    assert client_as(staff_b).get(url).status_code == 404


def test_html_in_text_is_shown_as_text(client_as, staff_a, privacy_officer, report_data):
    script = '<script>alert("x")</script><b>vet</b>'
    client_as(staff_a).post(reverse("incidents:report"), report_data(description=script, actions_taken=script))
    leak = DataLeak.objects.get()
    for user in (staff_a, privacy_officer):
        body = client_as(user).get(reverse("incidents:detail", args=[leak.pk])).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    letter = client_as(privacy_officer).get(reverse("incidents:subjects", args=[leak.pk])).content.decode()
    assert "<b>vet</b>" not in letter
    pdf = client_as(privacy_officer).get(reverse("incidents:ap_notification_pdf", args=[leak.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- who may see a report ---------------------------------------------------------------------


def test_reporter_sees_own_report_and_status_but_not_the_handling(client_as, staff_a, leak_a):
    response = client_as(staff_a).get(reverse("incidents:detail", args=[leak_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert leak_a.reference in body and "Gemeld" in body
    assert "Wie deze melding heeft bekeken" not in body and "Beoordeling starten" not in body


def test_ambassador_sees_reports_of_covered_departments(client_as, ambassador_a, leak_a, leak_b):
    client = client_as(ambassador_a)
    assert client.get(reverse("incidents:detail", args=[leak_a.pk])).status_code == 200
    assert client.get(reverse("incidents:detail", args=[leak_b.pk])).status_code == 404
    assert client.get(reverse("incidents:assess", args=[leak_a.pk])).status_code == 403
    mine = client.get(reverse("incidents:departments")).content.decode()
    assert leak_a.reference in mine and leak_b.reference not in mine


def test_colleague_on_whose_behalf_was_reported_sees_it(client_as, staff_a, ambassador_a, team_a):
    leak = DataLeakFactory(reported_by=ambassador_a, on_behalf_of=staff_a, department=team_a)
    assert client_as(staff_a).get(reverse("incidents:detail", args=[leak.pk])).status_code == 200


@pytest.mark.parametrize("who", ["staff_b", "manager_a", "outsider"])
def test_a_guessed_url_answers_404(client_as, request, who, leak_a):
    user = request.getfixturevalue(who)
    for name in (
        "incidents:detail",
        "incidents:received",
        "incidents:assess",
        "incidents:ap_notification",
        "incidents:subjects",
        "incidents:close",
    ):
        assert client_as(user).get(reverse(name, args=[leak_a.pk])).status_code == 404, name


def test_officers_of_another_organisation_get_404(client_as, privacy_officer, foreign_leak):
    assert client_as(privacy_officer).get(reverse("incidents:detail", args=[foreign_leak.pk])).status_code == 404


def test_ciso_and_privacy_officer_handle(client_as, officer, privacy_officer, leak_a):
    for user in (officer, privacy_officer):
        response = client_as(user).get(reverse("incidents:detail", args=[leak_a.pk]))
        assert response.status_code == 200
        assert "Wie deze melding heeft bekeken of gewijzigd" in response.content.decode()


def test_deputy_privacy_officer_handles(client_as, org, department_b, leak_a):
    from accounts.tests.factories import OfficerFactory, UserFactory

    deputy = UserFactory(organisation=org, department=department_b)
    OfficerFactory(user=deputy, kind="privacy_officer", is_deputy=True)
    assert client_as(deputy).get(reverse("incidents:queue")).status_code == 200


@pytest.mark.parametrize("name", ["incidents:queue", "incidents:register"])
@pytest.mark.parametrize("who", ["staff_a", "ambassador_a", "manager_a"])
def test_handler_pages_are_403_for_others(client_as, request, name, who):
    assert client_as(request.getfixturevalue(who)).get(reverse(name)).status_code == 403


def test_statistics_403_for_staff(client_as, staff_a):
    assert client_as(staff_a).get(reverse("incidents:statistics")).status_code == 403


def test_every_view_is_in_the_access_log_and_the_officer_sees_it(client_as, staff_a, privacy_officer, leak_a):
    client_as(staff_a).get(reverse("incidents:detail", args=[leak_a.pk]), REMOTE_ADDR="10.1.2.3")
    record = DataLeakAccess.objects.get(leak=leak_a, user=staff_a)
    assert record.action == "view" and record.ip_address == "10.1.2.3"
    body = client_as(privacy_officer).get(reverse("incidents:detail", args=[leak_a.pk])).content.decode()
    assert "Anna Medewerker" in body and "10.1.2.3" in body


# --- handling ---------------------------------------------------------------------------------


def test_queue_shows_the_countdown(client_as, privacy_officer, team_a, staff_a):
    now = timezone.now()
    green = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=10))
    orange = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=50))
    red = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=61))
    late = DataLeakFactory(department=team_a, aware_at=now - datetime.timedelta(hours=80))
    body = client_as(privacy_officer).get(reverse("incidents:queue")).content.decode()
    for cls in ("countdown-green", "countdown-orange", "countdown-red", "countdown-overdue"):
        assert cls in body
    assert "nog 61 u" in body and "te laat" in body
    # Oldest first: the most urgent on top.
    assert (
        body.index(late.reference)
        < body.index(red.reference)
        < body.index(orange.reference)
        < body.index(green.reference)
    )


def test_queue_query_count_does_not_grow(client_as, privacy_officer, team_a, django_assert_max_num_queries):
    client = client_as(privacy_officer)
    for _ in range(3):
        DataLeakFactory(department=team_a)
    client.get(reverse("incidents:queue"))
    with django_assert_max_num_queries(12):
        client.get(reverse("incidents:queue"))
    for _ in range(15):
        DataLeakFactory(department=team_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("incidents:queue"))
    assert response.content.decode().count("countdown-green") == 18


def test_register_query_count_does_not_grow(client_as, privacy_officer, team_a, django_assert_max_num_queries):
    client = client_as(privacy_officer)
    for _ in range(3):
        DataLeakFactory(department=team_a)
    client.get(reverse("incidents:register"))
    with django_assert_max_num_queries(20):
        client.get(reverse("incidents:register"))
    for _ in range(15):
        DataLeakFactory(department=team_a)
    with django_assert_max_num_queries(20):
        client.get(reverse("incidents:register"))


def test_assessment_form_errors_are_dutch(client_as, privacy_officer, leak_a):
    response = client_as(privacy_officer).post(
        reverse("incidents:assess", args=[leak_a.pk]),
        {"persons_min": "10", "persons_max": "2", "ap_decision": "notify", "ap_decision_reason": ""},
    )
    body = response.content.decode()
    assert "Het maximum kan niet lager zijn dan het minimum." in body
    assert "Leg vast waarom u dit hebt besloten." in body


def test_full_handling_flow(client_as, privacy_officer, leak_a):
    from programme.models import TopicSuggestion

    # The letter names the Privacy Officer's contact point of the organisation settings.
    leak_a.organisation.privacy_contact_name = "Ahmed Privacy"
    leak_a.organisation.save()
    client = client_as(privacy_officer)
    detail = reverse("incidents:detail", args=[leak_a.pk])
    client.post(reverse("incidents:handle", args=[leak_a.pk]), {"action": "start"})
    leak_a.refresh_from_db()
    assert leak_a.state == "assessment" and leak_a.assignee == privacy_officer

    response = client.post(
        reverse("incidents:assess", args=[leak_a.pk]),
        {
            "breach_confidentiality": "on",
            "personal_data_categories": ["name_address", "bsn"],
            "persons_exact": "1",
            "encrypted": "no",
            "consequences": "Identiteitsfraude mogelijk.",
            "severity": "significant",
            "measures_taken": "Ontvanger heeft de mail verwijderd.",
            "ap_decision": "notify",
            "ap_decision_reason": "BSN gelekt.",
            "subjects_decision": "inform",
            "subjects_decision_reason": "Risico op fraude.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("incidents:ap_notification", args=[leak_a.pk])).content.decode()
    assert "1. Soort melding" in page and "10. Vervolgacties" in page
    assert "ontbreekt" in page and "ingevuld" in page

    late = client.post(
        reverse("incidents:ap_notification", args=[leak_a.pk]),
        {"kind": "initial", "notified_at": "2099-01-01T10:00", "ap_reference": "M1"},
    )
    assert "De melding kan niet in de toekomst liggen." in late.content.decode()
    client.post(
        reverse("incidents:ap_notification", args=[leak_a.pk]),
        {"kind": "initial", "notified_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "ap_reference": "M2026-1"},
    )
    leak_a.refresh_from_db()
    assert leak_a.state == "ap_notified"

    letter = client.get(reverse("incidents:subjects", args=[leak_a.pk])).content.decode()
    assert "Geachte heer, mevrouw" in letter and "Identiteitsfraude mogelijk." in letter and "Ahmed Privacy" in letter
    client.post(
        reverse("incidents:subjects", args=[leak_a.pk]),
        {"channel": "letter", "informed_on": timezone.localdate().isoformat(), "number_informed": "1"},
    )
    leak_a.refresh_from_db()
    assert leak_a.state == "subjects_informed"

    client.post(
        reverse("incidents:close", args=[leak_a.pk]),
        {"cause": "Autocomplete.", "lesson": "Kijk de ontvanger na.", "confirm": "on"},
    )
    leak_a.refresh_from_db()
    assert leak_a.state == "closed"
    client.post(reverse("incidents:lesson_to_topic", args=[leak_a.pk]))
    assert TopicSuggestion.objects.get().source_reference == leak_a.reference
    timeline = client.get(detail).content.decode()
    assert "Voorgesteld als onderwerp" in timeline
    assert DataLeakAccess.objects.filter(leak=leak_a, action="change").count() >= 6


def test_late_notification_requires_a_reason(client_as, privacy_officer, team_a):
    leak = DataLeakFactory(department=team_a, aware_at=timezone.now() - datetime.timedelta(hours=80))
    response = client_as(privacy_officer).post(
        reverse("incidents:ap_notification", args=[leak.pk]),
        {"kind": "initial", "notified_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "ap_reference": "M1"},
    )
    assert "leg de reden van de vertraging vast" in response.content.decode()
    assert not leak.ap_notifications.exists()


def test_no_leak_asks_for_confirmation_on_a_page_that_says_what_becomes_final(client_as, privacy_officer, leak_a):
    client = client_as(privacy_officer)
    url = reverse("incidents:no_leak", args=[leak_a.pk])
    page = client.get(url).content.decode()
    assert "Wat wordt definitief" in page and "Geen datalek" in page
    # Without the confirmation nothing happens, and what was typed stays.
    refused = client.post(url, {"reason": "Geen persoonsgegevens in de bijlage."})
    assert refused.status_code == 400 and "Geen persoonsgegevens in de bijlage." in refused.content.decode()
    assert "Bevestig dat u de melding afsluit als geen datalek." in refused.content.decode()
    assert DataLeak.objects.get(pk=leak_a.pk).state == "reported"
    response = client.post(url, {"reason": "Geen persoonsgegevens.", "confirm": "on"})
    assert response.status_code == 302
    leak_a.refresh_from_db()
    assert leak_a.state == "no_leak" and leak_a.no_leak_at and leak_a.closed_at is None
    assert leak_a.events.filter(data__message="no_leak").count() == 1


def test_a_notified_report_becomes_no_data_leak_only_after_the_withdrawal(client_as, privacy_officer, leak_a):
    from incidents import services

    services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M1"
    )
    client = client_as(privacy_officer)
    url = reverse("incidents:no_leak", args=[leak_a.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="withdraw-first"' in page and "intrekking" in page
    refused = client.post(url, {"reason": "Toch niet.", "confirm": "on"})
    assert refused.status_code == 400 and 'data-testid="withdraw-first"' in refused.content.decode()
    assert DataLeak.objects.get(pk=leak_a.pk).state == "ap_notified"
    # A withdrawal needs its reason.
    ap_url = reverse("incidents:ap_notification", args=[leak_a.pk])
    moment = timezone.localtime() + datetime.timedelta(minutes=1)
    with freeze_time(moment + datetime.timedelta(minutes=1)):
        no_reason = client.post(
            ap_url, {"kind": "withdrawal", "notified_at": moment.strftime("%Y-%m-%dT%H:%M"), "ap_reference": "M1"}
        )
        assert no_reason.status_code == 400 and "reden" in no_reason.content.decode()
        client.post(
            ap_url,
            {
                "kind": "withdrawal",
                "notified_at": moment.strftime("%Y-%m-%dT%H:%M"),
                "ap_reference": "M1",
                "notes": "Geen persoonsgegevens.",
            },
        )
        assert client.post(url, {"reason": "Geen persoonsgegevens.", "confirm": "on"}).status_code == 302
        leak = DataLeak.objects.get(pk=leak_a.pk)
        assert leak.state == "no_leak" and leak.ap_status == "withdrawn"
        register = client.get(reverse("incidents:register")).content.decode()
        assert "Ingetrokken" in register


# --- register and statistics ------------------------------------------------------------------


def test_register_filters_and_exports(client_as, privacy_officer, team_a, department_b, foreign_leak):
    a = DataLeakFactory(department=team_a, category="cc_not_bcc")
    b = DataLeakFactory(department=department_b, category="lost_device", lesson='=HYPERLINK("x")')
    client = client_as(privacy_officer)
    body = client.get(reverse("incidents:register"), {"category": "cc_not_bcc"}).content.decode()

    def shown(leak):
        return reverse("incidents:detail", args=[leak.pk]) in body

    assert shown(a) and not shown(b) and not shown(foreign_leak)
    body = client.get(reverse("incidents:register"), {"department": department_b.pk}).content.decode()
    assert shown(b) and not shown(a)

    csv = client.get(reverse("incidents:register"), {"export": "csv"})
    text = csv.getvalue().decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert a.reference in text and b.reference in text
    assert text.count("DL-") == 2  # not the other organisation's report
    assert "'=HYPERLINK" in text  # formula neutralised

    xlsx = client.get(reverse("incidents:register"), {"export": "xlsx", "notified": "no"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    references = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(references) == sorted([a.reference, b.reference])
    assert DataLeakAccess.objects.filter(action="export", leak__isnull=True, user=privacy_officer).count() == 2


def test_manager_sees_counts_of_own_departments_only(client_as, manager_a, team_a, department_b):
    DataLeakFactory(department=team_a, category="cc_not_bcc", description="GEHEIM-A")
    DataLeakFactory(department=team_a, category="cc_not_bcc")
    DataLeakFactory(department=department_b, category="lost_device")
    response = client_as(manager_a).get(reverse("incidents:statistics"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["category"], r["count"]) for r in rows] == [("cc_not_bcc", 2)]
    body = response.content.decode()
    assert "GEHEIM-A" not in body and "DL-" not in body


def test_home_shows_the_report_panel_and_the_handlers_queue(client_as, staff_a, privacy_officer, leak_a):
    body = client_as(staff_a).get(reverse("home")).content.decode()
    assert reverse("incidents:report") in body and "Datalek melden" in body
    body = client_as(privacy_officer).get(reverse("home")).content.decode()
    assert "1 open datalekmelding" in body and leak_a.reference in body


def test_a_change_is_logged_by_its_service_with_the_clients_address(client_as, privacy_officer, leak_a):
    client_as(privacy_officer).post(
        reverse("incidents:note", args=[leak_a.pk]), {"text": "Gebeld met de ontvanger."}, REMOTE_ADDR="10.9.8.7"
    )
    record = DataLeakAccess.objects.get(leak=leak_a, action="change")
    assert record.detail == "note" and record.user == privacy_officer and record.ip_address == "10.9.8.7"
    # A POST is a write, not also a read of the report.
    assert not DataLeakAccess.objects.filter(leak=leak_a, action="view").exists()


def test_register_export_costs_the_same_queries_whatever_its_rows(client_as, privacy_officer, team_a, department_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(privacy_officer)

    def queries(export: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("incidents:register"), {"export": export})
            assert response.status_code == 200
            b"".join(response.streaming_content)
        return len(captured)

    DataLeakFactory(department=team_a)
    queries("xlsx")  # the session's first request reads what later ones find cached
    few = {export: queries(export) for export in ("xlsx", "csv")}
    for index in range(6):
        DataLeakFactory(
            department=department_b if index % 2 else team_a,
            assignee=privacy_officer,
            personal_data_categories=["bsn"],
            severity="high",
            breach_integrity=True,
        )
    assert {export: queries(export) for export in ("xlsx", "csv")} == few
    rows = load_workbook(io.BytesIO(client.get(reverse("incidents:register"), {"export": "xlsx"}).getvalue())).active
    assert rows.max_row == 8
    assert privacy_officer.full_name in [cell.value for cell in rows[2]] + [cell.value for cell in rows[3]]
