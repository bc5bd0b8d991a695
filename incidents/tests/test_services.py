from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import outbox
from core.models import OutboxMessage
from incidents import services, tasks
from incidents.models import APDecision, DataLeak, DataLeakAccess, DataLeakEvent, SubjectsDecision
from incidents.tests.factories import DataLeakFactory

pytestmark = pytest.mark.django_db


def _data(department, **overrides):
    now = timezone.now()
    data = {
        "idempotency_token": uuid.uuid4(),
        "category": "cc_not_bcc",
        "description": "Alle adressen in CC.",
        "occurred_at": now - datetime.timedelta(hours=2),
        "discovered_at": now - datetime.timedelta(hours=1),
        "department": department,
        "data_kinds": ["name_address"],
        "affected_estimate": "11-100",
        "ongoing": "no",
        "actions_taken": "",
        "contact_email": "",
        "contact_phone": "",
    }
    data.update(overrides)
    return data


def test_references_count_up_per_organisation_and_year(staff_a, team_a, outsider, other_department):
    year = timezone.localdate().year
    first, _ = services.dataleak_report(reporter=staff_a, data=_data(team_a))
    second, _ = services.dataleak_report(reporter=staff_a, data=_data(team_a))
    foreign, _ = services.dataleak_report(reporter=outsider, data=_data(other_department))
    assert first.reference == f"DL-{year}-0001"
    assert second.reference == f"DL-{year}-0002"
    assert foreign.reference == f"DL-{year}-0001"


def test_a_new_year_starts_at_one(org):
    assert services.allocate_reference(organisation_id=org.pk, year=2030) == (1, "DL-2030-0001")
    assert services.allocate_reference(organisation_id=org.pk, year=2030) == (2, "DL-2030-0002")
    assert services.allocate_reference(organisation_id=org.pk, year=2031) == (1, "DL-2031-0001")


def test_the_same_token_stores_once(staff_a, team_a):
    data = _data(team_a)
    first, created = services.dataleak_report(reporter=staff_a, data=data)
    again, created_again = services.dataleak_report(reporter=staff_a, data=data)
    assert created and not created_again
    assert again.pk == first.pk
    assert DataLeak.objects.count() == 1


def test_someone_elses_token_never_returns_their_report(staff_a, staff_b, team_a, department_b):
    data = _data(team_a)
    first, _ = services.dataleak_report(reporter=staff_a, data=data)
    other, created = services.dataleak_report(
        reporter=staff_b, data=_data(department_b, idempotency_token=data["idempotency_token"])
    )
    assert created and other.pk != first.pk


