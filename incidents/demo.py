"""Demo data-leak reports for Gemeente Voorbeeld (Naburig gets none), added when ``seed_demo`` runs."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from incidents.models import (
    APDecision,
    APNotification,
    DataLeak,
    DataLeakEvent,
    Severity,
    SubjectNotification,
    SubjectsDecision,
)
from incidents.services.intake import allocate_reference


def _leak(organisation, reporter, department, hours_ago: float, **fields) -> DataLeak:
    now = timezone.now()
    created = now - datetime.timedelta(hours=hours_ago)
    year = timezone.localtime(created).year
    number, reference = allocate_reference(organisation_id=organisation.pk, year=year)
    defaults = {
        "organisation": organisation,
        "reference": reference,
        "year": year,
        "number": number,
        "reported_by": reporter,
        "contact_name": reporter.full_name,
        "contact_email": reporter.email,
        "department": department,
        "occurred_at": created - datetime.timedelta(hours=2),
        "discovered_at": created - datetime.timedelta(minutes=30),
        "aware_at": created,
        "created_at": created,
    }
    defaults.update(fields)
    leak = DataLeak.objects.create(**defaults)
    DataLeakEvent.objects.create(
        leak=leak,
        actor=reporter,
        kind=DataLeakEvent.Kind.REPORTED,
        text=f"Gemeld door {reporter.full_name}.",
        created_at=created,
    )
    return leak


def _event(leak, actor, kind, text, hours_ago, data=None):
    DataLeakEvent.objects.create(
        leak=leak,
        actor=actor,
        kind=kind,
        text=text,
        data=data or {},
        created_at=timezone.now() - datetime.timedelta(hours=hours_ago),
    )


@transaction.atomic
def seed_demo(sender, organisation, people, today: datetime.date, **kwargs) -> None:
    if organisation.slug != "voorbeeld" or DataLeak.objects.filter(organisation=organisation).exists():
        return
    departments = people["departments"]
    staff, ambassador, privacy = people["staff"], people["ambassador"], people["privacy_officer"]
    now = timezone.now()

    # Oldest first, so the reference numbers follow the calendar.
    # 4. Closed with a lesson learned.
    _leak(
        organisation,
        staff,
        departments["WI"],
        24 * 60,
        category="letter_wrong_address",
        description="Een brief over een terugvordering is naar een oud adres van de inwoner gestuurd.",
        data_kinds=["name_address", "financial"],
        affected_estimate="1",
        ongoing="no",
        assessment_started_at=now - datetime.timedelta(days=59),
        assignee=privacy,
        breach_confidentiality=True,
        personal_data_categories=["name_address", "financial"],
        persons_exact=1,
        encrypted="no",
        consequences="De nieuwe bewoner kon lezen dat de inwoner een schuld bij de gemeente heeft.",
        severity=Severity.LIMITED,
        measures_taken="Brief teruggehaald bij de nieuwe bewoner.",
        ap_decision=APDecision.NO_NOTIFY,
        ap_decision_reason="Eén betrokkene, brief ongeopend teruggekregen: geen risico.",
        subjects_decision=SubjectsDecision.INFORM,
        subjects_decision_reason="De inwoner wordt uit zorgvuldigheid gebeld.",
        cause="Het adres kwam uit een oude kopie van het dossier in plaats van uit de BRP.",
        lesson="Controleer het adres altijd in de BRP vlak voor verzending.",
        closed_at=now - datetime.timedelta(days=50),
    )

    # 3. Closed as "no data leak".
    no_leak = _leak(
        organisation,
        ambassador,
        departments["BZ"],
        24 * 20,
        category="lost_device",
        description="Laptop in de trein laten liggen; de volgende dag teruggekregen via de NS.",
        data_kinds=["unknown"],
        affected_estimate="unknown",
        ongoing="no",
        assessment_started_at=now - datetime.timedelta(days=20),
        assignee=privacy,
        encrypted="yes",
        encryption_details="Volledige schijfversleuteling (BitLocker) met pincode.",
        ap_decision=APDecision.NO_NOTIFY,
        ap_decision_reason="Schijf versleuteld en apparaat teruggevonden: geen inbreuk.",
        subjects_decision=SubjectsDecision.NO_INFORM,
        subjects_decision_reason="Geen inbreuk op persoonsgegevens.",
        no_leak_reason="Versleutelde laptop, binnen een dag teruggevonden en niet ingelogd geweest.",
        no_leak_at=now - datetime.timedelta(days=19),
    )
    _event(
        no_leak,
        privacy,
        DataLeakEvent.Kind.STATUS,
        "",
        24 * 19,
        data={
            "message": "no_leak",
            "reason": "Versleutelde laptop, binnen een dag teruggevonden en niet ingelogd geweest.",
        },
    )

    # 2. Notified to the AP, data subjects informed.
    notified = _leak(
        organisation,
        people["ambassador_wi"],
        departments["WI"],
        24 * 12,
        category="cc_not_bcc",
        description=(
            "Uitnodiging voor een informatiebijeenkomst schuldhulpverlening verstuurd met alle "
            "adressen in CC in plaats van BCC."
        ),
        data_kinds=["name_address"],
        affected_estimate="11-100",
        ongoing="no",
        actions_taken="Herroepen geprobeerd; niet gelukt.",
        assessment_started_at=now - datetime.timedelta(days=11),
        assignee=privacy,
        breach_confidentiality=True,
        personal_data_categories=["name_address"],
        special_categories="Uit de context blijkt dat de ontvangers schulden hebben.",
        persons_exact=64,
        records_count=64,
        affected_groups="Inwoners in een schuldhulptraject",
        encrypted="no",
        consequences="Ontvangers weten van elkaar dat zij schuldhulp krijgen; risico op stigmatisering.",
        severity=Severity.SIGNIFICANT,
        measures_taken="Ontvangers gevraagd de mail te verwijderen; BCC-instructie aan het team.",
        measures_planned="Mailings voortaan via het mailingsysteem in plaats van Outlook.",
        ap_decision=APDecision.NOTIFY,
        ap_decision_reason="Gevoelige context (schulden), 64 betrokkenen: risico voor de betrokkenen.",
        subjects_decision=SubjectsDecision.INFORM,
        subjects_decision_reason="Hoog risico op stigmatisering; betrokkenen kunnen zelf alert zijn.",
    )
    APNotification.objects.create(
        leak=notified,
        kind=APNotification.Kind.INITIAL,
        notified_at=notified.aware_at + datetime.timedelta(hours=40),
        ap_reference="M2026-0815",
        recorded_by=privacy,
    )
    SubjectNotification.objects.create(
        leak=notified,
        channel=SubjectNotification.Channel.LETTER,
        informed_on=(now - datetime.timedelta(days=9)).date(),
        number_informed=64,
        recorded_by=privacy,
    )
    first = notified.ap_notifications.get()
    _event(
        notified,
        privacy,
        DataLeakEvent.Kind.NOTIFICATION,
        "",
        24 * 10,
        data={
            "message": "ap_notification",
            "kind": first.kind,
            "when": {"dt": first.notified_at.isoformat()},
            "reference": first.ap_reference,
            "complete": first.complete,
        },
    )

    # 1. Open, the clock running (30 hours in: still green).
    open_leak = _leak(
        organisation,
        staff,
        departments["WI"],
        30,
        category="email_wrong_recipient",
        description=(
            "Ik heb een e-mail met de uitkeringsspecificatie van een cliënt naar een verkeerde "
            "ontvanger gestuurd: de naam leek op die van de cliënt."
        ),
        data_kinds=["name_address", "bsn", "financial"],
        affected_estimate="1",
        ongoing="no",
        actions_taken="Ontvanger gebeld en gevraagd de mail te verwijderen; hij heeft dat per mail bevestigd.",
        contact_phone="06 12345678",
        assessment_started_at=now - datetime.timedelta(hours=28),
        assignee=privacy,
        breach_confidentiality=True,
        personal_data_categories=["name_address", "bsn", "financial"],
        persons_exact=1,
    )
    _event(open_leak, privacy, DataLeakEvent.Kind.ASSIGNMENT, f"Toegewezen aan {privacy.full_name}.", 28)
    _event(open_leak, privacy, DataLeakEvent.Kind.STATUS, "", 28, data={"message": "started"})

    # 5. Just reported by the ambassador on behalf of a colleague.
    _leak(
        organisation,
        ambassador,
        departments["BZ-BAL"],
        3,
        category="documents_left",
        description="Kopie van een paspoort lag een uur onbeheerd bij de printer op de tweede verdieping.",
        data_kinds=["id_copy"],
        affected_estimate="1",
        ongoing="no",
        on_behalf_of_name="Fatima de Jong",
        contact_name="Fatima de Jong",
    )
