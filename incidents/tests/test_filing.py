"""What a Privacy Officer files with: the AP questionnaire, corrections with history, reopening, the
reporter's additions, need-to-know for ambassadors, the register and the letter."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import can_view_dataleak_reporter_contact
from core.models import OutboxMessage
from incidents import services
from incidents.ap_form import FILLED, MISSING, NOT_APPLICABLE, ap_chapters, missing_mandatory
from incidents.models import APNotification, DataLeak, DataLeakEvent, SentLetter, SubjectNotification
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db


def _fill_organisation(org):
    org.legal_name = "Gemeente Voorbeeld"
    org.street = "Stadhuisplein 1"
    org.postcode = "1234 AB"
    org.town = "Voorbeeld"
    org.kvk_number = "12345678"
    org.sector = "Openbaar bestuur"
    org.dpo_name = "Fatima FG"
    org.dpo_email = "fg@voorbeeld.test"
    org.dpo_phone = "010 123 4567"
    org.privacy_contact_name = "Privacyloket"
    org.privacy_contact_email = "privacy@voorbeeld.test"
    org.privacy_contact_phone = "14 010"
    org.save()


COMPLETE_ASSESSMENT = {
    "breach_ended_at": None,
    "discovery_method": "De medewerker zag het zelf.",
    "breach_confidentiality": True,
    "personal_data_categories": ["name_address", "bsn"],
    "persons_exact": 1,
    "affected_groups": "Inwoners met een uitkering",
    "encrypted": "no",
    "consequences": "Identiteitsfraude is mogelijk.",
    "severity": "significant",
    "severity_explanation": "Een BSN met naam en adres.",
    "measures_taken": "De ontvanger heeft de mail verwijderd.",
    "measures_preventive": "Automatisch aanvullen uitgezet.",
    "subjects_decision": "inform",
    "subjects_decision_reason": "Risico op fraude.",
    "subjects_informed_how": "Per brief, binnen een week.",
    "ap_decision": "notify",
    "ap_decision_reason": "Er is een BSN gelekt.",
    "other_notification_duty": "none",
    "not_applicable": [
        "joint_controllers",
        "documents_sent",
        "breach_ended_at",
        "processors_involved",
        "other_supervisors",
        "special_categories",
        "records_count",
        "consequences_organisation",
    ],
}


# --- the clock and the intake -------------------------------------------------------------------


def test_the_clock_starts_at_the_discovery_and_the_intake_fills_the_assessment(staff_a, team_a):
    now = timezone.now()
    leak, _ = services.dataleak_report(
        reporter=staff_a,
        data={
            "category": "email_wrong_recipient",
            "description": "Mail naar de verkeerde Jan.",
            "occurred_at": now - datetime.timedelta(hours=30),
            "discovered_at": now - datetime.timedelta(hours=26),
            "department": team_a,
            "data_kinds": ["name_address", "bsn", "unknown"],
            "affected_estimate": "11-100",
            "actions_taken": "Ontvanger gebeld.",
        },
    )
    assert leak.aware_at == now - datetime.timedelta(hours=26)
    assert leak.deadline == leak.aware_at + datetime.timedelta(hours=72)
    assert leak.personal_data_categories == ["name_address", "bsn"]
    assert (leak.persons_min, leak.persons_max, leak.persons_exact) == (11, 100, None)
    assert leak.measures_taken == "Ontvanger gebeld."
    # The reminders follow the discovery: 24 hours passed already.
    assert [(item.pk, hours) for item, hours in DataLeak.objects.milestones_due(now)] == [(leak.pk, 24)]


# --- the AP questionnaire -----------------------------------------------------------------------


def test_the_questionnaire_has_eleven_numbered_chapters_and_three_states(leak_a):
    chapters = ap_chapters(leak_a)
    assert [c.number for c in chapters] == list(range(1, 12))
    numbers = [a.number for c in chapters for a in c.answers]
    assert numbers[:5] == ["1.1", "1.2", "1.3", "1.4", "2.1"] and numbers[-1] == "11.1"
    answers = {a.number: a for c in chapters for a in c.answers}
    assert answers["1.1"].state == FILLED  # a new notification
    assert answers["1.2"].state == NOT_APPLICABLE  # no earlier notification
    assert answers["2.2"].state == NOT_APPLICABLE  # not cross-border
    assert answers["3.3"].state == MISSING  # no KvK number in the organisation settings yet
    assert answers["4.5"].state == MISSING
    assert missing_mandatory(leak_a) > 0


def test_every_question_answered_from_leak_organisation_and_assessment(leak_a, privacy_officer):
    _fill_organisation(leak_a.organisation)
    leak_a.ongoing = "no"
    leak_a.save()
    services.dataleak_assess(leak=leak_a, actor=privacy_officer, data=COMPLETE_ASSESSMENT)
    services.dataleak_record_subject_notification(
        leak=leak_a, actor=privacy_officer, channel="letter", informed_on=timezone.localdate(), number_informed=1
    )
    leak = DataLeak.objects.select_related("organisation").get(pk=leak_a.pk)
    answers = {a.number: a for c in ap_chapters(leak) for a in c.answers}
    assert [n for n, a in answers.items() if a.state == MISSING] == []
    assert answers["3.1"].value == "Gemeente Voorbeeld" and answers["3.1"].source == "organisation"
    assert "Fatima FG" in answers["3.5"].value
    assert answers["6.2"].state == NOT_APPLICABLE
    assert missing_mandatory(leak) == 0


def test_a_complete_notification_is_refused_while_a_mandatory_answer_is_missing(leak_a, privacy_officer):
    with pytest.raises(ValidationError, match="verplichte vragen"):
        services.dataleak_record_ap_notification(
            leak=leak_a,
            actor=privacy_officer,
            kind="initial",
            notified_at=timezone.now(),
            ap_reference="M1",
            complete=True,
        )
    # A provisional notification (art. 33(4)) is allowed and says so in the timeline.
    services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M1"
    )
    assert "Voorlopig" in leak_a.events.filter(kind="notification").get().display_text


def test_the_page_counts_missing_answers_and_the_pdf_mirrors_it(client_as, privacy_officer, leak_a):
    client = client_as(privacy_officer)
    page = client.get(reverse("incidents:ap_notification", args=[leak_a.pk])).content.decode()
    assert "1. Soort melding" in page and "2. Internationale vragen" in page and "10. Vervolgacties" in page
    assert "3.3 KvK-nummer" in page and 'data-state="missing"' in page and 'data-state="not_applicable"' in page
    response = client.post(
        reverse("incidents:ap_notification", args=[leak_a.pk]),
        {
            "kind": "initial",
            "notified_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "ap_reference": "M1",
            "complete": "on",
        },
    )
    assert response.status_code == 400
    assert "kan niet als volledig worden vastgelegd" in response.content.decode()
    assert not APNotification.objects.exists()
    pdf = client.get(reverse("incidents:ap_notification_pdf", args=[leak_a.pk]))
    assert pdf.content.startswith(b"%PDF")


# --- corrections --------------------------------------------------------------------------------


def _history_text(correction) -> str:
    """A correction as the history partial shows it: each change as "field: old → new", then the reason."""
    lines = [f"{change['field']}: {change['old']} → {change['new']}" for change in correction.changes]
    return "\n".join([*lines, correction.reason])


def test_a_wrong_ap_reference_is_corrected_and_both_stay_in_the_timeline(client_as, privacy_officer, leak_a):
    notification = services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M-TYPO"
    )
    client = client_as(privacy_officer)
    url = reverse("incidents:ap_notification_correct", args=[leak_a.pk, notification.pk])
    moment = timezone.localtime(notification.notified_at).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"notified_at": moment, "ap_reference": "M-2026-1"})
    assert refused.status_code == 400  # no reason
    early = client.post(
        url,
        {
            "notified_at": (timezone.localtime(leak_a.aware_at) - datetime.timedelta(days=30)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "ap_reference": "M-2026-1",
            "reason": "Tikfout",
        },
    )
    assert "kan niet liggen vóór het moment waarop de organisatie" in early.content.decode()
    done = client.post(url, {"notified_at": moment, "ap_reference": "M-2026-1", "reason": "Tikfout in het meldnummer"})
    assert done.status_code == 302
    notification.refresh_from_db()
    assert notification.ap_reference == "M-2026-1"
    correction = notification.corrections.get()
    text = _history_text(correction)
    assert "M-TYPO" in text and "M-2026-1" in text and "Tikfout" in text
    assert correction.corrected_by == privacy_officer
    register = client.get(reverse("incidents:register")).content.decode()
    assert "M-2026-1" in register and "M-TYPO" not in register


def test_changing_a_recorded_decision_needs_a_reason_and_keeps_the_old_one(leak_a, privacy_officer):
    services.dataleak_assess(
        leak=leak_a, actor=privacy_officer, data={"ap_decision": "notify", "ap_decision_reason": "BSN gelekt."}
    )
    with pytest.raises(ValidationError):
        services.dataleak_assess(
            leak=leak_a,
            actor=privacy_officer,
            data={"ap_decision": "no_notify", "ap_decision_reason": "Versleuteld."},
        )
    services.dataleak_assess(
        leak=leak_a,
        actor=privacy_officer,
        data={"ap_decision": "no_notify", "ap_decision_reason": "Versleuteld."},
        reason="De laptop bleek versleuteld.",
    )
    text = leak_a.events.filter(kind="decision").last().display_text
    assert "Eerder: Melden bij de AP. BSN gelekt." in text and "De laptop bleek versleuteld." in text


def test_an_answer_given_to_the_ap_is_corrected_with_a_reason(leak_a, privacy_officer):
    services.dataleak_assess(leak=leak_a, actor=privacy_officer, data={"consequences": "Weinig."})
    services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M1"
    )
    with pytest.raises(ValidationError):
        services.dataleak_assess(leak=leak_a, actor=privacy_officer, data={"consequences": "Fraude mogelijk."})
    services.dataleak_assess(
        leak=leak_a, actor=privacy_officer, data={"consequences": "Fraude mogelijk."}, reason="Nieuwe informatie."
    )
    correction = leak_a.corrections.get()
    assert "Weinig. → Fraude mogelijk." in _history_text(correction)


def test_a_subject_notification_is_corrected_with_history(leak_a, privacy_officer):
    record = services.dataleak_record_subject_notification(
        leak=leak_a, actor=privacy_officer, channel="letter", informed_on=timezone.localdate(), number_informed=3
    )
    services.dataleak_correct_subject_notification(
        record=record,
        actor=privacy_officer,
        channel="email",
        informed_on=timezone.localdate(),
        number_informed=4,
        reason="Telfout",
    )
    record.refresh_from_db()
    assert record.number_informed == 4
    correction = record.corrections.get()
    text = _history_text(correction)
    assert "3 → 4" in text and "Telfout" in text


def test_a_follow_up_needs_a_first_notification_and_comes_after_it(leak_a, privacy_officer):
    with pytest.raises(ValidationError):
        services.dataleak_record_ap_notification(
            leak=leak_a, actor=privacy_officer, kind="follow_up", notified_at=timezone.now(), ap_reference="M1"
        )
    first = services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M1"
    )
    with pytest.raises(ValidationError):
        services.dataleak_record_ap_notification(
            leak=leak_a,
            actor=privacy_officer,
            kind="withdrawal",
            notified_at=first.notified_at - datetime.timedelta(minutes=10),
            ap_reference="M1",
        )


def test_a_closed_and_a_no_leak_report_are_reopened_with_a_reason(client_as, privacy_officer, officer, leak_a, team_a):
    services.dataleak_mark_no_leak(leak=leak_a, actor=privacy_officer, reason="Geen persoonsgegevens.")
    assert client_as(officer).post(reverse("incidents:reopen", args=[leak_a.pk]), {"reason": "x"}).status_code == 403
    client = client_as(privacy_officer)
    assert client.post(reverse("incidents:reopen", args=[leak_a.pk]), {"reason": ""}).status_code == 400
    assert client.post(reverse("incidents:reopen", args=[leak_a.pk]), {"reason": "Toch een BSN."}).status_code == 302
    leak_a.refresh_from_db()
    assert leak_a.state == "assessment" and leak_a.closed_at is None and leak_a.ap_decision == ""
    assert "Toch een BSN." in leak_a.events.get(kind="reopened").display_text
    closed = DataLeakFactory(
        department=team_a, closed_at=timezone.now(), ap_decision="notify", subjects_decision="inform"
    )
    services.dataleak_reopen(leak=closed, actor=privacy_officer, reason="Nieuwe feiten.")
    assert DataLeak.objects.get(pk=closed.pk).state == "assessment"
    with pytest.raises(ValidationError):
        services.dataleak_reopen(leak=closed, actor=privacy_officer, reason="Nog eens.")


# --- the reporter -------------------------------------------------------------------------------


def test_the_reporter_adds_information_and_the_officer_is_alerted_after_commit(
    client_as, staff_a, privacy_officer, leak_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(staff_a)
    url = reverse("incidents:add_information", args=[leak_a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": ""}).status_code == 400
    upload = SimpleUploadedFile("scherm.pdf", b"%PDF-1.4 bewijs", content_type="application/pdf")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"text": "Het waren er drie.", "attachments": [upload]})
    assert response.status_code == 302
    event = leak_a.events.get(kind=DataLeakEvent.Kind.ADDITION)
    assert "Het waren er drie." in event.text and "scherm.pdf" in event.text
    assert leak_a.attachments.get().original_name == "scherm.pdf"
    message = OutboxMessage.objects.get(key__contains="addition")
    assert message.kwargs["user_id"] == privacy_officer.pk and len(callbacks) >= 1
    page = client.get(reverse("incidents:detail", args=[leak_a.pk])).content.decode()
    assert "Het waren er drie." in page


def test_a_rejected_upload_is_refused_with_the_existing_checks(client_as, staff_a, leak_a):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_as(staff_a).post(
        reverse("incidents:add_information", args=[leak_a.pk]), {"text": "Bijlage", "attachments": [upload]}
    )
    assert response.status_code == 400 and not leak_a.attachments.exists()


def test_only_the_reporter_and_the_first_contact_add_to_a_report(
    client_as, staff_b, ambassador_a, privacy_officer, outsider, leak_a
):
    url = reverse("incidents:add_information", args=[leak_a.pk])
    assert client_as(None).get(url).status_code in (302, 403)
    assert client_as(staff_b).get(url).status_code == 404
    assert client_as(ambassador_a).get(url).status_code == 200  # the department's ambassador (first contact)
    assert client_as(privacy_officer).get(url).status_code == 403
    assert client_as(outsider).get(url).status_code == 404


def test_the_reporter_sees_the_privacy_officers_contact_details(client_as, staff_a, leak_a):
    _fill_organisation(leak_a.organisation)
    client = client_as(staff_a)
    for name in ("incidents:received", "incidents:detail", "incidents:add_information"):
        page = client.get(reverse(name, args=[leak_a.pk])).content.decode()
        assert "privacy@voorbeeld.test" in page and "Privacyloket" in page and "Fatima FG" in page, name


# --- need-to-know for ambassadors ---------------------------------------------------------------


def test_an_ambassador_sees_reporter_contact_only_when_involved_or_filing(
    ambassador_a, staff_a, team_a, privacy_officer, officer
):
    leak = DataLeakFactory(department=team_a, reported_by=staff_a)
    assert not can_view_dataleak_reporter_contact(ambassador_a, leak)
    assert can_view_dataleak_reporter_contact(staff_a, leak)
    assert can_view_dataleak_reporter_contact(privacy_officer, leak)
    assert can_view_dataleak_reporter_contact(officer, leak)
    filed = DataLeakFactory(department=team_a, reported_by=ambassador_a, on_behalf_of=staff_a)
    assert can_view_dataleak_reporter_contact(ambassador_a, filed)
    services.dataleak_involve_ambassador(leak=leak, actor=privacy_officer, ambassador=ambassador_a)
    assert can_view_dataleak_reporter_contact(ambassador_a, DataLeak.objects.get(pk=leak.pk))


def test_the_reporter_contact_rule_stops_at_the_organisation(outsider, foreign_leak, privacy_officer):
    assert not can_view_dataleak_reporter_contact(privacy_officer, foreign_leak)
    assert can_view_dataleak_reporter_contact(outsider, foreign_leak)


def test_the_ambassador_page_shows_facts_but_not_the_reporters_details(
    client_as, ambassador_a, staff_a, team_a, privacy_officer
):
    leak = DataLeakFactory(
        department=team_a,
        reported_by=staff_a,
        contact_name="Anna Medewerker",
        contact_email="anna@voorbeeld.test",
        contact_phone="06 1234 5678",
    )
    page = client_as(ambassador_a).get(reverse("incidents:detail", args=[leak.pk])).content.decode()
    assert leak.description in page
    assert "anna@voorbeeld.test" not in page and "06 1234 5678" not in page and "Anna Medewerker" not in page
    response = client_as(privacy_officer).post(
        reverse("incidents:involve_ambassador", args=[leak.pk]), {"ambassador": ambassador_a.pk, "action": "add"}
    )
    assert response.status_code == 302
    page = client_as(ambassador_a).get(reverse("incidents:detail", args=[leak.pk])).content.decode()
    assert "anna@voorbeeld.test" in page and "06 1234 5678" in page


def test_only_handlers_involve_ambassadors(client_as, ambassador_a, staff_a, leak_a):
    url = reverse("incidents:involve_ambassador", args=[leak_a.pk])
    assert client_as(ambassador_a).post(url, {"ambassador": ambassador_a.pk}).status_code == 403
    assert client_as(staff_a).post(url, {"ambassador": ambassador_a.pk}).status_code == 403


# --- retention ----------------------------------------------------------------------------------


def test_the_purge_follows_each_organisations_retention(team_a, other_department, settings):
    settings.DATALEAK_RETENTION_DAYS = 1000
    now = timezone.now()
    org = team_a.organisation
    org.dataleak_retention_days = 30
    org.save()
    short = DataLeakFactory(department=team_a, closed_at=now - datetime.timedelta(days=40))
    foreign = DataLeakFactory(department=other_department, closed_at=now - datetime.timedelta(days=40))
    assert services.dataleak_purge_details(now=now) == 1
    short.refresh_from_db()
    foreign.refresh_from_db()
    assert short.details_erased_at and short.description == ""
    assert foreign.details_erased_at is None


# --- the register -------------------------------------------------------------------------------


def _notify(leak, actor, hours_after_awareness, reference):
    return APNotification.objects.create(
        leak=leak,
        kind="initial",
        notified_at=leak.aware_at + datetime.timedelta(hours=hours_after_awareness),
        ap_reference=reference,
        recorded_by=actor,
    )


def test_register_search_sort_mine_and_on_time(client_as, privacy_officer, team_a, department_b):
    now = timezone.now()
    early = DataLeakFactory(
        department=team_a,
        description="Laptop in de trein",
        aware_at=now - datetime.timedelta(days=10),
        discovered_at=now - datetime.timedelta(days=10),
        occurred_at=now - datetime.timedelta(days=10),
        assignee=privacy_officer,
        severity="limited",
    )
    late = DataLeakFactory(
        department=department_b,
        description="Brief verkeerd adres",
        aware_at=now - datetime.timedelta(days=5),
        discovered_at=now - datetime.timedelta(days=5),
        occurred_at=now - datetime.timedelta(days=5),
        severity="significant",
    )
    _notify(early, privacy_officer, 12, "AP-OK")
    _notify(late, privacy_officer, 90, "AP-LAAT")
    client = client_as(privacy_officer)

    def refs(**params):
        return [leak.reference for leak in client.get(reverse("incidents:register"), params).context["page"]]

    assert refs(q="trein") == [early.reference]
    assert refs(q=late.reference) == [late.reference]
    assert refs(q="AP-LAAT") == [late.reference]
    assert refs(mine="on") == [early.reference]
    assert refs(sort="op_tijd") == [late.reference, early.reference]
    assert refs(sort="-op_tijd") == [early.reference, late.reference]
    for key in ("soort", "besluit_ap", "betrokkenen", "status", "behandelaar"):
        assert sorted(refs(sort=key)) == sorted([early.reference, late.reference]), key
    # Columns whose values differ: one way round, then the other.
    for key in ("referentie", "gemeld", "bewust", "afdeling", "ernst", "gemeld_ap"):
        assert refs(sort=key) == list(reversed(refs(sort=f"-{key}"))), key
    page = client.get(reverse("incidents:register"), {"sort": "ernst", "q": "e"}).content.decode()
    # The filters stay in the URL of the column headers.
    assert "q=e" in page and "sort=-ernst" in page


def test_register_page_and_exports_cost_a_fixed_number_of_queries(
    client_as, privacy_officer, team_a, django_assert_max_num_queries
):
    client = client_as(privacy_officer)
    for number in range(3):
        leak = DataLeakFactory(department=team_a, assignee=privacy_officer)
        _notify(leak, privacy_officer, number, f"AP-{number}")
    params = {"q": "Mail", "sort": "-op_tijd", "mine": "on"}
    client.get(reverse("incidents:register"))  # the session's first request costs more
    for query in (params, {**params, "export": "csv"}, {**params, "export": "xlsx"}):
        with django_assert_max_num_queries(20):
            client.get(reverse("incidents:register"), query).getvalue()  # a streamed body queries as it is read
    with django_assert_max_num_queries(20):
        client.get(reverse("incidents:register_report"))
    for number in range(15):
        leak = DataLeakFactory(department=team_a, assignee=privacy_officer)
        _notify(leak, privacy_officer, 80, f"AP-x{number}")
    for query in (params, {**params, "export": "csv"}, {**params, "export": "xlsx"}):
        with django_assert_max_num_queries(20):
            response = client.get(reverse("incidents:register"), query)
            response.getvalue()
        assert response.status_code == 200
    with django_assert_max_num_queries(20):
        client.get(reverse("incidents:register_report"))


def test_register_exports_are_typed_and_dutch(client_as, privacy_officer, team_a):
    import openpyxl

    leak = DataLeakFactory(department=team_a, persons_exact=12, records_count=40)
    _notify(leak, privacy_officer, 1.5, "AP-1")
    client = client_as(privacy_officer)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("incidents:register"), {"export": "xlsx"}).getvalue())
    )
    sheet = workbook["Datalekkenregister"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    row = {header[i]: cell.value for i, cell in enumerate(sheet[2])}
    assert row["Aantal betrokkenen (minimaal)"] == 12 and row["Aantal records"] == 40
    assert isinstance(row["Gemeld aan AP op"], datetime.datetime) and row["Uren tot melding"] == 1.5
    assert row["Op tijd gemeld"] == "ja"
    for name in ("Feiten", "Corrigerende maatregelen", "Preventieve maatregelen", "FG betrokken", "Motivering AP"):
        assert name in header
    text = client.get(reverse("incidents:register"), {"export": "csv"}).getvalue().decode("utf-8-sig")
    line = next(line for line in text.splitlines() if line.startswith(leak.reference))
    assert ";1,5;ja;" in line
    assert timezone.localtime(leak.created_at).strftime("%d-%m-%Y") in line


def test_register_exports_carry_the_answers_for_the_ap(client_as, privacy_officer, team_a):
    """What the AP's form asks besides the register's facts is in the export too, each from its one source."""
    import openpyxl

    from incidents.ap_form import number_informed

    leak = DataLeakFactory(
        department=team_a,
        joint_controllers="Regionale Belastingsamenwerking",
        other_notification_duty="wbni",
        other_notification_duty_details="Ook gemeld aan het CSIRT-DSP.",
        documents_sent="Het verwerkersincidentrapport, zonder persoonsgegevens.",
    )
    today = timezone.localdate()
    SubjectNotification.objects.create(leak=leak, channel="letter", informed_on=today, number_informed=3)
    SubjectNotification.objects.create(leak=leak, channel="email", informed_on=today, number_informed=1_200)
    silent = DataLeakFactory(department=team_a)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client_as(privacy_officer).get(reverse("incidents:register"), {"export": "xlsx"}).getvalue())
    )
    sheet = workbook["Datalekkenregister"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: {header[i]: cell.value for i, cell in enumerate(row)} for row in sheet.iter_rows(min_row=2)}
    row = rows[leak.reference]
    assert row["Gezamenlijke verwerkingsverantwoordelijken (artikel 26 AVG)"] == "Regionale Belastingsamenwerking"
    assert row["Andere meldplicht"].startswith("Ook de Wbni")
    assert row["De andere meldplicht: welke, en aan wie"] == "Ook gemeld aan het CSIRT-DSP."
    assert row["Documenten meegestuurd aan de AP"] == "Het verwerkersincidentrapport, zonder persoonsgegevens."
    assert row["Aantal geïnformeerde betrokkenen"] == 1_203 == number_informed(DataLeak.objects.get(pk=leak.pk))
    assert rows[silent.reference]["Aantal geïnformeerde betrokkenen"] == 0
    assert rows[silent.reference]["Andere meldplicht"] is None


def test_register_exports_follow_the_english_reader(client_as, privacy_officer, team_a, settings):
    import openpyxl

    leak = DataLeakFactory(department=team_a, persons_exact=12)
    _notify(leak, privacy_officer, 1.5, "AP-1")
    client = client_as(privacy_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("incidents:register"), {"export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="data-leak-register-')
    text = response.getvalue().decode("utf-8-sig")
    header, line = text.splitlines()[0], next(line for line in text.splitlines() if line.startswith(leak.reference))
    assert header.startswith("Reference,Reported on,Aware since,")
    assert ",1.5,yes," in line and ";" not in header
    assert timezone.localtime(leak.created_at).strftime("%Y-%m-%d %H:%M") in line
    response = client.get(reverse("incidents:register"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue()))["Data-leak register"]
    header = [cell.value for cell in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    assert sheet.freeze_panes == "A2" and row["Notified on time"].value == "yes"
    assert row["Number of data subjects (minimum)"].value == 12
    assert row["Reported on"].number_format == "YYYY-MM-DD HH:MM"


def test_register_export_streams_rows_from_a_cursor(client_as, privacy_officer, team_a):
    """The CSV is a stream whose rows come from the queryset's iterator, not from a list built first."""
    from django.http import StreamingHttpResponse

    for _number in range(3):
        DataLeakFactory(department=team_a)
    response = client_as(privacy_officer).get(reverse("incidents:register"), {"export": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response.getvalue().decode("utf-8-sig").count("\r\n") == 4


def test_the_register_report_is_a_pdf_for_handlers_only(client_as, privacy_officer, staff_a, ambassador_a, leak_a):
    response = client_as(privacy_officer).get(reverse("incidents:register_report"), {"jaar": timezone.now().year})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_as(staff_a).get(reverse("incidents:register_report")).status_code == 403
    assert client_as(ambassador_a).get(reverse("incidents:register_report")).status_code == 403
    assert client_as(None).get(reverse("incidents:register_report")).status_code in (302, 403)


# --- the letter ---------------------------------------------------------------------------------


def test_the_letter_addresses_u_with_what_art_34_requires(client_as, privacy_officer, leak_a):
    _fill_organisation(leak_a.organisation)
    services.dataleak_assess(leak=leak_a, actor=privacy_officer, data=COMPLETE_ASSESSMENT)
    page = client_as(privacy_officer).get(reverse("incidents:subjects", args=[leak_a.pk]))
    draft = page.context["letter_form"]["text"].value()
    for needle in (
        "Geachte heer, mevrouw",
        "uw persoonsgegevens",
        "Identiteitsfraude is mogelijk.",
        "De ontvanger heeft de mail verwijderd.",
        "Wat kunt u zelf doen?",
        "Privacyloket",
        "privacy@voorbeeld.test",
        "Fatima FG",
    ):
        assert needle in draft, needle


def test_the_letter_is_edited_downloaded_and_kept_as_sent(client_as, privacy_officer, leak_a):
    from docx import Document

    client = client_as(privacy_officer)
    url = reverse("incidents:subjects", args=[leak_a.pk])
    client.post(url, {"action": "save_letter", "text": "Geachte heer, mevrouw,\n\nEerste versie."})
    assert DataLeak.objects.get(pk=leak_a.pk).letter_text.endswith("Eerste versie.")
    docx = client.get(reverse("incidents:letter_docx", args=[leak_a.pk]))
    assert docx["Content-Disposition"].endswith('-brief-betrokkenen.docx"')
    assert "Eerste versie." in "\n".join(p.text for p in Document(io.BytesIO(docx.getvalue())).paragraphs)
    assert client.get(reverse("incidents:letter_pdf", args=[leak_a.pk])).content.startswith(b"%PDF")
    client.post(
        url,
        {"action": "letter_sent", "text": "Geachte heer, mevrouw,\n\nVerstuurd.", "sent_on": timezone.localdate()},
    )
    client.post(url, {"action": "save_letter", "text": "Latere versie."})
    sent = SentLetter.objects.get()
    assert sent.text.endswith("Verstuurd.")
    kept = client.get(reverse("incidents:letter_docx", args=[leak_a.pk]), {"verzonden": sent.pk})
    assert "Verstuurd." in "\n".join(p.text for p in Document(io.BytesIO(kept.getvalue())).paragraphs)
    assert leak_a.events.filter(kind="letter").count() == 3


def test_the_letter_pages_are_for_handlers_of_the_organisation(client_as, staff_a, ambassador_a, outsider, leak_a):
    for name in ("incidents:letter_docx", "incidents:letter_pdf"):
        url = reverse(name, args=[leak_a.pk])
        assert client_as(staff_a).get(url).status_code == 403
        assert client_as(ambassador_a).get(url).status_code == 403
        assert client_as(outsider).get(url).status_code == 404


def test_corrections_are_for_the_privacy_officer(client_as, officer, privacy_officer, leak_a):
    notification = _notify(leak_a, privacy_officer, 1, "M1")
    record = SubjectNotification.objects.create(
        leak=leak_a, channel="letter", informed_on=timezone.localdate(), number_informed=1
    )
    urls = [
        reverse("incidents:ap_notification_correct", args=[leak_a.pk, notification.pk]),
        reverse("incidents:subjects_correct", args=[leak_a.pk, record.pk]),
    ]
    for url in urls:
        assert client_as(officer).get(url).status_code == 403
        assert client_as(privacy_officer).get(url).status_code == 200


def test_a_later_awareness_moves_the_countdown_the_reminders_and_the_on_time_check(client_as, privacy_officer, team_a):
    now = timezone.now()
    leak = DataLeakFactory(
        department=team_a,
        occurred_at=now - datetime.timedelta(hours=100),
        discovered_at=now - datetime.timedelta(hours=90),
    )
    assert [hours for item, hours in DataLeak.objects.milestones_due(now) if item.pk == leak.pk] == [72]
    later = now - datetime.timedelta(hours=10)
    response = client_as(privacy_officer).post(
        reverse("incidents:handle", args=[leak.pk]),
        {"aware_at": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"), "aware_reason": ""},
    )
    assert response.status_code == 400 and "leg de reden vast" in response.content.decode()
    client_as(privacy_officer).post(
        reverse("incidents:handle", args=[leak.pk]),
        {
            "aware_at": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"),
            "aware_reason": "Pas na onderzoek bleek het om persoonsgegevens te gaan.",
        },
    )
    leak.refresh_from_db()
    assert leak.aware_reason.startswith("Pas na onderzoek")
    assert not [hours for item, hours in DataLeak.objects.milestones_due(now) if item.pk == leak.pk]
    assert leak.countdown_class(now) == "countdown-green"
    _notify(leak, privacy_officer, 70, "AP-1")
    row = client_as(privacy_officer).get(reverse("incidents:register")).context["page"][0]
    assert row.on_time is True


@pytest.mark.parametrize(
    "name", ["incidents:reopen", "incidents:add_information", "incidents:letter_docx", "incidents:letter_pdf"]
)
def test_new_pages_send_anonymous_visitors_to_sign_in(client_as, leak_a, name):
    response = client_as(None).get(reverse(name, args=[leak_a.pk]))
    assert response.status_code in (302, 403)
    assert leak_a.description.encode() not in response.content


def test_a_not_applicable_box_with_an_answer_is_refused(client_as, privacy_officer, leak_a):
    response = client_as(privacy_officer).post(
        reverse("incidents:assess", args=[leak_a.pk]),
        {"special_categories": "Gezondheid", "na_special_categories": "on", "encrypted": ""},
    )
    assert response.status_code == 200
    assert "laat het veld leeg" in response.content.decode()
    assert "Gezondheid" in response.content.decode()  # nothing typed is lost