def test_report_queues_confirmation_and_alerts(
    staff_a, team_a, privacy_officer, ambassador_a, officer, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        leak, _ = services.dataleak_report(reporter=staff_a, data=_data(team_a))
    recipients = sorted(mail.to[0] for mail in mailoutbox)
    # The reporter, the Privacy Officer, and the ambassador covering department_a (team_a's parent); not the CISO.
    assert recipients == sorted([staff_a.email, privacy_officer.email, ambassador_a.email])
    confirmation = next(mail for mail in mailoutbox if mail.to == [staff_a.email])
    assert leak.reference in confirmation.subject
    assert "ontvangen" in confirmation.subject
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
    assert leak.events.get().kind == DataLeakEvent.Kind.REPORTED
    assert DataLeakAccess.objects.get(leak=leak).action == DataLeakAccess.Action.CREATE


def test_broker_down_the_report_is_saved_and_the_sweep_sends_once(
    staff_a, team_a, privacy_officer, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_dataleak_mail, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        leak, _ = services.dataleak_report(reporter=staff_a, data=_data(team_a))
    assert DataLeak.objects.filter(pk=leak.pk).exists()
    assert mailoutbox == []
    pending = OutboxMessage.objects.filter(done_at__isnull=True)
    assert pending.count() == 2
    assert set(pending.values_list("last_error", flat=True)) == {"OperationalError"}

    monkeypatch.undo()
    assert outbox.sweep() == 2
    assert len(mailoutbox) == 2
    assert outbox.sweep() == 0
    assert len(mailoutbox) == 2


def test_a_retried_mail_is_sent_once(leak_a, staff_a, mailoutbox):
    assert services.dataleak_send_mail(leak_id=leak_a.pk, user_id=staff_a.pk, kind="confirmation")
    assert not services.dataleak_send_mail(leak_id=leak_a.pk, user_id=staff_a.pk, kind="confirmation")
    assert len(mailoutbox) == 1


def test_ambassador_report_on_behalf_links_the_colleague(
    ambassador_a, staff_a, team_a, mailoutbox, django_capture_on_commit_callbacks
):
    data = _data(team_a, on_behalf_of_name="Anna Medewerker", on_behalf_of_email="ANNA@voorbeeld.test")
    with django_capture_on_commit_callbacks(execute=True):
        leak, _ = services.dataleak_report(reporter=ambassador_a, data=data)
    assert leak.reported_by == ambassador_a
    assert leak.on_behalf_of == staff_a
    assert leak.contact_name == "Anna Medewerker"
    assert (
        "namens Anna Medewerker" in leak.events.get().text or "on behalf of Anna Medewerker" in leak.events.get().text
    )
    # Both get a confirmation; the ambassador is not alerted about their own report.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([ambassador_a.email, staff_a.email])


def test_aware_at_may_move_earlier_and_later_only_with_a_reason(leak_a, privacy_officer):
    earlier = leak_a.discovered_at - datetime.timedelta(minutes=30)
    services.dataleak_set_aware_at(leak=leak_a, actor=privacy_officer, aware_at=earlier)
    leak_a.refresh_from_db()
    assert leak_a.deadline == earlier + datetime.timedelta(hours=72)
    later = leak_a.discovered_at + datetime.timedelta(minutes=30)
    with pytest.raises(ValidationError):
        services.dataleak_set_aware_at(leak=leak_a, actor=privacy_officer, aware_at=later)
    services.dataleak_set_aware_at(
        leak=leak_a, actor=privacy_officer, aware_at=later, reason="Pas na onderzoek bleek het om BSN's te gaan."
    )
    leak_a.refresh_from_db()
    assert leak_a.aware_at == later and leak_a.aware_reason.startswith("Pas na onderzoek")
    assert "Pas na onderzoek" in leak_a.corrections.get().reason


def test_assessment_records_decisions_on_the_timeline(leak_a, privacy_officer):
    services.dataleak_assess(
        leak=leak_a,
        actor=privacy_officer,
        data={
            "severity": "limited",
            "ap_decision": APDecision.NO_NOTIFY,
            "ap_decision_reason": "Eén persoon, mail verwijderd.",
        },
    )
    leak_a.refresh_from_db()
    assert leak_a.state == "assessment"
    kinds = list(leak_a.events.values_list("kind", flat=True))
    assert DataLeakEvent.Kind.ASSESSMENT in kinds and DataLeakEvent.Kind.DECISION in kinds
    assert kinds.count(DataLeakEvent.Kind.STATUS) == 1


def test_close_requires_both_decisions_then_the_lesson_becomes_a_topic_once(leak_a, privacy_officer):
    from programme.models import TopicSuggestion

    with pytest.raises(ValidationError):
        services.dataleak_close(leak=leak_a, actor=privacy_officer, cause="x", lesson="y")
    leak_a.ap_decision = APDecision.NO_NOTIFY
    leak_a.subjects_decision = SubjectsDecision.NO_INFORM
    leak_a.save()
    services.dataleak_close(leak=leak_a, actor=privacy_officer, cause="Autocomplete", lesson="Controleer de ontvanger.")
    assert leak_a.state == "closed" and leak_a.closed_at
    first = services.dataleak_lesson_to_topic(leak=leak_a, actor=privacy_officer)
    second = services.dataleak_lesson_to_topic(leak=leak_a, actor=privacy_officer)
    assert first.pk == second.pk
    suggestion = TopicSuggestion.objects.get()
    assert suggestion.source == TopicSuggestion.Source.DATA_LEAK
    assert suggestion.source_reference == leak_a.reference
    assert suggestion.organisation_id == leak_a.organisation_id
    assert "Controleer de ontvanger." in suggestion.description
    with pytest.raises(ValidationError):
        services.dataleak_assess(leak=leak_a, actor=privacy_officer, data={"severity": "limited"})


def test_ap_notification_sets_status_and_decision(leak_a, privacy_officer):
    services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M123"
    )
    leak_a.refresh_from_db()
    assert leak_a.state == "ap_notified"
    assert leak_a.ap_decision == APDecision.NOTIFY
    assert not leak_a.clock_running


def test_purge_erases_details_after_the_retention_period(leak_a, leak_b, privacy_officer, settings):
    settings.DATALEAK_RETENTION_DAYS = 30
    services.dataleak_add_note(leak=leak_a, actor=privacy_officer, text="Gebeld met Anna")
    services.dataleak_mark_no_leak(leak=leak_a, actor=privacy_officer, reason="Geen persoonsgegevens")
    DataLeak.objects.filter(pk=leak_a.pk).update(no_leak_at=timezone.now() - datetime.timedelta(days=31))
    services.dataleak_mark_no_leak(leak=leak_b, actor=privacy_officer, reason="Recent gesloten")

    call_command("purge_dataleak_details")
    leak_a.refresh_from_db()
    leak_b.refresh_from_db()
    assert leak_a.details_erased_at is not None
    assert leak_a.description == "" and leak_a.contact_email == "" and leak_a.reported_by is None
    assert leak_a.category == "email_wrong_recipient" and leak_a.no_leak_reason  # register facts remain
    assert not leak_a.events.filter(kind=DataLeakEvent.Kind.NOTE).exists()
    assert leak_a.events.filter(kind=DataLeakEvent.Kind.ERASURE).exists()
    assert leak_b.details_erased_at is None and leak_b.description
    assert services.dataleak_purge_details() == 0


def test_purge_task_calls_the_service(leak_a, settings):
    settings.DATALEAK_RETENTION_DAYS = 1
    DataLeak.objects.filter(pk=leak_a.pk).update(closed_at=timezone.now() - datetime.timedelta(days=2))
    assert tasks.purge_dataleak_details.delay().get() == 1


def test_access_records_are_append_only(leak_a, staff_a):
    record = services.access_record(user=staff_a, leak=leak_a, action="view", ip="10.0.0.1")
    record.detail = "changed"
    with pytest.raises(ValueError):
        record.save()


def test_factory_leak_has_a_reference(leak_a):
    assert leak_a.reference.startswith("DL-")
    assert DataLeakFactory._meta.model is DataLeak
